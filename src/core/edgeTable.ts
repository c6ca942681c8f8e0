import type { CallGraphEdge } from './callgraph';

// Caller → callee edges accumulated during aggregation. A 50 MB profile walks ~30 million frame
// pairs; a Map keyed by src·n+dst (heap-number keys) took 20–85 s there, so edges live in an
// open-addressing hash over Int32 (src, dst) pairs with typed-array columns.

/** EdgeTable holds caller → callee edges with their (signed) weights. */
export interface EdgeTable {
  count: number;
  src: Int32Array;
  dst: Int32Array;
  /** weight in the compared profile minus the base (or the single profile's weight). */
  weight: Float64Array;
  /** The base's weight (diff only; zeros otherwise). */
  baseWeight: Float64Array;
  /** 1 when every traversal of this edge was an inlined call. */
  inline: Uint8Array;
  /** 1 when some sample's traversal skipped trimmed frames (addFirst only; zeros otherwise). */
  residual: Uint8Array;
}

/** EdgeAccumulator sums edge weights once per sample (pprof's seenEdge), keyed by (src, dst). */
export class EdgeAccumulator {
  private slots = new Int32Array(1 << 12); // edge index + 1; 0 = empty
  private mask = (1 << 12) - 1;
  private count = 0;
  private src = new Int32Array(1024);
  private dst = new Int32Array(1024);
  private weight = new Float64Array(1024);
  private base = new Float64Array(1024);
  private inline = new Uint8Array(1024);
  private residual = new Uint8Array(1024);
  private seen = new Int32Array(1024);

  /** add adds one traversal of src → dst in sample `stamp` (counted once per sample). */
  add(src: number, dst: number, w: number, baseV: number, inline: boolean, stamp: number): void {
    const e = this.edgeOf(src, dst);
    if (!inline) this.inline[e] = 0;
    if (this.seen[e] === stamp) return;
    this.seen[e] = stamp;
    this.weight[e] += w;
    this.base[e] += baseV;
  }

  /**
   * addFirst is pprof's newGraph step for an edge (AddToEdgeDiv behind its seenEdge set): only the
   * first traversal of src → dst in sample `stamp` counts, and only it can mark the edge residual
   * (sticky) or not inlined.
   */
  addFirst(src: number, dst: number, w: number, baseV: number, residual: boolean, inline: boolean, stamp: number): void {
    const e = this.edgeOf(src, dst);
    if (this.seen[e] === stamp) return;
    this.seen[e] = stamp;
    this.weight[e] += w;
    this.base[e] += baseV;
    if (residual) this.residual[e] = 1;
    if (!inline) this.inline[e] = 0;
  }

  /** edgeOf finds the edge src → dst, adding it when new. */
  private edgeOf(src: number, dst: number): number {
    let slot = hashPair(src, dst) & this.mask;
    for (;;) {
      const s = this.slots[slot];
      if (s === 0) return this.insert(src, dst, slot);
      if (this.src[s - 1] === src && this.dst[s - 1] === dst) return s - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  private insert(src: number, dst: number, slot: number): number {
    const e = this.count++;
    if (e === this.src.length) this.growColumns();
    this.src[e] = src;
    this.dst[e] = dst;
    this.inline[e] = 1;
    this.residual[e] = 0;
    this.seen[e] = -1;
    this.slots[slot] = e + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return e;
  }

  private growColumns(): void {
    const n = this.src.length * 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => { const b = make(n); b.set(a as never); return b; };
    this.src = grow(this.src, (k) => new Int32Array(k));
    this.dst = grow(this.dst, (k) => new Int32Array(k));
    this.weight = grow(this.weight, (k) => new Float64Array(k));
    this.base = grow(this.base, (k) => new Float64Array(k));
    this.inline = grow(this.inline, (k) => new Uint8Array(k));
    this.residual = grow(this.residual, (k) => new Uint8Array(k));
    this.seen = grow(this.seen, (k) => new Int32Array(k));
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let e = 0; e < this.count; e++) {
      let slot = hashPair(this.src[e], this.dst[e]) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = e + 1;
    }
  }

  /** table returns the edges as right-sized columns. */
  table(): EdgeTable {
    const n = this.count;
    return {
      count: n,
      src: this.src.slice(0, n),
      dst: this.dst.slice(0, n),
      weight: this.weight.slice(0, n),
      baseWeight: this.base.slice(0, n),
      inline: this.inline.slice(0, n),
      residual: this.residual.slice(0, n),
    };
  }
}

/** edgeList turns accumulated columns into the edge objects a call graph's trimming sorts and filters. */
export function edgeList(t: EdgeTable): CallGraphEdge[] {
  const out = new Array<CallGraphEdge>(t.count);
  for (let e = 0; e < t.count; e++) {
    out[e] = { src: t.src[e], dst: t.dst[e], weight: t.weight[e], baseWeight: t.baseWeight[e], residual: t.residual[e] === 1, inline: t.inline[e] === 1 };
  }
  return out;
}

/**
 * hashPair mixes (src, dst) with murmur3's fmix32 so every input bit reaches the low bits used as
 * the slot: call graphs are structured (neighbouring ids call each other), and a plain linear mix
 * clustered so badly under linear probing that a 50 MB profile took 9 s instead of under one.
 */
function hashPair(src: number, dst: number): number {
  let h = (Math.imul(src, 0x9e3779b1) + dst) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
