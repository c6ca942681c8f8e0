import * as path from 'node:path';
import * as vscode from 'vscode';
import { CaptureError, captureUrl } from '../../core/capture';
import { formatValue } from '../../core/format';
import { type CaptureDecoder, captureProfile } from '../../node/captureHttp';
import { type SavedCapture, captureSeries } from '../../node/captureSeries';
import { saveCapture } from '../../node/captureStore';
import { decodeCaptureInWorker } from '../../node/workerDecode';
import { type TrimmedCapture, paddingNote } from './captureNotes';
import { askCaptureOptions, askSeriesShape, askUrl, rememberUrl } from './capturePrompts';
import type { ProfileLoader } from '../profiles/profileLoader';
import { type LoadedProfile, type SessionRegistry, isCancelled } from '../profiles/session';
import type { TrendController } from '../trend/trend';

// "Capture Heap Profile…" and "Capture Series…": take heap profiles from a running Go service over
// http(s) (net/http/pprof), save them in the workspace and open them. Only the URL the user gave
// is contacted; each response is decoded and checked before it is written — in a decode worker,
// never on the extension host's thread; files are never overwritten.

/** CaptureDependencies are the surfaces a capture hands its results to. */
export interface CaptureDependencies {
  sessions: SessionRegistry;
  loader: ProfileLoader;
  trend: TrendController;
}

/** registerCapture registers heaplens.capture and heaplens.captureSeries. */
export function registerCapture(context: vscode.ExtensionContext, deps: CaptureDependencies): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('heaplens.capture', () => captureOnce(context.globalState, decoder(context))),
    vscode.commands.registerCommand('heaplens.captureSeries', () => captureSeriesCommand(context.globalState, deps, decoder(context))),
  );
}

interface CaptureSettings {
  directory: vscode.Uri;
  timeoutSeconds: number;
  maxSizeMB: number;
  decode: CaptureDecoder;
}

/** decoder decodes response bodies in the decode worker (a copy: the body itself is saved afterwards). */
function decoder(context: vscode.ExtensionContext): CaptureDecoder {
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'decodeWorker.js').fsPath;
  return (body, maxBytes, signal) => decodeCaptureInWorker(script, body.slice(), maxBytes, signal);
}

async function captureOnce(state: vscode.Memento, decode: CaptureDecoder): Promise<void> {
  const input = await askUrl(state, vscode.l10n.t('heaplens: Capture Heap Profile'));
  if (input === undefined) return;
  const options = await askCaptureOptions(state, false);
  if (!options) return;
  const settings = await captureSettings(decode);
  if (!settings) return;
  if (options.bundle) await captureBundleAndOpen(state, input, captureUrl(input, options), settings);
  else await captureAndOpen(state, input, captureUrl(input, options), settings);
}

/**
 * captureBundleAndOpen takes what a diagnosis needs from one instant, as the CLI does by default:
 * the heap profile, then the goroutine dump and runtime.MemStats, saved side by side under one
 * timestamp; it opens the goroutine dump and then the heap profile (whose Summary shows the
 * bundle's MemStats). Retry on a connection problem tries again.
 */
async function captureBundleAndOpen(state: vscode.Memento, input: string, url: string, settings: CaptureSettings): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('heaplens: capturing the heap profile, goroutines and MemStats from {0}', url), cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return captureSeries(url, {
        ...limits(settings, abort.signal), count: 1, intervalMs: 0, directory: settings.directory.fsPath,
        bundle: true, bundleSetting: vscode.l10n.t('unchecking “goroutines + MemStats”'),
      });
    },
  );
  const saved = result.saved[0];
  if (!saved) {
    await reportFailure(result.error ?? new Error(vscode.l10n.t('nothing was captured')), () => captureBundleAndOpen(state, input, url, settings));
    return;
  }
  await rememberUrl(state, input);
  showPaddingNote([saved]);
  const names = [saved.file, saved.goroutineFile, saved.memstatsFile].filter((f): f is string => f !== undefined).map((f) => path.basename(f));
  vscode.window.setStatusBarMessage(vscode.l10n.t('heaplens: captured {0}', names.join(', ')), 8000);
  if (saved.goroutineFile) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(saved.goroutineFile), 'heaplens.profileEditor');
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(saved.file), 'heaplens.profileEditor');
}

/** captureAndOpen fetches, saves and opens one profile; Retry on a connection problem tries the same URL again. */
async function captureAndOpen(state: vscode.Memento, input: string, url: string, settings: CaptureSettings): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('heaplens: capturing {0}', url), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        const captured = await captureProfile(url, limits(settings, abort.signal));
        const file = await saveCapture(settings.directory.fsPath, captured.body, captured.profile);
        return { ...captured, file };
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
    },
  );
  if (result instanceof Error) {
    await reportFailure(result, () => captureAndOpen(state, input, url, settings));
    return;
  }
  await rememberUrl(state, input);
  showPaddingNote([result]);
  vscode.window.setStatusBarMessage(vscode.l10n.t('heaplens: captured {0} ({1} in {2} ms)', path.basename(result.file), formatValue(result.body.length, 'bytes'), result.elapsedMs), 8000);
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(result.file), 'heaplens.profileEditor');
}

async function captureSeriesCommand(state: vscode.Memento, deps: CaptureDependencies, decode: CaptureDecoder): Promise<void> {
  const input = await askUrl(state, vscode.l10n.t('heaplens: Capture Series'));
  if (input === undefined) return;
  const shape = await askSeriesShape(state);
  if (!shape) return;
  const options = await askCaptureOptions(state, true);
  if (!options) return;
  const settings = await captureSettings(decode);
  if (!settings) return;
  const url = captureUrl(input, options);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('heaplens: capturing {0} heap profiles from {1}', shape.count, url), cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      progress.report({ message: vscode.l10n.t('1 of {0}…', shape.count) });
      return captureSeries(url, {
        ...limits(settings, abort.signal),
        count: shape.count,
        intervalMs: shape.intervalSeconds * 1000,
        directory: settings.directory.fsPath,
        bundle: options.bundle,
        bundleSetting: vscode.l10n.t('unchecking “goroutines + MemStats”'),
        onSnapshot: (i, saved) => progress.report({
          increment: 100 / shape.count,
          message: i + 1 < shape.count
            ? vscode.l10n.t('{0} of {1} saved ({2}); next in {3}s', i + 1, shape.count, path.basename(saved.file), shape.intervalSeconds)
            : vscode.l10n.t('{0} of {1} saved ({2})', i + 1, shape.count, path.basename(saved.file)),
        }),
      });
    },
  );
  if (result.saved.length > 0) await rememberUrl(state, input);
  showPaddingNote(result.saved);
  const cancelled = result.error instanceof CaptureError && result.error.code === 'cancelled';
  if (result.error && !cancelled) {
    void vscode.window.showErrorMessage(vscode.l10n.t('heaplens: {0} ({1} of {2} snapshots saved in {3})', result.error.message, result.saved.length, shape.count, settings.directory.fsPath));
  }
  await showSeries(result.saved, deps);
}

/** showSeries opens the first-vs-last comparison and, from three snapshots on, the trend view. */
async function showSeries(saved: SavedCapture[], deps: CaptureDependencies): Promise<void> {
  if (saved.length === 0) return;
  let loaded: LoadedProfile[];
  try {
    loaded = await deps.loader.loadAll(saved.map((s) => vscode.Uri.file(s.file)));
  } catch (e) {
    if (!isCancelled(e)) void vscode.window.showErrorMessage(`heaplens: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  // The comparison owns the first and last snapshots; the trend borrows all of them; the rest are released after.
  const owned = new Set(loaded.length >= 2 ? [loaded[0], loaded[loaded.length - 1]] : []);
  if (loaded.length >= 2) {
    deps.sessions.open(loaded[loaded.length - 1], loaded[0]);
    await vscode.commands.executeCommand('heaplens.showPanel').then(undefined, () => undefined);
  } else {
    await vscode.commands.executeCommand('vscode.openWith', loaded[0].uri, 'heaplens.profileEditor');
  }
  // The trend joins the comparison panel's group as the tab in front, rather than a third column.
  if (loaded.length >= 3) await deps.trend.showProfiles(loaded, undefined, vscode.ViewColumn.Active);
  else void vscode.window.showInformationMessage(vscode.l10n.t('heaplens: {0} snapshot(s) captured — a trend needs at least 3.', loaded.length));
  deps.loader.release(loaded.filter((p) => !owned.has(p)));
}

/** captureSettings reads the capture settings; the folder is workspace-relative unless absolute. */
async function captureSettings(decode: CaptureDecoder): Promise<CaptureSettings | undefined> {
  const config = vscode.workspace.getConfiguration('heaplens.capture');
  const dir = config.get<string>('directory', '.heaplens').trim() || '.heaplens';
  let directory: vscode.Uri | undefined;
  if (path.isAbsolute(dir)) directory = vscode.Uri.file(dir);
  else {
    // Files are written with Node's fs where the extension host runs: local or remote folders, not virtual ones.
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file' || f.uri.scheme === 'vscode-remote');
    if (folder) directory = vscode.Uri.joinPath(folder.uri, dir);
    else {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Save Profiles Here'), title: vscode.l10n.t('heaplens: no folder is open — where should captured profiles go?') });
      directory = picked?.[0];
    }
  }
  if (!directory) return undefined;
  return {
    directory,
    timeoutSeconds: Math.max(1, config.get<number>('timeoutSeconds', 60)),
    maxSizeMB: Math.max(1, config.get<number>('maxSizeMB', 256)),
    decode,
  };
}

function limits(settings: CaptureSettings, signal: AbortSignal) {
  return {
    timeoutMs: settings.timeoutSeconds * 1000,
    maxBytes: settings.maxSizeMB * 1048576,
    maxDecodedBytes: Math.max(1, vscode.workspace.getConfiguration('heaplens').get<number>('maxProfileSizeMB', 1024)) * 1048576,
    signal,
    decode: settings.decode,
    timeoutSetting: 'heaplens.capture.timeoutSeconds',
    sizeSetting: 'heaplens.capture.maxSizeMB',
  };
}

/** showPaddingNote tells the user when zero padding was removed from what was saved (see captureNotes.ts). */
function showPaddingNote(saved: readonly TrimmedCapture[]): void {
  const note = paddingNote(saved);
  if (note) void vscode.window.showInformationMessage(note);
}

/** reportFailure shows one error line; connection problems offer Retry. Cancelling is silent. */
async function reportFailure(error: Error, retry: () => Promise<void>): Promise<void> {
  if (error instanceof CaptureError && error.code === 'cancelled') return;
  const retryable = error instanceof CaptureError && ['refused', 'timeout', 'network', 'unresolved-host'].includes(error.code);
  const retryLabel = vscode.l10n.t('Retry');
  const choice = await vscode.window.showErrorMessage(`heaplens: ${error.message}`, ...(retryable ? [retryLabel] : []));
  if (choice === retryLabel) await retry();
}
