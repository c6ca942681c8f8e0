import type { Aggregate } from './aggregate';
import { type LeafSumsOf, leafSums } from './leaves';
import type { ValueType } from './model';
import { NodeTable, cleanPath } from './nodes';
import { type Profiles, reportTotal, sampleColumns } from './sampleSources';
import { normalizeProfilePath } from './sourceResolution';

// Source lines with a value, grouped by file, from a lines aggregate: what the source annotations
// paint. A line shows its cum value: a user line such as `buf.ReadFrom(r.Body)` allocates nothing
// itself (flat 0) but everything allocated below it is what it costs — what `pprof list` calls cum.

/** LineValue is one source line's numbers for one sample type (new − base when comparing). */
export interface LineValue {
  line: number;
  /** Functions that have this line (more than one when a closure or inlined call shares it). */
  functions: string[];
  flat: number;
  cum: number;
  baseFlat: number;
  baseCum: number;
}

/** FileLines maps a profile file name to its lines with values. */
export type FileLines = Map<string, Map<number, LineValue>>;

/**
 * linesByFile groups a lines aggregate by file and line. Where several nodes share a line, the
 * numbers of the one with the largest |cum| are kept (summing would count a stack twice when a
 * function and its closure both sit on that line).
 */
export function linesByFile(agg: Pick<Aggregate, 'nodes' | 'flat' | 'cum' | 'baseFlat' | 'baseCum'>): FileLines {
  const out: FileLines = new Map();
  const N = agg.nodes;
  for (let n = 0; n < N.count; n++) {
    if (agg.cum[n] === 0 && agg.flat[n] === 0 && (agg.baseCum?.[n] ?? 0) === 0) continue;
    if (N.file[n] === '' || N.line[n] <= 0) continue;
    const file = normalizeProfilePath(N.file[n]);
    let lines = out.get(file);
    if (!lines) { lines = new Map(); out.set(file, lines); }
    const entry: LineValue = {
      line: N.line[n],
      functions: [N.name[n]],
      flat: agg.flat[n],
      cum: agg.cum[n],
      baseFlat: agg.baseFlat?.[n] ?? 0,
      baseCum: agg.baseCum?.[n] ?? 0,
    };
    const prev = lines.get(entry.line);
    if (!prev) { lines.set(entry.line, entry); continue; }
    const names = [...prev.functions, ...entry.functions.filter((f) => !prev.functions.includes(f))];
    lines.set(entry.line, Math.abs(entry.cum) > Math.abs(prev.cum) ? { ...entry, functions: names } : { ...prev, functions: names });
  }
  return out;
}


/** FileLinesResult is what the annotations of some files need: their lines, and what a line's size is measured against. */
export interface FileLinesResult {
  sampleType: ValueType;
  isDiff: boolean;
  /** pprof's total (the base's when comparing). */
  total: number;
  /** Σ|Δ flat| over every line of the profiles (all change) when comparing, else the total. */
  denominator: number;
  lines: FileLines;
}

/** FileLinesOptions are fileLinesOf's helpers: kept leaf sums, the comparison's lineChange if known, a checkpoint. */
export interface FileLinesOptions {
  sumsOf?: LeafSumsOf;
  lineChange?: number;
  checkpoint?: () => void;
}

/**
 * fileLinesOf is linesByFile of the full lines aggregate (without filters), for a few files only:
 * only frames in those files get nodes, one walk over the samples adds their cum (each node once
 * per sample) and the samples' leaves their flat, and the denominator comes from the leaf sums.
 * Aggregating every line of the 61 MB pair first took 2.5–2.8 s in the analysis worker while an
 * opened file waited for its annotations. Nodes are interned in the full aggregation's order
 * (target then base, locations in order, a location's lines outermost first), so where nodes share
 * a line, linesByFile keeps the same one and lists their functions in the same order.
 */
export function fileLinesOf(profiles: Profiles, sampleIndex: string | undefined, files: readonly string[], options: FileLinesOptions = {}): FileLinesResult {
  const { sumsOf = leafSums, checkpoint } = options;
  const { sampleType, target: ti, base: bi } = sampleColumns(profiles, sampleIndex);
  const parts = [{ p: profiles.target, sign: 1, column: ti }, ...(profiles.base ? [{ p: profiles.base, sign: -1, column: bi }] : [])];
  const isDiff = parts.length > 1;
  const wanted = new Set(files);
  const nodes = new NodeTable('lines');
  // Per profile: each location's nodes in the wanted files, outermost line first.
  const frames = parts.map(({ p }) => {
    const fn = p.functions;
    const L = p.locations;
    const keyOf = new Int32Array(fn.count).fill(-1);
    for (let fi = 0; fi < fn.count; fi++) if (wanted.has(normalizeProfilePath(cleanPath(fn.filename[fi])))) keyOf[fi] = nodes.functionKey(fn.name[fi], fn.filename[fi]);
    const start = new Uint32Array(L.count + 1);
    // One byte per location for the walk's common case, a frame in none of the files.
    const inFile = new Uint8Array(L.count);
    const out: number[] = [];
    for (let loc = 0; loc < L.count; loc++) {
      for (let j = L.lineStart[loc + 1] - 1; j >= L.lineStart[loc]; j--) {
        const fi = L.lineFunction[j];
        if (fi >= 0 && keyOf[fi] >= 0) out.push(nodes.internAt(keyOf[fi], L.lineNumber[j], 0));
      }
      start[loc + 1] = out.length;
      if (start[loc + 1] > start[loc]) inFile[loc] = 1;
    }
    return { start, nodes: Int32Array.from(out), keyOf, inFile };
  });
  const flat = new Float64Array(nodes.count);
  const cum = new Float64Array(nodes.count);
  const baseFlat = isDiff ? new Float64Array(nodes.count) : undefined;
  const baseCum = isDiff ? new Float64Array(nodes.count) : undefined;
  const seen = new Int32Array(nodes.count).fill(-1);
  let walked = 0;
  // No frame in the files asked for (none asked: the engine's prefetch of the leaf sums): no walk.
  if (nodes.count > 0) parts.forEach(({ p, sign, column }, k) => {
    const { start: at, nodes: frameNodes, keyOf, inFile } = frames[k];
    const S = p.samples;
    const L = p.locations;
    const nt = p.sampleTypes.length;
    const first = S.locationStart;
    const index = S.locationIndex;
    for (let s = 0; s < S.count; s++, walked++) {
      if (checkpoint && (s & 0xffff) === 0) checkpoint();
      const v = S.values[s * nt + column];
      if (v === 0 || first[s + 1] === first[s]) continue;
      for (let i = first[s]; i < first[s + 1]; i++) {
        const loc = index[i];
        if (inFile[loc] === 0) continue;
        for (let f = at[loc]; f < at[loc + 1]; f++) {
          const n = frameNodes[f];
          if (seen[n] === walked) continue;
          seen[n] = walked;
          cum[n] += sign * v;
          if (baseCum && sign < 0) baseCum[n] += v;
        }
      }
      // Flat is the leaf's: the first location's first (innermost) line, pushed last for it.
      const leaf = index[first[s]];
      const j = L.lineStart[leaf];
      if (j === L.lineStart[leaf + 1] || L.lineFunction[j] < 0 || keyOf[L.lineFunction[j]] < 0) continue;
      const n = frameNodes[at[leaf + 1] - 1];
      flat[n] += sign * v;
      if (baseFlat && sign < 0) baseFlat[n] += v;
    }
  });
  const sums = parts.map(({ p, column }) => sumsOf(p, column));
  const total = reportTotal(sums[0].total, sums[1]?.total ?? 0, isDiff);
  return {
    sampleType, isDiff, total,
    denominator: isDiff ? options.lineChange ?? lineChange(profiles, sampleIndex, sumsOf) : total,
    lines: linesByFile({ nodes, flat, cum, baseFlat, baseCum }),
  };
}

/**
 * lineChange is Σ|Δ flat| over every lines node of a comparison (what an annotation's size is a
 * share of), from the leaf sums: a node's flat is the sum over the locations it is the leaf line of.
 */
export function lineChange(profiles: Profiles, sampleIndex: string | undefined, sumsOf: LeafSumsOf = leafSums): number {
  const { target: ti, base: bi } = sampleColumns(profiles, sampleIndex);
  const parts = [{ sums: sumsOf(profiles.target, ti), sign: 1 }, ...(profiles.base ? [{ sums: sumsOf(profiles.base, bi), sign: -1 }] : [])];
  const nodes = new NodeTable('lines');
  const flat: number[] = [];
  for (const { sums, sign } of parts) {
    const p = sums.profile;
    const L = p.locations;
    const fn = p.functions;
    const keyOf = new Int32Array(fn.count).fill(-1);
    for (let loc = 0; loc < L.count; loc++) {
      const v = sums.byLocation[loc];
      if (v === 0) continue;
      const j = L.lineStart[loc];
      const fi = j < L.lineStart[loc + 1] ? L.lineFunction[j] : -1;
      let n: number;
      if (fi < 0) n = nodes.unknown(0);
      else {
        if (keyOf[fi] < 0) keyOf[fi] = nodes.functionKey(fn.name[fi], fn.filename[fi]);
        n = nodes.internAt(keyOf[fi], L.lineNumber[j], 0);
      }
      while (flat.length <= n) flat.push(0);
      flat[n] += sign * v;
    }
  }
  let changed = 0;
  for (const v of flat) changed += Math.abs(v);
  return changed;
}
