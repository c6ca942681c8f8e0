import { type Filters, compileFilters, sampleSelected } from './filter';
import { type Granularity, NodeTable } from './nodes';
import { type Profiles, type SampleSource, reportTotal, sampleSources } from './sampleSources';

// The merged call tree of a comparison, for the flame graph: every distinct root → leaf path of
// either profile is one frame, holding the base's and the new profile's value (cum, and self for
// the frame where a stack ends). Unlike the call graph, recursion is not folded: a frame's cum is
// the sum of the samples whose path passes through it, so children never exceed their parent and
// widths nest. Paths are keyed by (parent frame, node), with nodes at the session's granularity and
// filters (frameNodes), so the flame graph shows what the table and the call graph show.

/** FlameOptions choose what the tree aggregates (same meaning as AggregateOptions). */
export interface FlameOptions {
  granularity?: Granularity;
  sampleIndex?: string;
  filters?: Filters;
  /** Node table to intern into, so node ids match the top table's. */
  nodes?: NodeTable;
}

/** FlameTree is the call tree as columns; frame 0 is the synthetic root ("all"). */
export interface FlameTree {
  count: number;
  sampleType: string;
  unit: string;
  isDiff: boolean;
  /** pprof's total (Σ|base| when comparing): the denominator of percentages. */
  total: number;
  /** Parent frame (-1 for the root); a parent's index is always below its children's. */
  parent: Int32Array;
  /** Node id of the frame (-1 for the root), into nodeName/nodeFile/nodeLine. */
  node: Int32Array;
  /** Values of the new profile (or the single profile). */
  newCum: Float64Array;
  newSelf: Float64Array;
  /** Values of the base profile (zeros when not comparing). */
  baseCum: Float64Array;
  baseSelf: Float64Array;
  /** 1 when the frame is an inlined call into its parent. */
  inlined: Uint8Array;
  nodeName: string[];
  nodeFile: string[];
  nodeLine: number[];
  /** Each node's rank by printable name (nodeLabelRanks), so the panel orders siblings without comparing strings. */
  nodeRank?: Uint32Array;
}

/** flameTree builds the merged call tree of the target and, when comparing, the base. */
export function flameTree(profiles: Profiles, options: FlameOptions = {}): FlameTree {
  const nodes = options.nodes ?? new NodeTable(options.granularity ?? 'functions');
  const { sampleType: type, sources } = sampleSources(profiles, options.sampleIndex, nodes, compileFilters(options.filters));
  const builder = new FlameBuilder();
  const totals = sources.map((s) => builder.add(s));
  const isDiff = sources.length > 1;
  return {
    ...builder.finish(),
    sampleType: type.type,
    unit: type.unit,
    isDiff,
    total: reportTotal(totals[0], totals[1] ?? 0, isDiff),
    nodeName: nodes.name.slice(),
    nodeFile: nodes.file.slice(),
    nodeLine: nodes.line.slice(),
  };
}

/** FlameBuilder grows the tree sample by sample. */
class FlameBuilder {
  private parent: number[] = [-1];
  private node: number[] = [-1];
  private inlined: number[] = [0];
  private newCum: number[] = [0];
  private newSelf: number[] = [0];
  private baseCum: number[] = [0];
  private baseSelf: number[] = [0];
  private readonly children = new Map<number, number>();
  private stride = 1 << 20;

  /** add walks every sample of a source into the tree (the base's into base columns); returns Σ|value| of all samples. */
  add(source: SampleSource): number {
    const { profile: p, valueIndex: ti, frames } = source;
    const isBase = source.sign < 0;
    const nt = p.sampleTypes.length;
    const { values, locationStart, locationIndex } = p.samples;
    const cum = isBase ? this.baseCum : this.newCum;
    const self = isBase ? this.baseSelf : this.newSelf;
    let total = 0;
    for (let s = 0; s < p.samples.count; s++) {
      const v = values[s * nt + ti];
      if (v === 0) continue;
      total += Math.abs(v);
      const from = locationStart[s];
      const to = locationStart[s + 1];
      if (frames.mark && !sampleSelected(frames.mark, locationIndex, from, to)) continue;
      let frame = 0;
      cum[0] += v;
      for (let k = to - 1; k >= from; k--) {
        const loc = locationIndex[k];
        for (let j = frames.start[loc]; j < frames.start[loc + 1]; j++) {
          frame = this.child(frame, frames.nodes[j], frames.inlined[j]);
          cum[frame] += v;
        }
      }
      self[frame] += v;
    }
    return total;
  }

  private child(parent: number, node: number, inlined: number): number {
    // Keys are parent × stride + node; the stride grows (rekeying) if a node id ever reaches it.
    if (node >= this.stride) this.rekey(node);
    const key = parent * this.stride + node;
    let c = this.children.get(key);
    if (c === undefined) {
      c = this.parent.length;
      this.children.set(key, c);
      this.parent.push(parent);
      this.node.push(node);
      this.inlined.push(inlined);
      this.newCum.push(0);
      this.newSelf.push(0);
      this.baseCum.push(0);
      this.baseSelf.push(0);
    }
    return c;
  }

  private rekey(node: number): void {
    while (this.stride <= node) this.stride *= 2;
    this.children.clear();
    for (let f = 1; f < this.parent.length; f++) this.children.set(this.parent[f] * this.stride + this.node[f], f);
  }

  finish(): Pick<FlameTree, 'count' | 'parent' | 'node' | 'inlined' | 'newCum' | 'newSelf' | 'baseCum' | 'baseSelf'> {
    return {
      count: this.parent.length,
      parent: Int32Array.from(this.parent),
      node: Int32Array.from(this.node),
      inlined: Uint8Array.from(this.inlined),
      newCum: Float64Array.from(this.newCum),
      newSelf: Float64Array.from(this.newSelf),
      baseCum: Float64Array.from(this.baseCum),
      baseSelf: Float64Array.from(this.baseSelf),
    };
  }
}
