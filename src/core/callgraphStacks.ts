import type { GraphSource, WalkedGraph } from './callgraphWalk';
import { EdgeAccumulator, edgeList } from './edgeTable';
import { sampleSelected } from './filter';
import type { FrameNodes } from './sampleSources';

// The call graph's trimmed walks (callgraph.ts steps 2 and 3) only look at the nodes that survived
// the cum cutoff: a few hundred of tens of thousands. So the samples are walked once, each stack
// projected onto those nodes (with a mark where dropped frames were skipped, which is what makes an
// edge residual), and identical projections merged: a 50 MB pair's 2 million stacks of ~23 frames
// become far fewer, shorter ones. Every later walk with a subset of those nodes (the nodecount
// trim, another nodecount) reads the merged stacks instead of the samples. Values are sums of
// integers, so merging is exact; stacks keep their first appearance's order, so edges are created
// in the order a walk over the samples creates them (pprof's tie-breaks see the same lists).

/** KeptStacks are the distinct stacks of a view projected onto a set of kept nodes, with their summed weights. */
export interface KeptStacks {
  count: number;
  /** Stack p's elements are elems[start[p] .. start[p + 1]), root first. */
  start: Uint32Array;
  /** node << 2 | 2 when dropped frames precede it on the stack | 1 when it is an inlined call. */
  elems: Int32Array;
  /** 1 when dropped frames follow the last kept one (the sample's flat goes to no kept node). */
  tail: Uint8Array;
  /** Σ signed value (new − base) and Σ base value of the samples with this projection. */
  weight: Float64Array;
  baseWeight: Float64Array;
}

const SINGLE_DROPPED = -1;
const GENERAL = -2;

/**
 * keptStacks walks every selected sample with a value (only those through `focus` when ≥ 0) and
 * merges their projections onto the `kept` nodes. Samples with no kept frame contribute nothing to
 * a graph and are left out.
 */
export function keptStacks(sources: GraphSource[], kept: Uint8Array, focus: number, checkpoint?: () => void): KeptStacks {
  const out = new StackTable();
  let scratch = new Int32Array(256);
  for (const src of sources) {
    const { profile: p, frames, sign, valueIndex } = src;
    const nt = p.sampleTypes.length;
    const { values, locationStart, locationIndex } = p.samples;
    const { start, nodes: frameNode, inlined, mark } = frames;
    const single = singleFrameCodes(frames, kept);
    for (let s = 0, count = p.samples.count; s < count; s++) {
      if (checkpoint && (s & 0xffff) === 0) checkpoint();
      const v = values[s * nt + valueIndex];
      if (v === 0) continue;
      const from = locationStart[s];
      const to = locationStart[s + 1];
      if (mark && !sampleSelected(mark, locationIndex, from, to)) continue;
      if (focus >= 0 && !stackHas(frames, locationIndex, from, to, focus)) continue;
      let n = 0;
      let gap = 0;
      for (let k = to - 1; k >= from; k--) {
        const loc = locationIndex[k];
        const code = single[loc];
        if (code >= 0) {
          if (n === scratch.length) scratch = grow(scratch);
          scratch[n++] = (code << 2) | gap;
          gap = 0;
        } else if (code === SINGLE_DROPPED) {
          gap = 2;
        } else {
          for (let j = start[loc], end = start[loc + 1]; j < end; j++) {
            const node = frameNode[j];
            if (kept[node] === 0) {
              gap = 2;
              continue;
            }
            if (n === scratch.length) scratch = grow(scratch);
            scratch[n++] = (node << 2) | gap | inlined[j];
            gap = 0;
          }
        }
      }
      if (n > 0) out.add(scratch, n, gap === 0 ? 0 : 1, sign * v, sign < 0 ? v : 0);
    }
  }
  return out.stacks();
}

/** singleFrameCodes classifies each location: its node (one kept frame), SINGLE_DROPPED, or GENERAL (no frame or several). */
function singleFrameCodes(frames: FrameNodes, kept: Uint8Array): Int32Array {
  const { start, nodes } = frames;
  const codes = new Int32Array(start.length - 1);
  for (let loc = 0; loc < codes.length; loc++) {
    const width = start[loc + 1] - start[loc];
    if (width !== 1) codes[loc] = GENERAL;
    else codes[loc] = kept[nodes[start[loc]]] === 0 ? SINGLE_DROPPED : nodes[start[loc]];
  }
  return codes;
}

/**
 * walkKeptStacks is walkGraph (pprof's newGraph) over merged stacks, with `kept` a subset of the
 * nodes they were projected on: a kept node skipped here, like a dropped frame, makes the next edge residual.
 */
export function walkKeptStacks(stacks: KeptStacks, n: number, kept: Uint8Array): WalkedGraph {
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const baseFlat = new Float64Array(n);
  const baseCum = new Float64Array(n);
  const edges = new EdgeAccumulator();
  const seen = new Int32Array(n).fill(-1);
  const { start, elems, tail, weight, baseWeight } = stacks;
  for (let p = 0; p < stacks.count; p++) {
    const w = weight[p];
    const bv = baseWeight[p];
    let parent = -1;
    let residual = false;
    for (let i = start[p], end = start[p + 1]; i < end; i++) {
      const e = elems[i];
      const node = e >> 2;
      if ((e & 2) !== 0) residual = true;
      if (kept[node] === 0) {
        residual = true;
        continue;
      }
      if (seen[node] !== p) {
        seen[node] = p;
        cum[node] += w;
        baseCum[node] += bv;
      }
      if (parent >= 0 && parent !== node) edges.addFirst(parent, node, w, bv, residual, (e & 1) === 1, p);
      parent = node;
      residual = false;
    }
    if (tail[p] === 1) residual = true;
    if (parent >= 0 && !residual) {
      flat[parent] += w;
      baseFlat[parent] += bv;
    }
  }
  return { flat, cum, baseFlat, baseCum, edges: edgeList(edges.table()) };
}

/** stackHas tells whether node appears in the stack of locations [from, to). */
export function stackHas(frames: FrameNodes, stack: Uint32Array, from: number, to: number, node: number): boolean {
  for (let k = from; k < to; k++) {
    const loc = stack[k];
    for (let j = frames.start[loc]; j < frames.start[loc + 1]; j++) if (frames.nodes[j] === node) return true;
  }
  return false;
}

function grow<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a as never);
  return b;
}

/** StackTable merges equal stacks (elements and tail) by open addressing over their hashes. */
class StackTable {
  private count = 0;
  private start = new Uint32Array(1024);
  private elems = new Int32Array(1 << 14);
  private tail = new Uint8Array(1024);
  private weight = new Float64Array(1024);
  private baseWeight = new Float64Array(1024);
  private hash = new Int32Array(1024);
  private slots = new Int32Array(1 << 11); // stack + 1; 0 = empty
  private mask = (1 << 11) - 1;

  add(scratch: Int32Array, n: number, tail: number, w: number, bv: number): void {
    let h = tail;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ scratch[i], 0x9e3779b1) ^ (h >>> 15);
    h ^= h >>> 16;
    let slot = h & this.mask;
    for (;;) {
      const s = this.slots[slot] - 1;
      if (s < 0) break;
      if (this.hash[s] === h && this.tail[s] === tail && this.equal(s, scratch, n)) {
        this.weight[s] += w;
        this.baseWeight[s] += bv;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    const s = this.count++;
    if (this.count >= this.start.length) {
      this.start = grow(this.start);
      this.tail = grow(this.tail);
      this.weight = grow(this.weight);
      this.baseWeight = grow(this.baseWeight);
      this.hash = grow(this.hash);
    }
    const at = this.start[s];
    while (at + n > this.elems.length) this.elems = grow(this.elems);
    this.elems.set(scratch.subarray(0, n), at);
    this.start[s + 1] = at + n;
    this.tail[s] = tail;
    this.weight[s] = w;
    this.baseWeight[s] = bv;
    this.hash[s] = h;
    this.slots[slot] = s + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private equal(s: number, scratch: Int32Array, n: number): boolean {
    const at = this.start[s];
    if (this.start[s + 1] - at !== n) return false;
    for (let i = 0; i < n; i++) if (this.elems[at + i] !== scratch[i]) return false;
    return true;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let s = 0; s < this.count; s++) {
      let slot = this.hash[s] & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = s + 1;
    }
  }

  stacks(): KeptStacks {
    const n = this.count;
    return {
      count: n,
      start: this.start.slice(0, n + 1),
      elems: this.elems.slice(0, this.start[n]),
      tail: this.tail.slice(0, n),
      weight: this.weight.slice(0, n),
      baseWeight: this.baseWeight.slice(0, n),
    };
  }
}
