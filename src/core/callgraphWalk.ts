import type { CallGraphEdge } from './callgraph';
import { sampleSelected } from './filter';
import type { Profile } from './model';
import type { FrameNodes, SampleSource } from './sampleSources';

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

/** WalkEdge is an edge being accumulated: a CallGraphEdge (between node ids) plus its per-sample stamp. */
export interface WalkEdge extends CallGraphEdge {
  seen: number;
}

/** WalkedGraph is one walk's per-node flat/cum (new − base) and base values, and its edges. */
export interface WalkedGraph {
  flat: Float64Array;
  cum: Float64Array;
  baseFlat: Float64Array;
  baseCum: Float64Array;
  edges: WalkEdge[];
}

/** walkGraph is pprof's graph.newGraph over our samples: only `kept` nodes (all when undefined) take part. */
export function walkGraph(sources: GraphSource[], n: number, kept: Uint8Array | undefined, focus: number, checkpoint?: () => void): WalkedGraph {
  const g: WalkedGraph = { flat: new Float64Array(n), cum: new Float64Array(n), baseFlat: new Float64Array(n), baseCum: new Float64Array(n), edges: [] };
  const edgeIndex = new Map<number, WalkEdge>();
  const seen = new Float64Array(n).fill(-1);
  let stamp = 0;
  for (const src of sources) {
    const { profile: p, frames, sign, valueIndex } = src;
    const nt = p.sampleTypes.length;
    const { values, locationStart, locationIndex } = p.samples;
    for (let s = 0; s < p.samples.count; s++) {
      if (checkpoint && (s & 0xffff) === 0) checkpoint();
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

/** liveNodes lists the nodes with a value (pprof drops nodes whose flat and cum are 0). */
export function liveNodes(g: WalkedGraph): number[] {
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
