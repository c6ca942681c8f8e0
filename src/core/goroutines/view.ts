import * as l10n from '@vscode/l10n';
import type { FrameOriginOptions } from '../diagnose/userFrame';
import type { Profile } from '../model';
import { normalizeProfilePath } from '../sourceResolution';
import { type GoroutineFinding, diffGroups, userFrameTest } from './compare';
import { type Frame, type WaitMinutes, groupGoroutines } from './groups';
import type { GoroutinePattern } from './patterns';

// What the editor shows of one goroutine profile or a comparison of two: the sites where goroutines
// wait, ranked by growth (the tree), and the source lines to paint — the line where they wait and
// the `go` statement that started them (dumps) — each with its counts and what is known of why.
// Computed where the profiles live (the analysis worker); the answer is small plain data.

/** GoroutineLineRole says what a painted line is to its goroutines. */
export type GoroutineLineRole = 'waiting' | 'started';

/** GoroutineLinePart is one group of goroutines behind a painted line. */
export interface GoroutineLinePart {
  base: number;
  new: number;
  waitReason: string | null;
  /** For a waiting line, where they were started (dumps); for a started line, where they wait. */
  other: Frame | null;
  pattern: Pick<GoroutinePattern, 'id' | 'name' | 'advice' | 'zh-cn'> | null;
  /** The stack reads from a network connection: one goroutine per open connection. */
  perConnection: boolean;
  /** How long the new profile's goroutines have waited (dumps only). */
  waitMinutes: WaitMinutes | null;
}

/** GoroutineLine is one source line to paint: the groups of goroutines that wait there or were started there. */
export interface GoroutineLine {
  line: number;
  function: string;
  role: GoroutineLineRole;
  base: number;
  new: number;
  /** The groups, largest change first. */
  parts: GoroutineLinePart[];
}

/** GoroutineView is one goroutine profile (or a comparison) as the editor's surfaces show it. */
export interface GoroutineView {
  isDiff: boolean;
  totals: { base: number; new: number; delta: number };
  /** Sites whose count changed (comparison) or every site (one profile), growth first; at most `maxFindings`. */
  findings: GoroutineFinding[];
  /** Sites left out of `findings`. */
  more: number;
  /** Painted lines by normalized profile file name, sorted by line; waiting and started lines of one line number are separate entries. */
  files: Record<string, GoroutineLine[]>;
  /** True when the profiles say where goroutines were started (both are dumps). */
  hasCreatedBy: boolean;
  notes: string[];
}

/** GoroutineViewOptions say which code is the user's and how many sites the list keeps. */
export interface GoroutineViewOptions extends FrameOriginOptions {
  maxFindings?: number;
}

/** CONNECTION_READ_FRAMES read from a network connection: a goroutine parked in one serves one connection. */
const CONNECTION_READ_FRAMES = new Set([
  'net.(*conn).Read', 'net.(*netFD).Read', 'crypto/tls.(*Conn).Read', 'net.(*UnixConn).Read', 'net/http.(*connReader).Read', 'net/http.(*conn).serve',
]);

/** goroutineView groups the goroutines of `target` (against `base` when comparing) by where they wait. */
export function goroutineView(pair: { target: Profile; base?: Profile }, options: GoroutineViewOptions = {}): GoroutineView {
  const { target, base } = pair;
  const isUser = userFrameTest(base ? [base, target] : [target], options);
  const byCreator = target.format === 'goroutine-dump' && (!base || base.format === 'goroutine-dump');
  const newGroups = groupGoroutines(target, { isUser, byCreator });
  const baseGroups = base ? groupGoroutines(base, { isUser, byCreator }) : [];
  const all = diffGroups(baseGroups, newGroups);
  // One profile: every site is a "finding" whose base is zero; its pattern is still what it waits on.
  const total = (gs: Array<{ count: number }>) => gs.reduce((s, g) => s + g.count, 0);
  const totals = { base: total(baseGroups), new: total(newGroups), delta: total(newGroups) - total(baseGroups) };
  const max = options.maxFindings ?? 100;
  const notes: string[] = [];
  if (target.format === 'goroutine-text' || base?.format === 'goroutine-text') {
    notes.push(l10n.t('Go\'s debug=1 text hides the runtime frames a goroutine parks in: a wait reason is known there only when a sync or network frame shows it.'));
  }
  return {
    isDiff: base !== undefined,
    totals,
    findings: all.slice(0, max),
    more: Math.max(0, all.length - max),
    files: paintedLines(base ? all : all.filter((f) => f.new.goroutines > 0)),
    hasCreatedBy: byCreator,
    notes,
  };
}

/** paintedLines merges the findings into per-file lines: the waiting line, and the go statement when known. */
function paintedLines(findings: readonly GoroutineFinding[]): Record<string, GoroutineLine[]> {
  const byKey = new Map<string, { file: string; line: GoroutineLine }>();
  const add = (at: Frame, role: GoroutineLineRole, f: GoroutineFinding, other: Frame | null): void => {
    if (!at.file || at.line <= 0) return;
    const file = normalizeProfilePath(at.file);
    const key = `${file}\u0000${at.line}\u0000${role}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { file, line: { line: at.line, function: at.function, role, base: 0, new: 0, parts: [] } };
      byKey.set(key, entry);
    }
    entry.line.base += f.base.goroutines;
    entry.line.new += f.new.goroutines;
    entry.line.parts.push({
      base: f.base.goroutines,
      new: f.new.goroutines,
      waitReason: f.waitReason,
      other,
      pattern: f.pattern ? { id: f.pattern.id, name: f.pattern.name, advice: f.pattern.advice, 'zh-cn': f.pattern['zh-cn'] } : null,
      perConnection: f.path.some((p) => CONNECTION_READ_FRAMES.has(p.function)),
      waitMinutes: f.waitMinutes,
    });
  };
  for (const f of findings) {
    add(f.site, 'waiting', f, f.createdBy);
    if (f.createdBy) add(f.createdBy, 'started', f, f.site);
  }
  const out: Record<string, GoroutineLine[]> = {};
  for (const { file, line } of byKey.values()) {
    line.parts.sort((a, b) => Math.abs(b.new - b.base) - Math.abs(a.new - a.base) || b.new - a.new);
    (out[file] ??= []).push(line);
  }
  for (const lines of Object.values(out)) lines.sort((a, b) => a.line - b.line || a.role.localeCompare(b.role));
  return out;
}
