import { ProfileError } from '../errors';
import { formatSigned, formatValue } from '../format';
import { isHeapProfile, type Profile, type ValueType } from '../model';
import { resolveSampleIndex } from '../sampleIndex';
import type { Comparison } from '../sampleSources';
import { classifyKind, type GrowthKind, type KindVerdict } from './kind';
import { GROWTH_PATTERNS, type GrowthPattern, matchPattern, type PatternMatch } from './patterns';
import { SIGNIFICANCE_Z, zScore } from './sampling';
import { collectPaths, collectSites, type SiteTable } from './sites';
import { FrameClassifier, type UserFrameTest } from './userFrame';

// "Memory went from X to Y — why?": totals per sample type, then the allocation sites whose
// deltas explain it, each with its dominant call path, the nearest frame in the user's own code,
// a kind (kind.ts), a significance verdict (sampling.ts) and, when the stacks show one, a known
// pattern (patterns.ts). Findings are ranked: significant ones first, then by |Δ| of the ranking
// sample type (inuse_space unless chosen otherwise), then by |Δalloc_space|.

/** DiagnoseOptions tune a diagnosis; all optional. */
export interface DiagnoseOptions {
  /** Sample type to rank by (pprof's -sample_index); default inuse_space when present. */
  sampleIndex?: string;
  /** Decides which frames are the user's own code; default: inferred from the profiles (userFrame.ts). */
  isUserFrame?: UserFrameTest;
  /** Module paths or directories of the user's code (used when isUserFrame is not given). */
  modulePaths?: readonly string[];
  /** Known GOROOTs, in addition to the ones the profiles reveal. */
  goroots?: readonly string[];
  /** Keep at most this many findings (default 25). */
  maxFindings?: number;
  /** Pattern table (default GROWTH_PATTERNS). */
  patterns?: readonly GrowthPattern[];
}

/** SourceFrame is one frame of a call path: function, file and line as the profile names them. */
export interface SourceFrame {
  function: string;
  file: string;
  line: number;
}

/** TypeTotals are one sample type's profile-wide sums. */
export interface TypeTotals {
  type: string;
  unit: string;
  base: number;
  new: number;
  delta: number;
}

/** Finding is one allocation site that explains part of the change. */
export interface Finding {
  kind: GrowthKind;
  /** False when the delta is within sampling noise (never ranked above a significant finding). */
  significant: boolean;
  /** The deciding delta in standard deviations of its sampling noise (Infinity when exact). */
  z: number;
  /** Which delta decided kind and significance. */
  measure: 'inuse' | 'alloc';
  /** The allocation site (leaf frame). */
  site: SourceFrame;
  /** The nearest frame (from the site towards the root) in the user's own code, or null. */
  userFrame: SourceFrame | null;
  /** The dominant call path, root first, ending at the site. */
  path: SourceFrame[];
  /** Index of userFrame in path, or -1. */
  userFrameIndex: number;
  /** Per sample type name: new − base, base and new at this site. */
  delta: Record<string, number>;
  base: Record<string, number>;
  new: Record<string, number>;
  pattern: PatternMatch | null;
  /** One line: what to do. */
  advice: string;
  /** One line: why this kind (and whether it is noise). */
  reason: string;
}

/** FindingGroup gathers the findings reached through the same user frame. */
export interface FindingGroup {
  userFrame: SourceFrame | null;
  findings: Finding[];
  /** Σ delta of the group's findings, per sample type. */
  delta: Record<string, number>;
}

/** GoroutineGrowth is the change of goroutine descriptors (runtime.malg) between the profiles. */
export interface GoroutineGrowth {
  inuseSpace: number;
  inuseObjects: number;
  z: number;
  grew: boolean;
}

/** Diagnosis is the whole answer for one comparison. */
export interface Diagnosis {
  /** The sample type findings are ranked by. */
  sampleType: ValueType;
  totals: TypeTotals[];
  findings: Finding[];
  groups: FindingGroup[];
  /** Sites with a change that did not make the list. */
  omitted: number;
  /** The new profile's sampling period (MemProfileRate), 0 when unsampled. */
  period: number;
  goroutines: GoroutineGrowth | undefined;
  /** Caveats about the comparison as a whole, one sentence each. */
  notes: string[];
}

/** KIND_ADVICE is the advice for a finding no known pattern explains. */
export const KIND_ADVICE: Record<GrowthKind, string> = {
  retained: 'Memory allocated here stays reachable: find what holds it along the call path (a global, a cache, a slice or map appended to and never trimmed) and bound or release it.',
  churn: 'Allocated and freed again: this costs GC time and raises the heap high-water mark but does not grow the live heap. Reuse buffers (sync.Pool, preallocated slices) or allocate less per call.',
  shrinking: 'Memory here was released between the two profiles; nothing to fix unless the release was not intended.',
  goroutines: 'Goroutines grew: make sure every goroutine can exit (ctx.Done(), closed channels, I/O deadlines) and check /debug/pprof/goroutine?debug=1.',
};

/** GOROUTINE_GROWTH_Z is the evidence goroutine growth needs before it explains other sites (one σ: weak, and only a tie-breaker between two kinds of growth). */
export const GOROUTINE_GROWTH_Z = 1;

const GOROUTINE_FRAME = /^runtime\.(malg|newproc1)$/;

/** diagnose explains the change from `base` to `target`. Throws ProfileError for profiles it cannot compare. */
export function diagnose(comparison: Comparison, options: DiagnoseOptions = {}): Diagnosis {
  const { base, target } = comparison;
  for (const [p, which] of [[base, 'base'], [target, 'new']] as const) {
    if (!isHeapProfile(p)) {
      throw new ProfileError('incompatible-profiles', `growth diagnosis needs heap profiles; the ${which} profile has ${p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ') || 'no sample types'}`);
    }
  }
  const sites = collectSites(comparison);
  const ctx = new Diagnoser(sites, target, options, [base, target]);
  const candidates: Candidate[] = [];
  for (let s = 0; s < sites.count; s++) {
    if (ctx.hasChange(s)) candidates.push(ctx.candidate(s));
  }
  candidates.sort((a, b) => ctx.compare(a, b));
  const max = options.maxFindings ?? 25;
  const kept = candidates.slice(0, max);
  ctx.attachPaths(kept);
  const findings = kept.map((c) => ctx.finding(c));
  ctx.propagateSameCall(kept, findings);
  return {
    sampleType: sites.types[ctx.rankType],
    totals: sites.types.map((t, i) => ({ type: t.type, unit: t.unit, base: sites.totals[i][0], new: sites.totals[i][1], delta: sites.totals[i][1] - sites.totals[i][0] })),
    findings,
    groups: groupFindings(findings),
    omitted: candidates.length - kept.length,
    period: target.periodType && target.period > 1 ? target.period : 0,
    goroutines: ctx.goroutines,
    notes: ctx.notes,
  };
}

/** Candidate is a site with a change, before it is turned into a Finding. */
interface Candidate {
  site: number;
  verdict: KindVerdict;
  /** The dominant path's nodes, root first (set by attachPaths, for kept candidates only). */
  path: number[];
  userGoroutineRoot: boolean;
}

class Diagnoser {
  readonly rankType: number;
  readonly notes: string[] = [];
  readonly goroutines: GoroutineGrowth | undefined;
  private readonly inuse: number;
  private readonly inuseObjects: number;
  private readonly alloc: number;
  private readonly isUser: UserFrameTest;
  private readonly classifier: FrameClassifier;
  private readonly patterns: readonly GrowthPattern[];

  constructor(private readonly t: SiteTable, target: Profile, options: DiagnoseOptions, profiles: Profile[]) {
    const idx = (...names: string[]) => t.types.findIndex((x) => names.includes(x.type));
    this.inuse = idx('inuse_space', 'space');
    this.inuseObjects = idx('inuse_objects', 'objects');
    this.alloc = idx('alloc_space');
    const wanted = options.sampleIndex ?? (this.inuse >= 0 ? t.types[this.inuse].type : undefined);
    const name = target.sampleTypes[resolveSampleIndex(target, wanted)].type;
    this.rankType = t.types.findIndex((x) => x.type === name);
    if (this.rankType < 0) throw new ProfileError('incompatible-profiles', `the base profile has no "${name}" values`);
    if (this.alloc >= 0 && t.totals[this.alloc][1] < t.totals[this.alloc][0]) {
      // alloc_* only ever grows within one process: these are two processes (or a restart).
      this.notes.push('alloc_space went down, so the profiles come from different processes: allocation deltas are not "allocated in between", and churn cannot be told apart from growth.');
      this.alloc = -1;
    }
    this.classifier = FrameClassifier.fromProfiles(profiles, { modulePaths: options.modulePaths, goroots: options.goroots });
    const c = this.classifier;
    this.isUser = options.isUserFrame ?? ((fn: string, file: string) => c.isUser(fn, file));
    this.patterns = options.patterns ?? GROWTH_PATTERNS;
    this.goroutines = this.goroutineGrowth();
    if (t.totals.every(([b]) => b === 0)) this.notes.push('The base profile is empty: every site counts as new.');
  }

  hasChange(s: number): boolean {
    const n = this.t.types.length;
    for (let i = 0; i < n; i++) if (this.t.delta[s * n + i] !== 0) return true;
    return false;
  }

  private d(s: number, type: number): number {
    return type < 0 ? 0 : this.t.delta[s * this.t.types.length + type];
  }

  private z(s: number, type: number): number {
    const i = s * this.t.types.length + type;
    return zScore(this.t.delta[i], this.t.variance[i]);
  }

  private leafIs(s: number, re: RegExp): boolean {
    return re.test(this.t.nodes.name[this.t.node[s]]);
  }

  private pathHas(path: number[], re: RegExp): boolean {
    return path.some((node) => re.test(this.t.nodes.name[node]));
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
      variance += this.t.variance[s * this.t.types.length + this.inuse];
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

  private verdict(s: number, goroutineDescriptors: boolean, userGoroutineRoot: boolean): KindVerdict {
    return classifyKind({
      inuse: this.inuse >= 0 ? this.d(s, this.inuse) : undefined,
      inuseZ: this.inuse >= 0 ? this.z(s, this.inuse) : undefined,
      alloc: this.alloc >= 0 ? this.d(s, this.alloc) : undefined,
      allocZ: this.alloc >= 0 ? this.z(s, this.alloc) : undefined,
      goroutineDescriptors,
      userGoroutineRoot,
      goroutinesGrew: this.goroutines?.grew ?? false,
    });
  }

  /** candidate ranks a site from its numbers; path evidence can only turn retained into goroutines, never change the rank. */
  candidate(s: number): Candidate {
    return { site: s, verdict: this.verdict(s, this.leafIs(s, GOROUTINE_FRAME), false), path: [], userGoroutineRoot: false };
  }

  /** attachPaths gives each kept candidate the path carrying its largest |Δ| of the ranking type (then of alloc_space), and its kind with that evidence. */
  attachPaths(kept: Candidate[]): void {
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
      c.verdict = this.verdict(c.site, this.pathHas(c.path, GOROUTINE_FRAME), c.userGoroutineRoot);
    }
  }

  compare(a: Candidate, b: Candidate): number {
    if (a.verdict.significant !== b.verdict.significant) return a.verdict.significant ? -1 : 1;
    const byRank = Math.abs(this.d(b.site, this.rankType)) - Math.abs(this.d(a.site, this.rankType));
    if (byRank !== 0) return byRank;
    const byAlloc = Math.abs(this.d(b.site, this.alloc)) - Math.abs(this.d(a.site, this.alloc));
    if (byAlloc !== 0) return byAlloc;
    return this.t.nodes.printableName(this.t.node[a.site]).localeCompare(this.t.nodes.printableName(this.t.node[b.site]));
  }

  private frame(node: number): SourceFrame {
    return { function: this.t.nodes.name[node], file: this.t.nodes.file[node], line: this.t.nodes.line[node] };
  }

  finding(c: Candidate): Finding {
    const t = this.t;
    const n = t.types.length;
    const path = c.path.map((node) => this.frame(node));
    let userFrameIndex = -1;
    for (let i = path.length - 1; i >= 0; i--) {
      if (this.isUser(path[i].function, path[i].file)) { userFrameIndex = i; break; }
    }
    const record = (a: Float64Array) => Object.fromEntries(t.types.map((x, i) => [x.type, a[c.site * n + i]]));
    const site = path[path.length - 1];
    const pattern = matchPattern({
      kind: c.verdict.kind,
      significant: c.verdict.significant,
      functions: path.map((f) => f.function),
      siteIsStdlib: this.classifier.origin(site.function, site.file) === 'stdlib',
      largeObjectSizes: t.largeObjectSizes.get(c.site) ?? [],
      userGoroutineRoot: c.userGoroutineRoot,
    }, this.patterns) ?? null;
    return {
      kind: c.verdict.kind,
      significant: c.verdict.significant,
      z: c.verdict.z,
      measure: c.verdict.measure,
      site,
      userFrame: userFrameIndex >= 0 ? path[userFrameIndex] : null,
      path,
      userFrameIndex,
      delta: record(t.delta),
      base: record(t.base),
      new: record(t.target),
      pattern,
      advice: pattern?.advice ?? KIND_ADVICE[c.verdict.kind],
      reason: this.reason(c),
    };
  }

  private reason(c: Candidate): string {
    const s = c.site;
    const unit = (type: number) => this.t.types[type].unit;
    const di = this.d(s, this.inuse);
    const da = this.d(s, this.alloc);
    let text: string;
    switch (c.verdict.kind) {
      case 'retained':
        text = this.alloc >= 0 && da > 0
          ? `kept ${Math.round(Math.min(1, di / da) * 100)}% of the ${formatValue(da, unit(this.alloc))} it allocated in between`
          : `live memory here grew by ${formatSigned(di, unit(this.inuse))}`;
        break;
      case 'churn':
        text = this.inuse >= 0
          ? `allocated ${formatSigned(da, 'bytes')} in between, live memory changed by ${formatSigned(di, unit(this.inuse))}`
          : `allocated ${formatSigned(da, 'bytes')} in between; these profiles do not say what was kept`;
        break;
      case 'shrinking':
        text = `released ${formatValue(-di, unit(this.inuse))} of live memory`;
        break;
      case 'goroutines':
        text = this.pathHas(c.path, GOROUTINE_FRAME)
          ? `goroutine descriptors (runtime.malg): ${formatSigned(this.d(s, this.inuseObjects), 'count')} goroutines, ${formatSigned(di, 'bytes')}`
          : `held by goroutines started at ${this.t.nodes.name[c.path[0]]} while goroutines grew (runtime.malg ${formatSigned(this.goroutines?.inuseSpace ?? 0, 'bytes')})`;
        break;
    }
    if (!c.verdict.significant) {
      text += `; within sampling noise (${c.verdict.z.toFixed(1)}σ, below ${SIGNIFICANCE_Z}σ)`;
    }
    return text;
  }

  /** propagateSameCall names a sameCall pattern on retained findings that leave the user's code through the caller line of a direct match. */
  propagateSameCall(kept: Candidate[], findings: Finding[]): void {
    const callerOf = (i: number): number => {
      const f = findings[i];
      return f.userFrameIndex >= 1 ? kept[i].path[f.userFrameIndex - 1] : -1;
    };
    const direct = findings.map((f) => f.pattern);
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i];
      if (f.pattern || !f.significant || f.kind !== 'retained') continue;
      const caller = callerOf(i);
      if (caller < 0) continue;
      for (let j = 0; j < findings.length; j++) {
        const m = direct[j];
        const p = m && this.patterns.find((x) => x.id === m.id);
        if (j === i || !m || !p?.sameCall || callerOf(j) !== caller) continue;
        const at = findings[j].site;
        const via = this.frame(caller);
        f.pattern = {
          id: p.id,
          title: p.title,
          explanation: p.sameCall.explanation,
          advice: p.advice,
          evidence: `${via.function} (${basename(via.file)}:${via.line}) also reaches ${at.function} (${basename(at.file)}:${at.line}), which shows ${m.evidence}`,
        };
        f.advice = p.advice;
        break;
      }
    }
  }
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** groupFindings gathers ranked findings under their user frame, in order of each group's best finding. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = f.userFrame ? `${f.userFrame.function}\u0000${f.userFrame.file}\u0000${f.userFrame.line}` : `site\u0000${f.site.function}\u0000${f.site.file}\u0000${f.site.line}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { userFrame: f.userFrame, findings: [], delta: {} }));
    g.findings.push(f);
    for (const [type, v] of Object.entries(f.delta)) g.delta[type] = (g.delta[type] ?? 0) + v;
  }
  return [...groups.values()];
}
