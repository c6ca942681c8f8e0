import * as vscode from 'vscode';
import type { Finding } from '../../protocol/messages';
import type { ProfileSession, SessionRegistry } from '../profiles/session';
import { ComparisonPanel, PANEL_VIEW_TYPE } from './comparisonPanel';
import { type OpenSource, type PanelDeps, PanelController } from './panelController';
import { type LoadSession, PanelRestorer } from './panelSerializer';

// The panel's entry points for the extension: registerPanel (called once from activate) owns the
// `heaplens.showPanel` command, the reload serializer and one panel per session; renderSessionInto
// lets the custom editor show a single profile with the same UI in its own webview.

export { PANEL_VIEW_TYPE } from './comparisonPanel';
export type { OpenSource } from './panelController';

/** PanelOptions are optional hooks into the rest of the extension. */
export interface PanelOptions {
  /** Loads profiles into a registered session after a window reload (through the analysis worker). */
  loadSession: LoadSession;
  /** Diagnosis findings shown at the top of the panel. */
  findings?: (session: ProfileSession) => Promise<Finding[]>;
  /** Subscribes to "a session's findings got better" (their source lines were read). */
  findingsChanged?: PanelDeps['findingsChanged'];
  /** Log sink (timings, webview problems); default: the extension host console. */
  log?: (line: string) => void;
}

/** PanelApi is what registerPanel returns: show a session's panel from code. */
export interface PanelApi {
  show(session?: ProfileSession): ComparisonPanel | undefined;
}

/** registerPanel registers `heaplens.showPanel`, the panel serializer, and panel lifetimes. */
export function registerPanel(context: vscode.ExtensionContext, sessions: SessionRegistry, openSource: OpenSource, options: PanelOptions): PanelApi {
  const deps: PanelDeps = {
    extensionUri: context.extensionUri,
    openSource,
    findings: options.findings,
    findingsChanged: options.findingsChanged,
    log: options.log ?? ((line) => console.log(`[heaplens] ${line}`)),
  };
  const panels = new Map<ProfileSession, ComparisonPanel>();
  const track = (panel: ComparisonPanel): ComparisonPanel => {
    panels.get(panel.session)?.dispose();
    panels.set(panel.session, panel);
    panel.onDidDispose(() => { if (panels.get(panel.session) === panel) panels.delete(panel.session); });
    return panel;
  };
  const show = (session = sessions.active): ComparisonPanel | undefined => {
    if (!session) {
      void vscode.window.showInformationMessage(vscode.l10n.t('heaplens: open or compare profiles first (right-click two profiles → Compare Profiles).'));
      return undefined;
    }
    const existing = panels.get(session);
    if (existing) {
      existing.reveal();
      return existing;
    }
    return track(ComparisonPanel.create(session, deps));
  };
  const restorer = new PanelRestorer(sessions, deps, (panel, session) => track(ComparisonPanel.revive(panel, session, deps)), options.loadSession);
  context.subscriptions.push(
    // Returns nothing: a command run from the window (palette, menu, keybinding) sends its result back
    // as JSON, and the panel object reaches the session's results (~0.6 s of host time to serialise).
    vscode.commands.registerCommand('heaplens.showPanel', (session?: unknown) => { show(isSession(session, sessions) ? session : undefined); }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, restorer),
    // A closed session takes its panel with it.
    sessions.onDidChangeActive(() => {
      const open = new Set(sessions.all());
      for (const [session, panel] of panels) if (!open.has(session)) panel.dispose();
    }),
    { dispose: () => { for (const panel of panels.values()) panel.dispose(); } },
  );
  return { show };
}

/** renderSessionInto shows a session with the panel UI inside an existing webview (e.g. a custom editor's). */
export function renderSessionInto(webview: vscode.Webview, session: ProfileSession, deps: { extensionUri: vscode.Uri; openSource: OpenSource; findings?: (session: ProfileSession) => Promise<Finding[]> }): vscode.Disposable {
  return new PanelController(webview, session, { ...deps, log: (line) => console.log(`[heaplens] ${line}`) });
}

function isSession(value: unknown, sessions: SessionRegistry): value is ProfileSession {
  return sessions.all().includes(value as ProfileSession);
}
