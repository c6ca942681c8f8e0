import type { Aggregate } from './aggregate';

// pprof's -peek: a node's callers and callees with the weight of each call edge. Edge weights are
// the sum of sample values that traversed the edge (once per sample, recursion included once), so
// a caller's weight is how much of this node's cum came through it. When comparing, weight is
// new − base and `base` is the base's own weight.

/** PeekRow is one caller or callee: the other node and the edge's weights. */
export interface PeekRow {
  node: number;
  name: string;
  file: string;
  line: number;
  /** new − base when comparing, else the value. */
  weight: number;
  /** The base's weight (0 when not comparing). */
  base: number;
  inline: boolean;
}

/** PeekTable is the peek view of one node. */
export interface PeekTable {
  node: number;
  name: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  baseFlat?: number;
  baseCum?: number;
  callers: PeekRow[];
  callees: PeekRow[];
}

/** peek lists the callers and callees of `node`, heaviest (by |weight|, then base) first. */
export function peek(agg: Aggregate, node: number): PeekTable {
  const edges = agg.edges;
  if (!edges) throw new Error('peek needs an aggregate computed with edges');
  const { nodes } = agg;
  const callers: PeekRow[] = [];
  const callees: PeekRow[] = [];
  const row = (other: number, e: number): PeekRow => ({
    node: other,
    name: nodes.name[other],
    file: nodes.file[other],
    line: nodes.line[other],
    weight: edges.weight[e],
    base: edges.baseWeight[e],
    inline: edges.inline[e] === 1,
  });
  for (let e = 0; e < edges.count; e++) {
    if (edges.weight[e] === 0 && edges.baseWeight[e] === 0) continue;
    if (edges.dst[e] === node) callers.push(row(edges.src[e], e));
    else if (edges.src[e] === node) callees.push(row(edges.dst[e], e));
  }
  const order = (a: PeekRow, b: PeekRow) => Math.abs(b.weight) - Math.abs(a.weight) || b.base - a.base || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  callers.sort(order);
  callees.sort(order);
  const table: PeekTable = {
    node,
    name: nodes.name[node],
    file: nodes.file[node],
    line: nodes.line[node],
    flat: agg.flat[node],
    cum: agg.cum[node],
    callers,
    callees,
  };
  if (agg.baseFlat && agg.baseCum) {
    table.baseFlat = agg.baseFlat[node];
    table.baseCum = agg.baseCum[node];
  }
  return table;
}
