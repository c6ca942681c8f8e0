import { type CompiledFilters, type Filters, compileFilters, sampleSelected } from './filter';
import type { Profile } from './model';
import { type LeafPart, type LeafSums, leafLines, leafSums } from './leaves';
import { NodeTable } from './nodes';
import { resolveSampleIndex } from './sampleIndex';
import { type ExpandedView, type Profiles, type SignedSource, signedSources } from './sampleSources';
import { normalizeProfilePath } from './sourceResolution';

// Line-level questions about one function or one line, answered by walking the stacks once per
// question instead of aggregating every line with edges up front: on two 50 MB profiles a lines
// aggregate with edges takes over a minute on the extension host, one walk a second or two, and the
// tree and hovers only ever ask about what the user expands or points at. Stacks are expanded at
// lines granularity with core's frameNodes (inlined frames, hide/show, focus/ignore), and values
// follow pprof: cum once per distinct node per sample, flat to the last node visited.

/** CallFrame is one frame of a call path. */
export interface CallFrame {
  name: string;
  file: string;
  line: number;
}

/** CallPath is one distinct stack (root first) through a line, with its weight (new − base when comparing). */
export interface CallPath {
  frames: CallFrame[];
  /** Index in `frames` of the first frame on the line asked about. */
  at: number;
  value: number;
  baseValue: number;
}

/** LineTotals is a line's flat and cum: new − base when comparing (base values separately), else the profile's. */
export interface LineTotals {
  name: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  baseFlat: number;
  baseCum: number;
}

/** CallSite is a line in another function from which a function was called, and what flowed through that call. */
export interface CallSite {
  name: string;
  file: string;
  line: number;
  value: number;
  baseValue: number;
}

/** LineDetail is what a hover shows about a line: its numbers per sample type and the call paths through it. */
export interface LineDetail {
  totals: Map<string, LineTotals | undefined>;
  paths: CallPath[];
}

/** FunctionDetail is what the tree shows under a function: its lines, and the call sites that reached it. */
export interface FunctionDetail {
  lines: LineTotals[];
  callers: CallSite[];
}

type Expanded = SignedSource;

/** StackIndex expands the stacks of a profile (and its base) once, to answer many line-level queries. */
export class StackIndex {
  // Empty until expand(): then the expansion's own table (the analysis worker's view cache may give it).
  private nodes = new NodeTable('lines');
  private readonly filters: CompiledFilters;
  private expandedSources: Expanded[] | undefined;
  private readonly leafCache = new Map<string, (functionName: string) => CallFrame | undefined>();
  private readonly detailCache = new Map<string, FunctionDetail>();
  private readonly lineCache = new Map<string, LineDetail>();
  private readonly sumsCache = new Map<Profile, Map<number, LeafSums>>();

  /**
   * `lines`, when given, returns the profiles expanded at lines granularity with the same filters
   * (expandView): the analysis worker's view cache, which the diagnosis expands too.
   */
  constructor(private readonly profiles: Profiles, filters: Filters = {}, private readonly lines?: () => ExpandedView) {
    this.filters = compileFilters(filters);
  }

  /**
   * expand returns every location of both profiles expanded into line nodes, built on first need: the
   * first hotspots only need the leaves (mainLine), and expanding ~200,000 locations of a 50 MB
   * profile was a third of that first query.
   */
  private expand(): Expanded[] {
    if (!this.expandedSources) {
      const given = this.lines?.();
      if (given && given.nodes.granularity !== 'lines') throw new Error('StackIndex needs a lines expansion');
      if (given) this.nodes = given.nodes;
      this.expandedSources = given?.sources ?? signedSources(this.profiles, this.nodes, this.filters);
    }
    return this.expandedSources;
  }

  /**
   * mainLine returns the line a function row opens at: the one with the largest |flat| (where the
   * function itself allocated). Costs one pass over the samples' leaves per sample type, not their
   * stacks; without filters, only the function's own leaf locations are looked up, by name.
   */
  mainLine(functionName: string, sampleType: string): CallFrame | undefined {
    let leaf = this.leafCache.get(sampleType);
    if (!leaf) {
      leaf = this.leafLines(sampleType);
      this.leafCache.set(sampleType, leaf);
    }
    return leaf(functionName);
  }

  /** leafSums is a profile's values summed at its samples' leaf locations, kept per value column: the first rows' flat and mainLine read the same sums. */
  leafSums(p: Profile, valueIndex: number, checkpoint?: () => void): LeafSums {
    let byColumn = this.sumsCache.get(p);
    if (!byColumn) this.sumsCache.set(p, byColumn = new Map());
    let sums = byColumn.get(valueIndex);
    if (!sums) byColumn.set(valueIndex, sums = leafSums(p, valueIndex, checkpoint));
    return sums;
  }

  /** leafLines answers mainLine for one sample type: from the expanded stacks when filters apply (or they exist), else from the leaf locations. */
  private leafLines(sampleType: string): (functionName: string) => CallFrame | undefined {
    const f = this.filters;
    if (!this.expandedSources && !f.focus && !f.ignore && !f.hide && !f.show) {
      const parts: LeafPart[] = [];
      for (const [p, sign] of [[this.profiles.target, 1], ...(this.profiles.base ? [[this.profiles.base, -1]] : [])] as Array<[Profile, number]>) {
        const ti = typeIndex(p, sampleType);
        if (ti >= 0) parts.push({ sums: this.leafSums(p, ti), sign });
      }
      return leafLines(parts);
    }
    this.expand();
    const flat = new Float64Array(this.nodes.count);
    this.forEachSample(sampleType, (s, w, x) => {
      const n = leafNode(x, s);
      if (n >= 0) flat[n] += w;
    });
    const byFunction = new Map<string, number>();
    for (let n = 0; n < flat.length; n++) {
      if (flat[n] === 0) continue;
      const best = byFunction.get(this.nodes.name[n]);
      if (best === undefined || Math.abs(flat[n]) > Math.abs(flat[best])) byFunction.set(this.nodes.name[n], n);
    }
    return (name) => {
      const n = byFunction.get(name);
      return n === undefined ? undefined : this.frame(n);
    };
  }

  /** functionDetail walks the stacks once for a function: flat/cum per line of it, and weight per call site into it. */
  functionDetail(functionName: string, sampleType: string): FunctionDetail {
    const key = `${sampleType}\u0000${functionName}`;
    const cached = this.detailCache.get(key);
    if (cached) return cached;
    this.expand(); // before reading the node count: expanding adds nodes
    const N = this.nodes.count;
    const inFunction = new Uint8Array(N);
    for (let n = 0; n < N; n++) if (this.nodes.name[n] === functionName) inFunction[n] = 1;
    const acc = new Accumulator(N);
    const callers = new Accumulator(N);
    this.forEachSample(sampleType, (s, w, x, v) => {
      acc.nextStamp();
      callers.nextStamp();
      const S = x.profile.samples;
      const { start, nodes } = x.frames;
      let prev = -1;
      for (let k = S.locationStart[s + 1] - 1; k >= S.locationStart[s]; k--) {
        const loc = S.locationIndex[k];
        for (let j = start[loc]; j < start[loc + 1]; j++) {
          const n = nodes[j];
          if (inFunction[n] === 1) {
            acc.cumOnce(n, w, x.sign, v);
            if (prev >= 0 && inFunction[prev] === 0) callers.cumOnce(prev, w, x.sign, v);
          }
          prev = n;
        }
      }
      if (prev >= 0 && inFunction[prev] === 1) acc.flat(prev, w, x.sign, v);
    });
    const lines: LineTotals[] = [];
    const sites: CallSite[] = [];
    for (let n = 0; n < N; n++) {
      if (acc.touched[n]) lines.push({ ...this.frame(n), flat: acc.flatV[n], cum: acc.cumV[n], baseFlat: acc.baseFlat[n], baseCum: acc.baseCum[n] });
      if (callers.touched[n]) sites.push({ ...this.frame(n), value: callers.cumV[n], baseValue: callers.baseCum[n] });
    }
    const detail = { lines, callers: sites };
    this.detailCache.set(key, detail);
    return detail;
  }

  /**
   * lineDetail answers a hover in one walk over the stacks: the line's flat and cum for each of
   * `sampleTypes`, and the heaviest `limit` distinct stacks through it for `pathType`, by |change|.
   */
  lineDetail(file: string, line: number, sampleTypes: readonly string[], pathType: string, limit = 3): LineDetail {
    const key = JSON.stringify([file, line, sampleTypes, pathType, limit]);
    let detail = this.lineCache.get(key);
    if (!detail) {
      detail = this.walkLine(file, line, sampleTypes, pathType, limit);
      this.lineCache.set(key, detail);
    }
    return detail;
  }

  private walkLine(file: string, line: number, sampleTypes: readonly string[], pathType: string, limit: number): LineDetail {
    const totals = new Map<string, LineTotals | undefined>(sampleTypes.map((t) => [t, undefined]));
    const sources = this.expand(); // before nodesOnLine reads the node table
    const onLine = this.nodesOnLine(file, line);
    if (!onLine) return { totals, paths: [] };
    const acc = sampleTypes.map(() => new Accumulator(1));
    const paths = new Map<string, { nodes: number[]; value: number; baseValue: number }>();
    for (const x of sources) {
      const p = x.profile;
      const S = p.samples;
      const nt = p.sampleTypes.length;
      const types = sampleTypes.map((t) => typeIndex(p, t));
      const pathIndex = typeIndex(p, pathType);
      const { start, nodes, mark } = x.frames;
      for (let s = 0; s < S.count; s++) {
        const from = S.locationStart[s];
        const to = S.locationStart[s + 1];
        if (mark && !sampleSelected(mark, S.locationIndex, from, to)) continue;
        let hit = false;
        let last = -1;
        for (let k = to - 1; k >= from && !hit; k--) {
          const loc = S.locationIndex[k];
          for (let j = start[loc]; j < start[loc + 1]; j++) if (onLine[nodes[j]] === 1) hit = true;
        }
        if (!hit) continue;
        last = leafNode(x, s);
        for (let i = 0; i < types.length; i++) {
          const v = types[i] < 0 ? 0 : S.values[s * nt + types[i]];
          if (v === 0) continue;
          acc[i].nextStamp();
          acc[i].cumOnce(0, x.sign * v, x.sign, v);
          if (last >= 0 && onLine[last] === 1) acc[i].flat(0, x.sign * v, x.sign, v);
        }
        const pv = pathIndex < 0 ? 0 : S.values[s * nt + pathIndex];
        if (pv === 0) continue;
        const stack = this.stackOf(x, s);
        const key = stack.join(',');
        const path = paths.get(key) ?? { nodes: stack, value: 0, baseValue: 0 };
        path.value += x.sign * pv;
        if (x.sign < 0) path.baseValue += pv;
        paths.set(key, path);
      }
    }
    sampleTypes.forEach((t, i) => {
      const a = acc[i];
      if (a.touched[0]) totals.set(t, { name: '', file, line, flat: a.flatV[0], cum: a.cumV[0], baseFlat: a.baseFlat[0], baseCum: a.baseCum[0] });
    });
    const top = [...paths.values()]
      .filter((p) => p.value !== 0)
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || b.baseValue - a.baseValue)
      .slice(0, limit)
      .map((p) => ({ frames: p.nodes.map((n) => this.frame(n)), at: p.nodes.findIndex((n) => onLine[n] === 1), value: p.value, baseValue: p.baseValue }));
    return { totals, paths: top };
  }

  private stackOf(x: Expanded, s: number): number[] {
    const S = x.profile.samples;
    const { start, nodes } = x.frames;
    const stack: number[] = [];
    for (let k = S.locationStart[s + 1] - 1; k >= S.locationStart[s]; k--) {
      const loc = S.locationIndex[k];
      for (let j = start[loc]; j < start[loc + 1]; j++) stack.push(nodes[j]);
    }
    return stack;
  }

  private nodesOnLine(file: string, line: number): Uint8Array | undefined {
    const wanted = normalizeProfilePath(file);
    const onLine = new Uint8Array(this.nodes.count);
    let any = false;
    for (let n = 0; n < this.nodes.count; n++) {
      if (this.nodes.line[n] === line && normalizeProfilePath(this.nodes.file[n]) === wanted) { onLine[n] = 1; any = true; }
    }
    return any ? onLine : undefined;
  }

  private frame(n: number): CallFrame {
    return { name: this.nodes.name[n], file: this.nodes.file[n], line: this.nodes.line[n] };
  }

  /** forEachSample calls `visit` for each selected sample with a non-zero value: signed weight w, raw value v. */
  private forEachSample(sampleType: string, visit: (sample: number, w: number, x: Expanded, v: number) => void): void {
    for (const x of this.expand()) {
      const p = x.profile;
      const ti = typeIndex(p, sampleType);
      if (ti < 0) continue;
      const S = p.samples;
      const nt = p.sampleTypes.length;
      const mark = x.frames.mark;
      for (let s = 0; s < S.count; s++) {
        const v = S.values[s * nt + ti];
        if (v === 0) continue;
        if (mark && !sampleSelected(mark, S.locationIndex, S.locationStart[s], S.locationStart[s + 1])) continue;
        visit(s, x.sign * v, x, v);
      }
    }
  }
}

/** leafNode is the last node a walk visits in sample s (pprof's flat node), or -1 when every frame is hidden. */
function leafNode(x: Expanded, s: number): number {
  const S = x.profile.samples;
  const { start, nodes } = x.frames;
  for (let k = S.locationStart[s]; k < S.locationStart[s + 1]; k++) {
    const loc = S.locationIndex[k];
    if (start[loc + 1] > start[loc]) return nodes[start[loc + 1] - 1];
  }
  return -1;
}

/** Accumulator sums flat and cum per node, cum once per sample (recursion), new − base and base apart. */
class Accumulator {
  readonly flatV: Float64Array;
  readonly cumV: Float64Array;
  readonly baseFlat: Float64Array;
  readonly baseCum: Float64Array;
  readonly touched: Uint8Array;
  private readonly seen: Float64Array;
  private stamp = 0;

  constructor(n: number) {
    this.flatV = new Float64Array(n);
    this.cumV = new Float64Array(n);
    this.baseFlat = new Float64Array(n);
    this.baseCum = new Float64Array(n);
    this.touched = new Uint8Array(n);
    this.seen = new Float64Array(n).fill(-1);
  }

  nextStamp(): void {
    this.stamp++;
  }

  cumOnce(n: number, w: number, sign: number, v: number): void {
    if (this.seen[n] === this.stamp) return;
    this.seen[n] = this.stamp;
    this.cumV[n] += w;
    if (sign < 0) this.baseCum[n] += v;
    this.touched[n] = 1;
  }

  flat(n: number, w: number, sign: number, v: number): void {
    this.flatV[n] += w;
    if (sign < 0) this.baseFlat[n] += v;
    this.touched[n] = 1;
  }
}

function typeIndex(p: Profile, sampleType: string): number {
  try {
    return resolveSampleIndex(p, sampleType);
  } catch {
    return -1;
  }
}

/**
 * abridgePath keeps the frames that explain a path: up to `callers` frames leading to the line, the
 * line's own frame, and the allocating leaf; `undefined` marks an elision ("…").
 */
export function abridgePath(path: CallPath, callers = 3): Array<CallFrame | undefined> {
  const { frames, at } = path;
  const out: Array<CallFrame | undefined> = [];
  const first = Math.max(0, at - callers);
  if (first > 0) out.push(undefined);
  for (let i = first; i <= at; i++) out.push(frames[i]);
  const leaf = frames.length - 1;
  if (leaf > at) {
    if (leaf > at + 1) out.push(undefined);
    out.push(frames[leaf]);
  }
  return out;
}
