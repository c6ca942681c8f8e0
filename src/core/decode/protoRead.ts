import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';
import { type CapacityPlan, type ColumnMemory, GrowableColumn, PLAIN_MEMORY, float64Column, uint32Column } from './columns';
import { WireReader, WireType, readRepeated, truncated } from './wire';

// The wire half of profile.proto decoding (github.com/google/pprof/proto/profile.proto): one pass
// over the message into raw columns — string-table indexes and wire ids as written. protoResolve.ts
// turns them into the model; nothing else sees a RawProfile.

/** Field numbers of message Profile. */
const enum ProfileField {
  SampleType = 1, Sample = 2, Mapping = 3, Location = 4, Function = 5, StringTable = 6,
  DropFrames = 7, KeepFrames = 8, TimeNanos = 9, DurationNanos = 10, PeriodType = 11, Period = 12,
  Comment = 13, DefaultSampleType = 14,
}

/** RawProfile is the columns as they come off the wire, before ids and strings are resolved. */
export interface RawProfile {
  /** The string table, decoded as it is read: a streamed message keeps no buffer to point into. */
  strings: string[];
  sampleTypes: Array<[number, number]>;
  periodType: [number, number] | undefined;
  period: number;
  timeNanos: number;
  durationNanos: number;
  comments: number[];
  defaultSampleType: number;
  sampleLocStart: GrowableColumn<Uint32Array>;
  /** Location ids as written; Uint32 unless an id ≥ 2^32 forces Float64 (never seen from Go). */
  sampleLocIds: GrowableColumn<Uint32Array | Float64Array>;
  sampleValues: GrowableColumn<Float64Array>;
  /** Number of values of the first sample, and the first sample whose count differs. */
  valueCount: number;
  valueMismatch: { sample: number; count: number } | undefined;
  locIds: ReturnType<typeof float64Column>;
  locMappingIds: ReturnType<typeof float64Column>;
  locAddress: ReturnType<typeof float64Column>;
  locLineStart: ReturnType<typeof uint32Column>;
  lineFunctionIds: ReturnType<typeof float64Column>;
  lineNumbers: ReturnType<typeof float64Column>;
  funcIds: number[];
  funcName: number[];
  funcSystemName: number[];
  funcFilename: number[];
  funcStartLine: number[];
  mappings: Array<{ id: number; start: number; limit: number; offset: number; file: number; buildId: number }>;
}

/**
 * newRawProfile makes empty columns. The sample columns, the big ones (367 MB of location ids and
 * 125 MB of values on a 245 MB gzipped profile), grow by `plan` in `memory`; see ProtoStreamReader.
 */
export function newRawProfile(plan: CapacityPlan, memory: ColumnMemory = PLAIN_MEMORY): RawProfile {
  const raw: RawProfile = {
    strings: [], sampleTypes: [], periodType: undefined, period: 0, timeNanos: 0, durationNanos: 0,
    comments: [], defaultSampleType: 0,
    sampleLocStart: new GrowableColumn((n) => memory.uint32(n), 1024, plan),
    sampleLocIds: new GrowableColumn((n) => memory.uint32(n), 4096, plan) as GrowableColumn<Uint32Array | Float64Array>,
    sampleValues: new GrowableColumn((n) => memory.float64(n), 4096, plan),
    valueCount: -1, valueMismatch: undefined,
    locIds: float64Column(), locMappingIds: float64Column(), locAddress: float64Column(), locLineStart: uint32Column(),
    lineFunctionIds: float64Column(), lineNumbers: float64Column(),
    funcIds: [], funcName: [], funcSystemName: [], funcFilename: [], funcStartLine: [], mappings: [],
  };
  raw.sampleLocStart.push(0);
  raw.locLineStart.push(0);
  return raw;
}

const utf8 = new TextDecoder('utf-8');

/**
 * readProfileField reads one top-level field of message Profile at `r.pos` (`r.end` may be the
 * field's end: the caller found where it ends) and advances past it.
 */
export function readProfileField(r: WireReader, raw: RawProfile): void {
  const tag = r.uint32();
  const field = tag >>> 3;
  const wt = tag & 7;
  if (field === 0) throw new ProfileError('corrupt', l10n.t('invalid field number 0 at byte {0}', r.origin + r.pos));
  switch (field) {
    case ProfileField.Sample: expectLen(wt, 'sample'); readSample(r, raw); break;
    case ProfileField.Location: expectLen(wt, 'location'); readLocation(r, raw); break;
    case ProfileField.Function: expectLen(wt, 'function'); readFunction(r, raw); break;
    case ProfileField.StringTable: {
      expectLen(wt, 'string_table');
      const start = r.lengthDelimited();
      raw.strings.push(utf8.decode(r.buf.subarray(start, r.pos)));
      break;
    }
    case ProfileField.SampleType: expectLen(wt, 'sample_type'); raw.sampleTypes.push(readValueType(r)); break;
    case ProfileField.PeriodType: expectLen(wt, 'period_type'); raw.periodType = readValueType(r); break;
    case ProfileField.Mapping: expectLen(wt, 'mapping'); raw.mappings.push(readMapping(r)); break;
    case ProfileField.Period: raw.period = scalar(r, wt); break;
    case ProfileField.TimeNanos: raw.timeNanos = scalar(r, wt); break;
    case ProfileField.DurationNanos: raw.durationNanos = scalar(r, wt); break;
    case ProfileField.DefaultSampleType: raw.defaultSampleType = scalar(r, wt); break;
    case ProfileField.Comment: readRepeated(r, wt, (v) => raw.comments.push(v)); break;
    case ProfileField.DropFrames: case ProfileField.KeepFrames: r.skip(wt); break;
    default: r.skip(wt);
  }
}

function expectLen(wt: number, what: string): void {
  if (wt !== WireType.LengthDelimited) throw new ProfileError('corrupt', l10n.t('field {0} has wire type {1}, expected a message', what, wt));
}

function scalar(r: WireReader, wt: number): number {
  if (wt !== WireType.Varint) throw new ProfileError('corrupt', l10n.t('integer field has wire type {0}', wt));
  return r.int64();
}

function readSample(r: WireReader, raw: RawProfile): void {
  const start = r.lengthDelimited();
  const end = r.pos;
  const buf = r.buf;
  const valuesBefore = raw.sampleValues.length;
  let pos = start;
  // Hot path: Go writes `location_id` (tag 0x0a) and `value` (tag 0x12) packed. Varints are decoded
  // inline here — no reader objects per sample — and anything unusual takes the general path.
  while (pos < end) {
    const tag = buf[pos];
    if ((tag === 0x0a || tag === 0x12) && pos + 1 < end && buf[pos + 1] < 0x80) {
      const len = buf[pos + 1];
      const pEnd = pos + 2 + len;
      if (pEnd > end) throw truncated();
      pos = readPacked(raw, buf, pos + 2, pEnd, tag === 0x0a);
      continue;
    }
    pos = readSampleField(raw, buf, pos, end, r.origin);
  }
  raw.sampleLocStart.push(raw.sampleLocIds.length);
  const count = raw.sampleValues.length - valuesBefore;
  const sampleNo = raw.sampleLocStart.length - 2;
  if (raw.valueCount < 0) raw.valueCount = count;
  else if (count !== raw.valueCount && !raw.valueMismatch) raw.valueMismatch = { sample: sampleNo, count };
}

/**
 * readPacked appends the packed varints in [pos, end) to the sample's location ids (`ids`) or its
 * values. Values below 2^28 are decoded inline (the hot loop of decoding); larger or negative ones,
 * and ids once the column has widened to 64 bits, finish on the general reader.
 */
function readPacked(raw: RawProfile, buf: Uint8Array, pos: number, end: number, ids: boolean): number {
  const col = ids ? raw.sampleLocIds : raw.sampleValues;
  // A payload of b bytes holds at most b varints, but near the end of an exactly counted column
  // that bound would double the column (367 MB more copied on a 200 MB profile): count the values.
  if (col.length + (end - pos) > col.data.length) col.grow(col.length + varintCount(buf, pos, end));
  const data = col.data;
  if (ids && !(data instanceof Uint32Array)) return readPackedSlow(raw, buf, pos, end, true);
  let n = col.length;
  if (ids) {
    // Location ids are below 2^21 (three bytes) in any real profile, and their lengths vary from
    // one id to the next, so the length is computed from the continuation bits instead of branched
    // on: mispredicted branches were much of this loop (the 61 MB bench profile's 22.9 M ids: the
    // parse's CPU 650 → 575 ms, median of 8). The three bytes are read only when inside the payload;
    // a longer id leaves this loop for the one below.
    while (pos + 2 < end) {
      const b0 = buf[pos];
      const b1 = buf[pos + 1];
      const b2 = buf[pos + 2];
      const c0 = b0 >>> 7;
      const c1 = c0 & (b1 >>> 7);
      if ((c1 & (b2 >>> 7)) !== 0) break;
      data[n++] = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -c0) | (((b2 & 0x7f) << 14) & -c1);
      pos += 1 + c0 + c1;
    }
  }
  while (pos < end) {
    let b = buf[pos];
    if (b < 0x80) { data[n++] = b; pos++; continue; }
    if (pos + 3 < end) {
      let v = b & 0x7f;
      b = buf[pos + 1]; v |= (b & 0x7f) << 7;
      if (b < 0x80) { data[n++] = v; pos += 2; continue; }
      b = buf[pos + 2]; v |= (b & 0x7f) << 14;
      if (b < 0x80) { data[n++] = v; pos += 3; continue; }
      b = buf[pos + 3]; v |= (b & 0x7f) << 21;
      if (b < 0x80) { data[n++] = v; pos += 4; continue; }
    }
    col.length = n;
    return readPackedSlow(raw, buf, pos, end, ids);
  }
  col.length = n;
  return pos;
}

/** varintCount counts the varints in a packed payload: each ends at a byte below 0x80. */
function varintCount(buf: Uint8Array, pos: number, end: number): number {
  let n = 0;
  for (let i = pos; i < end; i++) if (buf[i] < 0x80) n++;
  return n;
}

const scratch = new WireReader(new Uint8Array(0));

/** readPackedSlow finishes a packed field with the general varint reader (large or negative values). */
function readPackedSlow(raw: RawProfile, buf: Uint8Array, pos: number, end: number, ids: boolean): number {
  scratch.buf = buf; scratch.pos = pos; scratch.end = end;
  while (scratch.pos < end) {
    const v = scratch.int64();
    if (ids) pushLocationId(raw, v);
    else raw.sampleValues.push(v);
  }
  return end;
}

/** readSampleField reads one field of a Sample the general way (unpacked, long lengths, labels). */
function readSampleField(raw: RawProfile, buf: Uint8Array, pos: number, end: number, origin: number): number {
  const s = new WireReader(buf, pos, end, origin);
  const tag = s.uint32();
  const field = tag >>> 3;
  const wt = tag & 7;
  if (field === 1 || field === 2) {
    if (wt === WireType.LengthDelimited) {
      const pStart = s.lengthDelimited();
      return readPacked(raw, buf, pStart, s.pos, field === 1);
    }
    if (wt !== WireType.Varint) throw new ProfileError('corrupt', l10n.t('sample field {0} has wire type {1}', field, wt));
    const v = s.int64();
    if (field === 1) pushLocationId(raw, v);
    else raw.sampleValues.push(v);
    return s.pos;
  }
  s.skip(wt); // labels (3) are not used by heaplens' views
  return s.pos;
}

/** pushLocationId appends a sample's location id, widening the column if an id needs 64 bits. */
function pushLocationId(raw: RawProfile, id: number): void {
  const col = raw.sampleLocIds;
  if (col.data instanceof Uint32Array && (id > 0xffffffff || id < 0)) {
    const wide = float64Column(col.data.length);
    wide.grow(col.data.length);
    wide.data.set(col.data.subarray(0, col.length));
    wide.length = col.length;
    raw.sampleLocIds = wide as GrowableColumn<Uint32Array | Float64Array>;
  }
  raw.sampleLocIds.grow(raw.sampleLocIds.length + 1);
  raw.sampleLocIds.data[raw.sampleLocIds.length++] = id;
}

function readLocation(r: WireReader, raw: RawProfile): void {
  const start = r.lengthDelimited();
  const end = r.pos;
  const l = new WireReader(r.buf, start, end, r.origin);
  let id = 0, mappingId = 0, address = 0;
  while (l.pos < end) {
    const tag = l.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1: id = scalar(l, wt); break;
      case 2: mappingId = scalar(l, wt); break;
      case 3: address = scalar(l, wt); break;
      case 4: {
        expectLen(wt, 'line');
        const lStart = l.lengthDelimited();
        const lEnd = l.pos;
        const ln = new WireReader(l.buf, lStart, lEnd, l.origin);
        let fn = 0, line = 0;
        while (ln.pos < lEnd) {
          const t = ln.uint32();
          if (t >>> 3 === 1) fn = scalar(ln, t & 7);
          else if (t >>> 3 === 2) line = scalar(ln, t & 7);
          else ln.skip(t & 7);
        }
        raw.lineFunctionIds.push(fn);
        raw.lineNumbers.push(line);
        break;
      }
      default: l.skip(wt);
    }
  }
  raw.locIds.push(id);
  raw.locMappingIds.push(mappingId);
  raw.locAddress.push(address < 0 ? address + 18446744073709551616 : address);
  raw.locLineStart.push(raw.lineFunctionIds.length);
}

function readFunction(r: WireReader, raw: RawProfile): void {
  const start = r.lengthDelimited();
  const end = r.pos;
  const f = new WireReader(r.buf, start, end, r.origin);
  let id = 0, name = 0, systemName = 0, filename = 0, startLine = 0;
  while (f.pos < end) {
    const tag = f.uint32();
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: id = scalar(f, wt); break;
      case 2: name = scalar(f, wt); break;
      case 3: systemName = scalar(f, wt); break;
      case 4: filename = scalar(f, wt); break;
      case 5: startLine = scalar(f, wt); break;
      default: f.skip(wt);
    }
  }
  raw.funcIds.push(id);
  raw.funcName.push(name);
  raw.funcSystemName.push(systemName);
  raw.funcFilename.push(filename);
  raw.funcStartLine.push(startLine);
}

function readValueType(r: WireReader): [number, number] {
  const start = r.lengthDelimited();
  const end = r.pos;
  const v = new WireReader(r.buf, start, end, r.origin);
  let type = 0, unit = 0;
  while (v.pos < end) {
    const tag = v.uint32();
    if (tag >>> 3 === 1) type = scalar(v, tag & 7);
    else if (tag >>> 3 === 2) unit = scalar(v, tag & 7);
    else v.skip(tag & 7);
  }
  return [type, unit];
}

function readMapping(r: WireReader): RawProfile['mappings'][number] {
  const start = r.lengthDelimited();
  const end = r.pos;
  const m = new WireReader(r.buf, start, end, r.origin);
  const out = { id: 0, start: 0, limit: 0, offset: 0, file: 0, buildId: 0 };
  while (m.pos < end) {
    const tag = m.uint32();
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: out.id = scalar(m, wt); break;
      case 2: out.start = scalar(m, wt); break;
      case 3: out.limit = scalar(m, wt); break;
      case 4: out.offset = scalar(m, wt); break;
      case 5: out.file = scalar(m, wt); break;
      case 6: out.buildId = scalar(m, wt); break;
      default: m.skip(wt);
    }
  }
  return out;
}
