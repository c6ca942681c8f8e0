import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';
import { compileFilters } from '../filter';
import type { Profile, ValueType } from '../model';
import { NodeTable } from '../nodes';
import { type Comparison, type ExpandedView, type FrameNodes, type SignedSource, signedSources } from '../sampleSources';
import { PathTrie } from './pathTrie';
import { rawObjectSize, recordVariance } from './sampling';

// Allocation sites of a comparison at line granularity, in two passes over the samples. The first
// sums, per leaf (function, file, line), the base, new and delta of every sample type and the
// sampling variance of each delta: enough to rank sites. The second (collectPaths) runs only for
// the sites that made the list and gathers their distinct root → leaf paths with their own deltas,
// to pick the path that carries each site's growth. Building every path of every sample up front
// cost 4 s on a 10 MB profile of mostly distinct stacks. One NodeTable is shared by both profiles
// so the same line in two builds is one site.

/** MAX_STACK_DEPTH is Go's heap profile stack limit (32 frames up to Go 1.22); deeper stacks are cut at the root. */
export const MAX_STACK_DEPTH = 32;

/** TYPE_ORDER puts the sample types people read first first: the live heap, then allocations. */
export const TYPE_ORDER: readonly string[] = ['inuse_space', 'space', 'inuse_objects', 'objects', 'alloc_space', 'alloc_objects'];

/** SiteTable holds per-site numbers of one comparison; values are row-major by sample type. */
export interface SiteTable {
  nodes: NodeTable;
  /** Sample types present in both profiles, in TYPE_ORDER (then the new profile's order). */
  types: ValueType[];
  /** Number of sites. */
  count: number;
  /** The leaf node of each site. */
  node: number[];
  base: Float64Array;
  target: Float64Array;
  /** target − base, per site and type. */
  delta: Float64Array;
  /** Sampling variance of each delta (see sampling.ts). */
  variance: Float64Array;
  /** Raw sizes of the large objects the new profile's records at each site stand for (alloc side). */
  largeObjectSizes: Map<number, number[]>;
  /** Profile-wide sums per type: [base, new]. */
  totals: Array<[number, number]>;
  /** What the second pass needs: each profile with its frames and each sample's site (-1: none). */
  inputs: SiteInput[];
}

/** SiteInput is one side of the comparison as the path pass reads it. */
export interface SiteInput {
  profile: Profile;
  frames: FrameNodes;
  sign: 1 | -1;
  /** Site of each sample, or -1 when the sample has no value in the shared types. */
  sampleSite: Int32Array;
  /** Value column of each shared type in this profile. */
  columns: number[];
}

/** PathTable lists the distinct stacks (root → leaf, nameless frames dropped) of some sites, with their deltas. */
export interface PathTable {
  count: number;
  /** Node ids of each path, root first. */
  nodes: number[][];
  site: number[];
  /** target − base per path and type (row-major). */
  delta: number[];
  /** True when some sample on the path hit the profiler's depth limit (its root is not the real root). */
  truncated: boolean[];
}

/** SiteOptions let a caller that keeps views share the work of one (the analysis worker). */
export interface SiteOptions {
  /** The comparison expanded at line granularity without filters (expandView), if already made. */
  lines?: ExpandedView;
  /** Called every few thousand samples; throws to give way (a query waiting in the worker). */
  checkpoint?: () => void;
}

/** collectSites walks both profiles' samples once and builds the site table. */
export function collectSites(comparison: Comparison, options: SiteOptions = {}): SiteTable {
  return new SiteCollection(comparison, options.lines).run(options.checkpoint);
}

/**
 * SiteCollection is collectSites that can stop at a checkpoint and go on later from the sample where
 * it stopped: the analysis worker keeps it while unfinished, so a diagnosis that gave way to a hover
 * or an opened file does not walk again what it had walked.
 */
export class SiteCollection {
  private readonly builder: SiteBuilder;
  private readonly sources: SignedSource[];
  private source = 0;
  private table: SiteTable | undefined;

  /** `lines`: the comparison expanded at line granularity without filters (expandView), if already made. */
  constructor(comparison: Comparison, lines?: ExpandedView) {
    const { base, target } = comparison;
    const rank = (t: ValueType) => { const i = TYPE_ORDER.indexOf(t.type); return i < 0 ? TYPE_ORDER.length : i; };
    const types = target.sampleTypes.filter((t) => base.sampleTypes.some((b) => b.type === t.type)).sort((a, b) => rank(a) - rank(b));
    if (types.length === 0) {
      throw new ProfileError('incompatible-profiles', l10n.t('the profiles share no sample type (base: {0}; new: {1})', names(base), names(target)));
    }
    if (lines && lines.nodes.granularity !== 'lines') throw new Error('collectSites needs a lines expansion');
    const nodes = lines?.nodes ?? new NodeTable('lines');
    this.sources = lines?.sources ?? signedSources(comparison, nodes, compileFilters(undefined)); // interns every node first
    this.builder = new SiteBuilder(nodes, types);
  }

  /** run walks the samples not walked yet and returns the site table; a checkpoint that throws leaves the rest for the next run. */
  run(checkpoint?: () => void): SiteTable {
    for (; this.source < this.sources.length; this.source++) {
      const s = this.sources[this.source];
      this.builder.add(this.source, s.profile, s.frames, s.sign, checkpoint);
    }
    return (this.table ??= this.builder.build());
  }
}

function names(p: Profile): string {
  return p.sampleTypes.map((t) => t.type).join(', ') || 'none';
}

/** isUnknown tells whether a node is an unsymbolized frame (no function, no file). */
function isUnknown(nodes: NodeTable, node: number): boolean {
  return nodes.name[node] === '' && nodes.file[node] === '';
}

/**
 * LocationLeaves are, per location, its innermost symbolized node and its innermost unsymbolized one
 * (−1 when none): a sample's leaf site is read from its locations without touching node strings.
 * Worked out once per location, not once per sample (the 61 MB pair: 1.95 million samples).
 */
interface LocationLeaves {
  known: Int32Array;
  unknown: Int32Array;
}

function locationLeaves(nodes: NodeTable, frames: FrameNodes, count: number): LocationLeaves {
  const known = new Int32Array(count).fill(-1);
  const unknown = new Int32Array(count).fill(-1);
  for (let loc = 0; loc < count; loc++) {
    for (let j = frames.start[loc + 1] - 1; j >= frames.start[loc]; j--) {
      const node = frames.nodes[j];
      if (!isUnknown(nodes, node)) { known[loc] = node; break; }
      if (unknown[loc] < 0) unknown[loc] = node;
    }
  }
  return { known, unknown };
}

/** leafNode is a sample's innermost symbolized frame; a stack of only unsymbolized frames gives its innermost <unknown> node. */
function leafNode(leaves: LocationLeaves, locIndex: Uint32Array, from: number, to: number): number {
  let unknown = -1;
  for (let k = from; k < to; k++) {
    const loc = locIndex[k];
    const node = leaves.known[loc];
    if (node >= 0) return node;
    if (unknown < 0) unknown = leaves.unknown[loc];
  }
  return unknown;
}

/** collectPaths gathers every distinct path ending at one of `sites`, with its deltas (the second pass). */
export function collectPaths(t: SiteTable, sites: ReadonlySet<number>): PathTable {
  const nt = t.types.length;
  const trie = new PathTrie();
  const pathOf = new Map<number, number>();
  const paths: PathTable = { count: 0, nodes: [], site: [], delta: [], truncated: [] };
  // One byte per site instead of a Set lookup per sample (1.9 M samples in the 50 MB bench pair).
  const wanted = new Uint8Array(t.count);
  for (const s of sites) wanted[s] = 1;
  for (const input of t.inputs) {
    const S = input.profile.samples;
    const width = input.profile.sampleTypes.length;
    for (let s = 0; s < S.count; s++) {
      const site = input.sampleSite[s];
      if (site < 0 || wanted[site] === 0) continue;
      const from = S.locationStart[s];
      const to = S.locationStart[s + 1];
      let id = 0;
      for (let k = to - 1; k >= from; k--) {
        const loc = S.locationIndex[k];
        for (let j = input.frames.start[loc]; j < input.frames.start[loc + 1]; j++) {
          const node = input.frames.nodes[j];
          if (!isUnknown(t.nodes, node)) id = trie.child(id, node);
        }
      }
      if (id === 0) id = trie.child(0, t.node[site]);
      let pi = pathOf.get(id);
      if (pi === undefined) {
        pi = paths.count++;
        pathOf.set(id, pi);
        paths.nodes.push(trie.path(id));
        paths.site.push(site);
        paths.truncated.push(false);
        for (let i = 0; i < nt; i++) paths.delta.push(0);
      }
      if (to - from >= MAX_STACK_DEPTH) paths.truncated[pi] = true;
      for (let i = 0; i < nt; i++) {
        const c = input.columns[i];
        if (c >= 0) paths.delta[pi * nt + i] += input.sign * S.values[s * width + c];
      }
    }
  }
  return paths;
}

/** Columns maps the shared types onto one profile's value columns. */
interface Columns {
  value: number[];
  /** The object-count column of each type's family (alloc_/inuse_), or -1. */
  count: number[];
  allocObjects: number;
  allocSpace: number;
  inuseObjects: number;
  inuseSpace: number;
}

function columnsOf(p: Profile, types: ValueType[]): Columns {
  const idx = (...names: string[]) => p.sampleTypes.findIndex((t) => names.includes(t.type));
  const allocObjects = idx('alloc_objects');
  const allocSpace = idx('alloc_space');
  const inuseObjects = idx('inuse_objects', 'objects');
  const inuseSpace = idx('inuse_space', 'space');
  return {
    value: types.map((t) => idx(t.type)),
    count: types.map((t) => (t.type.startsWith('alloc_') ? allocObjects : inuseObjects)),
    allocObjects,
    allocSpace,
    inuseObjects,
    inuseSpace,
  };
}

/** SourceWalk is SiteBuilder's progress through one source. */
interface SourceWalk {
  index: number;
  /** The next sample to add. */
  next: number;
  cols: Columns;
  sampleSite: Int32Array;
  leaves: LocationLeaves;
}

class SiteBuilder {
  private readonly nt: number;
  /** Site of each node, -1 when the node is no sample's leaf (both profiles are interned before). */
  private readonly siteOf: Int32Array;
  private readonly siteNode: number[] = [];
  // Base, target, variance (site-major, nt per site), grown by doubling: a profile of mostly
  // distinct stacks has hundreds of thousands of sites, and pushing each one's zeros was ~10% of
  // the walk.
  private acc: Float64Array[];
  private readonly largeSizes = new Map<number, number[]>();
  private readonly totals: Array<[number, number]>;
  private readonly inputs: SiteInput[] = [];

  /** The walk of the source being added: where it is, and what it set up (once per source). */
  private walk: SourceWalk | undefined;

  constructor(private readonly nodes: NodeTable, private readonly types: ValueType[]) {
    this.nt = types.length;
    this.totals = types.map(() => [0, 0]);
    this.siteOf = new Int32Array(nodes.count).fill(-1);
    this.acc = [0, 1, 2].map(() => new Float64Array(1024 * this.nt));
  }

  /** add walks source `index`'s samples, going on from where a checkpoint stopped it if it did. */
  add(index: number, p: Profile, frames: FrameNodes, sign: 1 | -1, checkpoint: (() => void) | undefined): void {
    let w = this.walk;
    if (!w || w.index !== index) {
      const sampleSite = new Int32Array(p.samples.count).fill(-1);
      const cols = columnsOf(p, this.types);
      this.inputs.push({ profile: p, frames, sign, sampleSite, columns: cols.value });
      w = this.walk = { index, next: 0, cols, sampleSite, leaves: locationLeaves(this.nodes, frames, p.locations.count) };
    }
    const { cols, sampleSite, leaves } = w;
    const rate = p.periodType && p.period > 1 ? p.period : 0;
    const S = p.samples;
    const width = p.sampleTypes.length;
    const side = sign > 0 ? 1 : 0;
    const at = (row: number, c: number) => (c >= 0 ? S.values[row + c] : 0);
    for (; w.next < S.count; w.next++) {
      const s = w.next;
      if (checkpoint && (s & 0xffff) === 0) checkpoint();
      const row = s * width;
      let any = false;
      for (let t = 0; t < this.nt; t++) {
        const v = at(row, cols.value[t]);
        if (v !== 0) { any = true; this.totals[t][side] += v; }
      }
      if (!any) continue;
      const leaf = leafNode(leaves, S.locationIndex, S.locationStart[s], S.locationStart[s + 1]);
      if (leaf < 0) continue;
      const site = this.siteIndex(leaf);
      sampleSite[s] = site;
      // Average object size decides the sampling probability; alloc counts cover the most allocations.
      const size = at(row, cols.allocObjects) > 0
        ? rawObjectSize(at(row, cols.allocObjects), at(row, cols.allocSpace), rate)
        : rawObjectSize(at(row, cols.inuseObjects), at(row, cols.inuseSpace), rate);
      for (let t = 0; t < this.nt; t++) {
        const v = at(row, cols.value[t]);
        if (v === 0) continue;
        this.acc[side][site * this.nt + t] += v;
        this.acc[2][site * this.nt + t] += this.variance(v, at(row, cols.count[t]), size, rate, this.types[t].unit);
      }
      if (sign > 0 && rate > 0 && size >= rate / 4 && at(row, cols.allocObjects) > 0) this.noteLargeObject(site, size);
    }
  }

  private variance(v: number, count: number, size: number, rate: number, unit: string): number {
    if (rate === 0) return 0;
    if (size > 0) return recordVariance(v, count, size, rate);
    // No object counts to size the objects: assume small ones (each sample stands for ≈ rate bytes).
    return unit === 'bytes' ? Math.abs(v) * rate : v * v;
  }

  private siteIndex(node: number): number {
    let site = this.siteOf[node];
    if (site < 0) {
      site = this.siteNode.length;
      this.siteOf[node] = site;
      this.siteNode.push(node);
      if ((site + 1) * this.nt > this.acc[0].length) {
        this.acc = this.acc.map((a) => {
          const grown = new Float64Array(a.length * 2);
          grown.set(a);
          return grown;
        });
      }
    }
    return site;
  }

  private noteLargeObject(site: number, size: number): void {
    let sizes = this.largeSizes.get(site);
    if (!sizes) this.largeSizes.set(site, (sizes = []));
    if (sizes.length < 64) sizes.push(size);
  }

  build(): SiteTable {
    const used = this.siteNode.length * this.nt;
    const base = this.acc[0].slice(0, used);
    const target = this.acc[1].slice(0, used);
    const delta = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) delta[i] = target[i] - base[i];
    return {
      nodes: this.nodes,
      types: this.types,
      count: this.siteNode.length,
      node: this.siteNode,
      base,
      target,
      delta,
      variance: this.acc[2].slice(0, used),
      largeObjectSizes: this.largeSizes,
      totals: this.totals,
      inputs: this.inputs,
    };
  }
}
