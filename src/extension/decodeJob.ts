import { nodeGunzip } from '../cli/loadProfile';
import { decodeProfile } from '../core/decode';
import { ProfileError, type ProfileErrorCode } from '../core/errors';
import type { Profile } from '../core/model';

// The decode worker's one job, as plain functions: bytes in, a Profile (or a described failure) out.
// Kept apart from the worker entry point so the same code is unit-tested in-process and in a worker.

/** DecodeRequest is what the host posts to the decode worker; `bytes` is transferred, not copied. */
export interface DecodeRequest {
  bytes: Uint8Array;
  maxBytes: number;
}

/** DecodeFailure keeps what the host needs to rebuild the error: its kind, ProfileError code and message. */
export interface DecodeFailure {
  ok: false;
  kind: 'profile' | 'range' | 'other';
  code?: ProfileErrorCode;
  message: string;
}

/** DecodeReply is what the worker posts back: the decoded profile, or why there is none. */
export type DecodeReply = { ok: true; profile: Profile } | DecodeFailure;

/** runDecodeJob decodes a request with Node's zlib; never throws. `transfer` lists the buffers to move, not copy. */
export function runDecodeJob(request: DecodeRequest): { reply: DecodeReply; transfer: ArrayBuffer[] } {
  try {
    const profile = decodeProfile(request.bytes, { maxBytes: request.maxBytes, gunzip: nodeGunzip });
    return { reply: { ok: true, profile }, transfer: profileBuffers(profile) };
  } catch (e) {
    return { reply: failureOf(e), transfer: [] };
  }
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
