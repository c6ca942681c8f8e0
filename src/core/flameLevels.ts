import { sampleSelected } from './filter';
import type { FlameOptions, FlameTree } from './flamegraph';
import type { SampleSource } from './sampleSources';
import { Candidates, Frames, type StackIds, StackTable, hashStack } from './flameTables';

// Building the flame tree one depth at a time (flamegraph.ts says why): the live samples sit on
// their frame; a depth groups them by (frame, next node) into candidate callees, keeps the callees
// wide enough to draw, moves each sample on into its callee or drops it with a trimmed one.
//
// The "change" width is Σ|Δself| over a subtree: the |Δ| of each distinct stack through the frame.
// It is not a sum over samples, so each sample carries its stack's |Δ| in proportion to its value
// (stacks are told apart by a 64-bit hash of their nodes), and a depth sums those like any value: a
// callee's change width is known before its subtree is built.
//
// Given the view's stack numbers (a comparison: the worker keeps them per view), the samples of one
// stack are merged before the first depth into one live entry holding the target's and the base's
// sums: a stack follows one path, so its samples would only be grouped into the same candidates
// depth after depth. The 61 MB pair's 1.3–1.95 million live samples are ~650,000–975,000 stacks.
// The representative that is walked is the stack's first live sample (target before base), the
// sample that made each of its frames in a per-sample build, so frames come in the same order and
// carry the same inlined flag. Values are integers, so merged sums are the same numbers.
// (Two stacks sharing a 64-bit hash would be merged into one path: not seen at these sizes —
// the chance is about n²/2⁶⁵ — and then a wrong split between two paths of one profile's numbers.)

/** BuiltTree is the tree's columns as the builder makes them (names and totals are added by flameTree). */
export type BuiltTree = Omit<FlameTree, 'sampleType' | 'unit' | 'isDiff' | 'total' | 'nodeName' | 'nodeFile' | 'nodeLine' | 'nodeRank'>;

/** LevelBuilder grows the tree one depth at a time over the live samples of every source. */
export class LevelBuilder {
  readonly totals: number[] = [];
  private readonly out = new Frames();
  // The live entries (samples, or merged stacks), run by run (`runEnd`): which sample is walked
  // (from the run's source), where its walk is (location k, node slot j), its frame, and the values
  // it carries: the target's sum and Σ|value|, the base's sum. Compaction keeps the runs in order.
  private readonly sample: Int32Array;
  private readonly newValue: Float64Array;
  private readonly newAbs: Float64Array;
  private readonly baseValue: Float64Array;
  private readonly k: Int32Array;
  private readonly j: Int32Array;
  private readonly frame: Int32Array;
  private readonly runEnd: number[] = [];
  private dropped = 0;
  private zoomFrame = 0;
  private thresholdNew = 0;
  private thresholdChange = 0;
  private thresholdsSet = false;
  private candidates: Candidates | undefined;
  private readonly candidate: Int32Array;
  /** Per live sample, its share of its stack's |Δ| (comparisons being trimmed; see weighStacks). */
  private readonly weight: Float64Array;

  constructor(private readonly sources: SampleSource[], private readonly isDiff: boolean, private readonly options: FlameOptions) {
    let n = 0;
    for (const s of sources) n += s.profile.samples.count;
    // Merged, there is at most one entry per stack.
    if (options.stackIds) n = Math.min(n, options.stackIds.count);
    this.sample = new Int32Array(n);
    this.k = new Int32Array(n);
    this.j = new Int32Array(n);
    this.frame = new Int32Array(n);
    this.candidate = new Int32Array(n);
    this.newValue = new Float64Array(n);
    this.newAbs = new Float64Array(n);
    this.baseValue = new Float64Array(n);
    this.weight = new Float64Array(isDiff && (options.minFraction ?? 0) > 0 ? n : 0);
  }

  private get live(): number {
    return this.runEnd.length > 0 ? this.runEnd[this.runEnd.length - 1] : 0;
  }

  /** build grows the whole tree; `totals` then holds each source's Σ|value| (pprof's totals). */
  build(): BuiltTree {
    let at = 0;
    const known = this.options.stackIds;
    // Per stack number, its live entry (−1: none yet; −2: a stack with no nodes, all on the root).
    const entryOf = known ? new Int32Array(known.count).fill(-1) : undefined;
    for (let r = 0; r < this.sources.length; r++) {
      const { total, live } = this.start(r, at, entryOf);
      this.totals.push(total);
      at += live;
      this.runEnd.push(at);
    }
    if (this.weight.length > 0) this.weighStacks();
    // Follow the zoom path first (one frame per depth), then trim below the zoomed frame.
    const zoom = this.options.zoom ?? [];
    for (let depth = 0; this.live > 0; depth++) {
      let only = -1;
      if (!this.thresholdsSet) {
        if (depth < zoom.length && this.reaches(zoom[depth])) only = zoom[depth];
        else this.setThresholds();
      }
      this.level(only);
      if (only >= 0) this.zoomFrame = this.out.parent.length - 1;
    }
    const o = this.out;
    return {
      count: o.parent.length,
      parent: Int32Array.from(o.parent),
      node: Int32Array.from(o.node),
      inlined: Uint8Array.from(o.inlined),
      newCum: Float64Array.from(o.newCum),
      newSelf: Float64Array.from(o.newSelf),
      baseCum: Float64Array.from(o.baseCum),
      baseSelf: Float64Array.from(o.baseSelf),
      trimmed: Float64Array.from(o.trimmed),
      trim: { minFraction: this.options.minFraction ?? 0, zoom: this.zoomFrame, dropped: this.dropped },
    };
  }

  /**
   * start puts source r's selected samples on the root from position `at`: one entry per sample,
   * or, with stack numbers (`entryOf`), one per stack not already live, the values of a stack's
   * later samples added to its entry. Returns pprof's Σ|value| over all the source's samples and
   * how many entries it added.
   */
  private start(r: number, at: number, entryOf: Int32Array | undefined): { total: number; live: number } {
    const source = this.sources[r];
    const { profile: p, valueIndex: ti, frames } = source;
    const nt = p.sampleTypes.length;
    const { values, locationStart, locationIndex } = p.samples;
    const ids = entryOf ? this.options.stackIds!.ids[r] : undefined;
    const base = source.sign < 0;
    const o = this.out;
    let total = 0;
    let w = at;
    for (let s = 0; s < p.samples.count; s++) {
      const v = values[s * nt + ti];
      if (v === 0) continue;
      total += Math.abs(v);
      const from = locationStart[s];
      const to = locationStart[s + 1];
      if (frames.mark && !sampleSelected(frames.mark, locationIndex, from, to)) continue;
      if (base) o.baseCum[0] += v;
      else o.newCum[0] += v;
      let e = entryOf ? entryOf[ids![s]] : -1;
      if (e === -1) {
        this.sample[w] = s;
        this.frame[w] = 0;
        // A stack with no nodes stays on the root (its later samples too: −2).
        e = seek(source, this.sample, this.k, this.j, w, to - 1, -1) ? w++ : -2;
        if (entryOf) entryOf[ids![s]] = e;
        if (e >= 0) {
          this.newValue[e] = 0;
          this.newAbs[e] = 0;
          this.baseValue[e] = 0;
        }
      }
      if (e === -2) {
        if (base) o.baseSelf[0] += v;
        else o.newSelf[0] += v;
      } else if (base) this.baseValue[e] += v;
      else {
        this.newValue[e] += v;
        this.newAbs[e] += v < 0 ? -v : v;
      }
    }
    return { total, live: w - at };
  }

  /** reaches tells whether some live sample continues into `node` (the next frame of the zoom path). */
  private reaches(node: number): boolean {
    let from = 0;
    for (let r = 0; r < this.sources.length; r++) {
      const nodes = this.sources[r].frames.nodes;
      for (let i = from; i < this.runEnd[r]; i++) if (nodes[this.j[i]] === node) return true;
      from = this.runEnd[r];
    }
    return false;
  }

  /**
   * setThresholds fixes the cut-offs once the zoomed frame is reached (every live sample is in it):
   * a callee stays if its new cum, or its change width, is at least minFraction of the zoomed frame's.
   */
  private setThresholds(): void {
    this.thresholdsSet = true;
    const fraction = this.options.minFraction ?? 0;
    if (fraction <= 0) return;
    const o = this.out;
    const z = this.zoomFrame;
    this.thresholdNew = fraction * Math.abs(o.newCum[z]);
    if (!this.isDiff) return;
    // The zoomed frame's change: its own stack's |Δself| plus the weights of the stacks going on.
    let change = Math.abs(o.newSelf[z] - o.baseSelf[z]);
    for (let i = 0; i < this.live; i++) change += this.weight[i];
    this.thresholdChange = fraction * change;
  }

  /**
   * weighStacks gives each live entry its stack's |Δ| (new − base over every entry with the same
   * nodes) in proportion to its Σ|value|, so Σ over the entries through a frame is its change width.
   * (A merged stack is one entry: its weight is its own |Δ|.)
   */
  private weighStacks(): void {
    const { count, stackOf } = this.options.stackIds ? this.knownStacks(this.options.stackIds) : this.hashedStacks();
    const delta = new Float64Array(count);
    const volume = new Float64Array(count);
    const live = this.live;
    for (let i = 0; i < live; i++) {
      const st = stackOf[i];
      delta[st] += this.newValue[i] - this.baseValue[i];
      volume[st] += this.newAbs[i] + Math.abs(this.baseValue[i]);
    }
    for (let i = 0; i < live; i++) {
      const st = stackOf[i];
      this.weight[i] = (Math.abs(delta[st]) * (this.newAbs[i] + Math.abs(this.baseValue[i]))) / volume[st];
    }
  }

  /** knownStacks reads each live sample's stack number from the view's StackIds. */
  private knownStacks(known: StackIds): { count: number; stackOf: Int32Array } {
    const stackOf = new Int32Array(this.live);
    let from = 0;
    for (let r = 0; r < this.sources.length; r++) {
      const ids = known.ids[r];
      for (let i = from; i < this.runEnd[r]; i++) stackOf[i] = ids[this.sample[i]];
      from = this.runEnd[r];
    }
    return { count: known.count, stackOf };
  }

  /** hashedStacks numbers the live samples' distinct stacks by walking them (no StackIds given). */
  private hashedStacks(): { count: number; stackOf: Int32Array } {
    const live = this.live;
    const hi = new Int32Array(live);
    const lo = new Int32Array(live);
    let from = 0;
    for (let r = 0; r < this.sources.length; r++) {
      const { profile: p, frames } = this.sources[r];
      const { locationStart, locationIndex } = p.samples;
      for (let i = from; i < this.runEnd[r]; i++) hashStack(frames, locationIndex, locationStart[this.sample[i]], locationStart[this.sample[i] + 1], hi, lo, i);
      from = this.runEnd[r];
    }
    const stacks = new StackTable(live);
    const stackOf = new Int32Array(live);
    for (let i = 0; i < live; i++) stackOf[i] = stacks.of(hi[i], lo[i]);
    return { count: live, stackOf };
  }

  /** level adds one depth: groups the live samples by (frame, next node), keeps the wide callees, advances or drops each sample. */
  private level(onlyNode: number): void {
    const o = this.out;
    const live = this.live;
    this.candidates ??= new Candidates(live);
    const cand = this.candidates;
    cand.reset(live);
    const candidate = this.candidate.subarray(0, live);
    const checkpoint = this.options.checkpoint;
    const weighed = this.weight.length > 0;
    let from = 0;
    for (let r = 0; r < this.sources.length; r++) {
      const { frames } = this.sources[r];
      for (let i = from; i < this.runEnd[r]; i++) {
        if (checkpoint && (i & 0xffff) === 0) checkpoint();
        const j = this.j[i];
        const c = cand.of(this.frame[i], frames.nodes[j], frames.inlined[j]);
        candidate[i] = c;
        cand.baseSum[c] += this.baseValue[i];
        cand.newAbs[c] += this.newAbs[i];
        cand.newSum[c] += this.newValue[i];
        if (weighed) cand.change[c] += this.weight[i];
      }
      from = this.runEnd[r];
    }
    const keep = this.choose(onlyNode, cand);
    const id = new Int32Array(cand.count).fill(-1);
    for (let c = 0; c < cand.count; c++) {
      if (keep[c]) id[c] = o.add(cand.parent[c], cand.node[c], cand.inlined[c], cand.newSum[c], cand.baseSum[c]);
      else if (onlyNode < 0) {
        this.dropped++;
        o.trimmed[cand.parent[c]] += cand.change[c];
      }
    }
    this.advance(candidate, id);
  }

  /** choose marks the callees to keep: the zoom path's next node, else those wide enough in either width. */
  private choose(onlyNode: number, cand: Candidates): Uint8Array {
    const n = cand.count;
    const keep = new Uint8Array(n);
    if (onlyNode >= 0) {
      for (let c = 0; c < n; c++) keep[c] = cand.node[c] === onlyNode ? 1 : 0;
      return keep;
    }
    const tNew = this.thresholdNew;
    const tChange = this.isDiff ? this.thresholdChange : Infinity;
    if (tNew === 0 && (tChange === 0 || tChange === Infinity)) return keep.fill(1);
    for (let c = 0; c < n; c++) keep[c] = cand.newAbs[c] >= tNew || cand.change[c] >= tChange ? 1 : 0;
    return keep;
  }

  /** advance moves each live sample into its kept frame and to its next node; ended or trimmed samples leave. */
  private advance(candidate: Int32Array, id: Int32Array): void {
    const o = this.out;
    let w = 0;
    let from = 0;
    for (let r = 0; r < this.sources.length; r++) {
      const source = this.sources[r];
      for (let i = from; i < this.runEnd[r]; i++) {
        const f = id[candidate[i]];
        if (f < 0) continue;
        const k = this.k[i];
        const j = this.j[i];
        this.sample[w] = this.sample[i];
        this.frame[w] = f;
        if (this.weight.length > 0) this.weight[w] = this.weight[i];
        if (seek(source, this.sample, this.k, this.j, w, k, j + 1)) {
          this.newValue[w] = this.newValue[i];
          this.newAbs[w] = this.newAbs[i];
          this.baseValue[w] = this.baseValue[i];
          w++;
          continue;
        }
        o.newSelf[f] += this.newValue[i];
        o.baseSelf[f] += this.baseValue[i];
      }
      from = this.runEnd[r];
      this.runEnd[r] = w;
    }
  }
}

/** seek moves live sample i to its next node at or after (location k, slot j; j < 0: the location's first); false when its stack ends. */
function seek(source: SampleSource, sample: Int32Array, ks: Int32Array, js: Int32Array, i: number, k: number, j: number): boolean {
  const { profile: p, frames } = source;
  const from = p.samples.locationStart[sample[i]];
  const locs = p.samples.locationIndex;
  const start = frames.start;
  let kk = k;
  if (kk < from) return false;
  let jj = j < 0 ? start[locs[kk]] : j;
  while (jj >= start[locs[kk] + 1]) {
    kk--;
    if (kk < from) return false;
    jj = start[locs[kk]];
  }
  ks[i] = kk;
  js[i] = jj;
  return true;
}
