// Call paths as a trie: each distinct root → leaf prefix is one id, so a stack of any depth is
// identified by the id of its last frame. Children are found through an open-addressing hash of
// (parent, node) in typed arrays: a JS Map keyed by parent × nodeCount + node falls off V8's small
// integer fast path once keys pass 2^31 and was 40× slower on a 10 MB profile.

/** PathTrie interns root → leaf paths of node ids; id 0 is the empty path. */
export class PathTrie {
  private parents = new Int32Array(1024);
  private nodes = new Int32Array(1024);
  private slots = new Int32Array(2048).fill(-1);
  private size = 1;

  constructor() {
    this.parents[0] = -1;
    this.nodes[0] = -1;
  }

  /** count is the number of ids handed out, the empty path included. */
  get count(): number {
    return this.size;
  }

  /** child returns the id of path `parent` extended by `node`, creating it on first use. */
  child(parent: number, node: number): number {
    const mask = this.slots.length - 1;
    let i = hash(parent, node) & mask;
    for (;;) {
      const id = this.slots[i];
      if (id < 0) break;
      if (this.parents[id] === parent && this.nodes[id] === node) return id;
      i = (i + 1) & mask;
    }
    const id = this.size++;
    if (id >= this.parents.length) this.growEntries();
    this.parents[id] = parent;
    this.nodes[id] = node;
    this.slots[i] = id;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** parent returns the path without its last node (-1 for the empty path). */
  parent(id: number): number {
    return this.parents[id];
  }

  /** node returns the last node of a path. */
  node(id: number): number {
    return this.nodes[id];
  }

  /** path returns the nodes of a path, root first. */
  path(id: number): number[] {
    const out: number[] = [];
    for (let t = id; t > 0; t = this.parents[t]) out.push(this.nodes[t]);
    return out.reverse();
  }

  private growEntries(): void {
    const parents = new Int32Array(this.parents.length * 2);
    parents.set(this.parents);
    this.parents = parents;
    const nodes = new Int32Array(this.nodes.length * 2);
    nodes.set(this.nodes);
    this.nodes = nodes;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 1; id < this.size; id++) {
      let i = hash(this.parents[id], this.nodes[id]) & mask;
      while (slots[i] >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
    this.slots = slots;
  }
}

function hash(parent: number, node: number): number {
  // Two multiplicative mixes (Knuth / murmur constants) keep sibling and cousin ids apart.
  let h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(node + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}
