import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { isGoroutineDump } from '../core/decode/goroutineDump';
import { SNIFF_EXTENSIONS, hasKindExtension, textHeaders } from '../core/profileKinds';

// Recognising a profile by its first bytes, for files whose name says nothing (`mem.out`, `heap`,
// `profile-2024-05-01`): the Explorer offers Open/Compare on them too. No vscode import; unit-tested.
// What each kind's names and text headers look like is in the profile-kinds table (core/profileKinds.ts).

/** hasProfileExtension tells whether a file name ends like a profile of some kind. */
export function hasProfileExtension(name: string): boolean {
  return hasKindExtension(name);
}

/** SNIFF_BYTES is how much of a file (after gunzip) is enough to recognise it. */
export const SNIFF_BYTES = 4096;

/** isGzipHead tells whether bytes start with the gzip magic (1f 8b). */
export function isGzipHead(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * looksLikeProfile recognises the start of an uncompressed profile: a kind's text header (`heap
 * profile:`, `goroutine profile:`, Go's ?debug=1), a goroutine dump, or profile.proto: the first fields must all be Profile fields with their declared wire
 * types, and one of them a ValueType (sample_type or period_type) shaped `08 <type> 10 <unit>`.
 * Go writes period_type first, pprof sample_type, other tools time_nanos: field order is not fixed.
 */
export function looksLikeProfile(head: Uint8Array): boolean {
  if (textHeaders().some((h) => startsWithText(head, h))) return true;
  // A goroutine dump (?debug=2, a panic, SIGQUIT) has no fixed header: `goroutine 1 [running]:`.
  if (isText(head) && isGoroutineDump(head)) return true;
  return looksLikeProfileProto(head);
}

// profile.proto's top-level fields and their wire types (0 varint, 2 length-delimited).
const PROFILE_WIRE_TYPES: Record<number, number> = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 0, 8: 0, 9: 0, 10: 0, 11: 2, 12: 0, 13: 0, 14: 0 };

function looksLikeProfileProto(head: Uint8Array): boolean {
  const r = { pos: 0 };
  let fields = 0;
  let sawValueType = false;
  while (r.pos < head.length && fields < 32) {
    const tag = readVarint(head, r);
    if (tag === undefined) break;
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    const declared = PROFILE_WIRE_TYPES[field];
    if (declared === undefined) return false;
    // comment (13) is a repeated int64, which may also arrive packed.
    if (wireType !== declared && !(field === 13 && wireType === 2)) return false;
    if (wireType === 0) {
      if (readVarint(head, r) === undefined) break;
    } else {
      const len = readVarint(head, r);
      if (len === undefined) break;
      if ((field === 1 || field === 11) && r.pos + len <= head.length) {
        if (!isValueType(head.subarray(r.pos, r.pos + len))) return false;
        sawValueType = true;
      }
      r.pos += len;
    }
    fields++;
  }
  return sawValueType && fields >= 2;
}

/** isValueType checks the bytes of a ValueType message: type (field 1) and unit (field 2), both varints. */
function isValueType(b: Uint8Array): boolean {
  const r = { pos: 0 };
  let seen = 0;
  while (r.pos < b.length) {
    const tag = readVarint(b, r);
    if ((tag !== 0x08 && tag !== 0x10) || readVarint(b, r) === undefined) return false;
    seen++;
  }
  return seen <= 2; // an empty ValueType (type and unit both string 0) occurs in real files
}

function readVarint(b: Uint8Array, r: { pos: number }): number | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (r.pos >= b.length) return undefined;
    const byte = b[r.pos++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
  return undefined;
}

/** isText tells printable text from binary (a proto's first bytes are control characters). */
function isText(head: Uint8Array): boolean {
  for (let i = 0; i < Math.min(head.length, 512); i++) {
    const c = head[i];
    if (c < 9 || (c > 13 && c < 32) || c === 127) return false;
  }
  return head.length > 0;
}

function startsWithText(head: Uint8Array, text: string): boolean {
  if (head.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (head[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** isSniffCandidate picks the files worth opening to look: no extension, or an extension profiles are often saved with. */
export function isSniffCandidate(name: string): boolean {
  if (hasProfileExtension(name)) return false;
  const dot = name.lastIndexOf('.');
  if (dot === 0) return false; // dotfiles: .gitignore, .env
  if (dot < 0) return true;
  return SNIFF_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}

/** sniffFile reads the first bytes of a file (inflating them when gzipped) and recognises a profile. */
export async function sniffFile(path: string): Promise<boolean> {
  let head: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      const buf = new Uint8Array(SNIFF_BYTES);
      const { bytesRead } = await file.read(buf, 0, SNIFF_BYTES, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch {
    return false;
  }
  if (!isGzipHead(head)) return looksLikeProfile(head);
  try {
    // A gzip stream cut after SNIFF_BYTES: inflate what is there without demanding the end.
    const inflated = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
    return looksLikeProfile(new Uint8Array(inflated.buffer, inflated.byteOffset, Math.min(inflated.byteLength, SNIFF_BYTES)));
  } catch {
    return false;
  }
}
