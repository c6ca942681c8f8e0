import { concatBytes } from './random';

// A small protobuf field walker and encoder for structure-aware mutation: a message is split into
// its fields (raw bytes kept), one is changed, and the message is written back with correct
// lengths — so a mutation reaches the decoder's semantic checks instead of its framing checks.

/** WireField is one field of a message: its number, wire type and payload. */
export interface WireField {
  num: number;
  wt: number;
  /** Varint and fixed fields: the value (64-bit, two's complement for negatives). */
  value?: bigint;
  /** Length-delimited fields: the payload bytes. */
  payload?: Uint8Array;
  /** Fixed fields: the raw little-endian bytes. */
  raw?: Uint8Array;
}

/** The bytes each field was read from: a field object that was never changed is written back as read. */
const asRead = new WeakMap<WireField, Uint8Array>();

function readVarint(buf: Uint8Array, pos: number, end: number): [bigint, number] | undefined {
  let v = 0n;
  for (let shift = 0n; pos < end && shift < 70n; shift += 7n) {
    const b = buf[pos++];
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [BigInt.asUintN(64, v), pos];
  }
  return undefined;
}

/** parseMessage splits a message into fields, or returns undefined when it is not well-formed. */
export function parseMessage(buf: Uint8Array): WireField[] | undefined {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const fieldStart = pos;
    const tag = readVarint(buf, pos, buf.length);
    if (!tag) return undefined;
    pos = tag[1];
    const num = Number(tag[0] >> 3n);
    const wt = Number(tag[0] & 7n);
    if (num === 0) return undefined;
    if (wt === 0) {
      const v = readVarint(buf, pos, buf.length);
      if (!v) return undefined;
      fields.push({ num, wt, value: v[0] });
      pos = v[1];
    } else if (wt === 2) {
      const len = readVarint(buf, pos, buf.length);
      if (!len || len[1] + Number(len[0]) > buf.length) return undefined;
      pos = len[1] + Number(len[0]);
      fields.push({ num, wt, payload: buf.subarray(len[1], pos) });
    } else if (wt === 1 || wt === 5) {
      const n = wt === 1 ? 8 : 4;
      if (pos + n > buf.length) return undefined;
      fields.push({ num, wt, raw: buf.subarray(pos, pos + n) });
      pos += n;
    } else {
      return undefined;
    }
    asRead.set(fields[fields.length - 1], buf.subarray(fieldStart, pos));
  }
  return fields;
}

/** varint encodes a value as a varint (negatives as 10 bytes); `pad` adds overlong continuation bytes. */
export function varint(value: bigint, pad = 0): Uint8Array {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  } while (v > 0n);
  for (let k = 0; k < pad && out.length < 10; k++) out.push(0x80);
  out[out.length - 1] &= 0x7f;
  return Uint8Array.from(out);
}

/** encodeField writes one field; `wt` may differ from what its contents need (a wrong wire type). */
export function encodeField(f: WireField, wt = f.wt): Uint8Array {
  const read = wt === f.wt ? asRead.get(f) : undefined;
  if (read) return read;
  const tag = varint(BigInt(f.num) * 8n + BigInt(wt & 7));
  if (f.payload) return concatBytes(tag, varint(BigInt(f.payload.length)), f.payload);
  if (f.raw) return concatBytes(tag, f.raw);
  return concatBytes(tag, varint(f.value ?? 0n));
}

/** encodeMessage writes fields back into a message. */
export function encodeMessage(fields: WireField[]): Uint8Array {
  return concatBytes(...fields.map((f) => encodeField(f)));
}

/** readPacked decodes a packed repeated varint payload, or undefined when malformed. */
export function readPacked(payload: Uint8Array): bigint[] | undefined {
  const out: bigint[] = [];
  let pos = 0;
  while (pos < payload.length) {
    const v = readVarint(payload, pos, payload.length);
    if (!v) return undefined;
    out.push(v[0]);
    pos = v[1];
  }
  return out;
}

/** packed encodes varints as one packed payload. */
export function packed(values: bigint[]): Uint8Array {
  return concatBytes(...values.map((v) => varint(v)));
}
