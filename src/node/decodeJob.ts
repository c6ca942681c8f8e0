import * as l10n from '@vscode/l10n';
import { WORKER_INFLATE_CHUNK, decodeProfileBytes, loadProfileFile } from './loadProfile';
import { gzipPadding } from '../core/decode/gzip';
import { ProfileError, type ProfileErrorCode } from '../core/errors';
import type { Profile } from '../core/model';

// The decode worker's one job, as plain functions: bytes in, a Profile (or a described failure) out.
// Kept apart from the worker entry point so the same code is unit-tested in-process and in a worker.

/**
 * DecodeRequest is what is posted to the decode worker: a file to read, or bytes (transferred, not
 * copied).
 */
export type DecodeRequest = {
  maxBytes: number;
} & ({ path: string } | {
  bytes: Uint8Array;
  /** Count the zero bytes after the gzip data and decode without them (captured bodies; see gzipPadding). */
  trimPadding?: boolean;
});

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
    let profile: Profile;
    let padding: number | undefined;
    if ('path' in request) {
      profile = await loadProfileFile(request.path, request.maxBytes, WORKER_INFLATE_CHUNK).catch((e: unknown) => { throw fileError(e); });
    } else {
      padding = request.trimPadding ? gzipPadding(request.bytes, request.maxBytes) : undefined;
      const bytes = padding ? request.bytes.subarray(0, request.bytes.length - padding) : request.bytes;
      profile = await decodeProfileBytes(bytes, request.maxBytes);
    }
    const f = profile.functions;
    const functionStrings = packStrings([f.name, f.systemName, f.filename]);
    const shell: Profile = { ...profile, functions: { ...f, name: [], systemName: [], filename: [] } };
    return { reply: { ok: true, profile: shell, functionStrings, ...(padding !== undefined ? { padding } : {}) }, transfer: [...profileBuffers(profile), functionStrings.lengths.buffer as ArrayBuffer] };
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

/** fileError words the file system's refusals as the extension's loader does (the path is not repeated: the file is named by the caller). */
function fileError(e: unknown): unknown {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new Error(l10n.t('no such file'));
  if (code === 'EACCES' || code === 'EPERM') return new Error(l10n.t('permission denied'));
  if (code === 'EISDIR') return new Error(l10n.t('is a folder, not a profile file'));
  return e;
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
