import * as vscode from 'vscode';
import type { TrendFromWebview, TrendToWebview, TrendViewModel } from '../../protocol/trend';
import { type PageStartWatchdog, reloadedHtml, watchPageStart } from '../pageStartWatchdog';
import { webviewHtml } from '../webviewHtml';

// The trend view: one webview panel (dist/trend.js + dist/trend.css) under a strict CSP. The
// model goes over postMessage after the script says "ready" — never inlined into the HTML — and
// clicks come back as openSource messages.

/** TREND_VIEW_TYPE identifies the trend panel. */
export const TREND_VIEW_TYPE = 'heaplens.trendView';

/** TrendPanel shows one trend; show() again replaces its content and reveals it. */
export class TrendPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private model: TrendViewModel | undefined;
  /** Loads the page again if it never says ready (see pageStartWatchdog.ts). */
  private pageStart: PageStartWatchdog | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly openSource: (file: string, line: number) => unknown,
  ) {}

  /** show displays a model, creating the panel beside the active editor if needed. */
  show(model: TrendViewModel, column: vscode.ViewColumn = vscode.ViewColumn.Beside): void {
    this.model = model;
    if (this.panel) {
      this.panel.title = panelTitle(model);
      this.panel.reveal(undefined, true);
      void this.post({ type: 'show', model });
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(TREND_VIEW_TYPE, panelTitle(model), { viewColumn: column, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    this.panel = panel;
    const page = html(panel.webview, dist);
    panel.webview.html = page;
    const start = watchPageStart((attempt) => { panel.webview.html = reloadedHtml(page, attempt); });
    this.pageStart = start;
    this.disposables.push(
      start,
      panel.webview.onDidReceiveMessage((m: TrendFromWebview) => this.receive(m)),
      panel.onDidDispose(() => { this.panel = undefined; start.dispose(); }),
    );
  }

  /** visible tells whether the panel is open. */
  get visible(): boolean {
    return this.panel !== undefined;
  }

  private receive(message: TrendFromWebview): void {
    switch (message.type) {
      case 'ready':
        this.pageStart?.ready();
        if (this.model) void this.post({ type: 'show', model: this.model });
        break;
      case 'openSource':
        if (typeof message.file === 'string' && Number.isFinite(message.line)) void this.openSource(message.file, message.line);
        break;
    }
  }

  private post(message: TrendToWebview): Thenable<boolean> | undefined {
    return this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function panelTitle(model: TrendViewModel): string {
  const n = model.parts.reduce((sum, part) => sum + part.suspects.length, 0);
  return n === 0 ? vscode.l10n.t('Growth Trend') : n === 1 ? vscode.l10n.t('Growth Trend (1 suspect)') : vscode.l10n.t('Growth Trend ({0} suspects)', n);
}

function html(webview: vscode.Webview, dist: vscode.Uri): string {
  const uri = (file: string) => String(webview.asWebviewUri(vscode.Uri.joinPath(dist, file)));
  return webviewHtml({
    cspSource: webview.cspSource,
    title: vscode.l10n.t('Growth Trend'),
    lang: vscode.env.language,
    styles: [uri('trend.css')],
    scripts: [uri('trend.js')],
    body: '<main id="trend" aria-live="polite"></main>',
    images: true,
  });
}
