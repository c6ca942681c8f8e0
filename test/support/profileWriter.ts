import protobuf from 'protobufjs';

// Encodes profile.proto messages for tests and the benchmark. protobufjs's Writer is used where it
// pays — small, schema-shaped encoding — while decoding uses heaplens' own columnar reader.

/** SpecSample is a sample in a test profile: location ids leaf first, and one value per sample type. */
export interface SpecSample {
  locations: number[];
  values: number[];
}

/** SpecLocation is a location with its lines, innermost first. */
export interface SpecLocation {
  id: number;
  address?: number;
  mappingId?: number;
  lines: Array<{ functionId: number; line: number }>;
}

/** SpecFunction is a function with its name and file. */
export interface SpecFunction {
  id: number;
  name: string;
  file: string;
  startLine?: number;
}

/** ProfileSpec describes a whole profile in plain objects. */
export interface ProfileSpec {
  sampleTypes: Array<[string, string]>;
  samples: SpecSample[];
  locations: SpecLocation[];
  functions: SpecFunction[];
  mappings?: Array<{ id: number; file: string }>;
  period?: number;
  periodType?: [string, string];
  timeNanos?: number;
  defaultSampleType?: string;
  /** Write repeated integers unpacked (legal protobuf; Go does it for ≤ 2 values). */
  unpacked?: boolean;
}

/** encodeProfile writes a ProfileSpec as an uncompressed profile.proto message. */
export function encodeProfile(spec: ProfileSpec): Uint8Array {
  const strings = [''];
  const index = new Map<string, number>([['', 0]]);
  const s = (v: string): number => {
    let i = index.get(v);
    if (i === undefined) { i = strings.length; strings.push(v); index.set(v, i); }
    return i;
  };
  const w = protobuf.Writer.create();
  const repeated = (field: number, values: number[]) => {
    if (spec.unpacked) {
      for (const v of values) w.uint32((field << 3) | 0).int64(v);
    } else if (values.length > 0) {
      w.uint32((field << 3) | 2).fork();
      for (const v of values) w.int64(v);
      w.ldelim();
    }
  };
  const valueType = (field: number, [type, unit]: [string, string]) => {
    w.uint32((field << 3) | 2).fork().uint32(8).int64(s(type)).uint32(16).int64(s(unit)).ldelim();
  };
  for (const t of spec.sampleTypes) valueType(1, t);
  for (const sample of spec.samples) {
    w.uint32((2 << 3) | 2).fork();
    repeated(1, sample.locations);
    repeated(2, sample.values);
    w.ldelim();
  }
  for (const m of spec.mappings ?? []) {
    w.uint32((3 << 3) | 2).fork().uint32(8).uint64(m.id).uint32(5 << 3).int64(s(m.file)).ldelim();
  }
  for (const l of spec.locations) {
    w.uint32((4 << 3) | 2).fork().uint32(8).uint64(l.id);
    if (l.mappingId) w.uint32(16).uint64(l.mappingId);
    if (l.address) w.uint32(24).uint64(l.address);
    for (const ln of l.lines) w.uint32((4 << 3) | 2).fork().uint32(8).uint64(ln.functionId).uint32(16).int64(ln.line).ldelim();
    w.ldelim();
  }
  for (const f of spec.functions) {
    w.uint32((5 << 3) | 2).fork().uint32(8).uint64(f.id).uint32(16).int64(s(f.name)).uint32(24).int64(s(f.name))
      .uint32(32).int64(s(f.file)).uint32(40).int64(f.startLine ?? 0).ldelim();
  }
  if (spec.timeNanos) w.uint32(9 << 3).int64(spec.timeNanos);
  if (spec.periodType) valueType(11, spec.periodType);
  if (spec.period) w.uint32(12 << 3).int64(spec.period);
  if (spec.defaultSampleType) w.uint32(14 << 3).int64(s(spec.defaultSampleType));
  // Go writes the string table last; decoders must not assume it comes first.
  for (const str of strings) w.uint32((6 << 3) | 2).string(str);
  return w.finish();
}

/** HEAP_TYPES are a Go heap profile's four sample types, in Go's order. */
export const HEAP_TYPES: Array<[string, string]> = [
  ['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes'],
];
