import * as l10n from '@vscode/l10n';
import type { Profile } from '../model';
import { type Frame, type GoroutineGroup, groupGoroutines } from './groups';

// A heap finding of kind `goroutines` says memory is held by goroutines; the goroutine profile
// taken alongside says where those goroutines are stuck. The heap path's root is the goroutine's
// entry function (the function named in the `go` statement), so the goroutines whose stacks start
// there are the ones holding it. runtime.malg (goroutine descriptors) has no user root: it is
// charged to the group that grew most.

/** BlockedAt is where the goroutines behind a heap finding wait, from a goroutine profile. */
export interface BlockedAt {
  function: string;
  file: string;
  line: number;
  /** Goroutines waiting there in the (new) goroutine profile. */
  count: number;
  waitReason: string | null;
}

/** GoroutineEvidence is the groups of the goroutine profile(s) given with a heap comparison. */
export interface GoroutineEvidence {
  groups: GoroutineGroup[];
  /** Per group key: the base profile's count (0 when no base goroutine profile was given). */
  baseCount: Map<string, number>;
  hasBase: boolean;
}

/** goroutineEvidence groups the goroutine profile(s): one (the new) or two (base, new). */
export function goroutineEvidence(profiles: readonly Profile[], isUser: (fn: string, file: string) => boolean): GoroutineEvidence {
  const target = profiles[profiles.length - 1];
  const base = profiles.length > 1 ? profiles[0] : undefined;
  const byCreator = profiles.every((p) => p.format === 'goroutine-dump');
  const groups = groupGoroutines(target, { isUser, byCreator });
  const baseCount = new Map<string, number>();
  if (base) for (const g of groupGoroutines(base, { isUser, byCreator })) baseCount.set(g.key, g.count);
  return { groups, baseCount, hasBase: base !== undefined };
}

/** blockedAt finds the goroutines holding a heap finding's memory; path is the finding's call path, root first. */
export function blockedAt(path: readonly Frame[], evidence: GoroutineEvidence): BlockedAt | null {
  const growth = (g: GoroutineGroup) => (evidence.hasBase ? g.count - (evidence.baseCount.get(g.key) ?? 0) : g.count);
  const root = path[0]?.function ?? '';
  const descriptors = path.some((f) => f.function === 'runtime.malg' || f.function === 'runtime.newproc1');
  let candidates = evidence.groups.filter((g) => g.path[0]?.function === root);
  if (candidates.length === 0 && descriptors) candidates = evidence.groups;
  let best: GoroutineGroup | undefined;
  for (const g of candidates) if (!best || growth(g) > growth(best) || (growth(g) === growth(best) && g.count > best.count)) best = g;
  if (!best || best.count === 0) return null;
  return { function: best.site.function, file: best.site.file, line: best.site.line, count: best.count, waitReason: best.waitReason };
}

/** HeapFindingLike is what linking reads and may update on a heap finding. */
export interface HeapFindingLike {
  kind: string;
  path: readonly Frame[];
  advice: string;
  reason: string;
}

/**
 * linkHeapFindings attaches blockedAt to heap findings held by goroutines. A finding of another kind
 * whose path starts at the entry of goroutines that grew between the two goroutine profiles (so only
 * when both were given) is memory those goroutines keep: it becomes kind `goroutines` too.
 */
export function linkHeapFindings(findings: HeapFindingLike[], evidence: GoroutineEvidence): Array<BlockedAt | null> {
  return findings.map((f) => {
    if (f.kind === 'goroutines') return blockedAt(f.path, evidence);
    if (!evidence.hasBase || f.kind !== 'retained') return null;
    const root = f.path[0]?.function ?? '';
    const grew = evidence.groups.find((g) => g.path[0]?.function === root && g.count > (evidence.baseCount.get(g.key) ?? 0));
    if (!grew || root === 'runtime.main' || root === '') return null;
    const at = blockedAt(f.path, evidence);
    if (!at) return null;
    const before = evidence.baseCount.get(grew.key) ?? 0;
    f.kind = 'goroutines';
    f.reason = l10n.t('Held by goroutines started at {0}, which grew from {1} to {2} in the goroutine profiles.', root, before, grew.count);
    // The advice is --json's (English); the report shows the kind's advice, translated (kindAdvice).
    f.advice = `This memory lives as long as the goroutines that hold it: ${grew.count} wait at ${at.function}${at.waitReason ? ` (${at.waitReason})` : ''}. Make them exit (ctx.Done(), closed channels, I/O deadlines) and the memory goes with them.`;
    return at;
  });
}
