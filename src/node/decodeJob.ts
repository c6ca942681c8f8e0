import { decodeProfileBytes } from './loadProfile';
import { gzipPadding } from '../core/decode/gzip';
import { ProfileError, type ProfileErrorCode } from '../core/errors';
import type { Profile } from '../core/model';

// The decode worker's one job, as plain functions: bytes in, a Profile (or a described failure) out.
// Kept apart from the worker entry point so the same code is unit-tested in-process and in a worker.

/** DecodeRequest is what the host posts to the decode worker; `bytes` is transferred, not copied. */
export interface DecodeRequest {
  bytes: Uint8Array;
  maxBytes: number;
  /** Count the zero bytes after the gzip data and decode without them (captured bodies; see gzipPadding). */
  trimPadding?: boolean;
}

/** DecodeFailure keeps what the host needs to rebuild the error: its kind, ProfileError code and message. */
export interface DecodeFailure {
  ok: false;
  kind: 'profile' | 'range' | 'other';
  code?: ProfileErrorCode;
  message: string;
}

/**
 * PackedStrings carries the function table's three string columns as one string and their lengths:
 * the receiving thread rebuilds a cloned string[] one string at a time, and with 180,000 function
 * strings in a 50 MB profile that alone stalled the extension host for a noticeable moment.
 */
export interface PackedStrings {
  text: string;
  lengths: Uint32Array;
}

/** DecodeSuccess is a decoded profile whose function strings travel packed (see unpackProfile). */
export interface DecodeSuccess {
  ok: true;
  profile: Profile;
  functionStrings: PackedStrings;
  /** With trimPadding: how many zero bytes followed the gzip data. */
  padding?: number;
}

/** DecodeReply is what the worker posts back: the decoded profile, or why there is none. */
export type DecodeReply = DecodeSuccess | DecodeFailure;

/**
 * runDecodeJob decodes a request as the CLI loads a file (streamed through Node's zlib, see
 * decodeProfileBytes); never rejects. `transfer` lists the buffers to move, not copy.
 */
export async function runDecodeJob(request: DecodeRequest): Promise<{ reply: DecodeReply; transfer: ArrayBuffer[] }> {
  try {
    const padding = request.trimPadding ? gzipPadding(request.bytes, request.maxBytes) : 0;
    const bytes = padding > 0 ? request.bytes.subarray(0, request.bytes.length - padding) : request.bytes;
    const profile = await decodeProfileBytes(bytes, request.maxBytes);
    const f = profile.functions;
    const functionStrings = packStrings([f.name, f.systemName, f.filename]);
    const shell: Profile = { ...profile, functions: { ...f, name: [], systemName: [], filename: [] } };
    return { reply: { ok: true, profile: shell, functionStrings, ...(request.trimPadding ? { padding } : {}) }, transfer: [...profileBuffers(profile), functionStrings.lengths.buffer as ArrayBuffer] };
  } catch (e) {
    return { reply: failureOf(e), transfer: [] };
  }
}

/** unpackProfile restores the function strings of a decoded profile received from the worker. */
export function unpackProfile(reply: DecodeSuccess): Profile {
  const [name, systemName, filename] = unpackStrings(reply.functionStrings, 3);
  return { ...reply.profile, functions: { ...reply.profile.functions, name, systemName, filename } };
}

/** packStrings joins columns of strings into one string plus every string's length, column after column. */
export function packStrings(columns: readonly string[][]): PackedStrings {
  const total = columns.reduce((n, c) => n + c.length, 0);
  const lengths = new Uint32Array(total + columns.length);
  let i = 0;
  for (const c of columns) {
    lengths[i++] = c.length;
    for (const str of c) lengths[i++] = str.length;
  }
  return { text: columns.map((c) => c.join('')).join(''), lengths };
}

/** unpackStrings reverses packStrings. */
export function unpackStrings(packed: PackedStrings, columns: number): string[][] {
  const out: string[][] = [];
  const { text, lengths } = packed;
  let i = 0;
  let at = 0;
  for (let c = 0; c < columns; c++) {
    const n = lengths[i++];
    const col = new Array<string>(n);
    for (let k = 0; k < n; k++) {
      const len = lengths[i++];
      col[k] = text.slice(at, at + len);
      at += len;
    }
    out.push(col);
  }
  return out;
}

/** failureOf describes a thrown value so that it survives the trip between threads. */
export function failureOf(e: unknown): DecodeFailure {
  if (e instanceof ProfileError) return { ok: false, kind: 'profile', code: e.code, message: e.message };
  if (e instanceof RangeError) return { ok: false, kind: 'range', message: e.message };
  return { ok: false, kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

/** errorOf rebuilds the error a worker described, so describeError words it as it would in-process. */
export function errorOf(failure: DecodeFailure): Error {
  if (failure.kind === 'profile' && failure.code) return new ProfileError(failure.code, failure.message);
  if (failure.kind === 'range') return new RangeError(failure.message);
  return new Error(failure.message);
}

/**
 * profileBuffers lists each distinct ArrayBuffer under the profile's typed-array columns. Columns may be
 * views into one larger buffer (growable columns are trimmed with subarray), so buffers are de-duplicated:
 * listing one twice would make postMessage throw.
 */
export function profileBuffers(p: Profile): ArrayBuffer[] {
  const columns: ArrayBufferView[] = [
    p.samples.locationStart, p.samples.locationIndex, p.samples.values,
    p.locations.id, p.locations.address, p.locations.mappingIndex, p.locations.lineStart,
    p.locations.lineFunction, p.locations.lineNumber, p.functions.startLine,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const c of columns) {
    if (c.buffer instanceof ArrayBuffer && c.buffer.byteLength > 0) buffers.add(c.buffer);
  }
  return [...buffers];
}
