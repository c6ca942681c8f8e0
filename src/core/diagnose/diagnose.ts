import * as l10n from '@vscode/l10n';
import type { BlockedAt } from '../goroutines/blockedAt';
import { ProfileError, sampleTypeList } from '../errors';
import { isHeapProfile, type ValueType } from '../model';
import type { Comparison } from '../sampleSources';
import type { Attribution } from './attribution';
import { explainFindings } from './explain';
import type { GrowthKind } from './kind';
import { GROWTH_PATTERNS, type GrowthPattern, type PatternMatch } from './patterns';
import { type Candidate, type GoroutineGrowth, SiteRanking } from './ranking';
import { type SiteTable, collectSites } from './sites';
import type { SourceLineReader } from './sourceLine';
import { FrameClassifier, type UserFrameTest } from './userFrame';

// "Memory went from X to Y — why?": totals per sample type, then the allocation sites whose
// deltas explain it, each with its dominant call path, the nearest frame in the user's own code,
// a kind (kind.ts), a significance verdict (sampling.ts) and, when the stacks show one, a known
// pattern (patterns.ts). Two halves: ranking.ts ranks the sites from the numbers alone; explain.ts
// words them, reading the user's source lines when a reader is given. The extension reads source
// asynchronously, so it can run the halves apart (prepareDiagnosis → sourceFrames → explain).

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
  /** Keep at most this many allocation sites (default 25). */
  maxFindings?: number;
  /** Pattern table (default GROWTH_PATTERNS). */
  patterns?: readonly GrowthPattern[];
  /** Reads a line of the user's source (evidence for patterns, quoted in reports); none: shapes only. */
  readLine?: SourceLineReader;
  /** Collects the comparison's site table (it depends on the two profiles only): a caller that keeps it; default collectSites. */
  sites?: () => SiteTable;
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

/** SiteShare is one allocation site of a finding with its own deltas. */
export interface SiteShare {
  site: SourceFrame;
  delta: Record<string, number>;
}

/** Finding is one cause: the allocation sites reached through one user frame with one kind and pattern. */
export interface Finding {
  kind: GrowthKind;
  /** False when the delta is within sampling noise (never ranked above a significant finding). */
  significant: boolean;
  /** The deciding delta in standard deviations of its sampling noise (Infinity when exact). */
  z: number;
  /** Which delta decided kind and significance. */
  measure: 'inuse' | 'alloc';
  /** The allocation site (leaf frame) with the largest change. */
  site: SourceFrame;
  /** Every allocation site of the finding, largest change first (usually just `site`). */
  sites: SiteShare[];
  /** The user's frame: nearest on the path (site → root), or the call charged by `attribution`; null when neither. */
  userFrame: SourceFrame | null;
  /** The text of the user frame's line, when the source was readable. */
  userLine: string | undefined;
  /** How a user frame not on the path was linked (memory in a library's goroutines), or null. */
  attribution: Attribution | null;
  /** The dominant call path of `site`, root first, ending at the site. */
  path: SourceFrame[];
  /** Index of userFrame in path, or -1 (no user frame, or one charged by attribution). */
  userFrameIndex: number;
  /** Per sample type name: new − base, base and new, summed over the sites, and the delta's sampling variance. */
  delta: Record<string, number>;
  base: Record<string, number>;
  new: Record<string, number>;
  variance: Record<string, number>;
  pattern: PatternMatch | null;
  /** One line: what to do ("Cause unknown: …" when no pattern shows). */
  advice: string;
  /** One line: why this kind (and whether it is noise). */
  reason: string;
  /** Where the goroutines holding it wait, from a goroutine profile taken alongside (kind `goroutines` only). */
  blockedAt?: BlockedAt;
}

/** FindingGroup gathers the findings reached through the same user frame. */
export interface FindingGroup {
  userFrame: SourceFrame | null;
  findings: Finding[];
  /** Σ delta of the group's findings, per sample type. */
  delta: Record<string, number>;
}

export type { GoroutineGrowth };

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
  /** Main module paths read from the profiles (empty when --module or workspace modules were given). */
  inferredModules: readonly string[];
}

/** PreparedDiagnosis is a ranked comparison waiting for its source lines. */
export interface PreparedDiagnosis {
  /** sourceFiles lists the files whose lines the explanation would read (user frames and charged calls). */
  sourceFiles(): string[];
  /** explain finishes the diagnosis, reading source lines through `readLine` when given. */
  explain(readLine?: SourceLineReader): Diagnosis;
}

/** diagnose explains the change from `base` to `target`. Throws ProfileError for profiles it cannot compare. */
export function diagnose(comparison: Comparison, options: DiagnoseOptions = {}): Diagnosis {
  return prepareDiagnosis(comparison, options).explain(options.readLine);
}

/** prepareDiagnosis ranks the sites (the expensive half); explain() words them. */
export function prepareDiagnosis(comparison: Comparison, options: DiagnoseOptions = {}): PreparedDiagnosis {
  const { base, target } = comparison;
  for (const [p, which] of [[base, 'base'], [target, 'new']] as const) {
    if (!isHeapProfile(p)) {
      throw new ProfileError('incompatible-profiles', which === 'base'
        ? l10n.t('growth diagnosis needs heap profiles; the base profile has {0}', sampleTypeList(p))
        : l10n.t('growth diagnosis needs heap profiles; the new profile has {0}', sampleTypeList(p)));
    }
  }
  const sites = options.sites ? options.sites() : collectSites(comparison);
  const classifier = FrameClassifier.fromProfiles([base, target], { modulePaths: options.modulePaths, goroots: options.goroots });
  const isUser = options.isUserFrame ?? ((fn: string, file: string) => classifier.isUser(fn, file));
  const r = new SiteRanking(sites, target, options.sampleIndex, isUser);
  const { kept, omitted } = r.ranked(options.maxFindings ?? 25);
  const patterns = options.patterns ?? GROWTH_PATTERNS;
  return {
    sourceFiles: () => sourceFilesOf(r, kept, isUser),
    explain: (readLine) => {
      const findings = explainFindings(r, kept, { isUser, classifier, patterns, readLine });
      return {
        sampleType: sites.types[r.rankType],
        totals: sites.types.map((t, i) => ({ type: t.type, unit: t.unit, base: sites.totals[i][0], new: sites.totals[i][1], delta: sites.totals[i][1] - sites.totals[i][0] })),
        findings,
        groups: groupFindings(findings),
        omitted,
        period: target.periodType && target.period > 1 ? target.period : 0,
        goroutines: r.goroutines,
        notes: r.notes,
        inferredModules: classifier.inferredModules,
      };
    },
  };
}

/** sourceFilesOf lists the files of user frames on the kept paths (attributed call sites are user frames elsewhere in the profile: all user files). */
function sourceFilesOf(r: SiteRanking, kept: readonly Candidate[], isUser: UserFrameTest): string[] {
  const files = new Set<string>();
  const nodes = r.t.nodes;
  for (const c of kept) for (const n of c.path) if (isUser(nodes.name[n], nodes.file[n])) files.add(nodes.file[n]);
  if (files.size === 0 || kept.some((c) => !c.path.some((n) => isUser(nodes.name[n], nodes.file[n])))) {
    for (let n = 0; n < nodes.count; n++) if (nodes.file[n] !== '' && isUser(nodes.name[n], nodes.file[n])) files.add(nodes.file[n]);
  }
  return [...files].sort();
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
