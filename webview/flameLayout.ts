import * as l10n from '@vscode/l10n';
import type { FlameTree } from '../src/core/flamegraph';
import type { FlameWidth, NodeIdentity } from './panelState';
import { sortByKey } from './radixSort';

// Flame-graph geometry, free of the DOM: which frames to draw where for a zoom and a width mode,
// hit testing, and search. An icicle: the root ("all") on top, callees below.
//
// Width and colour (our choice, and how it differs from pprof):
//  - width "new" (default): a frame is as wide as its value in the new profile — the shape of the
//    heap you have now, like Brendan Gregg's differential flame graphs; colour = net Δ (new − base).
//    A frame that vanished has no width here: switch to "change" to see it.
//  - width "change": a frame is as wide as the gross change beneath it, Σ|Δself| over its subtree
//    (growth and shrinkage both count, so they cannot cancel and children always fit in their
//    parent); colour = net Δ. Unchanged code disappears and what moved fills the view.
//  - pprof's flame graph (`-http`, "Flame Graph") sizes a diff frame by base + new (|negative| +
//    positive samples), paints it grey, and draws a red or green bar of |Δ| inside the box. It
//    shows both profiles' volume at once but a frame that doubled looks like one that stayed.
// Colour intensity is √(|Δ| / max|Δ|) (see theme.diffFill), red for growth, green for shrink.

/** FlameLayout is the frames to draw: x and width as fractions of the full width, depth as rows. */
export interface FlameLayout {
  count: number;
  frame: Int32Array;
  x: Float64Array;
  width: Float64Array;
  depth: Uint16Array;
  maxDepth: number;
  /** The zoomed frame (full width; its ancestors are drawn above it). */
  zoom: number;
  /** Drawn frames per depth, in x order (positions into the arrays above), for hit testing. */
  byDepth: Int32Array[];
}

/** FlameModel precomputes children lists and widths for one tree. */
export class FlameModel {
  private readonly childStart: Int32Array;
  private readonly childList: Int32Array;
  private readonly weights = new Map<FlameWidth, Float64Array>();
  private readonly sortedFor = new Set<FlameWidth>();
  readonly depth: Uint16Array;
  /** The largest |net Δ| of any frame below the root: the colour scale. */
  readonly maxAbsDelta: number;

  constructor(readonly tree: FlameTree) {
    const n = tree.count;
    const counts = new Int32Array(n + 1);
    for (let f = 1; f < n; f++) counts[tree.parent[f] + 1]++;
    for (let f = 0; f < n; f++) counts[f + 1] += counts[f];
    this.childStart = counts;
    this.childList = new Int32Array(Math.max(0, n - 1));
    const fill = counts.slice(0, n);
    this.depth = new Uint16Array(n);
    let maxAbs = 0;
    for (let f = 1; f < n; f++) {
      const p = tree.parent[f];
      this.childList[fill[p]++] = f;
      this.depth[f] = this.depth[p] + 1; // parents precede children
      maxAbs = Math.max(maxAbs, Math.abs(tree.newCum[f] - tree.baseCum[f]));
    }
    this.maxAbsDelta = maxAbs;
  }

  /** weight returns every frame's width value for a mode (computed once per mode). */
  weight(mode: FlameWidth): Float64Array {
    let w = this.weights.get(mode);
    if (w) return w;
    const t = this.tree;
    if (mode === 'new' || !t.isDiff) {
      w = t.newCum;
    } else {
      // Σ|Δself| over the subtree, accumulated from the leaves up (children have higher indexes);
      // callees trimmed by the worker (narrower than can be drawn) count with their net |Δ|.
      w = new Float64Array(t.count);
      for (let f = t.count - 1; f >= 0; f--) {
        w[f] += Math.abs(t.newSelf[f] - t.baseSelf[f]) + (t.trimmed[f] ?? 0);
        if (f > 0) w[t.parent[f]] += w[f];
      }
    }
    this.weights.set(mode, w);
    return w;
  }

  /** children lists a frame's children, widest first (then by name, so the order is stable). */
  children(frame: number, mode: FlameWidth): Int32Array {
    this.sortChildren(mode);
    return this.childList.subarray(this.childStart[frame], this.childStart[frame + 1]);
  }

  private sortChildren(mode: FlameWidth): void {
    if (this.sortedFor.has(mode)) return;
    // One global order — widest first, then by name — dealt out to the parents' child lists keeps
    // every list sorted: two radix sorts instead of a comparator sort per frame.
    const t = this.tree;
    const n = t.count;
    const all = new Uint32Array(Math.max(0, n - 1));
    for (let f = 1; f < n; f++) all[f - 1] = f;
    const byName = sortByKey(this.nameKeys(), all, false);
    const order = sortByKey(this.weight(mode), byName, true);
    const fill = this.childStart.slice(0, n);
    for (let k = 0; k < order.length; k++) {
      const f = order[k];
      this.childList[fill[t.parent[f]]++] = f;
    }
    this.sortedFor.clear(); // the list is shared: only the last sort is valid
    this.sortedFor.add(mode);
  }

  /** nameKeys gives each frame its node's name rank (from the host, else by sorting names here). */
  private nameKeys(): Float64Array {
    const t = this.tree;
    let rank = t.nodeRank;
    if (!rank || rank.length !== t.nodeName.length) {
      const ids = Array.from({ length: t.nodeName.length }, (_, i) => i);
      ids.sort((a, b) => compare(t.nodeName[a], t.nodeName[b]) || compare(t.nodeFile[a], t.nodeFile[b]) || t.nodeLine[a] - t.nodeLine[b]);
      rank = new Uint32Array(ids.length);
      ids.forEach((id, r) => { rank![id] = r; });
    }
    const keys = new Float64Array(t.count);
    for (let f = 1; f < t.count; f++) keys[f] = rank[t.node[f]];
    return keys;
  }

  /** name, file, line of a frame. */
  identity(frame: number): NodeIdentity {
    const t = this.tree;
    const n = t.node[frame];
    return n < 0 ? { name: 'all', file: '', line: 0 } : { name: t.nodeName[n], file: t.nodeFile[n], line: t.nodeLine[n] };
  }

  /** label is what a frame shows: its function (or file:line at line granularity). */
  label(frame: number): string {
    const id = this.identity(frame);
    if (frame === 0) return l10n.t('all');
    const base = id.file.slice(id.file.lastIndexOf('/') + 1);
    if (id.name === '') return id.line ? `${id.file}:${id.line}` : id.file || '<unknown>';
    return id.line ? `${id.name} ${base}:${id.line}` : id.name;
  }

  /** path returns the identities from the root's first child down to `frame` (to remember a zoom). */
  path(frame: number): NodeIdentity[] {
    const out: NodeIdentity[] = [];
    for (let f = frame; f > 0; f = this.tree.parent[f]) out.push(this.identity(f));
    return out.reverse();
  }

  /** findPath walks a remembered zoom path down the tree; returns the deepest frame reached. */
  findPath(path: NodeIdentity[]): number {
    let frame = 0;
    for (const id of path) {
      const t = this.tree;
      let next = -1;
      for (let k = this.childStart[frame]; k < this.childStart[frame + 1]; k++) {
        const c = this.childList[k];
        const n = t.node[c];
        if (t.nodeName[n] === id.name && t.nodeFile[n] === id.file && t.nodeLine[n] === id.line) { next = c; break; }
      }
      if (next < 0) break;
      frame = next;
    }
    return frame;
  }

  /**
   * layout places the frames for a zoom: the zoomed frame spans the full width, its ancestors too
   * (greyed by the view), its descendants in proportion. Frames narrower than `minWidth` (a fraction
   * of the full width, e.g. half a pixel) are skipped with their subtrees.
   */
  layout(mode: FlameWidth, zoom: number, minWidth: number): FlameLayout {
    const w = this.weight(mode);
    const frames: number[] = [];
    const xs: number[] = [];
    const ws: number[] = [];
    for (let f = this.tree.parent[zoom]; f >= 0; f = this.tree.parent[f]) {
      frames.push(f);
      xs.push(0);
      ws.push(1);
    }
    frames.reverse();
    const total = w[zoom];
    if (total > 0) {
      const stack: Array<[number, number]> = [[zoom, 0]];
      while (stack.length > 0) {
        const [f, x] = stack.pop()!;
        const width = w[f] / total;
        frames.push(f);
        xs.push(x);
        ws.push(width);
        const kids = this.children(f, mode);
        let cx = x;
        const next: Array<[number, number]> = [];
        for (const c of kids) {
          const cw = w[c] / total;
          if (cw < minWidth) break; // widest first: the rest are narrower still
          next.push([c, cx]);
          cx += cw;
        }
        for (let k = next.length - 1; k >= 0; k--) stack.push(next[k]);
      }
    }
    return this.pack(frames, xs, ws, zoom);
  }

  private pack(frames: number[], xs: number[], ws: number[], zoom: number): FlameLayout {
    const count = frames.length;
    const depth = new Uint16Array(count);
    let maxDepth = 0;
    for (let i = 0; i < count; i++) {
      depth[i] = this.depth[frames[i]];
      maxDepth = Math.max(maxDepth, depth[i]);
    }
    const perDepth: number[][] = Array.from({ length: maxDepth + 1 }, () => []);
    for (let i = 0; i < count; i++) perDepth[depth[i]].push(i);
    for (const list of perDepth) list.sort((a, b) => xs[a] - xs[b]);
    return {
      count,
      frame: Int32Array.from(frames),
      x: Float64Array.from(xs),
      width: Float64Array.from(ws),
      depth,
      maxDepth,
      zoom,
      byDepth: perDepth.map((l) => Int32Array.from(l)),
    };
  }

  /** search marks frames whose label matches; `share` is the matched fraction of the zoomed width (nested matches counted once). */
  search(regex: RegExp, layout: FlameLayout, mode: FlameWidth): { matched: Uint8Array; share: number } {
    const matched = new Uint8Array(this.tree.count);
    const labelCache = new Map<number, boolean>();
    for (let f = 1; f < this.tree.count; f++) {
      const n = this.tree.node[f];
      let hit = labelCache.get(n);
      if (hit === undefined) {
        regex.lastIndex = 0;
        hit = regex.test(this.label(f));
        labelCache.set(n, hit);
      }
      if (hit) matched[f] = 1;
    }
    // Share of the zoomed frame: outermost matches inside its subtree.
    const w = this.weight(mode);
    const zoom = layout.zoom;
    let covered = 0;
    const stack = [zoom];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (matched[f]) { covered += w[f]; continue; }
      for (const c of this.children(f, mode)) stack.push(c);
    }
    return { matched, share: w[zoom] > 0 ? covered / w[zoom] : 0 };
  }
}

/** hitTest returns the layout position under (fractional x, depth), or -1. */
export function hitTest(layout: FlameLayout, x: number, depth: number): number {
  const row = layout.byDepth[depth];
  if (!row) return -1;
  let lo = 0;
  let hi = row.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const i = row[mid];
    if (x < layout.x[i]) hi = mid - 1;
    else if (x >= layout.x[i] + layout.width[i]) lo = mid + 1;
    else return i;
  }
  return -1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** FlameKey is a key that moves the keyboard focus between frames. */
export type FlameKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight';

/**
 * flameStep moves keyboard focus from layout position `i`: up to the caller (the frame above, which
 * spans it), down to the widest callee (the leftmost below it), left and right to the neighbouring
 * frame on the same row. Returns `i` when there is nothing that way.
 */
export function flameStep(layout: FlameLayout, i: number, key: FlameKey): number {
  const depth = layout.depth[i];
  if (key === 'ArrowUp') {
    // The caller spans its callee: probe the middle, clear of rounding at the edges.
    const up = depth > 0 ? hitTest(layout, layout.x[i] + layout.width[i] / 2, depth - 1) : -1;
    return up < 0 ? i : up;
  }
  if (key === 'ArrowDown') {
    // The widest callee starts at the caller's left edge; probe just inside it (a neighbour's right
    // edge can round to a hair past it).
    const down = hitTest(layout, layout.x[i] + layout.width[i] * 1e-6, depth + 1);
    return down < 0 || layout.x[down] >= layout.x[i] + layout.width[i] ? i : down;
  }
  const row = layout.byDepth[depth];
  const k = row.indexOf(i);
  const next = row[k + (key === 'ArrowLeft' ? -1 : 1)];
  return next === undefined ? i : next;
}

/** positionOf finds a frame's layout position, or -1 when it is not drawn. */
export function positionOf(layout: FlameLayout, frame: number): number {
  for (let i = 0; i < layout.count; i++) if (layout.frame[i] === frame) return i;
  return -1;
}
