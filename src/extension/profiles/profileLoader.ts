import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { tooLargeError } from '../../core/decode/gzip';
import { type AnalysisClient, QueryCancelledError } from '../../node/analysisClient';
import { bundleStamp } from '../../node/captureBundle';
import type { LoadedProfile } from './session';

// The one way the extension loads profile files: the analysis worker reads a local file itself
// (other file systems — virtual workspaces — through a temporary copy), decodes it in a
// decode worker of its own and keeps the profile; the host keeps a handle and the header. A
// notification with Cancel appears when a load takes long enough to notice.

/** PROGRESS_DELAY_MS: loads quicker than this finish without a notification flashing up. */
const PROGRESS_DELAY_MS = 400;

/** ProfileLoadError is a failed load, already phrased for the user as "file: problem". */
export class ProfileLoadError extends Error {
  /** uri is the file that failed. */
  readonly uri: vscode.Uri;
  /** notAProfile tells that the file is readable but holds no profile (offer "Open as text"). */
  readonly notAProfile: boolean;

  constructor(uri: vscode.Uri, message: string, notAProfile: boolean) {
    super(message);
    this.name = 'ProfileLoadError';
    this.uri = uri;
    this.notAProfile = notAProfile;
  }
}

/** ProfileLoader loads profile files into the analysis worker, with progress and cancellation. */
export class ProfileLoader {
  constructor(private readonly engine: AnalysisClient) {}

  /**
   * loadAll loads files in parallel. After a short delay a cancellable progress notification appears;
   * Cancel (or `token`) stops the decoding and rejects with vscode.CancellationError. The first
   * failure cancels the other loads and rejects with a ProfileLoadError. The caller owns the
   * profiles: it opens a session with them or releases them.
   */
  async loadAll(uris: readonly vscode.Uri[], token?: vscode.CancellationToken): Promise<LoadedProfile[]> {
    const abort = new AbortController();
    const linked = token?.onCancellationRequested(() => abort.abort());
    const loads = uris.map((uri) => this.load(uri, abort.signal));
    const work = Promise.all(loads);
    work.catch(() => {
      abort.abort(); // one failure stops the others
      void Promise.allSettled(loads).then((all) => this.release(all.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))));
    });
    const names = uris.map(fileName).join(vscode.l10n.t(' and '));
    const timer = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('heaplens: loading {0}…', names), cancellable: true },
        (_progress, cancel) => {
          cancel.onCancellationRequested(() => abort.abort());
          return work.then(() => undefined, () => undefined);
        },
      );
    }, PROGRESS_DELAY_MS);
    try {
      return await work;
    } catch (e) {
      if (e instanceof QueryCancelledError) throw new vscode.CancellationError();
      throw e;
    } finally {
      clearTimeout(timer);
      linked?.dispose();
    }
  }

  /** release lets the worker forget profiles that no session took. */
  release(loaded: readonly LoadedProfile[]): void {
    this.engine.release(loaded.map((p) => p.handle));
  }

  private bundleMemStats(uri: vscode.Uri, info: LoadedProfile['info'], maxBytes: number, signal?: AbortSignal): Promise<void> {
    return bundleMemStatsOf(this.engine, uri, info, maxBytes, signal);
  }

  /** load reads one file and has the worker decode it; failures become a ProfileLoadError naming the file. */
  private async load(uri: vscode.Uri, signal?: AbortSignal): Promise<LoadedProfile> {
    const name = fileName(uri);
    const maxBytes = maxProfileBytes();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) throw new Error(vscode.l10n.t('is a folder, not a profile file'));
      // A device or FIFO would be read without end: only regular files (symlinks to them included).
      if (!(stat.type & vscode.FileType.File)) throw new Error(vscode.l10n.t('is not a regular file (a device, pipe or socket)'));
      if (stat.size > maxBytes) throw tooLargeError(maxBytes);
      // The same file unchanged (an editor open on it, then Compare) is decoded once in the worker.
      const shareKey = `${uri.toString()}\u0000${stat.mtime}\u0000${stat.size}`;
      const { handle, info } = await withProfilePath(uri, (path) => this.engine.load(name, { path }, maxBytes, signal, shareKey));
      if (!info.facts.memStats) await this.bundleMemStats(uri, info, maxBytes, signal);
      return { uri, name, handle, info };
    } catch (e) {
      if (e instanceof QueryCancelledError) throw e;
      const hint = (e as { code?: string }).code === 'too-large' ? vscode.l10n.t(' (raise heaplens.maxProfileSizeMB to load it)') : '';
      throw new ProfileLoadError(uri, `${describeError(name, readableFsError(e))}${hint}`, isNotAProfile(e));
    }
  }
}

/**
 * bundleMemStats gives a captured heap profile the runtime.MemStats of its capture bundle
 * (`heap-STAMP.pb.gz` → `memstats-STAMP.txt`, saved with it): the worker decodes that file, the
 * header keeps its MemStats block, the profile is released. Nothing is guessed beyond the name;
 * a missing or unreadable file leaves the profile as it is.
 */
async function bundleMemStatsOf(engine: AnalysisClient, uri: vscode.Uri, info: LoadedProfile['info'], maxBytes: number, signal?: AbortSignal): Promise<void> {
  const stamp = bundleStamp(fileName(uri));
  if (!stamp) return;
  const name = `memstats-${stamp}.txt`;
  const sibling = vscode.Uri.joinPath(uri, '..', name);
  try {
    const stat = await vscode.workspace.fs.stat(sibling);
    if (!(stat.type & vscode.FileType.File) || stat.size > maxBytes) return;
    const loaded = await withProfilePath(sibling, (path) => engine.load(name, { path }, maxBytes, signal));
    engine.release([loaded.handle]);
    if (loaded.info.facts.memStats) {
      info.facts.memStats = loaded.info.facts.memStats;
      info.facts.memStatsFrom = name;
    }
  } catch (e) {
    if (e instanceof QueryCancelledError) throw e;
  }
}

/**
 * withProfilePath hands the analysis process a path to read: a local file's own, streamed there (the
 * host never holds it), or — for another file system (remote, virtual) — a private temporary copy
 * written from vscode.workspace.fs and removed after the load. Copying the bytes over the IPC
 * channel instead would serialize the whole profile on the host's thread.
 */
export async function withProfilePath<T>(uri: vscode.Uri, load: (path: string) => Promise<T>): Promise<T> {
  if (uri.scheme === 'file') return load(uri.fsPath);
  const dir = await mkdtemp(join(tmpdir(), 'heaplens-'));
  try {
    const path = join(dir, 'profile');
    await writeFile(path, await vscode.workspace.fs.readFile(uri), { mode: 0o600 });
    return await load(path);
  } finally {
    // A copy still open elsewhere (Windows) stays behind in the temporary folder; the load's result stands.
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** fileName is the base name shown for a profile ("bad_heap.prof"). */
export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();
}

function maxProfileBytes(): number {
  const mb = vscode.workspace.getConfiguration('heaplens').get<number>('maxProfileSizeMB', 1024);
  return Math.max(1, mb) * 1048576;
}

function isNotAProfile(e: unknown): boolean {
  return (e as { code?: string }).code === 'not-a-profile';
}

/** readableFsError turns VS Code's file system errors into the plain reason ("no such file"). */
function readableFsError(e: unknown): unknown {
  if (!(e instanceof vscode.FileSystemError)) return e;
  if (e.code === 'FileNotFound') return new Error(vscode.l10n.t('no such file'));
  if (e.code === 'NoPermissions') return new Error(vscode.l10n.t('permission denied'));
  if (e.code === 'FileIsADirectory') return new Error(vscode.l10n.t('is a folder, not a profile file'));
  return e;
}
