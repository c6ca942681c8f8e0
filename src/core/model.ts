import { profileKindOf } from './profileKinds';

// The resolved, columnar profile model. Decoders produce it; nothing downstream sees wire types,
// string-table indexes or int64 wrappers. Columns are typed arrays so a 50 MB profile stays compact.

/** ValueType names a sample value column, e.g. {type: "inuse_space", unit: "bytes"}. */
export interface ValueType {
  type: string;
  unit: string;
}

/** SampleTable holds every sample as columns: its stack (leaf first) and its values. */
export interface SampleTable {
  count: number;
  /** locationStart[i]..locationStart[i+1] indexes locationIndex for sample i; length count+1. */
  locationStart: Uint32Array;
  /** Indexes into the LocationTable (not wire ids); the first entry of each sample is the leaf. */
  locationIndex: Uint32Array;
  /** values[i * sampleTypes.length + t] is sample i's value for sample type t (signed, exact to 2^53). */
  values: Float64Array;
}

/** LocationTable holds every location as columns; each location has 0..n lines, innermost first. */
export interface LocationTable {
  count: number;
  /** The wire id, kept for error messages and debugging only. */
  id: Float64Array;
  /** Instruction address (precise below 2^53, enough for user-space addresses). */
  address: Float64Array;
  /** Index into Profile.mappings, or -1. */
  mappingIndex: Int32Array;
  /** lineStart[i]..lineStart[i+1] are location i's lines; line[0] is the innermost inlined frame. */
  lineStart: Uint32Array;
  /** Index into the FunctionTable for each line, or -1 when the line names no function. */
  lineFunction: Int32Array;
  lineNumber: Float64Array;
}

/** FunctionTable holds every function's resolved strings. */
export interface FunctionTable {
  count: number;
  name: string[];
  systemName: string[];
  filename: string[];
  startLine: Float64Array;
}

/** Mapping is a binary or library mapped into the profiled process. */
export interface Mapping {
  start: number;
  limit: number;
  offset: number;
  file: string;
  buildId: string;
}

/** ProfileFormat says which importer produced a Profile. */
export type ProfileFormat = 'pprof-proto' | 'legacy-heap-text' | 'goroutine-text' | 'goroutine-dump';

/**
 * GoroutineDump is what only a goroutine dump (`/debug/pprof/goroutine?debug=2`, a panic's
 * traceback) says about each goroutine; one entry per sample, each sample one goroutine.
 */
export interface GoroutineDump {
  /** The goroutine's id (`goroutine 17 [...]`). */
  id: Float64Array;
  /** Index into waitReasons: the status in brackets (`chan receive`, `IO wait`, `running`…). */
  waitReason: Uint32Array;
  waitReasons: string[];
  /**
   * Whole minutes blocked as printed (`, 12 minutes`), 0 when not printed: Go prints it from one
   * minute on, counted from the first GC that found the goroutine blocked.
   */
  waitMinutes: Float64Array;
  /** Location index of the `created by` frame (the `go` statement), or -1 (main, or a runtime goroutine). */
  createdBy: Int32Array;
  /** The creating goroutine's id (`created by … in goroutine N`, Go ≥ 1.21), or -1. */
  creator: Float64Array;
}

/** Profile is one decoded profile: the only shape the rest of heaplens reads. */
export interface Profile {
  format: ProfileFormat;
  gzipped: boolean;
  sampleTypes: ValueType[];
  /** default_sample_type resolved to its name, or '' when the profile does not set one. */
  defaultSampleType: string;
  periodType: ValueType | undefined;
  period: number;
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  samples: SampleTable;
  locations: LocationTable;
  functions: FunctionTable;
  mappings: Mapping[];
  /** The `# runtime.MemStats` block of a legacy text heap profile, in file order. */
  memStats?: Array<[string, string]>;
  /** Per-goroutine details of a goroutine dump (format 'goroutine-dump'). */
  goroutineDump?: GoroutineDump;
}

/** isGoroutineProfile tells whether a profile counts goroutines (`goroutine/count`, any of the three forms). */
export function isGoroutineProfile(p: Profile): boolean {
  return p.sampleTypes.length === 1 && p.sampleTypes[0].type === 'goroutine' && p.sampleTypes[0].unit === 'count';
}

/** isHeapProfile tells whether a profile carries Go heap sample types (the 'heap' row of the profile-kinds table). */
export function isHeapProfile(p: Profile): boolean {
  return profileKindOf(p)?.id === 'heap';
}
