import { type WireField, encodeField, encodeMessage, packed, parseMessage, readPacked, varint } from './protoWire';
import { type Random, concatBytes } from './random';

// Structure-aware mutations of profile.proto (github.com/google/pprof/proto/profile.proto): one
// field of the Profile, or of a Sample, Location, Line, Function or Mapping inside it, changed the
// way a buggy encoder or an attacker would — values, ids, string indexes, wire types, lengths,
// order, duplicates, missing parts — with every enclosing length written back correctly.

/** PROTO_OPS names each structure-aware mutation. */
export const PROTO_OPS = [
  'varint', 'wire-type', 'string-index', 'location-id', 'function-id', 'duplicate-id', 'length', 'reorder', 'drop',
  'sample-types', 'unknown-field', 'packing', 'overlong', 'default-type',
] as const;

/** Profile fields holding messages: sample_type, sample, mapping, location, function, period_type. */
const MESSAGES = [1, 2, 3, 4, 5, 11];
const SCALARS = [7, 8, 9, 10, 12, 13, 14];
const cache = new WeakMap<Uint8Array, WireField[] | undefined>();

function topFields(data: Uint8Array): WireField[] | undefined {
  if (!cache.has(data)) cache.set(data, parseMessage(data));
  return cache.get(data);
}

function interesting(r: Random, old: bigint, limit: number): bigint {
  return r.pick([0n, 1n, -1n, 2n ** 31n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), old + 1n, old - 1n, BigInt(limit + r.int(4))]);
}

/** indexesOf lists the positions of fields numbered `num` (any number in `nums`). */
function indexesOf(fields: WireField[], nums: number[]): number[] {
  const out: number[] = [];
  fields.forEach((f, i) => { if (nums.includes(f.num)) out.push(i); });
  return out;
}

/** withSub parses a message field's payload, lets `change` edit its fields, and writes it back. */
function withSub(field: WireField, change: (sub: WireField[]) => WireField[] | undefined): WireField {
  const sub = field.payload ? parseMessage(field.payload) : undefined;
  const next = sub ? change(sub) : undefined;
  return next ? { ...field, payload: encodeMessage(next) } : field;
}

function setValue(sub: WireField[], num: number, value: bigint): WireField[] {
  const at = sub.findIndex((f) => f.num === num && f.wt === 0);
  const copy = [...sub];
  if (at >= 0) copy[at] = { ...sub[at], value }; else copy.push({ num, wt: 0, value });
  return copy;
}

/** mutateProto applies one structure-aware mutation to an uncompressed profile.proto message. */
export function mutateProto(data: Uint8Array, r: Random): { bytes: Uint8Array; op: string } | undefined {
  const top = topFields(data);
  if (!top || top.length === 0) return undefined;
  const fields = [...top];
  const op = r.pick(PROTO_OPS);
  const strings = indexesOf(top, [6]).length;
  const pickOf = (nums: number[]) => { const xs = indexesOf(fields, nums); return xs.length > 0 ? r.pick(xs) : -1; };
  const done = () => ({ bytes: encodeMessage(fields), op });
  switch (op) {
    case 'varint': { // any integer, at any depth, to 0 / huge / negative / off by one
      const i = r.int(fields.length);
      const f = fields[i];
      if (f.wt === 0) fields[i] = { ...f, value: interesting(r, f.value ?? 0n, strings) };
      else if (MESSAGES.includes(f.num)) {
        fields[i] = withSub(f, (sub) => {
          const j = r.int(sub.length || 1);
          const s = sub[j];
          if (!s) return undefined;
          const copy = [...sub];
          if (s.wt === 0) copy[j] = { ...s, value: interesting(r, s.value ?? 0n, strings) };
          else if (s.payload && f.num === 2) { // packed location ids or values
            const vs = readPacked(s.payload);
            if (!vs || vs.length === 0) return undefined;
            const k = r.int(vs.length);
            vs[k] = interesting(r, vs[k], strings);
            copy[j] = { ...s, payload: packed(vs) };
          } else if (s.payload && f.num === 4 && s.num === 4) { // a Line inside a Location
            copy[j] = withSub(s, (line) => setValue(line, 1 + r.int(3), interesting(r, 0n, strings)));
          } else return undefined;
          return copy;
        });
      }
      return done();
    }
    case 'wire-type': {
      const i = r.int(fields.length);
      const wt = r.pick([0, 1, 2, 3, 4, 5, 6, 7].filter((w) => w !== fields[i].wt));
      const bytes = concatBytes(...fields.map((f, k) => encodeField(f, k === i ? wt : f.wt)));
      return { bytes, op };
    }
    case 'string-index': { // a function's, sample type's or mapping's string past the table (or negative)
      const i = pickOf([1, 3, 5, 11]);
      if (i < 0) return undefined;
      const num = fields[i].num === 5 ? 2 + r.int(3) : fields[i].num === 3 ? r.pick([5, 6]) : 1 + r.int(2);
      fields[i] = withSub(fields[i], (sub) => setValue(sub, num, r.pick([BigInt(strings), BigInt(strings + r.int(1000)), -1n, 2n ** 40n])));
      return done();
    }
    case 'location-id': { // a sample naming a location that is not there (or id 0)
      const i = pickOf([2]);
      if (i < 0) return undefined;
      fields[i] = withSub(fields[i], (sub) => {
        const j = sub.findIndex((s) => s.num === 1);
        const ids = j >= 0 && sub[j].payload ? readPacked(sub[j].payload!) : undefined;
        const bad = r.pick([0n, 999_999n, 2n ** 33n, -5n]);
        const copy = [...sub];
        if (ids && ids.length > 0) { ids[r.int(ids.length)] = bad; copy[j] = { ...sub[j], payload: packed(ids) }; } else copy.push({ num: 1, wt: 0, value: bad });
        return copy;
      });
      return done();
    }
    case 'function-id': { // a line naming a function that is not there
      const i = pickOf([4]);
      if (i < 0) return undefined;
      fields[i] = withSub(fields[i], (sub) => {
        const j = sub.findIndex((s) => s.num === 4);
        const copy = [...sub];
        const line = { num: 4, wt: 2, payload: encodeMessage([{ num: 1, wt: 0, value: r.pick([0n, 888_888n, -1n]) }, { num: 2, wt: 0, value: BigInt(r.int(100)) }]) };
        if (j >= 0 && r.chance(0.5)) copy[j] = line; else copy.push(line);
        return copy;
      });
      return done();
    }
    case 'duplicate-id': { // a location, function or mapping written twice (same id, maybe other contents)
      const i = pickOf([3, 4, 5]);
      if (i < 0) return undefined;
      const dup = r.chance(0.5) ? fields[i] : withSub(fields[i], (sub) => setValue(sub, 2 + r.int(3), BigInt(r.int(strings || 1))));
      fields.splice(r.int(fields.length + 1), 0, dup);
      return done();
    }
    case 'length': { // a length prefix that overruns (or undercounts) its message
      const i = pickOf([1, 2, 3, 4, 5, 6, 11]);
      if (i < 0) return undefined;
      const f = fields[i];
      const len = BigInt(f.payload!.length);
      const lie = r.pick([len + 1n, len + 1000n, len > 0n ? len - 1n : 0n, 2n ** 32n - 1n, 2n ** 31n]);
      const before = encodeMessage(fields.slice(0, i));
      const after = encodeMessage(fields.slice(i + 1));
      return { bytes: concatBytes(before, varint(BigInt(f.num) * 8n + 2n), varint(lie), f.payload!, after), op };
    }
    case 'reorder': { // fields in another order (the string table's order changes every index)
      if (r.chance(0.5)) {
        for (let k = fields.length - 1; k > 0; k--) { const j = r.int(k + 1); [fields[k], fields[j]] = [fields[j], fields[k]]; }
      } else fields.reverse();
      return done();
    }
    case 'drop': { // one field, or every field of one kind, left out
      if (r.chance(0.5)) fields.splice(r.int(fields.length), 1);
      else {
        const num = r.pick([1, 2, 3, 4, 5, 6, 11, 14]);
        return { bytes: encodeMessage(fields.filter((f) => f.num !== num)), op };
      }
      return done();
    }
    case 'sample-types': { // sample_type count and value count disagree
      const k = r.int(3);
      if (k === 0) fields.splice(r.int(fields.length + 1), 0, { num: 1, wt: 2, payload: encodeMessage([{ num: 1, wt: 0, value: 1n }]) });
      else if (k === 1) { const i = pickOf([1]); if (i >= 0) fields.splice(i, 1); } else {
        const i = pickOf([2]);
        if (i < 0) return undefined;
        fields[i] = withSub(fields[i], (sub) => [...sub, { num: 2, wt: 0, value: BigInt(r.int(1 << 20)) }]);
      }
      return done();
    }
    case 'unknown-field': { // fields profile.proto does not define, of every wire type (groups too)
      const num = r.pick([15, 16, 99, 536870911]);
      const wt = r.pick([0, 1, 2, 3, 4, 5]);
      const body = wt === 0 ? varint(BigInt(r.int(1e6))) : wt === 1 ? r.bytes(8) : wt === 5 ? r.bytes(4) : wt === 2 ? concatBytes(varint(5n), r.bytes(5)) : new Uint8Array(0);
      const extra = concatBytes(varint(BigInt(num) * 8n + BigInt(wt)), body);
      const at = r.int(fields.length + 1);
      return { bytes: concatBytes(encodeMessage(fields.slice(0, at)), extra, encodeMessage(fields.slice(at))), op };
    }
    case 'packing': { // a sample's repeated fields unpacked (legal: Go writes ≤ 2 values unpacked)
      const i = pickOf([2]);
      if (i < 0) return undefined;
      fields[i] = withSub(fields[i], (sub) => sub.flatMap((s) => (s.payload && (s.num === 1 || s.num === 2)
        ? (readPacked(s.payload) ?? []).map((value) => ({ num: s.num, wt: 0, value })) : [s])));
      return done();
    }
    case 'overlong': { // a varint written with extra 0x80 groups (legal, up to 10 bytes)
      const i = pickOf(SCALARS);
      if (i < 0) return undefined;
      const f = fields[i];
      const value = f.value ?? 0n;
      const bytes = concatBytes(encodeMessage(fields.slice(0, i)), varint(BigInt(f.num) * 8n), varint(value, 1 + r.int(9)), encodeMessage(fields.slice(i + 1)));
      return { bytes, op };
    }
    default: { // default_sample_type and period pointing anywhere
      fields.push({ num: r.pick([14, 12, 10, 9]), wt: 0, value: interesting(r, 0n, strings) });
      return done();
    }
  }
}
