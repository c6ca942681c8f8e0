// A webview page says "ready" once its script runs. In VS Code's browser builds (code-server,
// vscode.dev) a page's scripts and styles are fetched through the webview's service worker, which
// gives up on a request it never hears back about after 30 s; a page whose own script was such a
// request would never start. A page that has not said ready after a few seconds is therefore
// loaded again (at most twice, each attempt logged); a page that was only slow says ready twice,
// which the hosts handle (init and the data are sent again). What CI showed twice — a panel that
// started only after 30 s — had another cause: a webview closed while one of its resources was
// still loading holds up every new webview for those 30 s (see PanelApp.painted in
// webview/app.ts); loading the page again, or opening a new panel, did not shorten that wait.

/** PAGE_START_TIMEOUT_MS is how long a page may take to say ready before it is loaded again. */
export const PAGE_START_TIMEOUT_MS = 8_000;
/** PAGE_START_RELOADS is how many times a silent page is loaded again before waiting for good. */
export const PAGE_START_RELOADS = 2;

/** PageStartWatchdog tracks one page load; `ready()` when the page says so, `dispose()` with the page. */
export interface PageStartWatchdog {
  ready(): void;
  dispose(): void;
}

/**
 * watchPageStart calls `reload(attempt)` (attempt 1, 2, …) whenever `timeoutMs` passes without
 * `ready()`, at most `reloads` times. Each reload restarts the clock.
 */
export function watchPageStart(reload: (attempt: number) => void, timeoutMs = PAGE_START_TIMEOUT_MS, reloads = PAGE_START_RELOADS): PageStartWatchdog {
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    timer = setTimeout(() => {
      timer = undefined;
      attempt++;
      reload(attempt);
      if (attempt < reloads) arm();
    }, timeoutMs);
  };
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  arm();
  return { ready: stop, dispose: stop };
}

/** reloadedHtml is `html` made different from the last value set (VS Code ignores an unchanged html), so the page loads again. */
export function reloadedHtml(html: string, attempt: number): string {
  return `${html}\n<!-- loaded again: ${attempt} -->`;
}
