import * as l10n from '@vscode/l10n';
import { FrameClassifier, type FrameOriginOptions } from '../diagnose/userFrame';
import { ProfileError, sampleTypeList } from '../errors';
import { type Profile, isGoroutineProfile } from '../model';
import { type Frame, type GoroutineGroup, type WaitMinutes, groupGoroutines } from './groups';
import { FEWER_GOROUTINES_ADVICE, GENERAL_GOROUTINE_ADVICE, GOROUTINE_PATTERNS, type GoroutinePattern, matchGoroutinePattern } from './patterns';

// "Goroutines went from X to Y — where are they stuck?": the two profiles' goroutines grouped by
// where they wait (groups.ts), matched by site, ranked by growth. Goroutine counts are exact (a
// goroutine profile is not sampled), so every change is real; the question is only which matter.

/** GoroutineFinding is one site whose number of waiting goroutines changed. */
export interface GoroutineFinding {
  kind: 'goroutines' | 'shrinking';
  /** Counts are exact: true for every change (kept for the shape heap findings share). */
  significant: boolean;
  site: Frame;
  /** The site when it is the user's own code, else null. */
  userFrame: Frame | null;
  path: Frame[];
  waitReason: string | null;
  waitReasonInferred: boolean;
  createdBy: Frame | null;
  /** Creating goroutines (Go ≥ 1.21 dumps): [id, count], most frequent first. */
  creators: Array<[number, number]>;
  delta: { goroutines: number };
  base: { goroutines: number };
  new: { goroutines: number };
  /** How long the new profile's goroutines here have waited (dumps only). */
  waitMinutes: WaitMinutes | null;
  pattern: GoroutinePattern | null;
  advice: string;
}

/** GoroutineComparison is the whole answer for two goroutine profiles. */
export interface GoroutineComparison {
  totals: { base: number; new: number; delta: number };
  findings: GoroutineFinding[];
  /** Sites whose count changed that did not make the list. */
  omitted: number;
  notes: string[];
}

/** CompareGoroutineOptions tune the comparison. */
export interface CompareGoroutineOptions extends FrameOriginOptions {
  maxFindings?: number;
  isUser?: (fn: string, file: string) => boolean;
}

/** compareGoroutines explains the change from `base` to `target`, two goroutine profiles of any form. */
export function compareGoroutines(base: Profile, target: Profile, options: CompareGoroutineOptions = {}): GoroutineComparison {
  for (const [p, which] of [[base, 'base'], [target, 'new']] as const) {
    if (!isGoroutineProfile(p)) {
      throw new ProfileError('incompatible-profiles', which === 'base'
        ? l10n.t('comparing goroutines needs two goroutine profiles; the base profile has {0}', sampleTypeList(p))
        : l10n.t('comparing goroutines needs two goroutine profiles; the new profile has {0}', sampleTypeList(p)));
    }
  }
  const isUser = options.isUser ?? userFrameTest([base, target], options);
  const byCreator = base.format === 'goroutine-dump' && target.format === 'goroutine-dump';
  const baseGroups = groupGoroutines(base, { isUser, byCreator });
  const newGroups = groupGoroutines(target, { isUser, byCreator });
  const findings = diffGroups(baseGroups, newGroups);
  const max = options.maxFindings ?? 25;
  const total = (gs: GoroutineGroup[]) => gs.reduce((s, g) => s + g.count, 0);
  const totals = { base: total(baseGroups), new: total(newGroups), delta: total(newGroups) - total(baseGroups) };
  return { totals, findings: findings.slice(0, max), omitted: Math.max(0, findings.length - max), notes: formNotes(base, target) };
}

/** userFrameTest builds the user-frame test diagnose uses, from the profiles' own paths. */
export function userFrameTest(profiles: readonly Profile[], options: FrameOriginOptions = {}): (fn: string, file: string) => boolean {
  const c = FrameClassifier.fromProfiles(profiles, options);
  return (fn, file) => c.isUser(fn, file);
}

/** diffGroups matches groups by key and turns every change into a finding, growth first. */
export function diffGroups(baseGroups: GoroutineGroup[], newGroups: GoroutineGroup[]): GoroutineFinding[] {
  const baseByKey = new Map(baseGroups.map((g) => [g.key, g]));
  const seen = new Set<string>();
  const out: GoroutineFinding[] = [];
  for (const g of newGroups) {
    seen.add(g.key);
    const before = baseByKey.get(g.key)?.count ?? 0;
    if (g.count !== before) out.push(finding(g, before, g.count));
  }
  for (const g of baseGroups) if (!seen.has(g.key)) out.push(finding(g, g.count, 0));
  return out.sort((a, b) => rank(b) - rank(a) || a.site.function.localeCompare(b.site.function) || a.site.line - b.site.line);
}

// Growth before shrinkage, each by size.
function rank(f: GoroutineFinding): number {
  return f.delta.goroutines > 0 ? 1e15 + f.delta.goroutines : -f.delta.goroutines;
}

function finding(g: GoroutineGroup, before: number, after: number): GoroutineFinding {
  const pattern = matchGoroutinePattern(g.waitReason, g.path.map((f) => f.function), GOROUTINE_PATTERNS);
  const delta = after - before;
  return {
    kind: delta > 0 ? 'goroutines' : 'shrinking',
    significant: true,
    site: g.site,
    userFrame: g.siteIsUser ? g.site : null,
    path: g.path,
    waitReason: g.waitReason,
    waitReasonInferred: g.waitReasonInferred,
    createdBy: g.createdBy,
    creators: g.creators,
    delta: { goroutines: delta },
    base: { goroutines: before },
    new: { goroutines: after },
    waitMinutes: after > 0 ? g.waitMinutes : null,
    pattern: delta > 0 ? pattern : null,
    advice: delta > 0 ? (pattern?.advice ?? GENERAL_GOROUTINE_ADVICE.en) : FEWER_GOROUTINES_ADVICE.en,
  };
}

function formNotes(base: Profile, target: Profile): string[] {
  const notes: string[] = [];
  const forms = new Set([base.format, target.format]);
  if (forms.has('goroutine-text')) {
    notes.push(l10n.t('Go\'s debug=1 text hides the runtime frames a goroutine parks in, so a wait reason is only known there when a sync or network frame shows it; a dump (debug=2) or the proto (debug=0) says more.'));
  }
  if (target.format !== 'goroutine-dump') {
    notes.push(l10n.t('Where goroutines were started (`created by`) and how long they have waited are only in dumps: /debug/pprof/goroutine?debug=2.'));
  }
  return notes;
}
