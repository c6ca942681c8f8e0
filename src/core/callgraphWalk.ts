import type { CallGraphEdge } from './callgraph';
import { stackHas } from './callgraphStacks';
import { EdgeAccumulator, edgeList } from './edgeTable';
import { sampleSelected } from './filter';
import type { Profile } from './model';
import type { SampleSource } from './sampleSources';

// Building a call graph: pprof's graph.newGraph as one walk over the signed samples. Each trimming
// step of callgraph.ts walks again with fewer nodes kept, so a stack that skips dropped frames
// gets a residual edge between the kept ones and every number stays exact.

/** GraphSource is a sample source with its Σ|value| over every sample (pprof's total counts filtered samples too). */
export interface GraphSource extends SampleSource {
  absTotal: number;
}

/** absTotal is Σ|value| of one value column over every sample. */
export function absTotal(p: Profile, ti: number): number {
  const nt = p.sampleTypes.length;
  let total = 0;
  for (let s = 0; s < p.samples.count; s++) total += Math.abs(p.samples.values[s * nt + ti]);
  return total;
}

/** WalkEdge is an edge being accumulated: a CallGraphEdge between node ids. */
export type WalkEdge = CallGraphEdge;

/** WalkedGraph is one walk's per-node flat/cum (new − base) and base values, and its edges. */
export interface WalkedGraph {
  flat: Float64Array;
  cum: Float64Array;
  baseFlat: Float64Array;
  baseCum: Float64Array;
  edges: WalkEdge[];
}

/**
 * walkGraph is pprof's graph.newGraph over our samples: only `kept` nodes (all when undefined) take
 * part. Edges accumulate in a typed open-addressing table (EdgeAccumulator): a Map keyed by
 * src·n+dst (heap-number keys past 2^30) made one walk of a 50 MB pair take 8 s. Without
 * `withEdges` only the node values are summed (the first step of a focused graph needs no more).
 */
export function walkGraph(sources: GraphSource[], n: number, kept: Uint8Array | undefined, focus: number, checkpoint?: () => void, withEdges = true): WalkedGraph {
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const baseFlat = new Float64Array(n);
  const baseCum = new Float64Array(n);
  const edges = new EdgeAccumulator();
  const seen = new Int32Array(n).fill(-1);
  let stamp = 0;
  for (const src of sources) {
    const { profile: p, frames, sign, valueIndex } = src;
    const nt = p.sampleTypes.length;
    const { values, locationStart, locationIndex } = p.samples;
    const { start, nodes: frameNode, inlined, mark } = frames;
    const count = p.samples.count;
    for (let s = 0; s < count; s++) {
      if (checkpoint && (s & 0xffff) === 0) checkpoint();
      const v = values[s * nt + valueIndex];
      if (v === 0) continue;
      const from = locationStart[s];
      const to = locationStart[s + 1];
      if (mark && !sampleSelected(mark, locationIndex, from, to)) continue;
      if (focus >= 0 && !stackHas(frames, locationIndex, from, to, focus)) continue;
      const w = sign * v;
      const bv = sign < 0 ? v : 0;
      stamp++;
      let parent = -1;
      let residual = false;
      for (let k = to - 1; k >= from; k--) {
        const loc = locationIndex[k];
        for (let j = start[loc], end = start[loc + 1]; j < end; j++) {
          const node = frameNode[j];
          if (kept && kept[node] === 0) {
            residual = true;
            continue;
          }
          if (seen[node] !== stamp) {
            seen[node] = stamp;
            cum[node] += w;
            baseCum[node] += bv;
          }
          if (withEdges && parent >= 0 && parent !== node) edges.addFirst(parent, node, w, bv, residual, inlined[j] === 1, stamp);
          parent = node;
          residual = false;
        }
      }
      if (parent >= 0 && !residual) {
        flat[parent] += w;
        baseFlat[parent] += bv;
      }
    }
  }
  return { flat, cum, baseFlat, baseCum, edges: edgeList(edges.table()) };
}

/** liveNodes lists the nodes with a value (pprof drops nodes whose flat and cum are 0). */
export function liveNodes(g: { flat: Float64Array; cum: Float64Array }): number[] {
  const out: number[] = [];
  for (let n = 0; n < g.cum.length; n++) if (g.cum[n] !== 0 || g.flat[n] !== 0) out.push(n);
  return out;
}

/** mask marks the `keep` nodes of `n`. */
export function mask(n: number, keep: number[]): Uint8Array {
  const m = new Uint8Array(n);
  for (const k of keep) m[k] = 1;
  return m;
}
