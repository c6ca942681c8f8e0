import * as vscode from 'vscode';
import { CaptureError, type CaptureOptions, captureUrl } from '../../core/capture';

// The questions a capture asks: which service (recent addresses first), which options, and for a
// series how many snapshots how far apart. Answers are remembered in globalState for next time.

const RECENT_KEY = 'heaplens.capture.recentUrls';
const OPTIONS_KEY = 'heaplens.capture.options';
const SERIES_KEY = 'heaplens.capture.series';
const MAX_RECENT = 10;

interface UrlItem extends vscode.QuickPickItem {
  input: string;
  error?: string;
}

/**
 * askUrl asks for a service address; `host:port` alone is enough. Recent addresses are offered
 * first; what is typed is shown with the URL it stands for, or why it is not one.
 */
export function askUrl(state: vscode.Memento, title: string): Promise<string | undefined> {
  const recent = state.get<string[]>(RECENT_KEY, []);
  const recentItems: UrlItem[] = recent.map((u) => ({ label: u, input: u, description: vscode.l10n.t('recent') }));
  const pick = vscode.window.createQuickPick<UrlItem>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('host:port or URL of a Go service with net/http/pprof, e.g. 127.0.0.1:6060');
  pick.items = recentItems;
  pick.ignoreFocusOut = true;
  const typedItem = (value: string): UrlItem => {
    try {
      return { label: value, input: value, description: `→ ${captureUrl(value)}`, alwaysShow: true };
    } catch (e) {
      const error = e instanceof CaptureError ? e.message : String(e);
      return { label: value, input: value, detail: `$(error) ${error}`, error, alwaysShow: true };
    }
  };
  return new Promise((resolve) => {
    let answer: string | undefined;
    pick.onDidChangeValue((value) => {
      const typed = value.trim();
      pick.items = typed ? [typedItem(typed), ...recentItems.filter((r) => r.input !== typed)] : recentItems;
      if (typed) pick.activeItems = [pick.items[0]];
    });
    pick.onDidAccept(() => {
      // Enter with nothing highlighted: what was typed, else the most recent address.
      const chosen = pick.activeItems[0] ?? (pick.value.trim() ? typedItem(pick.value.trim()) : pick.items[0]);
      if (!chosen || chosen.error) return; // stay open: the error is shown under the typed address
      answer = chosen.input;
      pick.hide();
    });
    pick.onDidHide(() => { pick.dispose(); resolve(answer); });
    pick.show();
    if (recentItems.length > 0) pick.activeItems = [recentItems[0]];
  });
}

/** rememberUrl puts an address (normalised, without gc/debug) first in the recent list. */
export async function rememberUrl(state: vscode.Memento, input: string): Promise<void> {
  const url = captureUrl(input);
  const recent = state.get<string[]>(RECENT_KEY, []).filter((u) => u !== url);
  await state.update(RECENT_KEY, [url, ...recent].slice(0, MAX_RECENT));
}

/** CapturePromptAnswer is the URL options and whether to capture a bundle (goroutine dump and MemStats beside the heap profile). */
export interface CapturePromptAnswer extends CaptureOptions {
  bundle: boolean;
}

interface OptionItem extends vscode.QuickPickItem {
  key: keyof CapturePromptAnswer;
}

/** askCaptureOptions asks for gc=1 / debug=1 / the bundle (multi-select; Enter keeps the remembered choice; heaplens.capture.bundle is the first default). */
export function askCaptureOptions(state: vscode.Memento, series: boolean): Promise<CapturePromptAnswer | undefined> {
  const bundleDefault = vscode.workspace.getConfiguration('heaplens.capture').get<boolean>('bundle', true);
  const saved = state.get<Partial<CapturePromptAnswer>>(OPTIONS_KEY, { gc: true, debug: false });
  const items: OptionItem[] = [
    { key: 'gc', label: 'gc=1', description: vscode.l10n.t('run a garbage collection first'), detail: series ? vscode.l10n.t('In-use numbers become current rather than as of the last GC — needed for a steady trend.') : vscode.l10n.t('In-use numbers become current rather than as of the last GC.'), picked: saved.gc !== false },
    { key: 'debug', label: 'debug=1', description: vscode.l10n.t('legacy text form'), detail: vscode.l10n.t('Readable text with runtime.MemStats, saved as .txt (same numbers).'), picked: saved.debug === true },
    {
      key: 'bundle',
      label: vscode.l10n.t('goroutines + MemStats'),
      description: vscode.l10n.t('uncheck for the heap profile alone'),
      detail: vscode.l10n.t('Also fetch the goroutine dump (goroutine?debug=2) and runtime.MemStats (heap?debug=1) right after the heap profile and save them beside it under one timestamp.'),
      picked: saved.bundle ?? bundleDefault,
    },
  ];
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<OptionItem>();
    pick.title = vscode.l10n.t('heaplens: capture options');
    pick.placeholder = vscode.l10n.t('Press Enter to capture with the checked options');
    pick.canSelectMany = true;
    pick.items = items;
    pick.selectedItems = items.filter((i) => i.picked);
    pick.ignoreFocusOut = true;
    let answer: CapturePromptAnswer | undefined;
    pick.onDidAccept(() => {
      const keys = new Set(pick.selectedItems.map((i) => i.key));
      answer = { gc: keys.has('gc'), debug: keys.has('debug'), bundle: keys.has('bundle') };
      void state.update(OPTIONS_KEY, answer);
      pick.hide();
    });
    pick.onDidHide(() => { pick.dispose(); resolve(answer); });
    pick.show();
  });
}

/** SeriesShape is how many snapshots to take and how far apart. */
export interface SeriesShape {
  count: number;
  intervalSeconds: number;
}

/** askSeriesShape asks for the snapshot count (2–1000) and the interval (seconds, 0.5–3600). */
export async function askSeriesShape(state: vscode.Memento): Promise<SeriesShape | undefined> {
  const saved = state.get<SeriesShape>(SERIES_KEY, { count: 5, intervalSeconds: 10 });
  const count = await vscode.window.showInputBox({
    title: vscode.l10n.t('heaplens: Capture Series — how many snapshots?'),
    value: String(saved.count),
    prompt: vscode.l10n.t('Three or more give a trend; the first and last are compared.'),
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 2 && Number(v) <= 1000 ? undefined : vscode.l10n.t('A whole number from 2 to 1000')),
  });
  if (count === undefined) return undefined;
  const interval = await vscode.window.showInputBox({
    title: vscode.l10n.t('heaplens: Capture Series — seconds between snapshots?'),
    value: String(saved.intervalSeconds),
    prompt: vscode.l10n.t('Long enough for the leak to show between snapshots (e.g. 10–60 s for a busy service).'),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const n = Number(v.trim());
      return v.trim() !== '' && Number.isFinite(n) && n >= 0.5 && n <= 3600 ? undefined : vscode.l10n.t('A number of seconds from 0.5 to 3600');
    },
  });
  if (interval === undefined) return undefined;
  const shape = { count: Number(count.trim()), intervalSeconds: Number(interval.trim()) };
  await state.update(SERIES_KEY, shape);
  return shape;
}
