import { type Filters, compileFilters } from './filter';
import { LevelBuilder } from './flameLevels';
import type { StackIds } from './flameTables';
import { type Granularity, NodeTable } from './nodes';
import { type ExpandedView, type Profiles, reportTotal, sampleSources } from './sampleSources';

// The merged call tree of a comparison, for the flame graph: every distinct root → leaf path of
// either profile is one frame, holding the base's and the new profile's value (cum, and self for
// the frame where a stack ends). Unlike the call graph, recursion is not folded: a frame's cum is
// the sum of the samples whose path passes through it, so children never exceed their parent and
// widths nest. Paths are keyed by (parent frame, node), with nodes at the session's granularity and
// filters (frameNodes), so the flame graph shows what the table and the call graph show.
//
// A generated 61 MB profile has 13 million distinct paths; nobody can see them, and building them
// took two minutes. So the tree is built one depth at a time and trimmed as it grows, like pprof's
// -nodefraction: a callee narrower than `minFraction` of the zoomed frame (in either width mode of
// the panel) is left out with everything below it, so its samples are never walked further. The
// numbers of every frame that is kept are exact (cum and self are sums over its samples); what was
// left out shows as the part of a frame's width its drawn callees do not cover, and `trimmed`
// carries the change beneath those callees for the panel's "change" width (see flameLevels.ts).

/** FlameOptions choose what the tree aggregates (same meaning as AggregateOptions) and how it is trimmed. */
export interface FlameOptions {
  granularity?: Granularity;
  sampleIndex?: string;
  filters?: Filters;
  /** Node table to intern into, so node ids match the top table's. */
  nodes?: NodeTable;
  /** The view's profiles already expanded into `nodes` (used only when its node table is `nodes`). */
  expanded?: ExpandedView;
  /** Leave out callees narrower than this fraction of the zoomed frame (0 or absent: the whole tree). */
  minFraction?: number;
  /** Node ids from the root's child down to the zoomed frame: only that path and the zoomed frame's subtree are built. */
  zoom?: readonly number[];
  /** Each node's name rank, by the ids of `nodes` (NodeStrings.rank): carried into the tree's own node list. */
  nodeRank?: Uint32Array;
  /** Each sample's stack number per source (stackIds of the same view), so a comparison's change widths need no walk of the stacks. */
  stackIds?: StackIds;
  /** Called every few thousand samples; throws to abandon the build (a superseded query). */
  checkpoint?: () => void;
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
  /** Per frame, the change width (Σ|Δself| over their subtrees) of the callees that were left out. */
  trimmed: Float64Array;
  nodeName: string[];
  nodeFile: string[];
  nodeLine: number[];
  /** Each node's rank by printable name (nodeLabelRanks), so the panel orders siblings without comparing strings. */
  nodeRank?: Uint32Array;
  /** How the tree was trimmed: the fraction, the zoomed frame (its index here), and how many callees were left out. */
  trim: { minFraction: number; zoom: number; dropped: number };
}

/** flameTree builds the merged call tree of the target and, when comparing, the base. */
export function flameTree(profiles: Profiles, options: FlameOptions = {}): FlameTree {
  const nodes = options.nodes ?? new NodeTable(options.granularity ?? 'functions');
  const { sampleType: type, sources } = sampleSources(profiles, options.sampleIndex, nodes, compileFilters(options.filters), options.expanded);
  const isDiff = sources.length > 1;
  const builder = new LevelBuilder(sources, isDiff, options);
  const built = builder.build();
  // Only the nodes the kept frames use travel to the panel (a few thousand of tens of thousands).
  const used = new Int32Array(nodes.count).fill(-1);
  const nodeName: string[] = [];
  const nodeFile: string[] = [];
  const nodeLine: number[] = [];
  const rank: number[] = [];
  for (let f = 1; f < built.count; f++) {
    const n = built.node[f];
    if (used[n] < 0) {
      used[n] = nodeName.length;
      if (options.nodeRank) rank.push(options.nodeRank[n]);
      nodeName.push(nodes.name[n]);
      nodeFile.push(nodes.file[n]);
      nodeLine.push(nodes.line[n]);
    }
    built.node[f] = used[n];
  }
  return {
    ...built,
    sampleType: type.type,
    unit: type.unit,
    isDiff,
    total: reportTotal(builder.totals[0], builder.totals[1] ?? 0, isDiff),
    nodeName,
    nodeFile,
    nodeLine,
    ...(options.nodeRank ? { nodeRank: Uint32Array.from(rank) } : {}),
  };
}
