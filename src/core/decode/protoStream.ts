import { truncated, WireReader } from './wire';
import type { ColumnMemory } from './columns';
import { type RawProfile, newRawProfile, readProfileField } from './protoRead';

// profile.proto read as it arrives: each complete top-level field of message Profile is read out of
// the chunk it is in, and only an incomplete last field is copied aside until the next chunk
// completes it. So a profile never has to be whole in memory (a 245 MB gzipped profile inflates to
// 319 MB, and on a VM first touching memory costs ~4 ms per MB), and the fields read are exactly
// those a whole-buffer read would see, with the same errors at the same byte offsets.

/** readProfile reads a whole uncompressed profile.proto message into raw columns, checking only the wire format. */
export function readProfile(buf: Uint8Array): RawProfile {
  const reader = new ProtoStreamReader();
  reader.feed(buf, 1);
  return reader.finish();
}

/** NEED_MORE is fieldEnd's answer when the bytes so far do not hold the whole field yet. */
const NEED_MORE = -1;
/** A varint has at most 10 bytes; with 11 bytes in hand a reader reports a malformed one whatever follows. */
const VARINT_CERTAIN = 11;

/**
 * Where the field being looked at needs the data to reach before it is complete, when fieldEnd
 * knows it (a length-delimited field with its length read); 0 otherwise. Set by fieldEnd.
 */
let neededEnd = 0;

/**
 * fieldEnd finds where the top-level field at `pos` ends within `buf[..end)`, or NEED_MORE when
 * more bytes could complete it. A field whose header is already wrong (field 0, a group or unknown
 * wire type, an overlong varint, a length ≥ 2^32) "ends" at `end`: reading it there reports the
 * same error as reading the whole message would, since everything the reader looks at is present.
 */
function fieldEnd(buf: Uint8Array, pos: number, end: number): number {
  neededEnd = 0;
  const afterTag = varintEnd(buf, pos, end);
  if (afterTag === NEED_MORE) return NEED_MORE;
  if (afterTag < 0 || (afterTag === pos + 1 && buf[pos] < 8)) return end; // malformed, or field 0
  switch (buf[pos] & 7) {
    case 0: {
      const e = varintEnd(buf, afterTag, end);
      if (e === NEED_MORE) return NEED_MORE;
      return e < 0 ? end : e;
    }
    case 1: neededEnd = afterTag + 8; return neededEnd <= end ? neededEnd : NEED_MORE;
    case 5: neededEnd = afterTag + 4; return neededEnd <= end ? neededEnd : NEED_MORE;
    case 2: {
      const afterLen = varintEnd(buf, afterTag, end);
      if (afterLen === NEED_MORE) return NEED_MORE;
      if (afterLen < 0) return end;
      let len = 0;
      for (let i = afterLen - 1; i >= afterTag; i--) len = len * 128 + (buf[i] & 0x7f);
      if (len > 0xffffffff) return end;
      neededEnd = afterLen + len;
      return neededEnd <= end ? neededEnd : NEED_MORE;
    }
    default: return end;
  }
}

/** MALFORMED is varintEnd's answer for a varint that no more data can make valid. */
const MALFORMED = -2;

/** varintEnd returns the index after the varint at `pos`, NEED_MORE, or MALFORMED (no end within 10 bytes). */
function varintEnd(buf: Uint8Array, pos: number, end: number): number {
  const stop = Math.min(end, pos + 10);
  for (let i = pos; i < stop; i++) if (buf[i] < 0x80) return i + 1;
  return end - pos >= VARINT_CERTAIN ? MALFORMED : NEED_MORE;
}

/**
 * ProtoStreamReader reads an uncompressed profile.proto message pushed in chunks of any size: call
 * `feed` with each chunk in order, then `finish` for the raw columns. A chunk may be reused by the
 * caller once `feed` returns (nothing keeps a reference to it).
 *
 * The sample columns are sized as they fill, by projecting their final length from how much of the
 * input is consumed (`doneAfter`, the fraction of the whole input consumed once a chunk is read:
 * compressed bytes for gzip). Go writes the samples first, so the projection made once 1% is read
 * is close; 10% headroom plus the share of the input after the samples (locations, strings) make a
 * late regrow (a copy, which first-touches the new array) rare. The headroom is never written, so on
 * Linux and macOS it costs address space only; on Windows it counts against the commit charge,
 * which is why it is a projection and not an upper bound (one id per byte would reserve 4× the
 * inflated size). The alternatives measured were worse: a counting pre-scan needs the whole message
 * in memory, doubling touched up to 3× the final size, and typed arrays over a resizable
 * ArrayBuffer summed 4.5× slower in Node 20.
 */
export class ProtoStreamReader {
  private readonly raw: RawProfile;
  private readonly reader = new WireReader(new Uint8Array(0));
  /** The incomplete last field, copied out of its chunk(s); `carryLen` bytes are used. */
  private carry = new Uint8Array(0);
  private carryLen = 0;
  /** Offset in the message of the current chunk's first byte, and of carry[0]. */
  private consumed = 0;
  private carryOrigin = 0;
  /** Progress: the fraction done before the current chunk and after it, and the chunk's length. */
  private doneBefore = 0;
  private doneAfter = 0;
  private chunkLength = 0;

  /** `memory` allocates the sample columns (plain typed arrays by default). */
  constructor(memory?: ColumnMemory) {
    this.raw = newRawProfile((needed, capacity, length) => projectCapacity(needed, capacity, length, this.done()), memory);
  }

  /** feed reads every top-level field completed by `chunk`; `doneAfter` is the fraction of the input consumed with it (0..1), if known. */
  feed(chunk: Uint8Array, doneAfter?: number): void {
    this.doneBefore = this.doneAfter;
    this.doneAfter = doneAfter !== undefined && doneAfter >= this.doneBefore ? Math.min(1, doneAfter) : this.doneBefore;
    this.chunkLength = chunk.length;
    let pos = 0;
    while (this.carryLen > 0) {
      const e = fieldEnd(this.carry, 0, this.carryLen);
      if (e === NEED_MORE) {
        if (pos === chunk.length) break;
        // The length, once known, says how much to take; before that take a few header bytes.
        const take = Math.min(chunk.length - pos, neededEnd > 0 ? neededEnd - this.carryLen : VARINT_CERTAIN * 2);
        this.append(chunk, pos, pos + take);
        pos += take;
        continue;
      }
      this.readField(this.carry, 0, e, this.carryOrigin);
      // Header bytes taken beyond the field's end belong to the next field: read them from the chunk.
      pos -= this.carryLen - e;
      this.carryLen = 0;
    }
    const end = chunk.length;
    while (this.carryLen === 0 && pos < end) {
      const e = fieldEnd(chunk, pos, end);
      if (e === NEED_MORE) {
        this.carryOrigin = this.consumed + pos;
        this.append(chunk, pos, end);
        break;
      }
      pos = this.readField(chunk, pos, e, this.consumed);
    }
    this.consumed += chunk.length;
  }

  /** finish returns the raw columns; a field left incomplete reports what a whole-buffer read reports (truncation). */
  finish(): RawProfile {
    if (this.carryLen > 0) {
      this.readField(this.carry, 0, this.carryLen, this.carryOrigin);
      throw truncated(); // fieldEnd said the field is incomplete, so reading it must have thrown
    }
    this.carry = new Uint8Array(0);
    return this.raw;
  }

  private readField(buf: Uint8Array, pos: number, end: number, origin: number): number {
    const r = this.reader;
    r.buf = buf; r.pos = pos; r.end = end; r.origin = origin;
    readProfileField(r, this.raw);
    return r.pos;
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const n = this.carryLen + (to - from);
    if (n > this.carry.length) {
      const grown = new Uint8Array(Math.max(n, this.carry.length * 2, 64 * 1024));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(from, to), this.carryLen);
    this.carryLen = n;
  }

  /** done estimates the fraction of the input read at the field being read (interpolated within the chunk). */
  private done(): number {
    const within = this.chunkLength > 0 ? Math.min(1, Math.max(0, this.reader.pos / this.chunkLength)) : 1;
    return this.doneBefore + (this.doneAfter - this.doneBefore) * (this.reader.buf === this.carry ? 0 : within);
  }
}

/** projectCapacity doubles a column until 1% of the input is read, then sizes it for the projected total. */
function projectCapacity(needed: number, capacity: number, length: number, done: number): number {
  const doubled = Math.max(needed, capacity * 2);
  if (!(done >= 0.01) || length < 4096) return doubled;
  const projected = Math.ceil((length / done) * 1.1) + 65536;
  return Math.max(needed, Math.ceil(capacity * 1.25), projected);
}
