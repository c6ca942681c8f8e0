import * as vscode from 'vscode';
import type { Aggregate } from '../../core/aggregate';
import { callGraph } from '../../core/callgraph';
import { compileFilters } from '../../core/filter';
import { flameTree } from '../../core/flamegraph';
import { hottestLine } from '../../core/hotLines';
import { GRANULARITIES } from '../../core/nodes';
import { peek } from '../../core/peek';
import { profileSummary } from '../../core/profileSummary';
import { type NodeStrings, nodeStrings, topColumns } from '../../core/topColumns';
import type { CallGraphRequest, Finding, FromWebview, SessionInfo, ToWebview } from '../../protocol/messages';
import type { ProfileSession } from '../profiles/session';
import { panelAssets, panelHtml, panelResourceRoots } from './panelHtml';

// Binds one webview (a panel, or the custom editor's) to one ProfileSession: answers the webview's
// requests in one switch, and re-sends the data whenever the session changes, so the panel follows
// the sample type, granularity and filters chosen anywhere (tree, status bar, panel).

/** PREFETCH_BELOW_MS: prefetch other sample types only when one aggregation costs less than this. */
const PREFETCH_BELOW_MS = 300;

/** OpenSource opens a frame's source; the extension's resolver maps profile paths to local files. */
export type OpenSource = (file: string, line: number, functionName?: string) => Promise<void> | void;

/** PanelDeps is what a panel needs from the extension. */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  openSource: OpenSource;
  /** Diagnosis findings for a session, shown above the tabs (none when absent). */
  findings?: (session: ProfileSession) => Finding[];
  /** Subscribes to "a session's findings got better" (their source lines were read). */
  findingsChanged?: (listener: (session: ProfileSession) => void) => { dispose(): void };
  /** Where timings and webview problems are logged. */
  log?: (line: string) => void;
}

/** PanelController serves a session's data to a webview. */
export class PanelController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;
  private viewAggregate: Aggregate | undefined;
  private ready = false;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private strings: { key: string; strings: NodeStrings } | undefined;

  constructor(
    private readonly webview: vscode.Webview,
    readonly session: ProfileSession,
    private readonly deps: PanelDeps,
  ) {
    webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(deps.extensionUri) };
    webview.html = panelHtml(webview, deps.extensionUri, session.title);
    this.disposables.push(
      webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
      session.onDidChange(() => this.scheduleRefresh()),
    );
    const findings = deps.findingsChanged?.((s) => { if (s === session && this.ready) this.post({ type: 'session', session: this.sessionInfo() }); });
    if (findings) this.disposables.push(findings);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }

  /** onMessage answers one message from the webview. */
  private async onMessage(message: FromWebview): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          this.post({
            type: 'init', session: this.sessionInfo(), graphvizScript: String(panelAssets(this.webview, this.deps.extensionUri).graphvizScript),
            language: vscode.env.language, l10n: vscode.l10n.bundle,
          });
          this.sendView();
          return;
        case 'openSource':
          await this.openSource(message.file, message.line, message.function);
          return;
        case 'setSampleType':
          if (this.session.sampleTypes.includes(message.sampleType)) this.session.setSampleType(message.sampleType);
          return;
        case 'setGranularity':
          if (GRANULARITIES.includes(message.granularity)) this.session.setGranularity(message.granularity);
          return;
        case 'setFilters':
          compileFilters(message.filters); // a bad expression is reported before anything changes
          this.session.setFilters(message.filters);
          return;
        case 'requestCallGraph':
          if (message.generation === this.generation) this.sendCallGraph(message.request);
          return;
        case 'requestFlameGraph':
          if (message.generation === this.generation) this.sendFlameGraph();
          return;
        case 'requestPeek':
          if (message.generation === this.generation) {
            const agg = this.session.aggregate({ edges: true, edgesOf: message.node });
            if (message.node >= 0 && message.node < agg.nodes.count) this.post({ type: 'peek', generation: this.generation, peek: peek(agg, message.node) });
          }
          return;
        case 'exportSvg':
          await this.exportSvg(message.svg, message.suggestedName);
          return;
        case 'painted':
          this.deps.log?.(`panel: ${message.what} painted (${message.rows} rows or frames) ${message.ms.toFixed(0)} ms after ${message.what === 'top' ? 'its data arrived' : 'it was requested'}`);
          return;
        case 'problem':
          this.deps.log?.(`panel: ${message.message}`);
          return;
      }
    } catch (e) {
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private scheduleRefresh(): void {
    // Several settings often change together (a filter plus a granularity): send once.
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (!this.ready) return;
      this.post({ type: 'session', session: this.sessionInfo() });
      this.sendView();
    }, 0);
  }

  private sendView(): void {
    const started = Date.now();
    try {
      this.viewAggregate = this.session.aggregate();
    } catch (e) {
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const cost = Date.now() - started;
    this.generation++;
    this.post({ type: 'view', generation: this.generation, top: topColumns(this.viewAggregate, this.nodeStrings(this.viewAggregate)) });
    if (cost < PREFETCH_BELOW_MS) this.prefetchSampleTypes(this.generation);
  }

  /** nodeStrings dedupes and ranks the node table once per (profiles, granularity, filters): node ids are the same for every sample type. */
  private nodeStrings(agg: Aggregate): NodeStrings {
    const s = this.session;
    const key = JSON.stringify([s.target.uri.toString(), s.base?.uri.toString(), s.granularity, s.filters]);
    if (this.strings?.key !== key || this.strings.strings.rank.length !== agg.nodes.count) this.strings = { key, strings: nodeStrings(agg.nodes) };
    return this.strings.strings;
  }

  /**
   * prefetchSampleTypes computes the other sample types' aggregates while the user reads, one per
   * tick, so switching the sample type is a cache hit. Only when one aggregate is cheap (a big
   * profile would block the extension host for too long) and while the view is still current.
   */
  private prefetchSampleTypes(generation: number): void {
    const others = this.session.sampleTypes.filter((t) => t !== this.session.sampleType);
    const next = (): void => {
      const type = others.shift();
      if (!type || generation !== this.generation) return;
      try {
        this.session.aggregate({ sampleIndex: type });
      } catch {
        return; // the switch itself will report the problem
      }
      setTimeout(next, 20);
    };
    setTimeout(next, 50);
  }

  private sendCallGraph(request: CallGraphRequest): void {
    const s = this.session;
    const graph = callGraph({ target: s.target.profile, base: s.base?.profile }, {
      granularity: s.granularity,
      sampleIndex: s.sampleType,
      filters: s.filters,
      nodes: this.viewAggregate?.nodes,
      ...request,
    });
    this.post({ type: 'callGraph', generation: this.generation, request, graph });
  }

  private sendFlameGraph(): void {
    const s = this.session;
    const tree = flameTree({ target: s.target.profile, base: s.base?.profile }, {
      granularity: s.granularity,
      sampleIndex: s.sampleType,
      filters: s.filters,
      nodes: this.viewAggregate?.nodes,
    });
    if (this.viewAggregate) tree.nodeRank = this.nodeStrings(this.viewAggregate).rank;
    this.post({ type: 'flameGraph', generation: this.generation, tree });
  }

  /** openSource opens a row's source; rows without a line (function/file granularity) open their hottest line. */
  private async openSource(file: string, line: number, fn: string): Promise<void> {
    if (line <= 0) {
      const hot = hottestLine(this.session.aggregate({ granularity: 'lines' }), fn, file);
      if (hot) ({ file, line } = hot);
    }
    if (file === '') {
      this.post({ type: 'error', message: `${fn || 'this frame'}: the profile records no source file for it` });
      return;
    }
    await this.deps.openSource(file, line, fn);
  }

  private async exportSvg(svg: string, suggestedName: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? this.session.target.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, suggestedName.replace(/[^\w.-]+/g, '_')),
      filters: { 'SVG image': ['svg'] },
      saveLabel: 'Export Call Graph',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
    void vscode.window.showInformationMessage(`Call graph saved to ${vscode.workspace.asRelativePath(target)}`);
  }

  private sessionInfo(): SessionInfo {
    const s = this.session;
    const info: SessionInfo = {
      mode: s.isComparison ? 'comparison' : 'single',
      title: s.title,
      newName: s.target.name,
      newUri: s.target.uri.toString(),
      sampleTypes: s.sampleTypes.map((type) => ({ type, unit: s.target.profile.sampleTypes.find((t) => t.type === type)?.unit ?? '' })),
      sampleType: s.sampleType,
      granularity: s.granularity,
      filters: s.filters,
      summary: profileSummary(s.target, s.base),
      findings: this.deps.findings?.(s) ?? [],
    };
    if (s.base) {
      info.baseName = s.base.name;
      info.baseUri = s.base.uri.toString();
    }
    return info;
  }

  private post(message: ToWebview): void {
    void this.webview.postMessage(message);
  }
}
