import * as l10n from '@vscode/l10n';
import { Inflate } from 'pako';
import { ProfileError } from '../errors';

const Z_BUF_ERROR = -5;
/** OVER_CAP is thrown from pako's data callback to abandon an inflate past the cap. */
const OVER_CAP = Symbol('over the size cap');

/** A gunzip implementation: the CLI and worker may pass Node's zlib (faster); pako is the portable default. */
export type Gunzip = (data: Uint8Array, maxBytes: number) => Uint8Array;

/** isGzip detects gzip by its magic bytes (1f 8b), never by file name. */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/**
 * gunzipPortable inflates gzip data with pako, refusing to produce more than `maxBytes`
 * (decompression bombs). With `sink`, each output chunk goes there and is not kept (the result is
 * then empty): a caller can measure the output without holding it.
 */
export function gunzipPortable(data: Uint8Array, maxBytes: number, sink?: (chunk: Uint8Array) => void): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflator = new Inflate();
  inflator.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    // Throwing out of pako stops the inflate at once: a 64 KiB bomb would otherwise expand to
    // 64 MiB inside a single push before the cap is looked at.
    if (total > maxBytes) throw OVER_CAP;
    if (sink) sink(chunk); else chunks.push(chunk);
  };
  const step = 1 << 20;
  let tooLarge = false;
  try {
    for (let off = 0; off < data.length; off += step) {
      const last = off + step >= data.length;
      inflator.push(data.subarray(off, Math.min(off + step, data.length)), last);
      if (inflator.err) break;
    }
  } catch (e) {
    if (e !== OVER_CAP) throw e;
    tooLarge = true;
  }
  if (tooLarge) throw tooLargeError(maxBytes);
  // Z_BUF_ERROR (-5) at the final push means the input ran out before the stream's end.
  if (inflator.err === Z_BUF_ERROR) throw new ProfileError('truncated', l10n.t('gzip data is truncated (the stream ends early)'));
  if (inflator.err) throw new ProfileError('corrupt', l10n.t('gzip data is corrupt ({0})', inflator.msg || 'inflate error'));
  if (!(inflator as unknown as { ended: boolean }).ended) throw new ProfileError('truncated', l10n.t('gzip data is truncated (the stream ends early)'));
  return sink ? new Uint8Array(0) : concatChunks(chunks, total);
}

/**
 * gzipPadding counts the zero bytes that follow the end of the gzip data (some proxies pad bodies).
 * pako stops at a zero where a next member would start, but Go's gzip reader — so pprof — refuses
 * such a file. 0 when nothing follows, when what follows is not all zeros, when the data is not
 * complete gzip or inflates past `maxBytes` (decoding reports those).
 */
export function gzipPadding(data: Uint8Array, maxBytes: number): number {
  if (!isGzip(data) || data[data.length - 1] !== 0) return 0;
  const inflator = new Inflate();
  let total = 0;
  inflator.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > maxBytes) throw OVER_CAP;
  };
  const step = 1 << 20;
  try {
    for (let off = 0; off < data.length; off += step) {
      inflator.push(data.subarray(off, Math.min(off + step, data.length)), off + step >= data.length);
      if (inflator.err) return 0;
      if ((inflator as unknown as { ended: boolean }).ended) {
        // The stream ended inside this chunk: next_in is how much of the chunk it used.
        const end = off + (inflator as unknown as { strm: { next_in: number } }).strm.next_in;
        for (let i = end; i < data.length; i++) if (data[i] !== 0) return 0;
        return data.length - end;
      }
    }
  } catch (e) {
    if (e !== OVER_CAP) throw e;
  }
  return 0;
}

/**
 * tooLargeError is the error for data over the configured cap. It names no setting: the CLI and the
 * extension each add how to raise their own limit (a flag, a setting).
 */
export function tooLargeError(maxBytes: number): ProfileError {
  return new ProfileError('too-large', l10n.t('is (or decompresses to) more than {0} MiB, the size limit', formatMiB(maxBytes)));
}

function formatMiB(bytes: number): string {
  const mib = bytes / 1048576;
  return mib >= 10 ? String(Math.round(mib)) : String(Math.round(mib * 100) / 100);
}

/** concatChunks joins chunks of `total` bytes in all into one array (the chunk itself when there is one). */
export function concatChunks(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}
