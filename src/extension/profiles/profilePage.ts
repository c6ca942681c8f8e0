import { escapeHtml, webviewHtml } from '../webviewHtml';

// The custom editor's page for a file heaplens cannot show as a heap profile: what the file is, why,
// and what to do (open it as text, try again). Static HTML without scripts; actions are command links
// that the webview allows one by one. Pure string building (webviewHtml), unit-tested for escaping.

/** ProblemAction is a button on the page: a label and a `command:` link. */
export interface ProblemAction {
  label: string;
  href: string;
  secondary?: boolean;
}

/** ProblemPage is what the page says. */
export interface ProblemPage {
  /** Webview's cspSource (where the stylesheet may come from). */
  cspSource: string;
  styleHref: string;
  title: string;
  /** The one-line problem, "file: problem". */
  message: string;
  /** 'error' for a broken file, 'notice' for a valid file of another kind. */
  severity: 'error' | 'notice';
  hint?: string;
  actions: ProblemAction[];
  /** The page's language (VS Code's display language), default 'en'. */
  lang?: string;
}

/** problemPageHtml renders the page; every piece of text is escaped. */
export function problemPageHtml(page: ProblemPage): string {
  const actions = page.actions
    .map((a) => `<a href="${escapeHtml(a.href)}"${a.secondary ? ' class="secondary"' : ''}>${escapeHtml(a.label)}</a>`)
    .join('\n');
  return webviewHtml({
    cspSource: page.cspSource,
    title: page.title,
    lang: page.lang,
    styles: [page.styleHref],
    body: `<h1>${escapeHtml(page.title)}</h1>
<p class="problem ${page.severity}" role="alert">${escapeHtml(page.message)}</p>
${page.hint ? `<p class="hint">${escapeHtml(page.hint)}</p>` : ''}
<div class="actions">
${actions}
</div>`,
  });
}

/** commandHref builds a `command:` link with JSON arguments. */
export function commandHref(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}
