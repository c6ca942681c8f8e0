import * as l10n from '@vscode/l10n';
import { CaptureError, cancelledError, captureExtension } from '../core/capture';
import { bundleUrls, validateGoroutineCapture, validateMemStatsCapture } from '../core/captureBundle';
import { type CaptureLimits, type CapturedProfile, captureProfile, decodeChecked, fetchBody } from './captureHttp';
import { type BundlePart, saveBundle, saveCapture } from './captureStore';

// A series: N snapshots of one URL, one every T seconds (start to start, so the spacing holds even
// when a capture takes a while), each saved as soon as it arrives. Node only; the CLI and the
// extension's Capture Series command both drive it and only differ in how they show progress.

/** SeriesOptions say what to capture, how often, and where to save. */
export interface SeriesOptions extends CaptureLimits {
  count: number;
  intervalMs: number;
  directory: string;
  /** Called after each snapshot is saved (index from 0). */
  onSnapshot?: (index: number, saved: SavedCapture) => void;
  /** Also fetch the goroutine dump and runtime.MemStats and save them with the heap profile (a bundle). */
  bundle?: boolean;
  /** How to turn the bundle off, named in messages (e.g. "--heap-only"). */
  bundleSetting?: string;
}

/** SavedCapture is one snapshot on disk and its decoded profile (the raw body is not kept: long series stay small). */
export interface SavedCapture extends Omit<CapturedProfile, 'body'> {
  file: string;
  /** Size of the saved file in bytes. */
  bytes: number;
  /** The bundle's other files, saved under the same timestamp (when bundling). */
  goroutineFile?: string;
  memstatsFile?: string;
}

/** SeriesResult lists the snapshots saved; `error` is why the series stopped early, if it did. */
export interface SeriesResult {
  saved: SavedCapture[];
  error?: CaptureError | Error;
}

/** captureSeries takes `count` snapshots `intervalMs` apart; it never throws, so saved files are always reported. */
export async function captureSeries(url: string, options: SeriesOptions): Promise<SeriesResult> {
  const saved: SavedCapture[] = [];
  const first = Date.now();
  for (let i = 0; i < options.count; i++) {
    try {
      if (i > 0) await sleepUntil(first + i * options.intervalMs, url, options.signal);
      // One deadline per snapshot: the heap profile and the bundle's other requests share the
      // timeout, so an endpoint that answers slowly (or drips) on each of them cannot multiply it.
      const limits = { ...options, deadline: Date.now() + options.timeoutMs };
      const captured = await captureProfile(url, limits);
      const snapshot = options.bundle ? await captureBundle(url, captured, limits) : {
        url: captured.url, profile: captured.profile, elapsedMs: captured.elapsedMs, trimmedPadding: captured.trimmedPadding,
        file: await saveCapture(options.directory, captured.body, captured.profile), bytes: captured.body.length,
      };
      saved.push(snapshot);
      options.onSnapshot?.(i, snapshot);
    } catch (e) {
      return { saved, error: e instanceof Error ? e : new Error(String(e)) };
    }
  }
  return { saved };
}

/**
 * captureBundle fetches the goroutine dump and (unless the heap profile is text and carries it)
 * runtime.MemStats right after the heap profile, validates both, and saves the three side by side.
 */
async function captureBundle(url: string, heap: CapturedProfile, options: SeriesOptions): Promise<SavedCapture> {
  const urls = bundleUrls(heap.url);
  const hint = options.bundleSetting ? l10n.t(' ({0} captures the heap profile alone)', options.bundleSetting) : '';
  if (!urls) throw new CaptureError('bad-url', `${l10n.t('{0}: the goroutine dump and MemStats are fetched next to a path ending in /heap or /allocs', url)}${hint}`);
  const fetchPart = async (partUrl: string, validate: typeof validateGoroutineCapture) => {
    try {
      const body = await fetchBody(partUrl, options);
      await decodeChecked(partUrl, body, options, (u, b, decode) => validate(u, b, decode));
      return body;
    } catch (e) {
      if (e instanceof CaptureError && e.code !== 'cancelled') throw new CaptureError(e.code, `${e.message}${hint}`);
      throw e;
    }
  };
  const parts: BundlePart[] = [{ kind: 'heap', body: heap.body, extension: captureExtension(heap.profile) }];
  parts.push({ kind: 'goroutine', body: await fetchPart(urls.goroutine, validateGoroutineCapture), extension: '.txt' });
  if (!heap.profile.memStats) parts.push({ kind: 'memstats', body: await fetchPart(urls.memstats, validateMemStatsCapture), extension: '.txt' });
  const files = await saveBundle(options.directory, parts);
  return {
    url: heap.url, profile: heap.profile, elapsedMs: heap.elapsedMs, trimmedPadding: heap.trimmedPadding, file: files[0], bytes: heap.body.length,
    goroutineFile: files[1], memstatsFile: files[2],
  };
}

/** sleepUntil waits until a time, or rejects with a cancellation as soon as the signal aborts. */
function sleepUntil(time: number, url: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(cancelledError(url)); return; }
    const onAbort = (): void => { clearTimeout(timer); reject(cancelledError(url)); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, time - Date.now()));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
