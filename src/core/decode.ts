import * as l10n from '@vscode/l10n';
import { ProfileError } from './errors';
import type { Profile } from './model';
import { type Gunzip, concatChunks, gunzipPortable, isGzip, tooLargeError } from './decode/gzip';
import { decodeLegacyHeapText, isLegacyHeapText } from './decode/legacyText';
import { decodeProto } from './decode/proto';
import { ProtoStreamReader } from './decode/protoStream';
import type { ColumnMemory } from './decode/columns';
import { resolveProfile } from './decode/protoResolve';
import { decodeGoroutineDump, isGoroutineDump } from './decode/goroutineDump';
import { decodeGoroutineText, isGoroutineText } from './decode/goroutineText';

/** DecodeOptions bound the work a file may cause and allow a faster gunzip where one exists. */
export interface DecodeOptions {
  /** Refuse inputs that are (or decompress to) more than this many bytes. Default 1 GiB. */
  maxBytes?: number;
  /** Gunzip implementation; defaults to pako. */
  gunzip?: Gunzip;
}

/** DEFAULT_MAX_BYTES is the default cap on a profile's decompressed size. */
export const DEFAULT_MAX_BYTES = 1024 * 1048576;

/**
 * decodeProfile reads a profile from bytes, detecting the format by content, never by name:
 * gzip (1f 8b) is unwrapped first; then `heap profile:` text, `goroutine profile: total N` text,
 * a goroutine dump (`goroutine 1 [running]:`, also after a panic's first lines) or profile.proto.
 */
export function decodeProfile(input: Uint8Array, options: DecodeOptions = {}): Profile {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.length > maxBytes) throw tooLargeError(maxBytes);
  if (!isGzip(input)) return decodeInflated(input, false);
  return decodeInflated((options.gunzip ?? gunzipPortable)(input, maxBytes), true);
}

/**
 * decodeInflated decodes bytes that are no longer gzip-wrapped (`gzipped` says whether they were).
 * Callers that inflate themselves use it so the compressed bytes can be freed before decoding.
 */
export function decodeInflated(data: Uint8Array, gzipped: boolean): Profile {
  if (data.length === 0) throw new ProfileError('empty', gzipped ? l10n.t('the gzip stream holds no data') : l10n.t('the file is empty'));
  if (isLegacyHeapText(data)) {
    const p = decodeLegacyHeapText(data);
    checkExactValues(p);
    return { ...p, gzipped };
  }
  if (isGoroutineText(data)) return { ...decodeGoroutineText(data), gzipped };
  if (looksLikeText(data) && isGoroutineDump(data)) return { ...decodeGoroutineDump(data), gzipped };
  if (looksLikeText(data)) throw new ProfileError('not-a-profile', notAProfileMessage(data));
  return checkedProto(() => decodeProto(data), gzipped, data[0]);
}

/** checkedProto runs a profile.proto decode and applies the checks every proto decode gets. */
function checkedProto(decode: () => Profile, gzipped: boolean, firstByte: number): Profile {
  try {
    const p = decode();
    if (p.samples.count === 0 && p.sampleTypes.length === 0 && p.locations.count === 0) {
      throw new ProfileError('not-a-profile', l10n.t('no profile data found (no sample types, samples or locations)'));
    }
    checkExactValues(p);
    return { ...p, gzipped };
  } catch (e) {
    throw protoFailure(e, gzipped, firstByte);
  }
}

/** protoFailure says plainly that a file which was never protobuf is not a profile, rather than "truncated". */
function protoFailure(e: unknown, gzipped: boolean, firstByte: number): unknown {
  if (e instanceof ProfileError && !gzipped && !plausibleProtoStart(firstByte)) {
    return new ProfileError('not-a-profile', l10n.t('not a pprof profile ({0})', e.message));
  }
  return e;
}

/** SNIFF_BYTES is how much of the start decides the format (looksLikeText reads that much). */
const SNIFF_BYTES = 512;

/**
 * ProfileStream decodes a profile pushed in chunks once it is no longer gzip-wrapped: the first
 * bytes decide the format as decodeInflated does; profile.proto is then read as it arrives (the
 * whole message is never held), while the text formats are collected and decoded whole. The result
 * and every error are those of decodeInflated on the concatenated chunks. Chunks may be reused by
 * the caller after `feed` returns.
 */
export class ProfileStream {
  private readonly gzipped: boolean;
  private head: Uint8Array[] = [];
  private headLength = 0;
  private mode: 'sniff' | 'text' | 'proto' = 'sniff';
  private proto: ProtoStreamReader | undefined;
  private firstByte = 0;
  private readonly memory: ColumnMemory | undefined;

  /** `memory` allocates the sample columns of a profile.proto (plain typed arrays by default). */
  constructor(gzipped: boolean, memory?: ColumnMemory) {
    this.gzipped = gzipped;
    this.memory = memory;
  }

  /** feed pushes the next chunk; `doneAfter` is the fraction of the input consumed with it, when known (it sizes the sample columns). */
  feed(chunk: Uint8Array, doneAfter?: number): void {
    if (chunk.length === 0) return;
    if (this.mode === 'proto') {
      this.feedProto(chunk, doneAfter);
      return;
    }
    this.head.push(chunk.slice());
    this.headLength += chunk.length;
    if (this.mode === 'sniff' && this.headLength >= SNIFF_BYTES) this.decide(doneAfter);
  }

  /** finish decodes what was fed. */
  finish(): Profile {
    if (this.mode === 'sniff') this.decide(undefined);
    if (this.mode === 'text') return decodeInflated(concatChunks(this.head, this.headLength), this.gzipped);
    const reader = this.proto as ProtoStreamReader;
    this.proto = undefined;
    return checkedProto(() => resolveProfile(reader.finish()), this.gzipped, this.firstByte);
  }

  private decide(doneAfter: number | undefined): void {
    const head = concatChunks(this.head, this.headLength);
    this.head = [head];
    if (head.length === 0 || isLegacyHeapText(head) || isGoroutineText(head) || looksLikeText(head)) {
      this.mode = 'text';
      return;
    }
    this.mode = 'proto';
    this.firstByte = head[0];
    this.proto = new ProtoStreamReader(this.memory);
    this.head = [];
    this.headLength = 0;
    this.feedProto(head, doneAfter);
  }

  private feedProto(chunk: Uint8Array, doneAfter: number | undefined): void {
    try {
      (this.proto as ProtoStreamReader).feed(chunk, doneAfter);
    } catch (e) {
      throw protoFailure(e, this.gzipped, this.firstByte);
    }
  }
}

/** plausibleProtoStart checks that the first byte is a Profile field tag (fields 1–15, valid wire type). */
function plausibleProtoStart(tag: number): boolean {
  const field = tag >>> 3;
  const wt = tag & 7;
  return field >= 1 && field <= 15 && (wt === 0 || wt === 2);
}

function looksLikeText(data: Uint8Array): boolean {
  const n = Math.min(data.length, 512);
  for (let i = 0; i < n; i++) {
    const c = data[i];
    if (c < 9 || (c > 13 && c < 32) || c === 127) return false;
  }
  return true;
}

function notAProfileMessage(data: Uint8Array): string {
  const head = new TextDecoder('utf-8').decode(data.subarray(0, 80)).split('\n')[0];
  if (/^---\s*\w+|^threadcreate profile:/.test(head)) {
    return l10n.t('this is a legacy text profile of another kind ("{0}"); heaplens reads heap and goroutine profiles', head.slice(0, 40));
  }
  return l10n.t('not a pprof profile: it is text starting "{0}"', head.slice(0, 40));
}

/**
 * checkExactValues refuses sample values, and per-type totals, beyond 2^53:
 * a double holds integers exactly only up to there, and a rounded or infinite value would print
 * as a plausible number (or NaN) with exit 0. pprof keeps int64s; heaplens says it cannot.
 */
function checkExactValues(p: Profile): void {
  const types = p.sampleTypes.length;
  if (types === 0) return;
  const values = p.samples.values;
  const totals = new Float64Array(types);
  for (let i = 0, k = 0; i < values.length; i++, k = k + 1 === types ? 0 : k + 1) {
    const v = values[i];
    if (!(v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER)) {
      throw new ProfileError('corrupt', l10n.t('sample {0}: its {1} value {2} is beyond 2^53, more than heaplens represents exactly', Math.floor(i / types), p.sampleTypes[k].type, v));
    }
    totals[k] += v;
  }
  totals.forEach((t, k) => {
    if (Math.abs(t) > Number.MAX_SAFE_INTEGER) throw new ProfileError('corrupt', l10n.t('the {0} values add up to more than 2^53, more than heaplens represents exactly', p.sampleTypes[k].type));
  });
}
