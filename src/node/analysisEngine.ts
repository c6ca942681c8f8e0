import * as l10n from '@vscode/l10n';
import { type Aggregate, type AggregateOptions, Aggregation } from '../core/aggregate';
import { callGraph } from '../core/callgraph';
import { type PreparedDiagnosis, prepareDiagnosis } from '../core/diagnose';
import { SiteCollection, type SiteTable } from '../core/diagnose/sites';
import type { FrameOriginOptions } from '../core/diagnose/userFrame';
import { ProfileError } from '../core/errors';
import { type FlameTree, flameTree } from '../core/flamegraph';
import { type StackIds, StackNumbering } from '../core/flameTables';
import { compileFilters, hasFilters } from '../core/filter';
import { type Granularity, NodeTable } from '../core/nodes';
import { type ExpandedView, expandView } from '../core/sampleSources';
import { goroutineEvidence, linkHeapFindings } from '../core/goroutines/blockedAt';
import { userFrameTest } from '../core/goroutines/compare';
import { goroutineView } from '../core/goroutines/view';
import { hottestLine } from '../core/hotLines';
import { flatAggregate } from '../core/flatAggregate';
import { type LeafSums, leafFlat } from '../core/leaves';
import { HotspotIndex, firstHotspots } from '../core/hotspots';
import { type FileLines, fileLinesOf, lineChange, linesByFile } from '../core/lineValues';
import type { Profile } from '../core/model';
import { peek } from '../core/peek';
import { profileFacts, sampleTypeTotals } from '../core/profileSummary';
import { resolveSampleIndex } from '../core/sampleIndex';
import { normalizeProfilePath } from '../core/sourceResolution';
import { StackIndex } from '../core/stackIndex';
import { type NodeStrings, nodeStrings, packTopStrings, topColumns } from '../core/topColumns';
import { computeSeriesTrend } from '../core/seriesTrend';
import { memoryBreakdown } from '../core/memory/breakdown';
import { modulesShownIn } from '../core/userModules';
import type {
  AnalysisAnswers, AnalysisQuery, DiagnosisAnswer, FileLinesAnswer, NodeIdentity, ProfileHandle, ProfileInfo, ProfilePair, SourceTexts, ViewSettings,
} from '../protocol/analysis';

// The analysis worker's state and answers, as a plain class: the decoded profiles by handle, and the
// aggregates, stack indexes and node strings derived from them, cached so that the next question
// about the same view (another tab, a hover, the other sample type) costs a lookup. Kept apart from
// the worker's message loop so unit tests drive it in-process.

/** MAX_CACHED bounds each cache: a few views per session, a few sessions per window. */
const MAX_CACHED = 24;

/** Lru is a small least-recently-used map. */
class Lru<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = make();
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return value;
  }

  /** has tells whether a value is cached under `key` (without touching its recency). */
  has(key: string): boolean {
    return this.map.has(key);
  }

  /** dropWhere forgets the entries whose key matches. */
  dropWhere(test: (key: string) => boolean): void {
    for (const k of [...this.map.keys()]) if (test(k)) this.map.delete(k);
  }

  clear(): void {
    this.map.clear();
  }
}

/** profileInfo is the header the host keeps of a profile: types, totals, facts and its file names. */
export function profileInfo(name: string, p: Profile): ProfileInfo {
  const files = new Set<string>();
  for (const f of p.functions.filename) if (f) files.add(normalizeProfilePath(f));
  let pprofDefault = '';
  if (p.sampleTypes.length > 0) pprofDefault = p.sampleTypes[resolveSampleIndex(p, undefined)].type;
  return {
    sampleTypes: p.sampleTypes, pprofDefault, totals: sampleTypeTotals(p), facts: profileFacts(name, p), files: [...files],
  };
}

/** AnalysisEngine holds profiles by handle and answers AnalysisQuery with cached intermediate results. */
export class AnalysisEngine {
  private readonly profiles = new Map<ProfileHandle, Profile>();
  private nextHandle = 1;
  private readonly aggregates = new Lru<Aggregate>(MAX_CACHED);
  private readonly aggregations = new Lru<Aggregation>(4);
  private readonly strings = new Lru<NodeStrings>(8);
  private readonly stacks = new Lru<StackIndex>(4);
  private readonly hotspots = new Lru<HotspotIndex>(8);
  private readonly lines = new Lru<FileLines>(4);
  /** Σ|Δ flat| over every line of a comparison, per sample type: the same for every file annotated. */
  private readonly lineChanges = new Lru<number>(16);
  private readonly diagnoses = new Lru<PreparedDiagnosis>(4);
  private readonly sites = new Lru<SiteCollection>(2);
  private readonly flames = new Lru<FlameTree>(4);
  private readonly stackNumbers = new Lru<StackNumbering>(2);
  // Five: a view's functions and lines expansions, the diagnosis' unfiltered lines, and room for a filter or two.
  private readonly expansions = new Lru<ExpandedView>(5);
  /** The running query's checkpoint (see answer). */
  private checkpoint: (() => void) | undefined;

  /** add keeps a decoded profile and returns its handle and header. */
  add(name: string, profile: Profile): { handle: ProfileHandle; info: ProfileInfo } {
    const handle = this.nextHandle++;
    this.profiles.set(handle, profile);
    return { handle, info: profileInfo(name, profile) };
  }

  /** release forgets profiles and every cached result derived from them (a stack index holds its profiles). */
  release(handles: readonly ProfileHandle[]): void {
    for (const h of handles) this.profiles.delete(h);
    const gone = new Set(handles.map(String));
    const derived = (k: string) => k.slice(0, k.indexOf('|')).split('/').some((h) => gone.has(h));
    for (const c of [this.aggregates, this.aggregations, this.strings, this.stacks, this.hotspots, this.lines, this.lineChanges, this.diagnoses, this.sites, this.flames, this.stackNumbers, this.expansions]) c.dropWhere(derived);
  }

  /** size is how many profiles are held. */
  get size(): number {
    return this.profiles.size;
  }

  /** answer computes (or looks up) the answer to one query; throws ProfileError for bad input. */
  answer<K extends AnalysisQuery['kind']>(query: Extract<AnalysisQuery, { kind: K }>, checkpoint?: () => void): AnalysisAnswers[K] {
    return this.withCheckpoint(checkpoint, () => this.dispatch(query) as AnalysisAnswers[K]);
  }

  /**
   * withCheckpoint runs `work` with the checkpoint that reaches every walk over the samples through
   * options(); a throw from it leaves no partial result in a cache (Lru.get stores only what `make` returned).
   */
  private withCheckpoint<T>(checkpoint: (() => void) | undefined, work: () => T): T {
    const outer = this.checkpoint;
    this.checkpoint = checkpoint;
    try {
      checkpoint?.();
      return work();
    } finally {
      this.checkpoint = outer;
    }
  }

  private dispatch(q: AnalysisQuery): AnalysisAnswers[keyof AnalysisAnswers] {
    switch (q.kind) {
      case 'top': {
        const agg = this.aggregateOf(q.pair, q.view);
        return packTopStrings(topColumns(agg, this.stringsOf(q.pair, q.view, agg)));
      }
      case 'hotspots': {
        // With the functions aggregate at hand (prefetched, or the panel's top), the full rows cost nothing.
        if (this.hotspots.has(key(q.pair, q.view.sampleType, q.view.filters)) || this.aggregates.has(key(q.pair, this.options(q.view, 'functions')))) {
          const index = this.hotspotIndex(q.pair, q.view);
          const f = index.functions;
          return { ...index.topFunctions(q.limit), sampleType: f.sampleType, isDiff: f.isDiff, total: f.total, newTotal: f.newTotal, baseTotal: f.baseTotal };
        }
        // First rows from the samples' leaves (flat); the full index (cum) is prefetched next.
        // Without filters, the leaf sums alone (kept by the stack index for mainLine too); with
        // them, from the view's expansion, which hides and selects frames.
        const stacks = this.stackIndex(q.pair, q.view);
        const f = hasFilters(compileFilters(q.view.filters))
          ? flatAggregate(this.profilesOf(q.pair), { ...this.options(q.view, 'functions'), expanded: this.expandedOf(q.pair, 'functions', q.view.filters) })
          : leafFlat(this.profilesOf(q.pair), q.view.sampleType, (p, column) => stacks.leafSums(p, column, this.checkpoint));
        return { ...firstHotspots(f, stacks, q.limit), sampleType: f.sampleType, isDiff: f.isDiff, total: f.total, newTotal: f.newTotal, baseTotal: f.baseTotal };
      }
      case 'hotspotNumbers':
        return this.hotspotIndex(q.pair, q.view).numbersOf(q.names);
      case 'hotspotChildren': {
        const index = this.hotspotIndex(q.pair, q.view);
        return [...index.linesOf(q.name), ...index.callersOf(q.name)];
      }
      case 'fileLines':
        return this.fileLines(q.pair, q.view, q.files);
      case 'lineDetail':
        return this.stackIndex(q.pair, q.view).lineDetail(q.file, q.line, q.sampleTypes, q.view.sampleType, q.paths);
      case 'callGraph': {
        const agg = this.aggregateOf(q.pair, q.view);
        return callGraph(this.profilesOf(q.pair), { ...this.options(q.view), nodes: agg.nodes, expanded: this.expandedOf(q.pair, q.view.granularity, q.view.filters), whole: agg, ...q.request });
      }
      case 'flameTree':
        return this.flameTreeOf(q.pair, q.view, q.minFraction ?? 0, q.zoom ?? []);
      case 'peek': {
        const agg = this.compute(q.pair, { ...this.options(q.view), edges: true, edgesOf: q.node });
        return q.node >= 0 && q.node < agg.nodes.count ? peek(agg, q.node) : undefined;
      }
      case 'hottestLine':
        return hottestLine(this.aggregateOf(q.pair, q.view, 'lines'), q.name, q.file);
      case 'diagnosis':
        return this.diagnosis(q.pair, q.sampleType, q.origin, q.sources, q.goroutines);
      case 'goroutines': {
        const { target, base } = this.profilesOf(q.pair);
        const modulePaths = modulesShownIn(target, q.origin.modulePaths ?? []);
        return goroutineView({ target, base }, { goroots: q.origin.goroots, modulePaths: modulePaths.length > 0 ? modulePaths : undefined });
      }
      case 'trend': {
        const inputs = q.profiles.map((p) => ({ name: p.name, profile: this.profile(p.handle), fallbackTimeMs: p.fallbackTimeMs, memory: memoryBreakdown(p.memStats) }));
        return computeSeriesTrend(inputs, { frameOrigin: q.origin });
      }
    }
  }

  /**
   * prefetch lists work worth doing while idle after a query: the other sample types of a view the
   * user is reading (the panel's and status bar's switch), and the leaf sums the source
   * annotations need as soon as a file is opened (fileLinesOf).
   */
  prefetch(q: AnalysisQuery): Array<(checkpoint?: () => void) => void> {
    if (!('view' in q)) return [];
    const { pair, view } = q;
    const others = this.sampleTypesOf(pair).filter((t) => t !== view.sampleType);
    // The panel is open: its flame graph's stack numbers (the same for every sample type) come first.
    const numbers = pair.base === undefined ? [] : [(checkpoint?: () => void) => { this.withCheckpoint(checkpoint, () => this.stackIdsOf(pair, view)); }];
    if (q.kind === 'top') return [...numbers, ...others.map((sampleType) => (checkpoint?: () => void) => { this.answer({ kind: 'top', pair, view: { ...view, sampleType } }, checkpoint); })];
    // The call graph's query replaced what was left to prefetch after the top: the flame graph's tab is next.
    if (q.kind === 'callGraph') return numbers;
    if (q.kind === 'hotspots') {
      return [
        (checkpoint) => { this.withCheckpoint(checkpoint, () => this.hotspotIndex(pair, view)); },
        (checkpoint) => { this.answer({ kind: 'fileLines', pair, view, files: [] }, checkpoint); },
      ];
    }
    return [];
  }

  private sampleTypesOf(pair: ProfilePair): string[] {
    const { target, base } = this.profilesOf(pair);
    const names = target.sampleTypes.map((t) => t.type);
    if (!base) return names;
    const inBase = new Set(base.sampleTypes.map((t) => t.type));
    return names.filter((n) => inBase.has(n));
  }

  private profile(handle: ProfileHandle): Profile {
    const p = this.profiles.get(handle);
    if (!p) throw new ProfileError('bad-option', l10n.t('the profile is no longer loaded (it was closed); open it again'));
    return p;
  }

  private profilesOf(pair: ProfilePair): { target: Profile; base: Profile | undefined } {
    return { target: this.profile(pair.target), base: pair.base === undefined ? undefined : this.profile(pair.base) };
  }

  private options(view: ViewSettings, granularity: Granularity = view.granularity): AggregateOptions {
    return { granularity, sampleIndex: view.sampleType, filters: view.filters, checkpoint: this.checkpoint };
  }

  private compute(pair: ProfilePair, options: AggregateOptions): Aggregate {
    // Kept while unfinished: an aggregate that gave way (a prefetch, when a query came) goes on from
    // where it stopped. The finished one is the aggregates cache's (or the caller's) to keep.
    const k = key(pair, options);
    const aggregation = this.aggregations.get(k, () => {
      const { target, base } = this.profilesOf(pair);
      const expanded = this.expandedOf(pair, options.granularity ?? 'functions', options.filters ?? {});
      return new Aggregation(base ? { target, base } : { target }, { ...options, expanded });
    });
    const result = aggregation.run(this.checkpoint);
    this.aggregations.dropWhere((cached) => cached === k);
    return result;
  }

  /** expandedOf expands the profiles into nodes once per (profiles, granularity, filters): every query of the view reads the same frames and node ids. */
  private expandedOf(pair: ProfilePair, granularity: Granularity, filters: ViewSettings['filters']): ExpandedView {
    return this.expansions.get(key(pair, granularity, filters), () => expandView(this.profilesOf(pair), new NodeTable(granularity), compileFilters(filters)));
  }

  private aggregateOf(pair: ProfilePair, view: ViewSettings, granularity: Granularity = view.granularity): Aggregate {
    const options = this.options(view, granularity);
    return this.aggregates.get(key(pair, options), () => this.compute(pair, options));
  }

  /** stringsOf dedupes and ranks a node table once per (profiles, granularity, filters): node ids are the same for every sample type. */
  private stringsOf(pair: ProfilePair, view: ViewSettings, agg: Aggregate): NodeStrings {
    const strings = this.strings.get(key(pair, view.granularity, view.filters), () => nodeStrings(agg.nodes));
    return strings.rank.length === agg.nodes.count ? strings : nodeStrings(agg.nodes);
  }

  /** flameTreeOf builds the flame graph trimmed to what is drawable, the zoom path's identities resolved to node ids. */
  private flameTreeOf(pair: ProfilePair, view: ViewSettings, minFraction: number, zoom: readonly NodeIdentity[]): FlameTree {
    return this.flames.get(key(pair, view, minFraction, zoom), () => {
      const agg = this.aggregateOf(pair, view);
      const ids = new Map<string, number>();
      const { name, file, line } = agg.nodes;
      for (let n = 0; n < agg.nodes.count; n++) ids.set(`${name[n]}\u0000${file[n]}\u0000${line[n]}`, n);
      const path: number[] = [];
      for (const id of zoom) {
        const n = ids.get(`${id.name}\u0000${id.file}\u0000${id.line}`);
        if (n === undefined) break;
        path.push(n);
      }
      // A comparison's stack numbers (kept per view) both weigh its stacks for trimming and merge
      // each stack's samples into one walk (flameLevels.ts).
      const numbers = agg.isDiff ? this.stackIdsOf(pair, view) : undefined;
      return flameTree(this.profilesOf(pair), {
        ...this.options(view), nodes: agg.nodes, expanded: this.expandedOf(pair, view.granularity, view.filters), nodeRank: this.stringsOf(pair, view, agg).rank, minFraction, zoom: path, stackIds: numbers,
      });
    });
  }

  /** stackIdsOf numbers each sample's node stack once per (profiles, granularity, filters): every flame tree of a comparison weighs its stacks with them. */
  private stackIdsOf(pair: ProfilePair, view: ViewSettings): StackIds {
    // Kept while unfinished too: a numbering that gave way (a prefetch, when the flame graph's query
    // came) goes on from where it stopped.
    const numbering = this.stackNumbers.get(key(pair, view.granularity, view.filters), () => new StackNumbering(this.expandedOf(pair, view.granularity, view.filters).sources));
    return numbering.run(this.checkpoint);
  }

  private stackIndex(pair: ProfilePair, view: ViewSettings): StackIndex {
    return this.stacks.get(key(pair, view.filters), () => {
      // Its lines expansion is the view cache's (the diagnosis makes the unfiltered one).
      return new StackIndex(this.profilesOf(pair), view.filters, () => this.expandedOf(pair, 'lines', view.filters));
    });
  }

  private hotspotIndex(pair: ProfilePair, view: ViewSettings): HotspotIndex {
    return this.hotspots.get(key(pair, view.sampleType, view.filters), () => new HotspotIndex(this.aggregateOf(pair, view, 'functions'), this.stackIndex(pair, view)));
  }

  private linesOf(pair: ProfilePair, view: ViewSettings): FileLines {
    return this.lines.get(key(pair, view.sampleType, view.filters), () => linesByFile(this.aggregateOf(pair, view, 'lines')));
  }

  private fileLines(pair: ProfilePair, view: ViewSettings, files: readonly string[]): FileLinesAnswer {
    // Without filters only the files asked for are walked; with them, the filtered lines aggregate.
    if (!hasFilters(compileFilters(view.filters))) {
      const stacks = this.stackIndex(pair, view);
      const sumsOf = (p: Profile, column: number): LeafSums => stacks.leafSums(p, column, this.checkpoint);
      const profiles = this.profilesOf(pair);
      const changed = pair.base === undefined ? undefined : this.lineChanges.get(key(pair, view.sampleType), () => lineChange(profiles, view.sampleType, sumsOf));
      const r = fileLinesOf(profiles, view.sampleType, files, { sumsOf, lineChange: changed, checkpoint: this.checkpoint });
      const found: Record<string, FileLinesAnswer['files'][string]> = {};
      for (const [f, lines] of r.lines) found[f] = [...lines.values()];
      return { sampleType: r.sampleType, isDiff: r.isDiff, total: r.total, denominator: r.denominator, files: found };
    }
    const agg = this.aggregateOf(pair, view, 'lines');
    const byFile = this.linesOf(pair, view);
    let changed = 0;
    if (agg.isDiff) for (let n = 0; n < agg.nodes.count; n++) changed += Math.abs(agg.flat[n]);
    const out: Record<string, FileLinesAnswer['files'][string]> = {};
    for (const f of files) {
      const lines = byFile.get(f);
      if (lines) out[f] = [...lines.values()];
    }
    return { sampleType: agg.sampleType, isDiff: agg.isDiff, total: agg.total, denominator: agg.isDiff ? changed : agg.total, files: out };
  }

  /**
   * sitesOf collects a comparison's allocation sites once (they depend on the two profiles only),
   * from the view cache's unfiltered lines expansion. The walk gives way at checkpoints like an
   * aggregate's: a diagnosis no longer holds a hover or an opened file's lines for seconds, and
   * when it runs again its walk goes on from where it stopped (and, once made, the table is kept).
   */
  private sitesOf(pair: Required<ProfilePair>): SiteTable {
    const { target, base } = this.profilesOf(pair);
    // Kept while unfinished too: a walk that gave way goes on from where it stopped.
    const collection = this.sites.get(key(pair), () => new SiteCollection({ base: base!, target }, this.expandedOf(pair, 'lines', {})));
    return collection.run(this.checkpoint);
  }

  private diagnosis(pair: Required<ProfilePair>, sampleType: string, origin: FrameOriginOptions, sources: SourceTexts | undefined, goroutines: readonly ProfileHandle[] = []): DiagnosisAnswer {
    const { target, base } = this.profilesOf(pair);
    const modulePaths = modulesShownIn(target, origin.modulePaths ?? []);
    const goroots = origin.goroots ?? [];
    const prepared = this.diagnoses.get(key(pair, sampleType, modulePaths, goroots), () => prepareDiagnosis({ base: base!, target }, {
      sampleIndex: sampleType, goroots, modulePaths: modulePaths.length > 0 ? modulePaths : undefined, sites: () => this.sitesOf(pair),
    }));
    const diagnosis = sources ? prepared.explain((file, line) => sources[file]?.[line - 1]) : prepared.explain();
    if (goroutines.length > 0) {
      // explain() made fresh findings: linking may reword them (kind, reason, advice) without touching the cache.
      const profiles = goroutines.map((h) => this.profile(h));
      const isUser = userFrameTest([base!, target, ...profiles], { goroots, modulePaths: modulePaths.length > 0 ? modulePaths : undefined });
      linkHeapFindings(diagnosis.findings, goroutineEvidence(profiles, isUser)).forEach((at, i) => { if (at) diagnosis.findings[i].blockedAt = at; });
    }
    return { diagnosis, sourceFiles: prepared.sourceFiles() };
  }
}

/** key names a cached result: the pair's handles first (release drops by them), then what else it depends on. */
function key(pair: ProfilePair, ...parts: unknown[]): string {
  return `${pair.target}/${pair.base ?? ''}|${JSON.stringify(parts)}`;
}
