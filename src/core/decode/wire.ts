import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';

// A plain protobuf wire reader over a Uint8Array. The hot path (samples) reads varints inline;
// protobufjs's generated objects were measured to run out of memory on 50 MB profiles.

/** Wire types from the protobuf encoding spec. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

const TWO_32 = 4294967296;

/**
 * WireReader reads protobuf fields from `buf` between `pos` and `end`. `origin` is where `buf[0]`
 * sits in the whole message: a streamed message is read chunk by chunk, and error messages still
 * name the byte's offset in the message.
 */
export class WireReader {
  buf: Uint8Array;
  pos: number;
  end: number;
  origin: number;

  constructor(buf: Uint8Array, pos = 0, end = buf.length, origin = 0) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.origin = origin;
  }

  /**
   * uint32 reads a varint that must fit 32 bits unsigned (tags, lengths, small ids); larger values
   * are corrupt. Like protobuf and pprof, an overlong encoding (up to 10 bytes, high groups zero)
   * is accepted.
   */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw truncated();
    let b = buf[pos++];
    let v = b & 0x7f;
    if (b < 0x80) { this.pos = pos; return v; }
    let shift = 7;
    let high = 0; // any bit at 2^32 or above
    for (;;) {
      if (pos >= this.end) throw truncated();
      b = buf[pos++];
      if (shift < 28) v |= (b & 0x7f) << shift;
      else if (shift === 28) { v = (v >>> 0) + (b & 0x0f) * 268435456; high |= b & 0x70; }
      else high |= b & 0x7f;
      if (b < 0x80) break;
      shift += 7;
      if (shift > 63) throw new ProfileError('corrupt', l10n.t('malformed varint (longer than 10 bytes)'));
    }
    this.pos = pos;
    if (high !== 0) throw new ProfileError('corrupt', l10n.t('varint too large at byte {0}', this.origin + this.pos));
    return v >>> 0;
  }

  /** int64 reads a varint as a signed 64-bit integer (two's complement), exact below 2^53. */
  int64(): number {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b: number;
    // Low 28 bits, then bits 28..31 split across lo/hi, then the high word.
    do {
      if (pos >= this.end) throw truncated();
      b = buf[pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) { lo |= (b & 0x0f) << 28; hi |= (b & 0x7f) >>> 4; }
      else if (shift < 63) hi |= (b & 0x7f) << (shift - 32);
      else hi |= (b & 0x01) << 31;
      shift += 7;
      if (shift > 70) throw new ProfileError('corrupt', l10n.t('malformed varint (longer than 10 bytes)'));
    } while (b >= 0x80);
    this.pos = pos;
    if (hi & 0x80000000) {
      // Negative: value = -(~x + 1) computed on the two 32-bit halves.
      const nlo = (~lo + 1) >>> 0;
      const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
      return -(nhi * TWO_32 + nlo);
    }
    return (hi >>> 0) * TWO_32 + (lo >>> 0);
  }

  /** bool reads a varint as a boolean. */
  bool(): boolean {
    return this.int64() !== 0;
  }

  /** lengthDelimited reads a length prefix and returns [start, end) of the payload, advancing past it. */
  lengthDelimited(): number {
    const len = this.uint32();
    const start = this.pos;
    if (len > this.end - start) throw truncated();
    this.pos = start + len;
    return start;
  }

  /** skip skips one field's payload of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint: this.int64(); return;
      case WireType.Fixed64: this.advance(8); return;
      case WireType.LengthDelimited: this.lengthDelimited(); return;
      case WireType.Fixed32: this.advance(4); return;
      default:
        // Groups are deprecated and never written by pprof encoders; treat them as corruption.
        throw new ProfileError('corrupt', l10n.t('unsupported wire type {0} at byte {1}', wireType, this.origin + this.pos));
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw truncated();
    this.pos += n;
  }
}

/** truncated builds the error for input that ends inside a field. */
export function truncated(): ProfileError {
  return new ProfileError('truncated', l10n.t('truncated protobuf: the data ends inside a field'));
}

/** readRepeated calls `each` for every value of a repeated integer field, packed or not. */
export function readRepeated(r: WireReader, wireType: number, each: (v: number) => void): void {
  if (wireType === WireType.LengthDelimited) {
    const start = r.lengthDelimited();
    const end = r.pos;
    const inner = new WireReader(r.buf, start, end, r.origin);
    while (inner.pos < end) each(inner.int64());
  } else if (wireType === WireType.Varint) {
    each(r.int64());
  } else {
    throw new ProfileError('corrupt', l10n.t('repeated integer field has wire type {0}', wireType));
  }
}
