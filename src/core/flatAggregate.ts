import type { Aggregate, AggregateOptions } from './aggregate';
import { compileFilters, sampleSelected } from './filter';
import { NodeTable } from './nodes';
import { type Profiles, type SampleSource, reportTotal, sampleSources } from './sampleSources';

// The Heap Hotspots tree's first rows need flat only: pprof's -top order is by |flat|, then the
// name, which is unique per node at functions granularity, so cum never breaks a tie there. flat
// is the value at each sample's leaf node, so one look at the leaf replaces the walk
// of the whole stack that cum needs: on the 61 MB pair (46 million stack entries) the walk is most
// of the first hotspots query.

/** FlatAggregate is an Aggregate without cum (and without edges): flat, the base's flat and the totals. */
export type FlatAggregate = Omit<Aggregate, 'cum' | 'baseCum' | 'edges'>;

/** flatAggregate computes what aggregateProfiles computes for flat and the totals, from the samples' leaves. */
export function flatAggregate(profiles: Profiles, options: AggregateOptions = {}): FlatAggregate {
  const nodes = options.expanded?.nodes ?? new NodeTable(options.granularity ?? 'functions');
  const { sampleType, sources } = sampleSources(profiles, options.sampleIndex, nodes, compileFilters(options.filters), options.expanded);
  const flat = new Float64Array(nodes.count);
  const baseFlat = new Float64Array(nodes.count);
  const totals = sources.map((s) => addLeaves(s, flat, s.sign < 0 ? baseFlat : undefined, options.checkpoint));
  const newTotal = totals[0];
  const baseTotal = totals[1] ?? 0;
  const isDiff = sources.length > 1;
  return {
    nodes, sampleType, total: reportTotal(newTotal, baseTotal, isDiff), newTotal, baseTotal, flat, isDiff,
    ...(isDiff ? { baseFlat } : {}),
  };
}

/**
 * addLeaves adds each sample's value (times its sign) to its leaf node — the last node of the
 * leaf-most location that has nodes, the node a stack walk visits last — and returns Σ|value| over
 * all samples (pprof's total counts samples that focus/ignore drop).
 */
function addLeaves(source: SampleSource, flat: Float64Array, baseFlat: Float64Array | undefined, checkpoint: (() => void) | undefined): number {
  const { profile: p, valueIndex: ti, frames, sign } = source;
  const nt = p.sampleTypes.length;
  const values = p.samples.values;
  const locStart = p.samples.locationStart;
  const locIndex = p.samples.locationIndex;
  const fStart = frames.start;
  const fNodes = frames.nodes;
  const mark = frames.mark;
  let total = 0;
  for (let s = 0; s < p.samples.count; s++) {
    if (checkpoint && (s & 0xffff) === 0) checkpoint();
    const v = values[s * nt + ti];
    if (v === 0) continue;
    total += v < 0 ? -v : v;
    const from = locStart[s];
    const to = locStart[s + 1];
    if (mark && !sampleSelected(mark, locIndex, from, to)) continue;
    for (let k = from; k < to; k++) {
      const loc = locIndex[k];
      const end = fStart[loc + 1];
      if (end > fStart[loc]) {
        const leaf = fNodes[end - 1];
        flat[leaf] += sign * v;
        if (baseFlat) baseFlat[leaf] += v;
        break;
      }
    }
  }
  return total;
}
