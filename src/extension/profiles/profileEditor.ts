import * as vscode from 'vscode';
import { notAcceptedReason } from '../../core/profileKinds';
import { renderSessionInto } from '../panel';
import { ProfileLoadError, type ProfileLoader, fileName } from './profileLoader';
import { type ProblemPage, commandHref, problemPageHtml } from './profilePage';
import type { LoadedProfile, SessionRegistry, SessionTicket } from './session';
import type { OpenSource } from '../source/sourceNavigation';

// Opening a profile file shows it: a read-only custom editor decodes it (in the worker), makes it the
// active session (tree, annotations and status bar follow) and renders the panel's single-profile
// view. A file that is not a heap profile — Python's cProfile also writes .prof — gets a page saying
// so, with "Open as text".

/** PROFILE_EDITOR_VIEW_TYPE is the custom editor's view type (package.json customEditors). */
export const PROFILE_EDITOR_VIEW_TYPE = 'heaplens.profileEditor';

/** ProfileDocument is one opened file: its decoded profile, or why there is none. */
class ProfileDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly loaded: LoadedProfile | undefined,
    readonly failure: ProfileLoadError | undefined,
    /** When the file was opened, in the order of session requests (a Compare chosen meanwhile wins). */
    readonly ticket: SessionTicket,
    /** Ends the request if it opened no session (a problem page, a tab closed before it showed). */
    private readonly settle: (ticket: SessionTicket) => void,
  ) {}

  dispose(): void {
    this.settle(this.ticket);
  }
}

/** ProfileEditorProvider implements the custom editor. */
class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sessions: SessionRegistry,
    private readonly loader: ProfileLoader,
    private readonly openSource: OpenSource,
  ) {}

  async openCustomDocument(uri: vscode.Uri, _context: vscode.CustomDocumentOpenContext, token: vscode.CancellationToken): Promise<ProfileDocument> {
    const ticket = this.sessions.ticket();
    const settle = (t: SessionTicket): void => this.sessions.settle(t);
    try {
      const [loaded] = await this.loader.loadAll([uri], token);
      return new ProfileDocument(uri, loaded, undefined, ticket, settle);
    } catch (e) {
      // A failed load opens no session: it must not hold back an older one (settle now, not at close).
      settle(ticket);
      if (e instanceof ProfileLoadError) return new ProfileDocument(uri, undefined, e, ticket, settle);
      if (e instanceof vscode.CancellationError) return new ProfileDocument(uri, undefined, new ProfileLoadError(uri, `${fileName(uri)}: ${cancelledText()}`, false), ticket, settle);
      throw e;
    }
  }

  resolveCustomEditor(document: ProfileDocument, panel: vscode.WebviewPanel): void {
    const { loaded, failure } = document;
    if (failure) {
      const cancelled = failure.message.endsWith(cancelledText());
      if (!failure.notAProfile && !cancelled) void vscode.window.showErrorMessage(failure.message);
      this.showProblem(panel, document.uri, {
        title: failure.notAProfile ? vscode.l10n.t('Not a Go heap profile') : cancelled ? vscode.l10n.t('Loading cancelled') : vscode.l10n.t('This profile cannot be read'),
        message: failure.message,
        severity: failure.notAProfile || cancelled ? 'notice' : 'error',
        hint: failure.notAProfile
          ? vscode.l10n.t('heaplens reads Go heap profiles: pprof protobuf (gzipped or not) and the "heap profile:" text of /debug/pprof/heap?debug=1. Other tools write .prof files too (Python\'s cProfile, for one).')
          : cancelled ? vscode.l10n.t('Close this tab and open the file again to retry.') : vscode.l10n.t('The file was left untouched. Capture the profile again if it was cut short while downloading.'),
      });
      return;
    }
    if (!loaded) return;
    const notAccepted = notAcceptedReason('open', loaded.name, loaded.info);
    if (notAccepted) {
      this.sessions.settle(document.ticket);
      this.loader.release([loaded]);
      this.showProblem(panel, document.uri, {
        title: vscode.l10n.t('Not a Go heap profile'),
        message: notAccepted,
        severity: 'notice',
        hint: vscode.l10n.t('heaplens compares heap profiles (inuse_space, alloc_space, …). CPU, goroutine and mutex profiles open in go tool pprof.'),
      });
      return;
    }
    this.showProfile(panel, loaded, document.ticket);
  }

  /** showProfile opens the profile as a session (active unless a later request won meanwhile) and renders it with the panel's single-profile view. */
  private showProfile(panel: vscode.WebviewPanel, loaded: LoadedProfile, ticket: SessionTicket | undefined): void {
    const session = this.sessions.open(loaded, undefined, undefined, ticket);
    const view = renderSessionInto(panel.webview, session, {
      extensionUri: this.extensionUri,
      openSource: async (file, line, fn) => { await this.openSource({ file, line, function: fn }); },
    });
    const isOpen = (): boolean => this.sessions.all().includes(session);
    const subscriptions = [
      view,
      // Switching between profile tabs moves the tree along, but a comparison is never displaced by
      // merely looking at one of its files again (the preview tab that selecting it opened, say).
      panel.onDidChangeViewState(() => {
        const current = this.sessions.active;
        if (panel.active && isOpen() && current !== session && !current?.isComparison) this.sessions.setActive(session);
      }),
      // Close Comparison on this session closes its editor too.
      this.sessions.onDidChangeActive(() => { if (!isOpen()) panel.dispose(); }),
    ];
    panel.onDidDispose(() => {
      for (const d of subscriptions) d.dispose();
      if (isOpen()) this.sessions.close(session);
    });
  }

  private showProblem(panel: vscode.WebviewPanel, uri: vscode.Uri, page: Omit<ProblemPage, 'cspSource' | 'styleHref' | 'actions'>): void {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.webview.options = { enableScripts: false, enableCommandUris: ['heaplens.openAsText'], localResourceRoots: [media] };
    panel.webview.html = problemPageHtml({
      ...page,
      cspSource: panel.webview.cspSource,
      lang: vscode.env.language,
      styleHref: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'profileProblem.css')).toString(),
      actions: [{ label: vscode.l10n.t('Open as text'), href: commandHref('heaplens.openAsText', [uri.toString()]) }],
    });
  }
}

/** registerProfileEditor registers the custom editor and its "Open as text" action. */
export function registerProfileEditor(context: vscode.ExtensionContext, sessions: SessionRegistry, loader: ProfileLoader, openSource: OpenSource): vscode.Disposable {
  const provider = new ProfileEditorProvider(context.extensionUri, sessions, loader, openSource);
  return vscode.Disposable.from(
    vscode.window.registerCustomEditorProvider(PROFILE_EDITOR_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: false }),
    vscode.commands.registerCommand('heaplens.openAsText', (uri: string) => vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(uri), 'default')),
  );
}

/** cancelledText ends the message of a load the user cancelled (the page then offers a retry, not an error). */
function cancelledText(): string {
  return vscode.l10n.t('loading was cancelled');
}
