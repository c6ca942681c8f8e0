import * as l10n from '@vscode/l10n';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_MAX_BYTES, decodeInflated } from '../core/decode';
import { ProfileError } from '../core/errors';
import type { Gunzip } from '../core/decode/gzip';
import { gunzipPortable, isGzip, tooLargeError } from '../core/decode/gzip';
import type { Profile } from '../core/model';

/**
 * nodeGunzip uses Node's zlib (about 2× faster than pako here), capped at maxBytes whatever the
 * gzip trailer says. The trailer's size (ISIZE) sizes one output chunk, so the result is not a
 * concatenation of 64 KiB chunks (which held both at once: a 50 MB profile peaked 87 MB higher).
 * Output is capped at that size: when the stream runs past it (a lying trailer, or concatenated
 * gzip members, whose last trailer counts only the last member) a streaming pass that keeps no
 * output finds the true size — or the corruption, as Go's gzip reader does — before the one real
 * inflate. So peak memory is the output's size plus the input, never the cap plus the claim.
 */
export const nodeGunzip: Gunzip = (data, maxBytes) => {
  const claimed = trailerSize(data);
  // Deflate cannot expand more than ~1032:1, so a larger claim is a lie: measure instead.
  const plausible = claimed !== undefined && claimed > 0 && claimed <= data.length * 1032;
  if (plausible && claimed > maxBytes) throw tooLargeError(maxBytes);
  if (plausible) {
    const exact = inflateAtMost(data, claimed);
    if (exact) return exact;
  }
  const size = inflatedSize(data, maxBytes);
  const out = inflateAtMost(data, Math.max(size, 1));
  if (!out) throw new ProfileError('corrupt', l10n.t('gzip data is corrupt (it inflated differently twice)'));
  return out;
};

/** trailerSize reads the gzip trailer's ISIZE (the last member's size mod 2^32), a hint only. */
function trailerSize(data: Uint8Array): number | undefined {
  const n = data.length;
  if (n < 18) return undefined;
  return (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0;
}

/** inflateAtMost inflates into one chunk of `limit` bytes; undefined when the output would be larger. */
function inflateAtMost(data: Uint8Array, limit: number): Uint8Array | undefined {
  try {
    // One byte spare so zlib finishes inside the first chunk; 64 KiB chunks are cheap to join.
    const out = gunzipSync(data, { maxOutputLength: limit, chunkSize: Math.max(64 * 1024, limit + 1) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    if (err instanceof RangeError) throw tooLargeError(limit);
    if (/unexpected end of file/i.test(err.message)) throw new ProfileError('truncated', l10n.t('gzip data is truncated (the stream ends early)'));
    throw new ProfileError('corrupt', l10n.t('gzip data is corrupt ({0})', err.message));
  }
}

/** inflatedSize counts the inflated bytes without keeping them, stopping past maxBytes. */
function inflatedSize(data: Uint8Array, maxBytes: number): number {
  let total = 0;
  gunzipPortable(data, maxBytes, (chunk) => { total += chunk.length; });
  return total;
}

/** loadProfileFile reads and decodes a profile from disk; errors are ProfileErrors or fs errors. */
export function loadProfileFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Profile {
  const { bytes, gzipped } = readInflated(path, maxBytes);
  return decodeInflated(bytes, gzipped);
}

/**
 * readInflated reads a file and inflates it if it is gzip. The compressed bytes live only in this
 * frame, so they can be collected while the (larger) decode runs: 61 MB less at a 50 MB profile's peak.
 */
function readInflated(path: string, maxBytes: number): { bytes: Uint8Array; gzipped: boolean } {
  const bytes = readRegularFile(path, maxBytes);
  return isGzip(bytes) ? { bytes: nodeGunzip(bytes, maxBytes), gzipped: true } : { bytes, gzipped: false };
}

/**
 * readRegularFile reads a regular file of at most maxBytes. `/dev/zero` would otherwise be read
 * until memory runs out and a FIFO would block forever, so anything else is refused; the open is
 * non-blocking (a FIFO without a writer opens at once) and the type is checked on the open
 * descriptor. The read stops at maxBytes + 1 whatever stat said, in case the file grows meanwhile.
 */
export function readRegularFile(path: string, maxBytes: number): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ProfileError('not-a-profile', l10n.t('is a directory, not a profile file'));
    if (!st.isFile()) throw new ProfileError('not-a-profile', l10n.t('is not a regular file (a device, pipe or socket); heaplens reads profile files only'));
    if (st.size > maxBytes) throw tooLargeError(maxBytes);
    let buf = new Uint8Array(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > maxBytes) throw tooLargeError(maxBytes);
        const grown = new Uint8Array(Math.min(maxBytes + 1, Math.max(64 * 1024, n * 2)));
        grown.set(buf);
        buf = grown;
      }
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes) throw tooLargeError(maxBytes);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
