import * as vscode from 'vscode';
import type { ProfileSession } from '../profiles/session';
import { type PanelDeps, PanelController } from './panelController';
import { panelResourceRoots } from './panelHtml';

// One editor-area panel per session: tables, call graph, flame graph and peek of a comparison (or
// of one profile). The webview is not kept alive when hidden; it saves its view state with
// setState and asks for its data again when shown (ready → init), which costs less memory than
// retainContextWhenHidden and also survives a window reload through the serializer.

/** PANEL_VIEW_TYPE identifies heaplens panels (for the serializer and `onWebviewPanel:` activation). */
export const PANEL_VIEW_TYPE = 'heaplens.panel';

/** ComparisonPanel is the webview panel showing one session. */
export class ComparisonPanel implements vscode.Disposable {
  private readonly controller: PanelController;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  /** onDidDispose fires when the user closes the panel (or the session goes away). */
  readonly onDidDispose = this.disposed.event;

  /** create opens a new panel for a session beside the active editor. */
  static create(session: ProfileSession, deps: PanelDeps): ComparisonPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, panelTitle(session), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: panelResourceRoots(deps.extensionUri),
    });
    return new ComparisonPanel(panel, session, deps);
  }

  /** revive attaches a session to a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, session: ProfileSession, deps: PanelDeps): ComparisonPanel {
    panel.title = panelTitle(session);
    return new ComparisonPanel(panel, session, deps);
  }

  private constructor(readonly panel: vscode.WebviewPanel, readonly session: ProfileSession, deps: PanelDeps) {
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'heaplens.svg');
    this.controller = new PanelController(panel.webview, session, { ...deps, topAtStart: true });
    this.disposables.push(
      this.controller,
      panel.onDidDispose(() => this.dispose()),
      session.onDidChange(() => { panel.title = panelTitle(session); }),
    );
  }

  /** reveal brings the panel to the front. */
  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.disposables.length === 0) return;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

/** panelTitle names the panel's tab: "heap: bad_heap.prof vs good_heap.prof". */
export function panelTitle(session: ProfileSession): string {
  return `heap: ${session.title}`;
}
