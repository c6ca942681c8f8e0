import * as vscode from 'vscode';
import { DEFAULT_MAX_BYTES, decodeProfile } from '../../core/decode';
import { describeError } from '../../core/errors';
import { GRANULARITIES } from '../../core/nodes';
import type { RestoreInfo } from '../../protocol/messages';
import { type LoadedProfile, ProfileSession, type SessionRegistry } from '../profiles/session';
import type { PanelDeps } from './panelController';
import { errorHtml, panelResourceRoots } from './panelHtml';

// After a window reload VS Code recreates our panels empty and hands us the state the webview last
// saved. The state names the files (not the data), so we reopen them: reuse a session the extension
// already restored for the same files, else let the extension load them, else decode them here.

/** LoadSession loads a comparison (or one profile) into a registered session. */
export type LoadSession = (target: vscode.Uri, base: vscode.Uri | undefined) => Promise<ProfileSession | undefined>;

/** PanelRestorer revives a panel from its saved state. */
export class PanelRestorer implements vscode.WebviewPanelSerializer<{ restore?: RestoreInfo }> {
  constructor(
    private readonly sessions: SessionRegistry,
    private readonly deps: PanelDeps,
    private readonly attach: (panel: vscode.WebviewPanel, session: ProfileSession) => void,
    private readonly loadSession?: LoadSession,
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
      if (!session) throw new Error('the profiles could not be reopened');
      this.attach(panel, session);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      panel.webview.html = errorHtml(panel.webview, this.deps.extensionUri, `The heaplens panel could not be restored: ${reason}`);
    }
  }

  private async sessionFor(restore: RestoreInfo): Promise<ProfileSession | undefined> {
    const target = vscode.Uri.parse(restore.newUri);
    const base = restore.baseUri ? vscode.Uri.parse(restore.baseUri) : undefined;
    const existing = this.sessions.all().find((s) => s.target.uri.toString() === restore.newUri && s.base?.uri.toString() === restore.baseUri);
    if (existing) return existing;
    const session = this.loadSession ? await this.loadSession(target, base) : await this.decodeSession(target, base);
    if (!session) return undefined;
    if (session.sampleTypes.includes(restore.sampleType)) session.sampleType = restore.sampleType;
    if (GRANULARITIES.includes(restore.granularity)) session.granularity = restore.granularity;
    session.setFilters(restore.filters ?? {});
    return session;
  }

  private async decodeSession(target: vscode.Uri, base: vscode.Uri | undefined): Promise<ProfileSession> {
    const session = new ProfileSession(await loadProfile(target), base ? await loadProfile(base) : undefined);
    return this.sessions.add(session);
  }
}

async function loadProfile(uri: vscode.Uri): Promise<LoadedProfile> {
  const name = uri.path.split('/').pop() ?? uri.toString();
  const maxMB = vscode.workspace.getConfiguration('heaplens').get<number>('maxProfileSizeMB');
  const maxBytes = maxMB ? maxMB * 1048576 : DEFAULT_MAX_BYTES;
  const bytes = await vscode.workspace.fs.readFile(uri);
  try {
    return { uri, name, profile: decodeProfile(bytes, { maxBytes }) };
  } catch (e) {
    throw new Error(describeError(name, e));
  }
}
