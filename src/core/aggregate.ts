import { type Filters, compileFilters, sampleSelected } from './filter';
import type { Profile, ValueType } from './model';
import { EdgeAccumulator, type EdgeTable } from './edgeTable';
import { type Granularity, NodeTable } from './nodes';
import { type Comparison, type ExpandedView, type FrameNodes, type Profiles, type SampleSource, reportTotal, sampleSources } from './sampleSources';

export type { EdgeTable } from './edgeTable';

// flat and cum per node, as pprof's graph.newGraph computes them (pprof-semantics.md §3):
// walk each sample root → leaf, and inside a location its lines last → first; cum gets the sample's
// value once per distinct node on the stack; flat goes to the last node visited (the innermost frame
// of the leaf). A comparison is pprof's -diff_base: the base's samples are negated and added, so
// every per-node number is new − base, and the base total is the denominator of percentages.

/** AggregateOptions choose what to aggregate. */
export interface AggregateOptions {
  granularity?: Granularity;
  /** Sample type name (pprof's -sample_index); default: default_sample_type, else the last type. */
  sampleIndex?: string;
  filters?: Filters;
  /** Also compute caller → callee edges (call graph, callers/callees). */
  edges?: boolean;
  /**
   * With `edges`, keep only the edges into and out of this node (peek). Every edge of a 50 MB
   * profile is ~1M hash entries touched ~60M times (seconds, like pprof); one node's edges fit in cache.
   */
  edgesOf?: number;
  /** The view's profiles already expanded at this granularity and filters (its nodes become the aggregate's). */
  expanded?: ExpandedView;
  /** Called every 65,536 samples; throws to abandon the aggregation (a superseded query). */
  checkpoint?: () => void;
}

/** Aggregate is the result: per node, flat and cum (new − base when comparing), plus the base values. */
export interface Aggregate {
  nodes: NodeTable;
  sampleType: ValueType;
  /** pprof's total: Σ|value| over all samples, or over the base's samples when comparing. */
  total: number;
  /** Σ|value| of the compared (new) profile alone. */
  newTotal: number;
  /** Σ|value| of the base profile (0 when not comparing). */
  baseTotal: number;
  flat: Float64Array;
  cum: Float64Array;
  /** Base values, positive (only when comparing). */
  baseFlat?: Float64Array;
  baseCum?: Float64Array;
  edges?: EdgeTable;
  isDiff: boolean;
}

/** aggregate computes flat/cum for one profile. */
export function aggregate(profile: Profile, options: AggregateOptions = {}): Aggregate {
  return aggregateProfiles({ target: profile }, options);
}

/** aggregateDiff computes target − base per node, with pprof's -diff_base semantics. */
export function aggregateDiff(comparison: Comparison, options: AggregateOptions = {}): Aggregate {
  return aggregateProfiles(comparison, options);
}

/** aggregateProfiles aggregates the target, minus the base when one is given. */
export function aggregateProfiles(profiles: Profiles, options: AggregateOptions = {}): Aggregate {
  const nodes = options.expanded?.nodes ?? new NodeTable(options.granularity ?? 'functions');
  const { sampleType, sources } = sampleSources(profiles, options.sampleIndex, nodes, compileFilters(options.filters), options.expanded);
  const acc = new Accumulator(nodes.count, !!options.edges, options.edgesOf ?? -1, options.checkpoint);
  const totals = sources.map((s) => acc.add(s));
  const newTotal = totals[0];
  const baseTotal = totals[1] ?? 0;
  const isDiff = sources.length > 1;
  const result: Aggregate = {
    nodes,
    sampleType,
    total: reportTotal(newTotal, baseTotal, isDiff),
    newTotal,
    baseTotal,
    flat: acc.flat,
    cum: acc.cum,
    isDiff,
    edges: acc.edgeTable(),
  };
  if (isDiff) {
    result.baseFlat = acc.baseFlat;
    result.baseCum = acc.baseCum;
  }
  return result;
}

/** Accumulator sums samples into per-node flat/cum (and edges), de-duplicating recursion per sample. */
class Accumulator {
  readonly flat: Float64Array;
  readonly cum: Float64Array;
  readonly baseFlat: Float64Array;
  readonly baseCum: Float64Array;
  private readonly seen: Int32Array;
  private stamp = 0;
  private readonly edgeIndex: EdgeAccumulator | undefined;

  private readonly edgesOf: number;

  constructor(n: number, edges: boolean, edgesOf: number, private readonly checkpoint: (() => void) | undefined) {
    this.edgesOf = edgesOf;

    this.flat = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.baseFlat = new Float64Array(n);
    this.baseCum = new Float64Array(n);
    this.seen = new Int32Array(n).fill(-1);
    this.edgeIndex = edges ? new EdgeAccumulator() : undefined;
  }

  /** add walks every sample of a source, scaled by its sign; returns Σ|value| of all samples. */
  add(source: SampleSource): number {
    const { profile: p, valueIndex: ti, frames, sign } = source;
    if (!this.edgeIndex && !frames.mark) {
      // The common case — no edges, no focus/ignore — runs in a loop with nothing else in it.
      const base = sign < 0;
      return walkSamples(p, ti, frames, base ? -1 : 1, this.flat, this.cum, base ? this.baseFlat : undefined, base ? this.baseCum : undefined, this.seen, this.nextStamp(p.samples.count), this.checkpoint);
    }
    return this.addGeneral(p, ti, frames, sign);
  }

  /** nextStamp reserves `n` recursion stamps (one per sample) and returns the first. */
  private nextStamp(n: number): number {
    const first = this.stamp + 1;
    this.stamp += n;
    return first;
  }

  private addGeneral(p: Profile, ti: number, frames: FrameNodes, sign: 1 | -1): number {
    const S = p.samples;
    const nt = p.sampleTypes.length;
    const values = S.values;
    const locStart = S.locationStart;
    const locIndex = S.locationIndex;
    const fStart = frames.start;
    const fNodes = frames.nodes;
    const flat = this.flat;
    const cum = this.cum;
    const bFlat = this.baseFlat;
    const bCum = this.baseCum;
    const seen = this.seen;
    const edges = this.edgeIndex;
    const only = this.edgesOf;
    let total = 0;
    const checkpoint = this.checkpoint;
    for (let s = 0; s < S.count; s++) {
      if (checkpoint && (s & 0xffff) === 0) checkpoint();
      const v = values[s * nt + ti];
      if (v === 0) continue;
      total += v < 0 ? -v : v; // pprof's total counts every sample, filtered or not
      const from = locStart[s];
      const to = locStart[s + 1];
      if (frames.mark && !sampleSelected(frames.mark, locIndex, from, to)) continue;
      const w = sign * v;
      const stamp = ++this.stamp;
      let leaf = -1;
      let parent = -1;
      for (let k = to - 1; k >= from; k--) {
        const loc = locIndex[k];
        for (let j = fStart[loc]; j < fStart[loc + 1]; j++) {
          const node = fNodes[j];
          if (seen[node] !== stamp) {
            seen[node] = stamp;
            cum[node] += w;
            if (sign < 0) bCum[node] += v;
          }
          if (edges && parent >= 0 && parent !== node && (only < 0 || parent === only || node === only)) edges.add(parent, node, w, sign < 0 ? v : 0, frames.inlined[j] === 1, stamp);
          parent = node;
          leaf = node;
        }
      }
      if (leaf >= 0) {
        flat[leaf] += w;
        if (sign < 0) bFlat[leaf] += v;
      }
    }
    return total;
  }

  /** edgeTable returns the accumulated edges, if edges were requested. */
  edgeTable(): EdgeTable | undefined {
    return this.edgeIndex?.table();
  }

}

/**
 * walkSamples is the hot loop of aggregation: per sample, cum once per distinct node (a stamp per
 * sample marks nodes already counted), flat on the leaf. Returns Σ|value| over all samples.
 */
function walkSamples(
  p: Profile, ti: number, frames: FrameNodes, sign: number,
  flat: Float64Array, cum: Float64Array, baseFlat: Float64Array | undefined, baseCum: Float64Array | undefined,
  seen: Int32Array, firstStamp: number, checkpoint: (() => void) | undefined,
): number {
  const count = p.samples.count;
  const nt = p.sampleTypes.length;
  const values = p.samples.values;
  const locStart = p.samples.locationStart;
  const locIndex = p.samples.locationIndex;
  const fStart = frames.start;
  const fNodes = frames.nodes;
  let total = 0;
  for (let s = 0; s < count; s++) {
    if (checkpoint && (s & 0xffff) === 0) checkpoint();
    const v = values[s * nt + ti];
    if (v === 0) continue;
    total += v < 0 ? -v : v;
    const w = sign * v;
    const stamp = firstStamp + s;
    let leaf = -1;
    for (let k = locStart[s + 1] - 1, from = locStart[s]; k >= from; k--) {
      const loc = locIndex[k];
      for (let j = fStart[loc], end = fStart[loc + 1]; j < end; j++) {
        const node = fNodes[j];
        if (seen[node] !== stamp) {
          seen[node] = stamp;
          cum[node] += w;
          if (baseCum) baseCum[node] += v;
        }
        leaf = node;
      }
    }
    if (leaf >= 0) {
      flat[leaf] += w;
      if (baseFlat) baseFlat[leaf] += v;
    }
  }
  return total;
}
