import * as l10n from '@vscode/l10n';
import { formatBytes } from '../format';
import type { GrowthKind } from './kind';
import { type Language, displayLanguage } from '../language';
import { type FrameRule, GROWTH_PATTERNS, type GrowthPattern, type PatternSignature, type PatternText } from './patternTable';
import { type LineShape, lineShapes } from './sourceLine';

// Matching the pattern table (patternTable.ts) against one finding. A pattern is named only when a
// significant finding of an allowed kind shows one of its signatures on its own dominant path —
// never from the scenario, never by guessing — and the match says what it saw: the frames (with
// their lines), the object sizes, the user's line.

export { GROWTH_PATTERNS } from './patternTable';
export type { FrameRule, GrowthPattern, PatternEvidence, PatternSignature, PatternText } from './patternTable';

/** patternText is what a matched pattern says in `language` (default: the display language). */
export function patternText(m: Pick<PatternMatch, 'title' | 'explanation' | 'advice' | 'zh-cn'>, language: Language = displayLanguage()): PatternText {
  return language === 'zh-cn' ? m['zh-cn'] : { title: m.title, explanation: m.explanation, advice: m.advice };
}

/** PatternFrame is one frame of the path as the matcher sees it. */
export interface PatternFrame {
  function: string;
  file: string;
  line: number;
}

/** PatternSubject is what a pattern is matched against. */
export interface PatternSubject {
  kind: GrowthKind;
  significant: boolean;
  /** The dominant path, root first, ending at the site. */
  path: readonly PatternFrame[];
  /** Index of the user's frame in path, -1 when it is not on the path. */
  userFrameIndex: number;
  /** The allocation site is the user's own code. */
  siteIsUser: boolean;
  /** Raw sizes of single large objects the new profile shows at the site. */
  largeObjectSizes: readonly number[];
  /** Δinuse_space and Δinuse_objects at the site (0 when the profiles have none). */
  liveBytes: number;
  liveObjects: number;
  userGoroutineRoot: boolean;
  /** Text of the user's line, when readable. */
  userLine?: string;
  /** A line of the user's file that cuts the appended slice from the front, when one was found. */
  frontReslice?: PatternFrame & { text: string };
  /** Patterns matched directly by other findings that leave the user's code through the same call, with where. */
  sameCall?: ReadonlyArray<{ patternId: string; at: PatternFrame; via: PatternFrame }>;
}

/** PatternMatch is a named pattern with the evidence the profile showed. */
export interface PatternMatch {
  id: string;
  /** English title, explanation and advice (what --json says); patternText picks the display language's. */
  title: string;
  explanation: string;
  advice: string;
  /** What in the profile shows it, in words. */
  evidence: string;
  /** The path frames the signature matched, in path order. */
  frames: PatternFrame[];
  /** The same texts in Simplified Chinese. */
  'zh-cn': PatternText;
  /** 'confirmed' when the user's line text agrees; 'shape' when only the profile's shape was read. */
  confidence: 'confirmed' | 'shape';
}

const compiled = new Map<string, RegExp>();
function rx(source: string): RegExp {
  let r = compiled.get(source);
  if (!r) compiled.set(source, (r = new RegExp(source)));
  return r;
}

/** matchPattern returns the first pattern of `table` whose signature the subject shows, or undefined. */
export function matchPattern(s: PatternSubject, table: readonly GrowthPattern[] = GROWTH_PATTERNS): PatternMatch | undefined {
  if (!s.significant) return undefined;
  const shapes = s.userLine === undefined ? undefined : lineShapes(s.userLine);
  for (const p of table) {
    if (!p.kinds.includes(s.kind)) continue;
    for (const sig of p.signatures) {
      const m = signatureMatch(sig, s, shapes);
      if (m) return { id: p.id, title: p.title, explanation: p.explanation, advice: p.advice, 'zh-cn': p['zh-cn'], ...m };
    }
  }
  return undefined;
}

function region(rule: FrameRule, s: PatternSubject): [number, number] {
  const u = s.userFrameIndex;
  switch (rule.where ?? 'below') {
    case 'any': return [0, s.path.length];
    case 'above': return u < 0 ? [0, 0] : [0, u];
    case 'below': return [u < 0 ? 0 : u + 1, s.path.length];
  }
}

function signatureMatch(sig: PatternSignature, s: PatternSubject, shapes: Set<LineShape> | undefined): Pick<PatternMatch, 'evidence' | 'frames' | 'confidence'> | undefined {
  if (sig.siteIsUser && !s.siteIsUser) return undefined;
  if (sig.lineRequired && shapes === undefined) return undefined;
  if (shapes && sig.lineShows && !sig.lineShows.some((x) => shapes.has(x))) return undefined;
  if (shapes && sig.lineNever?.some((x) => shapes.has(x))) return undefined;
  const frames: PatternFrame[] = [];
  for (const rule of sig.frames ?? []) {
    const [from, to] = region(rule, s);
    const re = rx(rule.fn);
    let hit = -1;
    for (let i = from; i < to && hit < 0; i++) if (re.test(s.path[i].function)) hit = i;
    if (hit < 0) return undefined;
    frames.push(s.path[hit]);
  }
  const parts: string[] = [];
  if (frames.length > 0) parts.push(l10n.t('{0} on the call path', frames.map((f) => `${f.function} (${basename(f.file)}:${f.line})`).join(l10n.t(' and '))));
  if (sig.evidence === 'user-goroutine-root') {
    if (!s.userGoroutineRoot) return undefined;
    parts.push(l10n.t('held in goroutines your code starts at {0} (the root of the stack), whose number grew', s.path[0].function));
  }
  if (sig.evidence === 'doubling-objects') {
    const chain = doublingChain(s.largeObjectSizes);
    if (chain.length < 3) return undefined;
    parts.push(l10n.t('single objects doubling in size at your line ({0})', chain.map(formatBytes).join(' → ')));
  }
  if (sig.evidence === 'large-object') {
    // Three or more large objects that do not double are a slice growing by ≈1.25×, not a map.
    if (s.largeObjectSizes.length === 0 || s.largeObjectSizes.length >= 3) return undefined;
    parts.push(l10n.t('single large objects allocated at your line ({0})', [...s.largeObjectSizes].sort((a, b) => a - b).slice(-4).map(formatBytes).join(', ')));
  }
  if (sig.evidence === 'many-small-objects') {
    const largest = s.largeObjectSizes.length > 0 ? Math.max(...s.largeObjectSizes) : 0;
    if (s.liveObjects < 64 || s.liveBytes <= 0 || largest === 0 || s.liveBytes - largest < 0.5 * s.liveBytes) return undefined;
    parts.push(l10n.t('{0} more live objects at your line ({1}) beside a {2} bucket array', s.liveObjects, formatBytes(s.liveBytes), formatBytes(largest)));
  }
  if (sig.evidence === 'same-call') {
    const sib = s.sameCall?.find((x) => x.patternId === sig.sameCallOf);
    if (!sib) return undefined;
    frames.push(sib.via);
    parts.push(l10n.t('{0} ({1}:{2}) also reaches {3} ({4}:{5}), which shows {6}', sib.via.function, basename(sib.via.file), sib.via.line, sib.at.function, basename(sib.at.file), sib.at.line, sig.sameCallOf ?? ''));
  }
  if (sig.evidence === 'front-reslice') {
    if (!s.frontReslice) return undefined;
    frames.push(s.frontReslice);
    parts.push(l10n.t('{0}:{1} reads `{2}`: the same slice is cut from the front', basename(s.frontReslice.file), s.frontReslice.line, s.frontReslice.text.trim()));
  }
  const lineAgrees = shapes !== undefined && sig.lineShows !== undefined;
  if (lineAgrees) parts.push(l10n.t('your line reads `{0}`', s.userLine!.trim()));
  else if (sig.lineShows && shapes === undefined) parts.push(l10n.t('your line\'s text was not readable to confirm it'));
  return { evidence: parts.join('; '), frames, confidence: lineAgrees || sig.lineShows === undefined ? 'confirmed' : 'shape' };
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** doublingChain returns the longest chain of sizes (ascending) where each is 1.85–2.15× the one before. */
export function doublingChain(sizes: readonly number[]): number[] {
  const xs = [...sizes].filter((x) => x > 0).sort((a, b) => a - b);
  // Longest path in a small DAG (≤ 64 sizes): other objects at the same line may sit between steps.
  const length = xs.map(() => 1);
  const prev = xs.map(() => -1);
  let end = -1;
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < i; j++) {
      const ratio = xs[i] / xs[j];
      if (ratio >= 1.85 && ratio <= 2.15 && length[j] + 1 > length[i]) {
        length[i] = length[j] + 1;
        prev[i] = j;
      }
    }
    if (end < 0 || length[i] > length[end]) end = i;
  }
  const chain: number[] = [];
  for (let i = end; i >= 0; i = prev[i]) chain.unshift(xs[i]);
  return chain;
}
