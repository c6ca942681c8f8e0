import * as vscode from 'vscode';
import { compileFilters } from '../../core/filter';
import { GRANULARITIES } from '../../core/nodes';
import type { Finding, FromWebview, SessionInfo, ToWebview } from '../../protocol/messages';
import { PAGE_START_TIMEOUT_MS, type PageStartWatchdog, reloadedHtml, watchPageStart } from '../pageStartWatchdog';
import { type ProfileSession, isCancelled } from '../profiles/session';
import { panelAssets, panelHtml, panelResourceRoots } from './panelHtml';

// Binds one webview (a panel, or the custom editor's) to one ProfileSession: answers the webview's
// requests in one switch, and re-sends the data whenever the session changes, so the panel follows
// the sample type, granularity and filters chosen anywhere (tree, status bar, panel). Every number
// is asked of the analysis worker; while the view is pending the page shows a skeleton, and a view
// superseded by newer settings is cancelled, never shown.

/** OpenSource opens a frame's source; the extension's resolver maps profile paths to local files. */
export type OpenSource = (file: string, line: number, functionName?: string) => Promise<void> | void;

/** PanelDeps is what a panel needs from the extension. */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  openSource: OpenSource;
  /** Diagnosis findings for a session, shown above the tabs (none when absent). */
  findings?: (session: ProfileSession) => Promise<Finding[]>;
  /** Subscribes to "a session's findings got better" (their source lines were read). */
  findingsChanged?: (listener: (session: ProfileSession) => void) => { dispose(): void };
  /** Where timings and webview problems are logged. */
  log?: (line: string) => void;
  /**
   * Ask for the first top table while the page starts (the panel the user asked for). Not for a
   * profile's preview, which a click in the Explorer opens on the way to a comparison: its table
   * then took 2.3 s of the worker right after Compare.
   */
  topAtStart?: boolean;
}

/** PanelController serves a session's data to a webview. */
export class PanelController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;
  private ready = false;
  /** The first view's top table, asked for when the page was created (see the constructor). */
  private early: { view: string; answer: ReturnType<ProfileSession['top']>; abort: AbortController } | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private viewRequest: AbortController | undefined;
  private flameRequest: AbortController | undefined;
  private findings: Finding[] = [];
  private findingsKey = '';
  /** Loads the page again if it never says ready (see pageStartWatchdog.ts). */
  private readonly pageStart: PageStartWatchdog;

  constructor(
    private readonly webview: vscode.Webview,
    readonly session: ProfileSession,
    private readonly deps: PanelDeps,
  ) {
    webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(deps.extensionUri) };
    const html = panelHtml(webview, deps.extensionUri, session.title);
    webview.html = html;
    this.pageStart = watchPageStart((attempt) => {
      deps.log?.(`panel: the page did not start within ${PAGE_START_TIMEOUT_MS / 1000} s; loading it again (attempt ${attempt})`);
      webview.html = reloadedHtml(html, attempt);
    });
    this.disposables.push(
      this.pageStart,
      webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
      session.onDidChange(() => this.scheduleRefresh()),
    );
    const findings = deps.findingsChanged?.((s) => { if (s === session) { this.findingsKey = ''; this.requestFindings(); } });
    if (findings) this.disposables.push(findings);
    // A webview takes a second or two to start (2.2 s for the 61 MB pair's panel in code-server):
    // its first table is computed meanwhile, and the page's first sendView takes it.
    if (deps.topAtStart) {
      const abort = new AbortController();
      const answer = session.top(abort.signal);
      answer.catch(() => undefined); // reported by the sendView that takes it, or dropped with it
      this.early = { view: this.viewKey(), answer, abort };
    }
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.early?.abort.abort();
    this.viewRequest?.abort();
    this.flameRequest?.abort();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }

  /** onMessage answers one message from the webview. */
  private async onMessage(message: FromWebview): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          this.pageStart.ready();
          this.ready = true;
          this.post({
            type: 'init', session: this.sessionInfo(), graphvizScript: String(panelAssets(this.webview, this.deps.extensionUri).graphvizScript),
            language: vscode.env.language, l10n: vscode.l10n.bundle,
          });
          this.requestFindings();
          void this.sendView();
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
          if (message.generation === this.generation) await this.answer(message.generation, () => this.session.callGraph(message.request), (graph) => ({ type: 'callGraph', generation: message.generation, request: message.request, graph }));
          return;
        case 'requestFlameGraph': {
          if (message.generation !== this.generation) return;
          // A zoom supersedes the flame graph still being built for the previous one.
          this.flameRequest?.abort();
          const abort = new AbortController();
          this.flameRequest = abort;
          const trim = { zoom: message.zoom, minFraction: message.minFraction };
          await this.answer(message.generation, () => this.session.flameTree(trim, abort.signal), (tree) => ({ type: 'flameGraph', generation: message.generation, zoom: message.zoom, tree }));
          return;
        }
        case 'requestPeek':
          if (message.generation === this.generation) {
            await this.answer(message.generation, () => this.session.peek(message.node), (table) => (table ? { type: 'peek', generation: message.generation, peek: table } : undefined));
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
      if (!isCancelled(e)) this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** answer runs one query for a view generation and posts its result, unless the view moved on meanwhile. */
  private async answer<T>(generation: number, ask: () => Promise<T>, message: (result: T) => ToWebview | undefined): Promise<void> {
    const result = await ask();
    const m = message(result);
    if (m && generation === this.generation) this.post(m);
  }

  private scheduleRefresh(): void {
    // Several settings often change together (a filter plus a granularity): send once.
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (!this.ready) return;
      this.post({ type: 'session', session: this.sessionInfo() });
      this.requestFindings();
      void this.sendView();
    }, 0);
  }

  /** viewKey names what a top table depends on: the profiles and the view settings. */
  private viewKey(): string {
    const s = this.session;
    return JSON.stringify([s.target.handle, s.base?.handle, s.view]);
  }

  /** sendView asks for the current view's top table; the page shows a skeleton until it arrives. */
  private async sendView(): Promise<void> {
    this.viewRequest?.abort();
    const early = this.early;
    this.early = undefined;
    const reuse = early !== undefined && early.view === this.viewKey();
    if (early && !reuse) early.abort.abort();
    const abort = reuse ? early.abort : new AbortController();
    this.viewRequest = abort;
    this.generation++;
    const generation = this.generation;
    this.post({ type: 'pending', generation });
    const started = Date.now();
    try {
      const top = reuse ? await early.answer : await this.session.top(abort.signal);
      if (generation !== this.generation) return;
      this.deps.log?.(`panel: ${top.count} rows of ${top.sampleType} by ${top.granularity} computed in ${Date.now() - started} ms`);
      this.post({ type: 'view', generation, top });
    } catch (e) {
      if (!isCancelled(e) && generation === this.generation) this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** requestFindings asks for the diagnosis (seconds on big profiles) and re-sends the session when it arrives. */
  private requestFindings(): void {
    const s = this.session;
    const key = JSON.stringify([s.base?.handle, s.target.handle, s.sampleType, s.alongside.map((p) => p.handle)]);
    if (!this.deps.findings || !s.isComparison || key === this.findingsKey) return;
    this.findingsKey = key;
    this.findings = [];
    this.deps.findings(s).then((findings) => {
      if (key !== this.findingsKey) return;
      this.findings = findings;
      if (this.ready) this.post({ type: 'session', session: this.sessionInfo() });
    }, () => undefined);
  }

  /** openSource opens a row's source; rows without a line (function/file granularity) open their hottest line. */
  private async openSource(file: string, line: number, fn: string): Promise<void> {
    if (line <= 0) {
      const hot = await this.session.hottestLine(fn, file);
      if (hot) ({ file, line } = hot);
    }
    if (file === '') {
      this.post({ type: 'error', message: fn ? vscode.l10n.t('{0}: the profile records no source file for it', fn) : vscode.l10n.t('this frame: the profile records no source file for it') });
      return;
    }
    await this.deps.openSource(file, line, fn);
  }

  private async exportSvg(svg: string, suggestedName: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? this.session.target.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, suggestedName.replace(/[^\w.-]+/g, '_')),
      filters: { [vscode.l10n.t('SVG image')]: ['svg'] },
      saveLabel: vscode.l10n.t('Export Call Graph'),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg));
    void vscode.window.showInformationMessage(vscode.l10n.t('Call graph saved to {0}', vscode.workspace.asRelativePath(target)));
  }

  private sessionInfo(): SessionInfo {
    const s = this.session;
    const info: SessionInfo = {
      mode: s.isComparison ? 'comparison' : 'single',
      title: s.title,
      newName: s.target.name,
      newUri: s.target.uri.toString(),
      sampleTypes: s.sampleTypes.map((type) => ({ type, unit: s.unitOf(type) })),
      sampleType: s.sampleType,
      granularity: s.granularity,
      filters: s.filters,
      summary: s.summary(),
      findings: this.findings,
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
