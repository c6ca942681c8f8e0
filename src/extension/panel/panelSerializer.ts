import * as vscode from 'vscode';
import { GRANULARITIES } from '../../core/nodes';
import type { RestoreInfo } from '../../protocol/messages';
import type { ProfileSession, SessionRegistry } from '../profiles/session';
import type { PanelDeps } from './panelController';
import { errorHtml, panelResourceRoots } from './panelHtml';

// After a window reload VS Code recreates our panels empty and hands us the state the webview last
// saved. The state names the files (not the data), so we reopen them: reuse a session the extension
// already restored for the same files, else have the extension load them (through the analysis
// worker, like every other load) into a new session with the saved settings.

/** LoadSession loads a comparison (or one profile) into a registered session. */
export type LoadSession = (target: vscode.Uri, base: vscode.Uri | undefined) => Promise<ProfileSession | undefined>;

/** PanelRestorer revives a panel from its saved state. */
export class PanelRestorer implements vscode.WebviewPanelSerializer<{ restore?: RestoreInfo }> {
  constructor(
    private readonly sessions: SessionRegistry,
    private readonly deps: PanelDeps,
    private readonly attach: (panel: vscode.WebviewPanel, session: ProfileSession) => void,
    private readonly loadSession: LoadSession,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: { restore?: RestoreInfo } | undefined): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(this.deps.extensionUri) };
    const restore = state?.restore;
    if (!restore?.newUri) {
      panel.dispose(); // nothing to show: the panel never received data
      return;
    }
    try {
      const session = await this.sessionFor(restore);
      if (!session) throw new Error(vscode.l10n.t('the profiles could not be reopened'));
      this.attach(panel, session);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      panel.webview.html = errorHtml(panel.webview, this.deps.extensionUri, vscode.l10n.t('The heaplens panel could not be restored: {0}', reason));
    }
  }

  private async sessionFor(restore: RestoreInfo): Promise<ProfileSession | undefined> {
    const target = vscode.Uri.parse(restore.newUri);
    const base = restore.baseUri ? vscode.Uri.parse(restore.baseUri) : undefined;
    const existing = this.sessions.all().find((s) => s.target.uri.toString() === restore.newUri && s.base?.uri.toString() === restore.baseUri);
    if (existing) return existing;
    const session = await this.loadSession(target, base);
    session?.restore({
      sampleType: restore.sampleType,
      granularity: GRANULARITIES.includes(restore.granularity) ? restore.granularity : undefined,
      filters: restore.filters ?? {},
    });
    return session;
  }
}
