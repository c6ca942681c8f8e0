import type { WalkEdge, WalkedGraph } from './callgraphWalk';
import type { NodeTable } from './nodes';

// Trimming a call graph the way pprof does: nodes ranked by its entropy score (graph.EntropyOrder),
// edges in its edgeList order, and residual edges made redundant by another path removed
// (Graph.RemoveRedundantEdges). Pure orderings over a walked graph; callgraph.ts decides the cutoffs.

/** entropyOrder sorts nodes by pprof's EntropyOrder: |entropy score| desc, printable name, |flat| desc. */
export function entropyOrder(g: WalkedGraph, live: number[], nodes: NodeTable): number[] {
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

/** sortEdges returns the edges in pprof's edgeList order. */
export function sortEdges(edges: WalkEdge[], nodes: NodeTable): WalkEdge[] {
  return [...edges].sort(edgeOrder(nodes));
}

/**
 * removeRedundantEdges is pprof's Graph.RemoveRedundantEdges: from the last node to the first, look at
 * its incoming edges lightest first and drop residual ones whose source still reaches the node another
 * way; stop at the first non-residual edge so nothing heavier than a real call disappears.
 */
export function removeRedundantEdges(edges: WalkEdge[], order: number[], nodes: NodeTable): WalkEdge[] {
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
