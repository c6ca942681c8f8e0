import { entropyOrder, removeRedundantEdges, sortEdges } from './callgraphTrim';
import { type KeptStacks, keptStacks, walkKeptStacks } from './callgraphStacks';
import { type GraphSource, type WalkedGraph, absTotal, liveNodes, mask, walkGraph } from './callgraphWalk';
import { type Filters, compileFilters } from './filter';
import { type Granularity, NodeTable } from './nodes';
import { type ExpandedView, type Profiles, reportTotal, sampleSources } from './sampleSources';

// A call graph trimmed the way `go tool pprof -dot` trims it (internal/report newTrimmedGraph):
//  1. build the whole graph; total = Σ flat; cutoffs = |total × nodefraction| and |total × edgefraction|
//  2. keep nodes with |cum| ≥ node cutoff and rebuild from the samples with only those nodes, so a
//     stack that skips dropped frames gets a *residual* edge (drawn dotted) between the kept ones
//  3. sort by pprof's entropy score, keep the first nodecount nodes, rebuild again
//  4. drop edges with |weight| < edge cutoff, then residual edges made redundant by another path.
// Rebuilding from samples (not from the previous graph) keeps flat, cum and edge weights exact:
// step 1's values are the view's aggregate when the caller has it; step 2 walks the samples once,
// merging their stacks projected onto the kept nodes (callgraphStacks.ts), and step 3 walks those.
// The walks are callgraphWalk.ts, the orderings callgraphTrim.ts; this file holds the steps.
// Comparisons are -diff_base: base samples count negatively, so every number is new − base.
// Unlike pprof we do not draw tag "nodelets" (Go's `bytes` label), so pprof counts them against
// nodecount and we do not: with many labelled nodes pprof may show fewer nodes than we do.

/** CallGraphOptions are pprof's -nodecount, -nodefraction and -edgefraction plus what to aggregate. */
export interface CallGraphOptions {
  granularity?: Granularity;
  sampleIndex?: string;
  filters?: Filters;
  /** pprof default 80; 0 keeps every node. */
  nodeCount?: number;
  /** pprof default 0.005. */
  nodeFraction?: number;
  /** pprof default 0.001. */
  edgeFraction?: number;
  /** Only samples whose stack contains this node (an id of `nodes`) count: the node's neighbourhood. */
  focusNode?: number;
  /** Node table to intern into, so node ids match an aggregate made with the same options. */
  nodes?: NodeTable;
  /** The view's profiles already expanded into `nodes` (used only when its node table is `nodes`). */
  expanded?: ExpandedView;
  /**
   * The view's aggregate (same nodes, sample type and filters): its flat and cum are the complete
   * graph's, so the first walk is skipped (not with focusNode, which changes them).
   */
  whole?: NodeValues;
  /** Called every 65,536 samples of each walk; throws to abandon the graph (a superseded query). */
  checkpoint?: () => void;
}

/** NodeValues are per-node flat and cum (new − base when comparing). */
export interface NodeValues {
  flat: Float64Array;
  cum: Float64Array;
}

/** CallGraphNode is a node kept in the graph. */
export interface CallGraphNode {
  /** Node id in the NodeTable (same id as the top table's rows). */
  id: number;
  name: string;
  file: string;
  line: number;
  address: number;
  flat: number;
  cum: number;
  /** Base values (comparisons only, else 0). */
  baseFlat: number;
  baseCum: number;
}

/** CallGraphEdge joins two kept nodes (indexes into CallGraph.nodes). */
export interface CallGraphEdge {
  src: number;
  dst: number;
  weight: number;
  baseWeight: number;
  /** The edge skips frames that were trimmed away. */
  residual: boolean;
  /** Every traversal was an inlined call. */
  inline: boolean;
}

/** CallGraph is a trimmed graph, nodes in pprof's (entropy) order, edges heaviest first. */
export interface CallGraph {
  nodes: CallGraphNode[];
  edges: CallGraphEdge[];
  sampleType: string;
  unit: string;
  isDiff: boolean;
  /** pprof's report total (Σ|base| when comparing): the denominator of percentages. */
  total: number;
  /** Nodes before nodecount trimming (pprof's "Showing N of M nodes" M is this + droppedNodes). */
  origCount: number;
  droppedNodes: number;
  droppedEdges: number;
  nodeCutoff: number;
  edgeCutoff: number;
}

/** DEFAULT_TRIM holds pprof's defaults for graphs. */
export const DEFAULT_TRIM = { nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001 } as const;

/** callGraph builds the trimmed call graph of the target (minus the base when comparing). */
export function callGraph(profiles: Profiles, options: CallGraphOptions = {}): CallGraph {
  const nodes = options.nodes ?? new NodeTable(options.granularity ?? 'functions');
  const { sampleType: type, sources: signed } = sampleSources(profiles, options.sampleIndex, nodes, compileFilters(options.filters), options.expanded);
  const sources = signed.map((s): GraphSource => ({ ...s, absTotal: absTotal(s.profile, s.valueIndex) }));
  const nodeFraction = options.nodeFraction ?? DEFAULT_TRIM.nodeFraction;
  const edgeFraction = options.edgeFraction ?? DEFAULT_TRIM.edgeFraction;
  const nodeCount = options.nodeCount ?? DEFAULT_TRIM.nodeCount;
  const focus = options.focusNode ?? -1;

  // 1. The complete graph's node values: the view's aggregate has them (same samples, same
  // rule), else one walk that sums node values without edges.
  const whole = focus < 0 && options.whole ? options.whole : walkGraph(sources, nodes.count, undefined, focus, options.checkpoint, false);
  let live = liveNodes(whole);
  let totalValue = 0;
  for (const n of live) totalValue += whole.flat[n];
  const nodeCutoff = Math.abs(Math.trunc(totalValue * nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * edgeFraction));
  let droppedNodes = 0;

  // 2. Drop nodes below the cum cutoff: the samples are walked once more, projected onto the nodes
  // that remain (callgraphStacks.ts); every later walk reads those merged stacks. When nothing is
  // dropped the graph is the complete one, walked with its edges.
  let stacks: KeptStacks | undefined;
  let g: WalkedGraph;
  const kept = nodeCutoff > 0 ? live.filter((n) => Math.abs(whole.cum[n]) >= nodeCutoff) : live;
  if (kept.length !== live.length) {
    droppedNodes = live.length - kept.length;
    const keep = mask(nodes.count, kept);
    stacks = keptStacks(sources, keep, focus, options.checkpoint);
    g = walkKeptStacks(stacks, nodes.count, keep);
  } else {
    g = walkGraph(sources, nodes.count, undefined, focus, options.checkpoint);
  }
  live = liveNodes(g);
  const origCount = live.length;

  // 3. Keep the nodecount best nodes by entropy.
  let order = entropyOrder(g, live, nodes);
  if (nodeCount > 0 && order.length > nodeCount) {
    const keep = mask(nodes.count, order.slice(0, nodeCount));
    g = stacks ? walkKeptStacks(stacks, nodes.count, keep) : walkGraph(sources, nodes.count, keep, focus, options.checkpoint);
    order = entropyOrder(g, liveNodes(g), nodes);
  }

  // 4. Trim light edges, then redundant residual ones. (pprof keeps edges into nodes it dropped for
  // having no value and prints them to a node "N0" that does not exist; we drop them.)
  const inGraph = mask(nodes.count, order);
  const between = g.edges.filter((e) => inGraph[e.src] && inGraph[e.dst]);
  let edges = between.filter((e) => Math.abs(e.weight) >= edgeCutoff);
  const droppedEdges = between.length - edges.length;
  edges = removeRedundantEdges(edges, order, nodes);

  const position = new Map<number, number>(order.map((n, i) => [n, i]));
  const graphNodes = order.map((n): CallGraphNode => ({
    id: n,
    name: nodes.name[n],
    file: nodes.file[n],
    line: nodes.line[n],
    address: nodes.address[n],
    flat: g.flat[n],
    cum: g.cum[n],
    baseFlat: g.baseFlat[n],
    baseCum: g.baseCum[n],
  }));
  const graphEdges = sortEdges(edges, nodes).map((e): CallGraphEdge => ({
    src: position.get(e.src)!,
    dst: position.get(e.dst)!,
    weight: e.weight,
    baseWeight: e.baseWeight,
    residual: e.residual,
    inline: e.inline,
  }));
  return {
    nodes: graphNodes,
    edges: graphEdges,
    sampleType: type.type,
    unit: type.unit,
    isDiff: sources.length > 1,
    total: reportTotal(sources[0].absTotal, sources[1]?.absTotal ?? 0, sources.length > 1),
    origCount,
    droppedNodes,
    droppedEdges,
    nodeCutoff,
    edgeCutoff,
  };
}
