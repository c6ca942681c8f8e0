import * as vscode from 'vscode';
import type { FrameOriginOptions } from '../../core/diagnose/userFrame';
import type { SeriesTrend } from '../../core/seriesTrend';
import { type TrendAnnotation, trendAnnotations } from '../../core/trend';
import { coveredMemStats } from '../../node/captureBundle';
import { openDialogFilters } from '../../core/profileKinds';
import type { AnalysisClient } from '../../node/analysisClient';
import type { LoadedProfile } from '../profiles/session';
import { TrendPanel } from './trendPanel';
import { OPEN_TREND_SOURCE, TREND_TREE_VIEW, TrendTree } from './trendTree';
import { trendViewModel } from './trendModel';

// "Show Trend Across Profiles": N ≥ 3 heap profiles and/or N ≥ 3 goroutine profiles of any form (an
// Explorer multi-selection, or a captured series with its bundles) → the leak suspects of each kind
// in a panel with sparklines, with the process memory (Sys, stacks, live heap) from the heap
// snapshots' MemStats; in the Growth Trend tree; and as slope labels for the source annotations.
// The extension supplies loading and source opening, so this module reuses them.

/** TrendDependencies are what the trend surfaces borrow from the rest of the extension. */
export interface TrendDependencies {
  /** loadProfiles loads files into the analysis worker (ProfileLoader.loadAll); rejects with a user-facing message. */
  loadProfiles(uris: readonly vscode.Uri[]): Promise<LoadedProfile[]>;
  /** releaseProfiles lets the worker forget profiles loaded for a trend alone (ProfileLoader.release). */
  releaseProfiles(profiles: readonly LoadedProfile[]): void;
  /** engine computes the trend where the profiles are. */
  engine: AnalysisClient;
  /** openSource opens a file name as written in a profile at a line (the extension's source resolution). */
  openSource(file: string, line: number): unknown;
  /** frameOrigin gives the workspace's module paths for the user-frame test (optional). */
  frameOrigin?(): Promise<FrameOriginOptions> | FrameOriginOptions;
}

/** TrendController holds the current trend and shows it on every trend surface. */
export class TrendController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SeriesTrend | undefined>();
  /** onDidChange fires when a trend is shown or cleared (annotations redraw on it). */
  readonly onDidChange = this.changed.event;
  private current: SeriesTrend | undefined;

  constructor(
    private readonly deps: TrendDependencies,
    private readonly panel: TrendPanel,
    private readonly tree: TrendTree,
  ) {}

  /** trend is the trend shown now, if any. */
  get trend(): SeriesTrend | undefined {
    return this.current;
  }

  /** annotations are the slope labels per source line of the current trend, heap sites and goroutine sites (empty when none). */
  annotations(): TrendAnnotation[] {
    const c = this.current;
    return c ? [c.heap, c.goroutines].flatMap((t) => (t ? trendAnnotations(t) : [])) : [];
  }

  /**
   * showProfiles computes (in the analysis worker) the trend of loaded profiles — heap and goroutine
   * profiles are fitted apart — and shows it (panel beside by default); returns it.
   */
  async showProfiles(profiles: readonly LoadedProfile[], fileTimesMs?: ReadonlyArray<number | undefined>, column = vscode.ViewColumn.Beside): Promise<SeriesTrend> {
    const origin = (await this.deps.frameOrigin?.()) ?? {};
    const trend = await vscode.window.withProgress({ location: { viewId: TREND_TREE_VIEW }, title: vscode.l10n.t('heaplens: computing the trend…') }, () => this.deps.engine.query({
      kind: 'trend',
      profiles: profiles.map((p, i) => ({
        // A bundle's MemStats (read from its memstats file at load) travel with the heap profile.
        handle: p.handle, name: p.name, fallbackTimeMs: fileTimesMs?.[i], memStats: p.info.facts.memStatsFrom ? p.info.facts.memStats : undefined,
      })),
      origin,
    }));
    this.current = trend;
    this.tree.setTrend(trend);
    await vscode.commands.executeCommand('setContext', 'heaplens.hasTrend', true);
    this.panel.show(trendViewModel(trend, vscode.env.language), column);
    this.changed.fire(trend);
    return trend;
  }

  /**
   * showFiles loads profile files and shows their trend; errors become one notification naming the
   * file. A bundle's memstats file whose heap profile is selected too is left out: the heap profile
   * carries its MemStats.
   */
  async showFiles(selected: readonly vscode.Uri[]): Promise<SeriesTrend | undefined> {
    const covered = coveredMemStats(selected.map((u) => u.path));
    const uris = selected.filter((u) => !covered.has(u.path));
    if (uris.length < 3) {
      void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: a trend needs at least 3 heap profiles or 3 goroutine profiles ({0} selected). Select 3 or more in the Explorer, or use Capture Series….', uris.length));
      return undefined;
    }
    let loaded: LoadedProfile[] = [];
    try {
      const [profiles, times] = await Promise.all([this.deps.loadProfiles(uris), Promise.all(uris.map(fileTime))]);
      loaded = profiles;
      return await this.showProfiles(profiles, times);
    } catch (e) {
      if (e instanceof vscode.CancellationError) return undefined;
      // Load errors read "file: problem"; computeTrend's errors name the profile at fault too.
      void vscode.window.showErrorMessage(`heaplens: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      return undefined;
    } finally {
      this.deps.releaseProfiles(loaded);
    }
  }

  /** clear forgets the trend (the tree hides, annotations drop their slopes). */
  async clear(): Promise<void> {
    this.current = undefined;
    this.tree.setTrend(undefined);
    await vscode.commands.executeCommand('setContext', 'heaplens.hasTrend', false);
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * registerTrend registers `heaplens.trend` (Explorer multi-selection or a file picker), the Growth
 * Trend tree and the trend panel; returns the controller Capture Series and annotations use.
 */
export function registerTrend(context: vscode.ExtensionContext, deps: TrendDependencies): TrendController {
  const panel = new TrendPanel(context.extensionUri, (file, line) => deps.openSource(file, line));
  const tree = new TrendTree();
  const controller = new TrendController(deps, panel, tree);
  context.subscriptions.push(
    panel,
    tree,
    controller,
    vscode.window.createTreeView(TREND_TREE_VIEW, { treeDataProvider: tree }),
    vscode.commands.registerCommand('heaplens.trend', async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
      const picked = uris && uris.length > 0 ? uris : uri ? [uri] : await pickProfiles();
      if (picked) await controller.showFiles(picked);
    }),
    vscode.commands.registerCommand(OPEN_TREND_SOURCE, (file: string, line: number) => deps.openSource(file, line)),
  );
  return controller;
}

async function pickProfiles(): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: vscode.l10n.t('Show Trend'),
    filters: openDialogFilters('trend'),
    title: vscode.l10n.t('heaplens: choose 3 or more heap or goroutine profiles of one process'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
}

async function fileTime(uri: vscode.Uri): Promise<number | undefined> {
  try {
    return (await vscode.workspace.fs.stat(uri)).mtime;
  } catch {
    return undefined;
  }
}
