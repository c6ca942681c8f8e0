import type { FrameNodes, SignedSource } from './sampleSources';

// The flame builder's tables (flameLevels.ts): the frames made so far, one depth's candidate
// callees, and the distinct stacks. Typed columns with open addressing, reused from depth to depth:
// a Map of a million numeric keys per depth was most of the build time.

/** Frames are the growable columns of the output tree (frame 0, the root, is made with them). */
export class Frames {
  parent: number[] = [-1];
  node: number[] = [-1];
  inlined: number[] = [0];
  newCum: number[] = [0];
  newSelf: number[] = [0];
  baseCum: number[] = [0];
  baseSelf: number[] = [0];
  trimmed: number[] = [0];

  /** add appends a frame with its cum values; self and trimmed start at zero. */
  add(parent: number, node: number, inlined: number, newCum: number, baseCum: number): number {
    this.parent.push(parent);
    this.node.push(node);
    this.inlined.push(inlined);
    this.newCum.push(newCum);
    this.baseCum.push(baseCum);
    this.newSelf.push(0);
    this.baseSelf.push(0);
    this.trimmed.push(0);
    return this.parent.length - 1;
  }
}

/** Candidates are one depth's callees before trimming: (parent frame, node) with their sums, as columns. */
export class Candidates {
  count = 0;
  readonly parent: Int32Array;
  readonly node: Int32Array;
  readonly inlined: Uint8Array;
  readonly newSum: Float64Array;
  readonly baseSum: Float64Array;
  readonly newAbs: Float64Array;
  readonly change: Float64Array;
  // Open addressing over (parent, node): slot → candidate + 1 (0 = empty).
  private readonly slots: Int32Array;
  private mask = 0;

  constructor(capacity: number) {
    this.parent = new Int32Array(capacity);
    this.node = new Int32Array(capacity);
    this.inlined = new Uint8Array(capacity);
    this.newSum = new Float64Array(capacity);
    this.baseSum = new Float64Array(capacity);
    this.newAbs = new Float64Array(capacity);
    this.change = new Float64Array(capacity);
    this.slots = new Int32Array(tableSize(capacity));
  }

  /** reset empties the table for a depth with at most `live` candidates. */
  reset(live: number): void {
    this.count = 0;
    const size = tableSize(live);
    this.mask = size - 1;
    this.slots.fill(0, 0, size);
  }

  /** of returns the candidate for (parent, node), adding it (with zero sums) when new. */
  of(parent: number, node: number, inlined: number): number {
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(node + 1, 0x85ebca77)) & this.mask;
    for (;;) {
      const c = this.slots[h] - 1;
      if (c < 0) break;
      if (this.parent[c] === parent && this.node[c] === node) return c;
      h = (h + 1) & this.mask;
    }
    const c = this.count++;
    this.slots[h] = c + 1;
    this.parent[c] = parent;
    this.node[c] = node;
    this.inlined[c] = inlined;
    this.newSum[c] = 0;
    this.baseSum[c] = 0;
    this.newAbs[c] = 0;
    this.change[c] = 0;
    return c;
  }
}

/** tableSize is the power of two at least twice `n` (a half-full open-addressing table). */
export function tableSize(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}

/** StackIds number the distinct node stacks of a view: per source (target first), each sample's stack number. */
export interface StackIds {
  count: number;
  ids: Int32Array[];
}

/**
 * stackIds numbers every sample's stack of nodes (by a 64-bit hash), once per view: the number
 * depends on the nodes only (not on a sample type, zoom or trim), so every flame tree of the view
 * weighs its stacks with it instead of walking them.
 */
export function stackIds(sources: readonly SignedSource[], checkpoint?: () => void): StackIds {
  return new StackNumbering(sources).run(checkpoint);
}

/**
 * StackNumbering is stackIds that can stop at a checkpoint and go on later from the sample where
 * it stopped. The worker numbers a view's stacks as a prefetch, which gives way to any query that
 * arrives — typically the flame graph's, which needs the numbers: it goes on with them instead of
 * starting again (the 61 MB pair's numbering is ~1.1 s).
 */
export class StackNumbering {
  private readonly table: StackTable;
  private readonly ids: Int32Array[];
  private readonly hi = new Int32Array(1);
  private readonly lo = new Int32Array(1);
  // The next sample to number: source, then sample within it.
  private source = 0;
  private sample = 0;

  constructor(private readonly sources: readonly SignedSource[]) {
    let total = 0;
    for (const { profile: p } of sources) total += p.samples.count;
    this.table = new StackTable(total);
    this.ids = sources.map(({ profile: p }) => new Int32Array(p.samples.count));
  }

  /** run numbers the samples not numbered yet and returns every sample's number; a checkpoint that throws leaves the rest for the next run. */
  run(checkpoint?: () => void): StackIds {
    for (; this.source < this.sources.length; this.source++, this.sample = 0) {
      const { profile: p, frames } = this.sources[this.source];
      const { count, locationStart, locationIndex } = p.samples;
      const out = this.ids[this.source];
      for (; this.sample < count; this.sample++) {
        const s = this.sample;
        if (checkpoint && (s & 0xffff) === 0) checkpoint();
        hashStack(frames, locationIndex, locationStart[s], locationStart[s + 1], this.hi, this.lo, 0);
        out[s] = this.table.of(this.hi[0], this.lo[0]);
      }
    }
    return { count: this.table.size, ids: this.ids };
  }
}

/** hashStack writes the 64-bit hash of the nodes of locations [from, to) (root → leaf) to hi[i], lo[i]. */
export function hashStack(frames: FrameNodes, locationIndex: Uint32Array, from: number, to: number, hi: Int32Array, lo: Int32Array, i: number): void {
  let a = 0x811c9dc5;
  let b = 0x1b873593;
  const { start, nodes } = frames;
  for (let k = to - 1; k >= from; k--) {
    const loc = locationIndex[k];
    for (let j = start[loc], end = start[loc + 1]; j < end; j++) {
      const node = nodes[j];
      a = Math.imul(a ^ node, 0x01000193);
      b = Math.imul((b ^ node) + 0x9e3779b9, 0x85ebca6b) ^ (b >>> 13);
    }
  }
  hi[i] = a;
  lo[i] = b;
}

/** StackTable numbers distinct 64-bit stack hashes (open addressing). */
export class StackTable {
  private count = 0;
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.slots = new Int32Array(tableSize(capacity));
    this.mask = this.slots.length - 1;
  }

  /** size is how many distinct stacks were numbered. */
  get size(): number {
    return this.count;
  }

  /** of returns the number of the stack with this hash, numbering it when new. */
  of(hi: number, lo: number): number {
    let h = (hi ^ Math.imul(lo, 0x27d4eb2d)) & this.mask;
    for (;;) {
      const c = this.slots[h] - 1;
      if (c < 0) break;
      if (this.hi[c] === hi && this.lo[c] === lo) return c;
      h = (h + 1) & this.mask;
    }
    const c = this.count++;
    this.slots[h] = c + 1;
    this.hi[c] = hi;
    this.lo[c] = lo;
    return c;
  }
}
