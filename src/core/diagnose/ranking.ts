import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';
import type { Profile } from '../model';
import { resolveSampleIndex } from '../sampleIndex';
import { classifyKind, type KindVerdict } from './kind';
import { zScore } from './sampling';
import { collectPaths, type SiteTable } from './sites';
import type { UserFrameTest } from './userFrame';

// The first half of a diagnosis: which allocation sites changed, ranked by how much and how
// surely, each with the call path that carries its change and the kind its numbers say. Nothing
// here reads source or words anything (explain.ts does).

/** GOROUTINE_GROWTH_Z is the evidence goroutine growth needs before it explains other sites (one σ: weak, and only a tie-breaker between two kinds of growth). */
export const GOROUTINE_GROWTH_Z = 1;

const GOROUTINE_FRAME = /^runtime\.(malg|newproc1)$/;

/** GoroutineGrowth is the change of goroutine descriptors (runtime.malg) between the profiles. */
export interface GoroutineGrowth {
  inuseSpace: number;
  inuseObjects: number;
  z: number;
  grew: boolean;
}

/** Candidate is a site with a change, before it is explained. */
export interface Candidate {
  site: number;
  verdict: KindVerdict;
  /** The dominant path's nodes, root first (set by attachPaths, for kept candidates only). */
  path: number[];
  userGoroutineRoot: boolean;
}

/** SiteRanking ranks the sites of one comparison and gives kept ones their paths and kinds. */
export class SiteRanking {
  readonly rankType: number;
  readonly notes: string[] = [];
  readonly goroutines: GoroutineGrowth | undefined;
  readonly inuse: number;
  readonly inuseObjects: number;
  readonly alloc: number;

  constructor(readonly t: SiteTable, target: Profile, sampleIndex: string | undefined, private readonly isUser: UserFrameTest) {
    const idx = (...names: string[]) => t.types.findIndex((x) => names.includes(x.type));
    this.inuse = idx('inuse_space', 'space');
    this.inuseObjects = idx('inuse_objects', 'objects');
    let alloc = idx('alloc_space');
    const wanted = sampleIndex ?? (this.inuse >= 0 ? t.types[this.inuse].type : undefined);
    const name = target.sampleTypes[resolveSampleIndex(target, wanted)].type;
    this.rankType = t.types.findIndex((x) => x.type === name);
    if (this.rankType < 0) throw new ProfileError('incompatible-profiles', l10n.t('the base profile has no "{0}" values', name));
    if (alloc >= 0 && t.totals[alloc][1] < t.totals[alloc][0]) {
      // alloc_* only ever grows within one process: these are two processes (or a restart).
      this.notes.push(l10n.t('alloc_space went down, so the profiles come from different processes: allocation deltas are not "allocated in between", and churn cannot be told apart from growth.'));
      alloc = -1;
    }
    this.alloc = alloc;
    this.goroutines = this.goroutineGrowth();
    if (t.totals.every(([b]) => b === 0)) this.notes.push(l10n.t('The base profile is empty: every site counts as new.'));
  }

  /** ranked returns the changed sites, best first, at most `max` of them, with paths attached; and how many more changed. */
  ranked(max: number): { kept: Candidate[]; omitted: number } {
    const candidates: Candidate[] = [];
    for (let s = 0; s < this.t.count; s++) {
      if (this.hasChange(s)) candidates.push({ site: s, verdict: this.verdict(s, this.leafIs(s, GOROUTINE_FRAME), false), path: [], userGoroutineRoot: false });
    }
    candidates.sort((a, b) => this.compareSites(a.site, a.verdict.significant, b.site, b.verdict.significant));
    const kept = candidates.slice(0, max);
    this.attachPaths(kept);
    return { kept, omitted: candidates.length - kept.length };
  }

  /** d is a site's delta of one type (0 for an absent type). */
  d(s: number, type: number): number {
    return type < 0 ? 0 : this.t.delta[s * this.t.types.length + type];
  }

  /** variance is the sampling variance of a site's delta of one type. */
  variance(s: number, type: number): number {
    return type < 0 ? 0 : this.t.variance[s * this.t.types.length + type];
  }

  /** hasGoroutineFrame tells whether a path runs through goroutine creation. */
  hasGoroutineFrame(path: readonly number[]): boolean {
    return path.some((node) => GOROUTINE_FRAME.test(this.t.nodes.name[node]));
  }

  /** compareSites orders two sites: significant first, then |Δ| of the ranking type, |Δalloc|, name. */
  compareSites(a: number, aSignificant: boolean, b: number, bSignificant: boolean): number {
    if (aSignificant !== bSignificant) return aSignificant ? -1 : 1;
    const byRank = Math.abs(this.d(b, this.rankType)) - Math.abs(this.d(a, this.rankType));
    if (byRank !== 0) return byRank;
    const byAlloc = Math.abs(this.d(b, this.alloc)) - Math.abs(this.d(a, this.alloc));
    if (byAlloc !== 0) return byAlloc;
    return this.t.nodes.printableName(this.t.node[a]).localeCompare(this.t.nodes.printableName(this.t.node[b]));
  }

  private hasChange(s: number): boolean {
    const n = this.t.types.length;
    for (let i = 0; i < n; i++) if (this.t.delta[s * n + i] !== 0) return true;
    return false;
  }

  private z(s: number, type: number): number {
    return zScore(this.d(s, type), this.variance(s, type));
  }

  private leafIs(s: number, re: RegExp): boolean {
    return re.test(this.t.nodes.name[this.t.node[s]]);
  }

  /** goroutineGrowth sums the goroutine descriptors' change: Go allocates each g in runtime.malg. */
  private goroutineGrowth(): GoroutineGrowth | undefined {
    if (this.inuse < 0) return undefined;
    let space = 0;
    let objects = 0;
    let variance = 0;
    let any = false;
    for (let s = 0; s < this.t.count; s++) {
      if (!this.leafIs(s, GOROUTINE_FRAME)) continue;
      any = true;
      space += this.d(s, this.inuse);
      objects += this.d(s, this.inuseObjects);
      variance += this.variance(s, this.inuse);
    }
    if (!any) return undefined;
    const z = zScore(space, variance);
    return { inuseSpace: space, inuseObjects: objects, z, grew: space > 0 && z >= GOROUTINE_GROWTH_Z };
  }

  /** userGoroutineRoot: the path starts in a function of the user's started with `go` (not runtime.main, not cut off). */
  private userGoroutineRoot(path: number[], truncated: boolean): boolean {
    if (truncated || path.length === 0) return false;
    const fn = this.t.nodes.name[path[0]];
    return fn !== '' && !fn.startsWith('runtime.') && this.isUser(fn, this.t.nodes.file[path[0]]);
  }

  private verdict(s: number, goroutineDescriptors: boolean, userGoroutineRoot: boolean, allocatedAtEntry = false): KindVerdict {
    const v = classifyKind({
      inuse: this.inuse >= 0 ? this.d(s, this.inuse) : undefined,
      inuseZ: this.inuse >= 0 ? this.z(s, this.inuse) : undefined,
      alloc: this.alloc >= 0 ? this.d(s, this.alloc) : undefined,
      allocZ: this.alloc >= 0 ? this.z(s, this.alloc) : undefined,
      goroutineDescriptors,
      userGoroutineRoot,
      // Objects allocated in a goroutine's own entry function and kept are held by its live instances:
      // more of them is more goroutines even when runtime.malg reuses descriptors or is not sampled.
      goroutinesGrew: (this.goroutines?.grew ?? false) || allocatedAtEntry,
    });
    return v.kind === 'churn' && v.significant && this.minorChurn(s) ? { ...v, significant: false, minor: true } : v;
  }

  /**
   * minorChurn: the site allocated less in between than the whole live heap of the new profile.
   * The GC runs about once per live heap's worth of allocation (GOGC=100), so such garbage costs
   * less than one collection: the per-request garbage of an unchanged service is not a finding.
   */
  private minorChurn(s: number): boolean {
    if (this.alloc < 0 || this.inuse < 0) return false;
    return this.d(s, this.alloc) < this.t.totals[this.inuse][1];
  }

  /** attachPaths gives each kept candidate the path carrying its largest |Δ| of the ranking type (then of alloc_space), and its kind with that evidence. */
  private attachPaths(kept: Candidate[]): void {
    const P = collectPaths(this.t, new Set(kept.map((c) => c.site)));
    const n = this.t.types.length;
    const key = (p: number, type: number) => (type < 0 ? 0 : Math.abs(P.delta[p * n + type]));
    const best = new Map<number, number>();
    for (let p = 0; p < P.count; p++) {
      const b = best.get(P.site[p]);
      if (b === undefined || key(p, this.rankType) > key(b, this.rankType)
        || (key(p, this.rankType) === key(b, this.rankType) && key(p, this.alloc) > key(b, this.alloc))) best.set(P.site[p], p);
    }
    for (const c of kept) {
      const p = best.get(c.site);
      c.path = p === undefined ? [this.t.node[c.site]] : P.nodes[p];
      c.userGoroutineRoot = this.userGoroutineRoot(c.path, p !== undefined && P.truncated[p]);
      c.verdict = this.verdict(c.site, this.hasGoroutineFrame(c.path), c.userGoroutineRoot, c.userGoroutineRoot && c.path.length === 1);
    }
  }
}
