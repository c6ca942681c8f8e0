import * as l10n from '@vscode/l10n';
import { ProfileError } from './errors';
import type { Profile } from './model';
import { type Gunzip, gunzipPortable, isGzip, tooLargeError } from './decode/gzip';
import { decodeLegacyHeapText, isLegacyHeapText } from './decode/legacyText';
import { decodeProto } from './decode/proto';
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
  try {
    const p = decodeProto(data);
    if (p.samples.count === 0 && p.sampleTypes.length === 0 && p.locations.count === 0) {
      throw new ProfileError('not-a-profile', l10n.t('no profile data found (no sample types, samples or locations)'));
    }
    checkExactValues(p);
    return { ...p, gzipped };
  } catch (e) {
    // A file that was never protobuf reads as garbage fields; say so plainly rather than "truncated".
    if (e instanceof ProfileError && !gzipped && !plausibleProtoStart(data)) {
      throw new ProfileError('not-a-profile', l10n.t('not a pprof profile ({0})', e.message));
    }
    throw e;
  }
}

/** plausibleProtoStart checks that the first byte is a Profile field tag (fields 1–15, valid wire type). */
function plausibleProtoStart(data: Uint8Array): boolean {
  const tag = data[0];
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
