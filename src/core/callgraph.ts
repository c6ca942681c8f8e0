import { type Filters, compileFilters, sampleSelected } from './filter';
import type { Profile } from './model';
import { type Granularity, NodeTable } from './nodes';
import { type FrameNodes, type Profiles, type SampleSource, reportTotal, sampleSources } from './sampleSources';

// A call graph trimmed the way `go tool pprof -dot` trims it (internal/report newTrimmedGraph):
//  1. build the whole graph; total = Σ flat; cutoffs = |total × nodefraction| and |total × edgefraction|
//  2. keep nodes with |cum| ≥ node cutoff and rebuild from the samples with only those nodes, so a
//     stack that skips dropped frames gets a *residual* edge (drawn dotted) between the kept ones
//  3. sort by pprof's entropy score, keep the first nodecount nodes, rebuild again
//  4. drop edges with |weight| < edge cutoff, then residual edges made redundant by another path.
// Rebuilding from samples (not from the previous graph) keeps flat, cum and edge weights exact.
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
  const { sampleType: type, sources: signed } = sampleSources(profiles, options.sampleIndex, nodes, compileFilters(options.filters));
  const sources = signed.map((s): GraphSource => ({ ...s, absTotal: absTotal(s.profile, s.valueIndex) }));
  const nodeFraction = options.nodeFraction ?? DEFAULT_TRIM.nodeFraction;
  const edgeFraction = options.edgeFraction ?? DEFAULT_TRIM.edgeFraction;
  const nodeCount = options.nodeCount ?? DEFAULT_TRIM.nodeCount;
  const focus = options.focusNode ?? -1;

  // 1. The complete graph.
  let g = walkGraph(sources, nodes.count, undefined, focus);
  let live = liveNodes(g);
  let totalValue = 0;
  for (const n of live) totalValue += g.flat[n];
  const nodeCutoff = Math.abs(Math.trunc(totalValue * nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * edgeFraction));
  let droppedNodes = 0;

  // 2. Drop nodes below the cum cutoff.
  if (nodeCutoff > 0) {
    const kept = live.filter((n) => Math.abs(g.cum[n]) >= nodeCutoff);
    if (kept.length !== live.length) {
      droppedNodes = live.length - kept.length;
      g = walkGraph(sources, nodes.count, mask(nodes.count, kept), focus);
      live = liveNodes(g);
    }
  }
  const origCount = live.length;

  // 3. Keep the nodecount best nodes by entropy.
  let order = entropyOrder(g, live, nodes);
  if (nodeCount > 0 && order.length > nodeCount) {
    g = walkGraph(sources, nodes.count, mask(nodes.count, order.slice(0, nodeCount)), focus);
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

/** GraphSource is a sample source with its Σ|value| over every sample (pprof's total counts filtered samples too). */
interface GraphSource extends SampleSource {
  absTotal: number;
}

function absTotal(p: Profile, ti: number): number {
  const nt = p.sampleTypes.length;
  let total = 0;
  for (let s = 0; s < p.samples.count; s++) total += Math.abs(p.samples.values[s * nt + ti]);
  return total;
}

/** WalkEdge is an edge being accumulated: a CallGraphEdge (between node ids) plus its per-sample stamp. */
interface WalkEdge extends CallGraphEdge {
  seen: number;
}

interface WalkedGraph {
  flat: Float64Array;
  cum: Float64Array;
  baseFlat: Float64Array;
  baseCum: Float64Array;
  edges: WalkEdge[];
}

/** walkGraph is pprof's graph.newGraph over our samples: only `kept` nodes (all when undefined) take part. */
function walkGraph(sources: GraphSource[], n: number, kept: Uint8Array | undefined, focus: number): WalkedGraph {
  const g: WalkedGraph = { flat: new Float64Array(n), cum: new Float64Array(n), baseFlat: new Float64Array(n), baseCum: new Float64Array(n), edges: [] };
  const edgeIndex = new Map<number, WalkEdge>();
  const seen = new Float64Array(n).fill(-1);
  let stamp = 0;
  for (const src of sources) {
    const { profile: p, frames, sign, valueIndex } = src;
    const nt = p.sampleTypes.length;
    const { values, locationStart, locationIndex } = p.samples;
    for (let s = 0; s < p.samples.count; s++) {
      const v = values[s * nt + valueIndex];
      if (v === 0) continue;
      const from = locationStart[s];
      const to = locationStart[s + 1];
      if (frames.mark && !sampleSelected(frames.mark, locationIndex, from, to)) continue;
      if (focus >= 0 && !stackHas(frames, locationIndex, from, to, focus)) continue;
      const w = sign * v;
      const bv = sign < 0 ? v : 0;
      stamp++;
      let parent = -1;
      let residual = false;
      for (let k = to - 1; k >= from; k--) {
        const loc = locationIndex[k];
        for (let j = frames.start[loc]; j < frames.start[loc + 1]; j++) {
          const node = frames.nodes[j];
          if (kept && !kept[node]) {
            residual = true;
            continue;
          }
          if (seen[node] !== stamp) {
            seen[node] = stamp;
            g.cum[node] += w;
            g.baseCum[node] += bv;
          }
          if (parent >= 0 && parent !== node) {
            const key = parent * n + node;
            let e = edgeIndex.get(key);
            if (!e) {
              e = { src: parent, dst: node, weight: 0, baseWeight: 0, residual, inline: true, seen: -1 };
              edgeIndex.set(key, e);
              g.edges.push(e);
            }
            if (e.seen !== stamp) {
              // pprof's AddToEdgeDiv: once per sample; residual is sticky; inline only if always inlined.
              e.seen = stamp;
              e.weight += w;
              e.baseWeight += bv;
              if (residual) e.residual = true;
              if (frames.inlined[j] !== 1) e.inline = false;
            }
          }
          parent = node;
          residual = false;
        }
      }
      if (parent >= 0 && !residual) {
        g.flat[parent] += w;
        g.baseFlat[parent] += bv;
      }
    }
  }
  return g;
}

function stackHas(frames: FrameNodes, stack: Uint32Array, from: number, to: number, node: number): boolean {
  for (let k = from; k < to; k++) {
    const loc = stack[k];
    for (let j = frames.start[loc]; j < frames.start[loc + 1]; j++) if (frames.nodes[j] === node) return true;
  }
  return false;
}

function liveNodes(g: WalkedGraph): number[] {
  const out: number[] = [];
  for (let n = 0; n < g.cum.length; n++) if (g.cum[n] !== 0 || g.flat[n] !== 0) out.push(n);
  return out;
}

function mask(n: number, keep: number[]): Uint8Array {
  const m = new Uint8Array(n);
  for (const k of keep) m[k] = 1;
  return m;
}

/** entropyOrder sorts nodes by pprof's EntropyOrder: |entropy score| desc, printable name, |flat| desc. */
function entropyOrder(g: WalkedGraph, live: number[], nodes: NodeTable): number[] {
  const inEdges = new Map<number, WalkEdge[]>();
  const outEdges = new Map<number, WalkEdge[]>();
  for (const e of g.edges) {
    push(inEdges, e.dst, e);
    push(outEdges, e.src, e);
  }
  const score = new Float64Array(nodes.count);
  for (const n of live) score[n] = entropyScore(g.flat[n], g.cum[n], inEdges.get(n) ?? [], outEdges.get(n) ?? []);
  // Names are compared only between equal scores: build them on first use.
  const labels = new Array<string | undefined>(nodes.count);
  const label = (n: number) => (labels[n] ??= nodes.printableName(n));
  return [...live].sort((a, b) => {
    if (score[a] !== score[b]) return score[b] - score[a];
    const la = label(a);
    const lb = label(b);
    if (la !== lb) return la < lb ? -1 : 1;
    const fa = Math.abs(g.flat[a]);
    const fb = Math.abs(g.flat[b]);
    if (fa !== fb) return fb - fa;
    return a - b;
  });
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * entropyScore is pprof's graph.entropyScore, returned as the |score| pprof sorts by: nodes whose
 * incoming and outgoing weights spread over several edges (not a simple fall-through) score higher;
 * entry and leaf nodes get a bonus. In diffs the entropy can be NaN (a negative self weight makes a
 * fraction negative); Go on amd64 converts NaN, and anything beyond ±2^63, to the minimum int64,
 * and `+ flat` then wraps, so such nodes sort first unless their flat is 0 (then last). We mirror
 * that so the graph keeps the same nodes as pprof (the key is exact to ±2048 at that magnitude).
 */
export function entropyScore(flat: number, cum: number, inEdges: WalkEdgeWeight[], outEdges: WalkEdgeWeight[]): number {
  let score = 0;
  score += inEdges.length === 0 ? 1 : edgeEntropy(inEdges, 0);
  score += outEdges.length === 0 ? 1 : edgeEntropy(outEdges, flat);
  const product = score * cum;
  if (Number.isNaN(product) || Math.abs(product) >= 2 ** 63) return flat === 0 ? -1 : 2 ** 63 - Math.abs(flat);
  return Math.abs(Math.trunc(product) + flat);
}

/** WalkEdgeWeight is what entropyScore reads from an edge. */
export interface WalkEdgeWeight {
  weight: number;
}

function edgeEntropy(edges: WalkEdgeWeight[], self: number): number {
  let score = 0;
  let total = self;
  for (const e of edges) if (e.weight > 0) total += Math.abs(e.weight);
  if (total !== 0) {
    for (const e of edges) {
      const frac = Math.abs(e.weight) / total;
      score += -frac * Math.log2(frac);
    }
    if (self > 0) {
      const frac = Math.abs(self) / total;
      score += -frac * Math.log2(frac);
    }
  }
  return score;
}

/** edgeOrder is pprof's edgeList order: |weight| desc, then source and destination names. */
function edgeOrder(nodes: NodeTable): (a: WalkEdge, b: WalkEdge) => number {
  return (a, b) => {
    if (a.weight !== b.weight) {
      const d = Math.abs(b.weight) - Math.abs(a.weight);
      if (d !== 0) return d;
    }
    const sa = nodes.printableName(a.src);
    const sb = nodes.printableName(b.src);
    if (sa !== sb) return sa < sb ? -1 : 1;
    const da = nodes.printableName(a.dst);
    const db = nodes.printableName(b.dst);
    return da < db ? -1 : da > db ? 1 : 0;
  };
}

function sortEdges(edges: WalkEdge[], nodes: NodeTable): WalkEdge[] {
  return [...edges].sort(edgeOrder(nodes));
}

/**
 * removeRedundantEdges is pprof's Graph.RemoveRedundantEdges: from the last node to the first, look at
 * its incoming edges lightest first and drop residual ones whose source still reaches the node another
 * way; stop at the first non-residual edge so nothing heavier than a real call disappears.
 */
function removeRedundantEdges(edges: WalkEdge[], order: number[], nodes: NodeTable): WalkEdge[] {
  const alive = new Set(edges);
  const inEdges = new Map<number, WalkEdge[]>();
  for (const e of edges) push(inEdges, e.dst, e);
  const byWeight = edgeOrder(nodes);
  for (let i = order.length - 1; i >= 0; i--) {
    const incoming = (inEdges.get(order[i]) ?? []).filter((e) => alive.has(e)).sort(byWeight);
    for (let j = incoming.length - 1; j >= 0; j--) {
      const e = incoming[j];
      if (!e.residual) break;
      if (reachableWithout(e, inEdges, alive)) alive.delete(e);
    }
  }
  return edges.filter((e) => alive.has(e));
}

function reachableWithout(edge: WalkEdge, inEdges: Map<number, WalkEdge[]>, alive: Set<WalkEdge>): boolean {
  const seen = new Set<number>([edge.dst]);
  const queue = [edge.dst];
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const e of inEdges.get(n) ?? []) {
      if (e === edge || !alive.has(e) || seen.has(e.src)) continue;
      if (e.src === edge.src) return true;
      seen.add(e.src);
      queue.push(e.src);
    }
  }
  return false;
}
