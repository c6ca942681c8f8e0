import { languageOf, useTranslations } from '../core/language';
import * as vscode from 'vscode';
import { AnalysisClient } from '../node/analysisClient';
import { registerAnnotations } from './annotations/annotations';
import { registerCapture } from './capture/capture';
import { registerAlongside } from './goroutines/alongside';
import { registerCompareCommands } from './profiles/compareCommands';
import { registerContextKeys } from './profiles/contextKeys';
import { goroutinePanelFindings } from './goroutines/goroutineText';
import { GoroutineViews, isGoroutineSession } from './goroutines/goroutineViews';
import { registerHotspotTree } from './hotspots/hotspotTree';
import { registerPanel } from './panel';
import { registerProfileEditor } from './profiles/profileEditor';
import { ProfileFileDetector } from './profiles/profileFiles';
import { ProfileLoader } from './profiles/profileLoader';
import { registerReport } from './report/report';
import { type ProfileSession, SessionRegistry } from './profiles/session';
import { registerSessionCommands } from './profiles/sessionCommands';
import { registerSourceNavigation } from './source/sourceNavigation';
import { SourceResolver } from './source/sourceResolver';
import { registerStatusBar } from './profiles/statusBar';
import { startDecorationProbe } from './decorationProbe';
import { startStallProbe } from './stallProbe';
import { registerTrend } from './trend/trend';
import { TrendAnnotations } from './trend/trendAnnotations';

// heaplens activates only through its contributions (the Heap Hotspots view, a command, the profile
// editor). Everything it creates is registered here, once, and disposed with the extension. The
// profiles live in one analysis worker per window; the host keeps handles and small results.

/** activate wires the surfaces to one analysis worker, one session registry, one loader and one source resolver. */
export function activate(context: vscode.ExtensionContext): void {
  // Timings and webview problems go to Output ▸ heaplens, where users look when something is off.
  const output = vscode.window.createOutputChannel('heaplens', { log: true });
  // The display language decides package.nls.*.json, l10n bundles and number formats; say which.
  output.info(`display language ${vscode.env.language}`);
  // Code without a vscode import (row models, core's report) translates with @vscode/l10n: give it
  // the bundle VS Code loaded for this language (undefined in English: the source text is English).
  const language = languageOf(vscode.env.language);
  useTranslations(language, vscode.l10n.bundle);
  const dist = (file: string) => vscode.Uri.joinPath(context.extensionUri, 'dist', file).fsPath;
  const engine = new AnalysisClient(dist('analysisProcess.js'), dist('analysisWorker.js'), dist('decodeWorker.js'), { language, l10n: vscode.l10n.bundle });
  const sessions = new SessionRegistry(engine);
  const sources = new SourceResolver(context.workspaceState);
  const loader = new ProfileLoader(engine);
  const navigation = registerSourceNavigation(sources);
  const openSource = async (file: string, line: number, fn?: string): Promise<void> => { await navigation.openSource({ file, line, function: fn }); };
  const goroutineViews = new GoroutineViews(() => sources.frameOrigin());
  const report = registerReport(context, sessions, { resolveUri: (p) => sources.resolveUri(p), frameOrigin: () => sources.frameOrigin(), goroutineViews });
  const loadSession = async (target: vscode.Uri, base: vscode.Uri | undefined): Promise<ProfileSession | undefined> => {
    const [t, b] = await loader.loadAll(base ? [target, base] : [target]);
    return sessions.open(t, b);
  };
  context.subscriptions.push(
    output,
    sessions,
    { dispose: () => engine.dispose() },
    sources,
    navigation.disposable,
    registerContextKeys(sessions),
    registerStatusBar(sessions),
    registerHotspotTree(sessions, sources, (s) => report.diagnoses.rows(s), (listener) => report.diagnoses.onDidChange((s) => listener(s as ProfileSession)), goroutineViews),
    registerAnnotations(sessions, sources, goroutineViews),
    registerCompareCommands(sessions, loader),
    registerAlongside(sessions, loader),
    registerSessionCommands(sessions),
    registerProfileEditor(context, sessions, loader, navigation.openSource),
    new ProfileFileDetector(),
    startStallProbe(),
    startDecorationProbe(),
  );
  registerPanel(context, sessions, openSource, {
    loadSession,
    findings: (s) => (isGoroutineSession(s) ? goroutineViews.get(s).then((v) => goroutinePanelFindings(v), () => []) : report.diagnoses.panelFindings(s)),
    findingsChanged: (listener) => report.diagnoses.onDidChange((s) => listener(s as ProfileSession)),
    log: (line) => output.info(line),
  });
  const trend = registerTrend(context, {
    engine, loadProfiles: (uris) => loader.loadAll(uris), releaseProfiles: (p) => loader.release(p), openSource, frameOrigin: () => sources.frameOrigin(),
  });
  registerCapture(context, { sessions, loader, trend });
  context.subscriptions.push(new TrendAnnotations(trend, sources));
}

/** deactivate has nothing to do: every resource is in context.subscriptions. */
export function deactivate(): void {}
