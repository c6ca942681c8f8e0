import * as l10n from '@vscode/l10n';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type Gunzip, createGunzip, gunzipSync } from 'node:zlib';
import { DEFAULT_MAX_BYTES, ProfileStream } from '../core/decode';
import { ProfileError } from '../core/errors';
import type { Gunzip as GunzipFunction } from '../core/decode/gzip';
import { gunzipPortable, isGzip, tooLargeError } from '../core/decode/gzip';
import type { Profile } from '../core/model';
import { PageToucher } from './pageToucher';

/**
 * nodeGunzip uses Node's zlib (about 2× faster than pako here), capped at maxBytes whatever the
 * gzip trailer says. The trailer's size (ISIZE) sizes one output chunk, so the result is not a
 * concatenation of 64 KiB chunks (which held both at once: a 50 MB profile peaked 87 MB higher).
 * Output is capped at that size: when the stream runs past it (a lying trailer, or concatenated
 * gzip members, whose last trailer counts only the last member) a streaming pass that keeps no
 * output finds the true size — or the corruption, as Go's gzip reader does — before the one real
 * inflate. So peak memory is the output's size plus the input, never the cap plus the claim.
 */
export const nodeGunzip: GunzipFunction = (data, maxBytes) => {
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

/**
 * loadProfileFile reads, inflates and decodes a profile file as a stream (see decodeChunks): the
 * file is read in 1 MiB chunks into two reused buffers, and neither the file nor its inflated
 * bytes are ever whole in memory. Errors are ProfileErrors or fs errors. `inflateChunk` is zlib's
 * output chunk size (WORKER_INFLATE_CHUNK in the extension's decode worker).
 */
export async function loadProfileFile(path: string, maxBytes = DEFAULT_MAX_BYTES, inflateChunk = INFLATE_CHUNK): Promise<Profile> {
  const file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await file.stat();
    checkRegularFile(st, maxBytes);
    return await decodeChunks(fileChunks(file, maxBytes), st.size, maxBytes, inflateChunk);
  } finally {
    await file.close();
  }
}

/** loadProfileFileSync is loadProfileFile for callers that cannot wait (tests, tools): the same decoder over the whole file at once. */
export function loadProfileFileSync(path: string, maxBytes = DEFAULT_MAX_BYTES): Profile {
  const bytes = readRegularFile(path, maxBytes);
  const stream = new ProfileStream(isGzip(bytes));
  stream.feed(isGzip(bytes) ? nodeGunzip(bytes, maxBytes) : bytes, 1);
  return stream.finish();
}

/**
 * decodeProfileBytes decodes a profile held in memory (the decode worker's input) as loadProfileFile
 * decodes a file: inflated as a stream, never whole.
 */
export async function decodeProfileBytes(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): Promise<Profile> {
  if (bytes.length > maxBytes) throw tooLargeError(maxBytes);
  return decodeChunks(memoryChunks(bytes), bytes.length, maxBytes, WORKER_INFLATE_CHUNK);
}

/** READ_CHUNK is the size of one read of the input. */
const READ_CHUNK = 1 << 20;
/**
 * INFLATE_CHUNK is the size of zlib's output chunks when reading a file (the CLI): below glibc's mmap
 * threshold, so freed chunks are reused, not faulted in afresh, and small enough that inflating
 * overlaps parsing finely (245 MB profile, quiet: 5.8–6.5 s wall; 7.5 s with 256 KiB, 6.6–7.8 s with 1 MiB).
 */
const INFLATE_CHUNK = 64 * 1024;
/**
 * WORKER_INFLATE_CHUNK is the output chunk size in the extension's decode worker (a file or bytes).
 * Each chunk is a hand-off between the worker and libuv's thread pool, and in VS Code the worker
 * shares two cores with the host, the window and the other decode: every hand-off waits for a
 * thread to be scheduled. 16× fewer of them brought the 61 MB pair's first hotspots from 12.4–13.9 s
 * to 8.3 s after Compare in code-server (quiet machine).
 */
export const WORKER_INFLATE_CHUNK = 1 << 20;
/** TOUCH_FROM is the input size from which the sample columns are faulted in by another thread. */
const TOUCH_FROM = 16 << 20;
/** QUEUE_LIMIT pauses inflating while this many inflated bytes wait to be parsed. */
const QUEUE_LIMIT = 8 << 20;

/** A source of input chunks; a chunk may be overwritten once the next one is asked for after `release`. */
type ChunkSource = AsyncGenerator<Uint8Array, void, (() => Promise<void>) | undefined>;

/**
 * decodeChunks decodes a profile from its chunks (`total` input bytes in all). Gzip is inflated by
 * Node's zlib stream, which runs on libuv's thread pool: inflating the next chunk overlaps parsing
 * this one on the main thread. The inflated size is capped at `maxBytes` as it flows, whatever the
 * gzip trailer says; zlib checks the trailer's CRC and length, reads concatenated members as Go's
 * gzip reader does, and accepts zero padding after the last one as gunzipSync did.
 */
async function decodeChunks(source: ChunkSource, total: number, maxBytes: number, inflateChunk: number): Promise<Profile> {
  // Big inputs get their sample columns faulted in by another thread (see PageToucher).
  const memory = total >= TOUCH_FROM ? new PageToucher() : undefined;
  try {
    return await decodeChunksIn(source, total, maxBytes, memory, inflateChunk);
  } finally {
    memory?.close();
  }
}

async function decodeChunksIn(source: ChunkSource, total: number, maxBytes: number, memory: PageToucher | undefined, inflateChunk: number): Promise<Profile> {
  const first = await source.next();
  if (first.done) return new ProfileStream(false).finish();
  if (!isGzip(first.value)) {
    // Raw profile.proto (or text): parsed straight from the read buffers. After a parse error the
    // rest is still read, so that a file over the cap says so, as when files were read whole first.
    const stream = new ProfileStream(false, memory);
    let read = 0;
    let parseError: { e: unknown } | undefined;
    for (let next: IteratorResult<Uint8Array, void> = first; !next.done; next = await source.next()) {
      read += next.value.length;
      if (parseError) continue;
      try { stream.feed(next.value, read / Math.max(1, total)); } catch (e) { parseError = { e }; }
    }
    if (parseError) throw parseError.e;
    return stream.finish();
  }
  return inflateAndDecode(source, first.value, total, maxBytes, memory, inflateChunk);
}

/**
 * inflateAndDecode inflates gzip input through a zlib stream and parses each inflated chunk on this
 * thread. A parse error does not stop the inflate: gzip's own errors (corruption, truncation, the
 * cap) are reported first, as when the whole file was inflated before it was parsed.
 */
function inflateAndDecode(source: ChunkSource, first: Uint8Array, total: number, maxBytes: number, memory: PageToucher | undefined, inflateChunk: number): Promise<Profile> {
  const stream = new ProfileStream(true, memory);
  const gunzip = createGunzip({ chunkSize: inflateChunk });
  const queue: Array<{ chunk: Uint8Array; done: number }> = [];
  let queued = 0;
  let inflated = 0;
  let ended = false;
  let failed = false;
  let scheduled = false;
  let parseError: { e: unknown } | undefined;
  return new Promise<Profile>((resolve, reject) => {
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      gunzip.destroy();
      void source.return(undefined);
      reject(e);
    };
    // One chunk per turn of the event loop: between two chunks zlib's next result is taken and its
    // next inflate started, so the thread pool inflates while this thread parses.
    const parseNext = (): void => {
      scheduled = false;
      if (failed) return;
      const item = queue.shift();
      if (item) {
        queued -= item.chunk.length;
        try {
          stream.feed(item.chunk, item.done);
        } catch (e) {
          parseError = { e };
          queue.length = 0;
          queued = 0;
        }
        if (queued < QUEUE_LIMIT / 2 && gunzip.isPaused()) gunzip.resume();
      } else if (ended) {
        if (parseError) { fail(parseError.e); return; }
        try { resolve(stream.finish()); } catch (e) { fail(e); }
        return;
      }
      if (queue.length > 0 || ended) schedule();
    };
    const schedule = (): void => {
      if (!scheduled) { scheduled = true; setImmediate(parseNext); }
    };
    gunzip.on('data', (chunk: Buffer) => {
      inflated += chunk.length;
      if (inflated > maxBytes) { fail(tooLargeError(maxBytes)); return; }
      if (parseError) return;
      queue.push({ chunk, done: gunzip.bytesWritten / Math.max(1, total) });
      queued += chunk.length;
      if (queued > QUEUE_LIMIT) gunzip.pause();
      schedule();
    });
    gunzip.on('end', () => { ended = true; schedule(); });
    gunzip.on('error', (e) => fail(gzipError(e)));
    void feedGunzip(source, first, gunzip).catch(fail);
  });
}

/** feedGunzip writes the input chunks into the inflater, each after the inflater has taken the previous one. */
async function feedGunzip(source: ChunkSource, first: Uint8Array, gunzip: Gunzip): Promise<void> {
  let chunk: Uint8Array | undefined = first;
  while (chunk) {
    const current = chunk;
    const taken = new Promise<void>((resolve, reject) => {
      gunzip.write(current, (e) => (e ? reject(e) : resolve()));
    });
    // After a failure nobody may wait for this chunk any more (the inflater's own error is reported).
    taken.catch(() => undefined);
    // The source reads the next chunk into its other buffer while zlib inflates this one; it
    // waits for `taken` before it reuses this chunk's buffer.
    const next = await source.next(() => taken);
    if (gunzip.destroyed) return;
    chunk = next.done ? undefined : next.value;
    if (!chunk) await taken;
  }
  if (!gunzip.destroyed) gunzip.end();
}

/** gzipError words zlib's failure: an early end is truncation, anything else corruption. */
function gzipError(e: Error): ProfileError {
  if (e instanceof ProfileError) return e;
  if (/unexpected end of file/i.test(e.message)) return new ProfileError('truncated', l10n.t('gzip data is truncated (the stream ends early)'));
  return new ProfileError('corrupt', l10n.t('gzip data is corrupt ({0})', e.message));
}

/**
 * fileChunks reads an open file in chunks into two buffers used in turn, at most maxBytes in all
 * (the read stops at maxBytes + 1 whatever stat said, in case the file grows meanwhile). The caller
 * passes, with each `next`, a promise of when the chunk before can be overwritten.
 */
async function* fileChunks(file: FileHandle, maxBytes: number): ChunkSource {
  const buffers = [new Uint8Array(READ_CHUNK), new Uint8Array(READ_CHUNK)];
  const busy: Array<Promise<void> | undefined> = [undefined, undefined];
  let total = 0;
  for (let i = 0; ; i ^= 1) {
    await busy[i];
    busy[i] = undefined;
    const { bytesRead } = await file.read(buffers[i], 0, READ_CHUNK, null);
    if (bytesRead === 0) return;
    total += bytesRead;
    if (total > maxBytes) throw tooLargeError(maxBytes);
    const release = yield buffers[i].subarray(0, bytesRead);
    busy[i] = release?.();
  }
}

/** memoryChunks hands out bytes already in memory in READ_CHUNK slices (nothing is copied). */
async function* memoryChunks(bytes: Uint8Array): ChunkSource {
  for (let off = 0; off < bytes.length; off += READ_CHUNK) yield bytes.subarray(off, Math.min(bytes.length, off + READ_CHUNK));
}

/** checkRegularFile refuses what is not a regular file of at most maxBytes (see readRegularFile). */
function checkRegularFile(st: { isDirectory(): boolean; isFile(): boolean; size: number }, maxBytes: number): void {
  if (st.isDirectory()) throw new ProfileError('not-a-profile', l10n.t('is a directory, not a profile file'));
  if (!st.isFile()) throw new ProfileError('not-a-profile', l10n.t('is not a regular file (a device, pipe or socket); heaplens reads profile files only'));
  if (st.size > maxBytes) throw tooLargeError(maxBytes);
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
    checkRegularFile(st, maxBytes);
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
