import * as l10n from '@vscode/l10n';
import { formatCount } from '../../core/format';
import type { GoroutineFinding } from '../../core/goroutines/compare';
import type { Frame, WaitMinutes } from '../../core/goroutines/groups';
import { type GoroutinePattern, goroutineAdvice, goroutinePatternText } from '../../core/goroutines/patterns';
import type { GoroutineLine, GoroutineLinePart, GoroutineView } from '../../core/goroutines/view';
import { markdownCode, markdownLink, markdownText } from '../../core/text/markdown';
import { displayName, isolateName } from '../../core/text/nameDisplay';
import type { Finding as PanelFinding } from '../../protocol/messages';

// The words of the goroutine surfaces — tree rows, after-texts, hovers — without VS Code (unit-tested).
// Every count is exact (a goroutine profile is not sampled). A shape is named only when the wait
// reason and the stack say so (core/goroutines/patterns.ts); otherwise the text says "cause unknown".
// Names from the profile are isolated (tree, after-text) or Markdown-escaped (tooltips, hovers).

/** LinkTo makes a command link that opens a source line. */
export type LinkTo = (location: { file: string; line: number; function: string }) => string;

/** MAX_LABEL bounds a function name in a tree label (the tooltip has it whole). */
const MAX_LABEL = 100;

/** goroutines says "1 goroutine" / "N goroutines". */
export function goroutines(n: number): string {
  return Math.abs(n) === 1 ? l10n.t('{0} goroutine', formatCount(n)) : l10n.t('{0} goroutines', formatCount(n));
}

/** signedCount writes a change with its sign: "+500", "−20", "0". */
export function signedCount(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '0';
}

/** shortFile is a path's last element ("feed.go"). */
export function shortFile(file: string): string {
  return file.slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

/** frameAt is "function file.go:12" for tree labels, the function isolated so an override in it cannot reverse the line. */
export function frameAt(f: Frame): string {
  return `${displayName(f.function, MAX_LABEL)} ${isolateName(shortFile(f.file))}${f.line > 0 ? `:${f.line}` : ''}`;
}

/** findingDescription is a tree row's description: the change (or count), the wait reason and where they were started. */
export function findingDescription(f: GoroutineFinding, isDiff: boolean): string {
  const parts = [isDiff ? l10n.t('{0} goroutines', signedCount(f.delta.goroutines)) : goroutines(f.new.goroutines)];
  parts.push(f.waitReason ? isolateName(f.waitReason) : l10n.t('wait reason unknown'));
  if (f.createdBy) parts.push(l10n.t('started at {0}', `${isolateName(shortFile(f.createdBy.file))}:${f.createdBy.line}`));
  return parts.join(' · ');
}

/** findingAccessibleLabel is what a screen reader says for a tree row. */
export function findingAccessibleLabel(f: GoroutineFinding, isDiff: boolean): string {
  return `${frameAt(f.site)}, ${findingDescription(f, isDiff)}`;
}

/** findingSentence says what a site's goroutines do, in one sentence (Markdown-escaped). */
export function findingSentence(f: GoroutineFinding, isDiff: boolean, linkTo?: LinkTo): string {
  const part: GoroutineLinePart = {
    base: f.base.goroutines, new: f.new.goroutines, waitReason: f.waitReason, other: f.createdBy,
    pattern: f.pattern, perConnection: false, waitMinutes: f.waitMinutes,
  };
  return partSentence('waiting', part, isDiff, linkTo);
}

/** findingTooltipMarkdown is a tree row's tooltip: the sentence, the shape (or "cause unknown") and the advice. */
export function findingTooltipMarkdown(f: GoroutineFinding, isDiff: boolean): string {
  const out = [`${markdownCode(f.site.function)} ${markdownText(`${shortFile(f.site.file)}:${f.site.line}`)}`, '', findingSentence(f, isDiff)];
  out.push('', shapeSentence(f.pattern, f.waitReason));
  if (f.kind === 'goroutines') out.push('', markdownText(goroutineAdvice(f)));
  return out.join('\n');
}

/** lineText is a painted line's after-text: "+500 goroutines waiting (chan receive)" or "+500 goroutines started here". */
export function lineText(line: GoroutineLine, isDiff: boolean): string {
  const n = isDiff ? l10n.t('{0} goroutines', signedCount(line.new - line.base)) : goroutines(line.new);
  if (line.role === 'started') return l10n.t('{0} started here', n);
  const reasons = [...new Set(line.parts.map((p) => p.waitReason).filter((r): r is string => r !== null))];
  return reasons.length > 0 ? l10n.t('{0} waiting ({1})', n, isolateName(reasons.slice(0, 2).join(', '))) : l10n.t('{0} waiting', n);
}

/** goroutineHoverMarkdown explains a painted line: each group of goroutines in one sentence, its shape and, for connections, what a count means. */
export function goroutineHoverMarkdown(title: string, lines: readonly GoroutineLine[], isDiff: boolean, linkTo: LinkTo): string {
  const out = [`**heaplens** · ${markdownText(title)}`];
  for (const line of lines) {
    for (const part of line.parts.slice(0, 5)) {
      out.push('', partSentence(line.role, part, isDiff, linkTo));
      out.push('', shapeSentence(part.pattern, part.waitReason));
      if (part.perConnection) out.push('', markdownText(l10n.t('Each of these goroutines reads from one network connection (a goroutine per connection): their number is the number of connections open and waiting for data.')));
      const waited = waitedText(part.waitMinutes);
      if (waited) out.push('', markdownText(waited));
    }
    if (line.parts.length > 5) out.push('', markdownText(l10n.t('… and {0} more groups here.', line.parts.length - 5)));
  }
  return out.join('\n');
}

function partSentence(role: GoroutineLine['role'], p: GoroutineLinePart, isDiff: boolean, linkTo?: LinkTo): string {
  const count = markdownText(goroutines(p.new));
  const delta = markdownText(signedCount(p.new - p.base));
  const reason = p.waitReason ? markdownCode(p.waitReason) : markdownText(l10n.t('an unknown wait'));
  const at = p.other ? frameLink(p.other, linkTo) : undefined;
  if (role === 'started') {
    if (isDiff) return at ? l10n.t('{0} started by the go statement on this line, {1} since base, parked in {2} at {3}.', count, delta, reason, at) : l10n.t('{0} started by the go statement on this line, {1} since base.', count, delta);
    return at ? l10n.t('{0} started by the go statement on this line, parked in {1} at {2}.', count, reason, at) : l10n.t('{0} started by the go statement on this line.', count);
  }
  if (isDiff) return at ? l10n.t('{0} parked in {1} here, {2} since base, started by the go statement at {3}.', count, reason, delta, at) : l10n.t('{0} parked in {1} here, {2} since base.', count, reason, delta);
  return at ? l10n.t('{0} parked in {1} here, started by the go statement at {2}.', count, reason, at) : l10n.t('{0} parked in {1} here.', count, reason);
}

/** shapeSentence names the shape the wait reason and the stack fit, or says plainly that the cause is unknown. */
function shapeSentence(pattern: Pick<GoroutinePattern, 'name' | 'advice' | 'zh-cn'> | null, waitReason: string | null): string {
  if (pattern) return l10n.t('Shape: {0}.', markdownText(goroutinePatternText(pattern).name));
  if (waitReason === null) return markdownText(l10n.t('Cause unknown: the profile does not say what these goroutines wait on (a dump, ?debug=2, does).'));
  return l10n.t('Cause unknown: no known shape fits {0} with this stack.', markdownCode(waitReason));
}

/** waitedText is "250 of 750 have waited 1 minute or more (longest 12 minutes)", from a dump; undefined when none waited a minute. */
function waitedText(m: WaitMinutes | null): string | undefined {
  if (!m) return undefined;
  const long = m.from1to9 + m.from10to59 + m.atLeast60;
  if (long === 0) return undefined;
  return l10n.t('{0} of {1} have waited a minute or more (longest {2} min).', formatCount(long), formatCount(long + m.under1), formatCount(m.longest));
}

function frameLink(f: Frame, linkTo?: LinkTo): string {
  const text = markdownText(`${shortFile(f.file)}:${f.line}`);
  const link = linkTo && f.file ? markdownLink(text, linkTo({ file: f.file, line: f.line, function: f.function })) : text;
  return `${link} (${markdownCode(f.function)})`;
}

/** GoroutinePaint is one painted line of a local file: its after-text, direction and size, and the goroutine lines behind it. */
export interface GoroutinePaint {
  line: number;
  text: string;
  direction: 'growth' | 'shrink' | 'neutral';
  /** 1 (small) to 4 (half of all the change or more). */
  magnitude: 1 | 2 | 3 | 4;
  /** The change (comparison) or count (one profile) the size is measured by. */
  value: number;
  lines: GoroutineLine[];
}

/**
 * goroutinePaints turns a view's lines of some profile file names (one local file) into painted
 * lines: where goroutines wait and the go statements that started them. A line that is both gets
 * both texts. Sizes are measured against all the change (Σ|Δ| over waiting lines) or the total.
 */
export function goroutinePaints(view: GoroutineView, profileFiles: readonly string[]): GoroutinePaint[] {
  let denominator = 0;
  for (const lines of Object.values(view.files)) for (const l of lines) if (l.role === 'waiting') denominator += Math.abs(view.isDiff ? l.new - l.base : l.new);
  const byLine = new Map<number, GoroutineLine[]>();
  for (const file of profileFiles) for (const l of view.files[file] ?? []) byLine.set(l.line, [...(byLine.get(l.line) ?? []), l]);
  const out: GoroutinePaint[] = [];
  for (const [line, lines] of byLine) {
    const value = lines.reduce((m, l) => {
      const v = view.isDiff ? l.new - l.base : l.new;
      return Math.abs(v) > Math.abs(m) ? v : m;
    }, 0);
    if (value === 0) continue;
    lines.sort((a, b) => (a.role === b.role ? 0 : a.role === 'waiting' ? -1 : 1));
    const share = denominator > 0 ? Math.abs(value) / denominator : 1;
    out.push({
      line,
      text: lines.map((l) => lineText(l, view.isDiff)).join(' · '),
      direction: !view.isDiff ? 'neutral' : value > 0 ? 'growth' : 'shrink',
      magnitude: share >= 0.5 ? 4 : share >= 0.1 ? 3 : share >= 0.01 ? 2 : 1,
      value,
      lines,
    });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** goroutinePanelFindings are the panel's Diagnosis box for a goroutine session: the totals, then the sites that grew most (plain text: the panel sets text, never HTML). */
export function goroutinePanelFindings(view: GoroutineView, max = 5): PanelFinding[] {
  const t = view.totals;
  const out: PanelFinding[] = [{
    title: view.isDiff ? l10n.t('Goroutines went from {0} to {1} ({2})', formatCount(t.base), formatCount(t.new), signedCount(t.delta)) : goroutines(t.new),
    detail: view.notes.join(' '),
    severity: 'info',
  }];
  const shown = view.findings.filter((f) => (view.isDiff ? f.delta.goroutines > 0 : true)).slice(0, max);
  for (const f of shown) {
    const count = view.isDiff ? l10n.t('{0} goroutines', signedCount(f.delta.goroutines)) : goroutines(f.new.goroutines);
    const where = `${isolateName(f.site.function)} (${isolateName(shortFile(f.site.file))}:${f.site.line})`;
    const started = f.createdBy ? ` ${l10n.t('Started by the go statement at {0}.', `${isolateName(shortFile(f.createdBy.file))}:${f.createdBy.line} (${isolateName(f.createdBy.function)})`)}` : '';
    const reason = f.waitReason ? l10n.t('Parked in {0}.', isolateName(f.waitReason)) : l10n.t('Wait reason unknown.');
    const shape = f.pattern ? l10n.t('Shape: {0}.', goroutinePatternText(f.pattern).name) : l10n.t('Cause unknown: no known shape fits.');
    out.push({
      title: `${count} · ${where}`,
      detail: `${reason}${started} ${shape} ${goroutineAdvice(f)}`,
      severity: view.isDiff && f.delta.goroutines > 0 ? 'high' : 'info',
      location: f.site,
    });
  }
  return out;
}
