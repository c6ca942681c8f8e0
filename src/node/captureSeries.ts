import { CaptureError, cancelledError } from '../core/capture';
import { type CaptureLimits, type CapturedProfile, captureProfile } from './captureHttp';
import { saveCapture } from './captureStore';

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
}

/** SavedCapture is one snapshot on disk and its decoded profile (the raw body is not kept: long series stay small). */
export interface SavedCapture extends Omit<CapturedProfile, 'body'> {
  file: string;
  /** Size of the saved file in bytes. */
  bytes: number;
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
      const captured = await captureProfile(url, options);
      const file = await saveCapture(options.directory, captured.body, captured.profile);
      const snapshot: SavedCapture = { url: captured.url, profile: captured.profile, elapsedMs: captured.elapsedMs, file, bytes: captured.body.length };
      saved.push(snapshot);
      options.onSnapshot?.(i, snapshot);
    } catch (e) {
      return { saved, error: e instanceof Error ? e : new Error(String(e)) };
    }
  }
  return { saved };
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
