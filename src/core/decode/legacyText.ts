import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';
import type { Profile, ValueType } from '../model';
import { float64Column } from './columns';
import { FrameTable, type TextFrame } from './frameTable';

// Go's legacy heap profile text (`/debug/pprof/heap?debug=1`, runtime/pprof's writeHeapInternal):
//
//   heap profile: INUSE_OBJS: INUSE_BYTES [ALLOC_OBJS: ALLOC_BYTES] @ heap/2*MemProfileRate
//   OBJS: BYTES [OBJS: BYTES] @ 0xPC 0xPC ...
//   #	0xPC	pkg.Func+0xOFF	/path/file.go:LINE
//
//   # runtime.MemStats
//   # Alloc = ...
//
// Values are raw sampled counts and are unsampled here exactly as pprof's legacy parser does
// (profile/legacy_profile.go: parseHeapHeader, parseHeapSample, scaleHeapSample). Unlike pprof,
// function/file/line come from the `#` lines, so frames have names without the binary.

const HEADER = /^heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*|growthz?)\/?(\d*)/;
const RECORD = /^(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *\] *@([ x0-9a-fA-F]*)$/;
// `[^]*` rather than `.*`, so no character (U+2028 included) can make `$` fail and `\s*` retry its
// splits. Frame lines are scanned by parseFrameLine, no regex.
const MEMSTAT = /^#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*([^]*)$/;

/** isLegacyHeapText tells whether data starts like a Go/C++ legacy heap profile. */
export function isLegacyHeapText(data: Uint8Array): boolean {
  const head = 'heap profile:';
  if (data.length < head.length) return false;
  for (let i = 0; i < head.length; i++) if (data[i] !== head.charCodeAt(i)) return false;
  return true;
}

/** scaleHeapSample unsamples one (count, bytes) pair: values / (1 − exp(−avgSize/rate)), truncated like Go's int64(). */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avgSize = size / count;
  const scale = 1 / (1 - Math.exp(-avgSize / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

/** decodeLegacyHeapText parses a legacy text heap profile into the resolved model. */
export function decodeLegacyHeapText(data: Uint8Array): Profile {
  const text = new TextDecoder('utf-8').decode(data);
  const lines = text.split('\n');
  const header = HEADER.exec(lines[0].trim());
  if (!header) throw new ProfileError('not-a-profile', l10n.t('the first line is not a "heap profile:" header'));
  const { rate, unsample } = samplingOf(header[5], header[6]);
  // pprof: four sample types when the alloc figures differ from the in-use ones (and are not 0).
  // (A growthz header never has alloc figures.)
  const hasAlloc = !header[5].startsWith('growth')
    && ((header[3] !== header[1] && header[3] !== '0') || (header[4] !== header[2] && header[4] !== '0'));
  const sampleTypes: ValueType[] = hasAlloc
    ? [{ type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: 'bytes' }]
    : [{ type: 'objects', unit: 'count' }, { type: 'space', unit: 'bytes' }];

  const b = new Builder();
  const values = float64Column();
  const memStats: Array<[string, string]> = [];
  let inMemStats = false;

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('# runtime.MemStats')) { inMemStats = true; continue; }
      if (inMemStats) {
        const m = MEMSTAT.exec(line);
        if (m) memStats.push([m[1], m[2]]);
        continue;
      }
      const f = parseFrameLine(line);
      if (f) b.frame(f.pc, f.name, f.file, f.line);
      continue;
    }
    if (line.startsWith('MAPPED_LIBRARIES:') || line.startsWith('--- Memory map:')) break;
    const rec = RECORD.exec(line);
    if (!rec) throw new ProfileError('corrupt', l10n.t('line {0} is not a heap record: {1}', i + 1, JSON.stringify(line.slice(0, 60))));
    const addValues = (countStr: string, sizeStr: string, label: string) => {
      let count = exactInteger(countStr, i, `${label} count`);
      let size = exactInteger(sizeStr, i, `${label} bytes`);
      if (count === 0 && size !== 0) throw new ProfileError('corrupt', l10n.t('line {0}: {1} count is 0 but {1} bytes is {2}', i + 1, label, size));
      if (count !== 0 && unsample) {
        [count, size] = scaleHeapSample(count, size, rate);
        if (!Number.isSafeInteger(count) || !Number.isSafeInteger(size)) {
          throw new ProfileError('corrupt', l10n.t('line {0}: {1} values scaled by the sampling rate exceed 2^53, more than heaplens represents exactly', i + 1, label));
        }
      }
      values.push(count);
      values.push(size);
    };
    if (hasAlloc) addValues(rec[3], rec[4], 'allocation');
    addValues(rec[1], rec[2], 'inuse');
    const pcs: number[] = [];
    for (const hex of rec[5].trim().split(/\s+/)) {
      if (hex === '') continue;
      if (!isAddress(hex)) throw new ProfileError('corrupt', l10n.t('line {0}: bad address {1}', i + 1, JSON.stringify(hex.slice(0, 40))));
      const pc = parseInt(hex, 16);
      // pprof parses addresses as uint64 and refuses the file when one does not fit.
      if (significantHexDigits(hex) > 16) throw new ProfileError('corrupt', l10n.t('line {0}: address {1} does not fit in 64 bits', i + 1, hex.length > 40 ? `${hex.slice(0, 36)}…` : hex));
      pcs.push(pc);
    }
    b.record(pcs);
  }
  const samples = b.stacks(values.finish());
  const { locations, functions } = b.tables();
  return {
    format: 'legacy-heap-text',
    gzipped: false,
    sampleTypes,
    defaultSampleType: '',
    periodType: { type: 'space', unit: 'bytes' },
    period: rate,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    samples,
    locations,
    functions,
    mappings: [],
    memStats: memStats.length > 0 ? memStats : undefined,
  };
}

/**
 * exactInteger reads a decimal field. pprof parses these with strconv.ParseInt(…, 64) and refuses
 * what does not fit; heaplens also refuses what a double cannot hold exactly (beyond 2^53), rather
 * than printing Infinity or a rounded count.
 */
function exactInteger(digits: string, lineIndex: number, field: string): number {
  const v = Number(digits);
  if (!Number.isSafeInteger(v)) {
    const shown = digits.length > 24 ? `${digits.slice(0, 20)}… (${digits.length} digits)` : digits;
    throw new ProfileError('corrupt', l10n.t('line {0}: {1} {2} is beyond 2^53, more than heaplens represents exactly', lineIndex + 1, field, shown));
  }
  return v;
}

/**
 * parseFrameLine reads `#\t0xPC\tpkg.Func+0xOFF\t/path/file.go:LINE` (or a bare `#\t0xPC`) by
 * scanning, in one pass: the regex it replaces backtracked quadratically on long lines. The name
 * ends at the first `+0x<hex>` followed by a blank; the file at the last `:` followed by digits.
 */
export function parseFrameLine(line: string): { pc: number; name?: string; file?: string; line?: string } | undefined {
  let i = 1;
  const n = line.length;
  if (line.charCodeAt(0) !== 35 /* # */ || !isBlank(line.charCodeAt(i))) return undefined;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 48 || line.charCodeAt(i + 1) !== 120) return undefined; // "0x"
  const pcStart = i + 2;
  i = pcStart;
  while (i < n && isHex(line.charCodeAt(i))) i++;
  if (i === pcStart) return undefined;
  const pc = parseInt(line.slice(pcStart, i), 16);
  const afterPc = i;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  if (i === n) return { pc };
  if (i === afterPc) return undefined;
  // The name: up to the first "+0x" + hex digits + a blank (each candidate's hex run is scanned once).
  const nameStart = i;
  let offEnd = -1;
  let at = line.indexOf('+0x', nameStart + 1);
  while (at >= 0) {
    let k = at + 3;
    while (k < n && isHex(line.charCodeAt(k))) k++;
    if (k > at + 3 && k < n && isBlank(line.charCodeAt(k))) { offEnd = k; break; }
    at = line.indexOf('+0x', Math.max(k, at + 1));
  }
  if (offEnd < 0) return undefined;
  const name = line.slice(nameStart, at);
  i = offEnd;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  // The file: up to the last ":" that is followed by digits to the end (trailing blanks allowed).
  let end = n;
  while (end > i && isBlank(line.charCodeAt(end - 1))) end--;
  const colon = line.lastIndexOf(':', end - 1);
  if (colon < i || colon === end - 1) return undefined;
  for (let k = colon + 1; k < end; k++) if (!isDigit(line.charCodeAt(k))) return undefined;
  return { pc, name, file: line.slice(i, colon), line: line.slice(colon + 1, end) };
}

/** isAddress tells whether a word is `0x` and hex digits, as Go writes each PC. */
function isAddress(word: string): boolean {
  if (word.length < 3 || word.charCodeAt(0) !== 48 || (word.charCodeAt(1) | 32) !== 120) return false;
  for (let k = 2; k < word.length; k++) if (!isHex(word.charCodeAt(k))) return false;
  return true;
}

/** significantHexDigits counts the digits of a `0x…` address after its leading zeros. */
function significantHexDigits(hex: string): number {
  let i = 2;
  while (i < hex.length && hex.charCodeAt(i) === 48) i++;
  return hex.length - i;
}

function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function samplingOf(kind: string, rateStr: string): { rate: number; unsample: boolean } {
  const r = rateStr ? Number(rateStr) : 0;
  if (!Number.isSafeInteger(r)) {
    throw new ProfileError('corrupt', rateStr.length > 24
      ? l10n.t('line 1: the sampling rate of {0} digits is beyond 2^53, more than heaplens represents exactly', rateStr.length)
      : l10n.t('line 1: the sampling rate {0} is beyond 2^53, more than heaplens represents exactly', rateStr));
  }
  switch (kind) {
    case 'heap_v2': case 'heapz_v2': return { rate: r, unsample: true };
    case 'heap': return { rate: Math.trunc(r / 2), unsample: true }; // Go writes 2 × MemProfileRate
    case 'heapprofile': case 'growthz': case 'growth': return { rate: 1, unsample: false };
    default: throw new ProfileError('not-a-profile', l10n.t('unknown heap profile sampler "{0}"', kind));
  }
}

/**
 * Builder collects each record's return PCs and the `#` frame lines that follow it, into the shared
 * FrameTable (a location per PC). A `#` line gives a PC's frames (several for an inlined call,
 * innermost first) at PC−1 (or PC). Go's text writer omits leading runtime frames and
 * runtime.goexit; its proto writer hides leading `runtime.` frames too, so leading frames that are
 * unnamed or in `runtime.` are dropped here and text and proto profiles agree.
 */
class Builder {
  private readonly table = new FrameTable();
  /** Each location's return PC (the table keeps PC−1, the address pprof stores). */
  private readonly locPc: number[] = [];
  /** Whether any `#` line (named or bare) was written for a location's PC. */
  private readonly described: boolean[] = [];
  private readonly records: number[][] = [];
  private pending = new Map<number, TextFrame[]>();

  /** record adds one heap record's stack (leaf first). */
  record(pcs: number[]): void {
    this.flush();
    this.records.push(pcs.map((pc) => this.locationFor(pc)));
  }

  /** frame adds one `#` line belonging to the latest record (a bare `#\t0xPC` line still describes its PC). */
  frame(pc: number, name: string | undefined, file: string | undefined, line: string | undefined): void {
    let list = this.pending.get(pc);
    if (!list) { list = []; this.pending.set(pc, list); }
    if (name && file !== undefined) list.push({ function: name, file, line: Number(line) });
  }

  /** stacks finishes the sample table: leading hidden frames dropped, as Go's proto writer does. */
  stacks(values: Float64Array) {
    this.flush();
    const start = new Uint32Array(this.records.length + 1);
    const index: number[] = [];
    this.records.forEach((all, i) => {
      // Go writes a `#` line for every frame it shows (a bare one when unnamed) and none for
      // runtime.goexit; pprof's proto has no goexit either. So once a record has `#` lines, its
      // PCs without one are dropped, and text and proto written at the same instant agree.
      const locs = all.some((l) => this.described[l]) ? all.filter((l) => this.described[l]) : all;
      let first = 0;
      while (first < locs.length && this.hidden(locs[first])) first++;
      if (first === locs.length) first = 0; // all hidden: show everything, like Go does
      for (let k = first; k < locs.length; k++) index.push(locs[k]);
      start[i + 1] = index.length;
    });
    return { count: this.records.length, locationStart: start, locationIndex: Uint32Array.from(index), values };
  }

  /** tables builds the location and function tables. */
  tables() {
    return this.table.tables();
  }

  private hidden(loc: number): boolean {
    const frames = this.table.framesOf(loc);
    return frames.length === 0 || frames[0].function.startsWith('runtime.');
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const last = this.records[this.records.length - 1];
    for (const loc of last ?? []) {
      if (this.table.framesOf(loc).length > 0) continue;
      const pc = this.locPc[loc];
      const frames = this.pending.get(pc - 1) ?? this.pending.get(pc);
      if (frames) { this.table.setFrames(loc, frames); this.described[loc] = true; }
    }
    this.pending = new Map();
  }

  private locationFor(pc: number): number {
    const key = String(pc);
    const known = this.table.get(key);
    if (known !== undefined) return known;
    this.locPc.push(pc);
    this.described.push(false);
    // pprof's legacy parser stores each return PC minus one ("land on the call").
    return this.table.add(key, pc - 1, []);
  }
}
