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
  return new Aggregation(profiles, options).run(options.checkpoint);
}

/**
 * Aggregation is aggregateProfiles that can stop at a checkpoint and go on later from the sample
 * where it stopped: the analysis worker keeps it while unfinished, so an aggregate computed as a
 * prefetch (the functions aggregate after the tree's rows, another sample type's table) and
 * interrupted by a query does not walk again what it had walked (~1.4 s on the 61 MB pair).
 */
export class Aggregation {
  private readonly nodes: NodeTable;
  private readonly sampleType: ValueType;
  private readonly sources: SampleSource[];
  private readonly acc: Accumulator;
  private readonly totals: number[] = [];
  private result: Aggregate | undefined;

  /** `options.checkpoint` is not used: run takes the checkpoint of each run. */
  constructor(profiles: Profiles, options: AggregateOptions = {}) {
    this.nodes = options.expanded?.nodes ?? new NodeTable(options.granularity ?? 'functions');
    ({ sampleType: this.sampleType, sources: this.sources } = sampleSources(profiles, options.sampleIndex, this.nodes, compileFilters(options.filters), options.expanded));
    this.acc = new Accumulator(this.nodes.count, !!options.edges, options.edgesOf ?? -1);
  }

  /** run walks the samples not walked yet and returns the aggregate; a checkpoint that throws leaves the rest for the next run. */
  run(checkpoint?: () => void): Aggregate {
    if (this.result) return this.result;
    for (let i = this.totals.length; i < this.sources.length; i++) this.totals.push(this.acc.add(i, this.sources[i], checkpoint));
    const acc = this.acc;
    const newTotal = this.totals[0];
    const baseTotal = this.totals[1] ?? 0;
    const isDiff = this.sources.length > 1;
    const result: Aggregate = {
      nodes: this.nodes,
      sampleType: this.sampleType,
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
    return (this.result = result);
  }
}

/** WalkProgress is a walk's place in one source: the next sample, and Σ|value| before it. */
interface WalkProgress {
  next: number;
  total: number;
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
  /** The walk of the source being added (its index, where it is, its first stamp): kept when a checkpoint stops it. */
  private walk: { index: number; progress: WalkProgress; firstStamp: number } | undefined;

  constructor(n: number, edges: boolean, edgesOf: number) {
    this.edgesOf = edgesOf;

    this.flat = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.baseFlat = new Float64Array(n);
    this.baseCum = new Float64Array(n);
    this.seen = new Int32Array(n).fill(-1);
    this.edgeIndex = edges ? new EdgeAccumulator() : undefined;
  }

  /**
   * add walks every sample of source `index`, scaled by its sign (going on from where a checkpoint
   * stopped it, if one did); returns Σ|value| of all samples.
   */
  add(index: number, source: SampleSource, checkpoint: (() => void) | undefined): number {
    const { profile: p, valueIndex: ti, frames, sign } = source;
    const fast = !this.edgeIndex && !frames.mark;
    let walk = this.walk;
    if (!walk || walk.index !== index) {
      // The fast walk stamps sample s with firstStamp + s, so its stamps are reserved up front.
      walk = this.walk = { index, progress: { next: 0, total: 0 }, firstStamp: fast ? this.nextStamp(p.samples.count) : 0 };
    }
    const { progress, firstStamp } = walk;
    if (fast) {
      // The common case — no edges, no focus/ignore — runs in a loop with nothing else in it.
      const base = sign < 0;
      walkSamples(p, ti, frames, base ? -1 : 1, this.flat, this.cum, base ? this.baseFlat : undefined, base ? this.baseCum : undefined, this.seen, firstStamp, checkpoint, progress);
    } else {
      this.addGeneral(p, ti, frames, sign, checkpoint, progress);
    }
    this.walk = undefined;
    return progress.total;
  }

  /** nextStamp reserves `n` recursion stamps (one per sample) and returns the first. */
  private nextStamp(n: number): number {
    const first = this.stamp + 1;
    this.stamp += n;
    return first;
  }

  private addGeneral(p: Profile, ti: number, frames: FrameNodes, sign: 1 | -1, checkpoint: (() => void) | undefined, progress: WalkProgress): void {
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
    let total = progress.total;
    for (let s = progress.next; s < S.count; s++) {
      if (checkpoint && (s & 0xffff) === 0) { progress.next = s; progress.total = total; checkpoint(); }
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
    progress.next = S.count;
    progress.total = total;
  }

  /** edgeTable returns the accumulated edges, if edges were requested. */
  edgeTable(): EdgeTable | undefined {
    return this.edgeIndex?.table();
  }

}

/**
 * walkSamples is the hot loop of aggregation: per sample, cum once per distinct node (a stamp per
 * sample marks nodes already counted), flat on the leaf. Walks from `progress.next` and leaves in
 * `progress` the next sample and Σ|value| so far: at the end, or at a checkpoint that throws.
 */
function walkSamples(
  p: Profile, ti: number, frames: FrameNodes, sign: number,
  flat: Float64Array, cum: Float64Array, baseFlat: Float64Array | undefined, baseCum: Float64Array | undefined,
  seen: Int32Array, firstStamp: number, checkpoint: (() => void) | undefined, progress: WalkProgress,
): void {
  const count = p.samples.count;
  const nt = p.sampleTypes.length;
  const values = p.samples.values;
  const locStart = p.samples.locationStart;
  const locIndex = p.samples.locationIndex;
  const fStart = frames.start;
  const fNodes = frames.nodes;
  let total = progress.total;
  for (let s = progress.next; s < count; s++) {
    if (checkpoint && (s & 0xffff) === 0) { progress.next = s; progress.total = total; checkpoint(); }
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
  progress.next = count;
  progress.total = total;
}
