import * as l10n from '@vscode/l10n';
import { formatCount, formatSigned, formatValue } from '../format';
import { markdownCode, markdownLink, markdownText } from '../text/markdown';
import type { GoroutineComparison, GoroutineFinding } from './compare';
import type { Frame, WaitMinutes } from './groups';
import { goroutineAdvice, goroutinePatternText } from './patterns';

// The goroutine comparison as the report's JSON (`heaplens report --json` on two goroutine
// profiles) and as Markdown. Names in the JSON are the Output contract's: kind, site, delta.goroutines,
// createdBy, waitReason. Everything from a profile reaches Markdown through markdownText/markdownCode.

/** GoroutineReportJson is the --json object for two goroutine profiles. */
export interface GoroutineReportJson {
  totals: { goroutine: { base: number; new: number; delta: number } };
  findings: Array<{
    kind: 'goroutines' | 'shrinking';
    significant: boolean;
    site: Frame;
    userFrame: Frame | null;
    waitReason: string | null;
    createdBy: Frame | null;
    /** Creating goroutines (Go ≥ 1.21 dumps): id and how many of these it started. */
    createdByGoroutines: Array<{ goroutine: number; count: number }>;
    delta: { goroutines: number };
    base: { goroutines: number };
    new: { goroutines: number };
    waitMinutes: WaitMinutes | null;
    path: string[];
    pattern: string | null;
    advice: string;
  }>;
  notes: string[];
}

/** goroutineReportJson projects a comparison onto the --json shape. */
export function goroutineReportJson(c: GoroutineComparison): GoroutineReportJson {
  return {
    totals: { goroutine: { ...c.totals } },
    findings: c.findings.map((f) => ({
      kind: f.kind,
      significant: f.significant,
      site: frame(f.site),
      userFrame: f.userFrame ? frame(f.userFrame) : null,
      waitReason: f.waitReason,
      createdBy: f.createdBy ? frame(f.createdBy) : null,
      createdByGoroutines: f.creators.slice(0, 5).map(([goroutine, count]) => ({ goroutine, count })),
      delta: { ...f.delta },
      base: { ...f.base },
      new: { ...f.new },
      waitMinutes: f.waitMinutes ? { ...f.waitMinutes } : null,
      path: f.path.map((p) => p.function),
      pattern: f.pattern?.id ?? null,
      advice: f.advice,
    })),
    notes: [...c.notes],
  };
}

function frame(f: Frame): Frame {
  return { function: f.function, file: f.file, line: f.line };
}

/** GoroutineMarkdownOptions tune the rendering. */
export interface GoroutineMarkdownOptions {
  linkFor?: (file: string, line: number) => string | undefined;
  baseName?: string;
  newName?: string;
}

/** renderGoroutineMarkdown renders a goroutine comparison as a Markdown document. */
export function renderGoroutineMarkdown(c: GoroutineComparison, o: GoroutineMarkdownOptions = {}): string {
  const out = [`# ${l10n.t('Goroutine growth report')}`, ''];
  if (o.baseName || o.newName) out.push(l10n.t('Base {0} → new {1}', markdownCode(o.baseName ?? '?'), markdownCode(o.newName ?? '?')), '');
  out.push(goroutineHeadline(c), '');
  for (const note of c.notes) out.push(`> ${markdownText(note)}`, '');
  const growth = c.findings.filter((f) => f.delta.goroutines > 0);
  const fewer = c.findings.filter((f) => f.delta.goroutines < 0);
  out.push(`## ${l10n.t('Where goroutines pile up')}`, '');
  if (growth.length === 0) out.push(l10n.t('No site has more goroutines waiting than before.'), '');
  growth.forEach((f, i) => out.push(...findingSection(f, i + 1, o), ''));
  if (fewer.length > 0) {
    const header = [l10n.t('site'), l10n.t('wait reason'), l10n.t('base'), l10n.t('new'), 'Δ'];
    out.push(`## ${l10n.t('Fewer goroutines')}`, '', `| ${header.join(' | ')} |`, '|---|---|---:|---:|---:|');
    for (const f of fewer) out.push(`| ${markdownCode(f.site.function, { inTable: true })} ${where(f.site, o)} | ${markdownText(f.waitReason ?? '?')} | ${f.base.goroutines} | ${f.new.goroutines} | ${formatSigned(f.delta.goroutines, 'count')} |`);
    out.push('');
  }
  if (c.omitted > 0) out.push(c.omitted === 1 ? l10n.t('1 more site changed less and is not listed.') : l10n.t('{0} more sites changed less and are not listed.', c.omitted), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** goroutineHeadline is the one-sentence answer. */
export function goroutineHeadline(c: GoroutineComparison): string {
  const t = c.totals;
  const head = l10n.t('**Goroutines** went from {0} to {1} ({2}).', formatCount(t.base), formatCount(t.new), formatSigned(t.delta, 'count'));
  const top = c.findings[0];
  if (!top || top.delta.goroutines <= 0) return head;
  const change = formatSigned(top.delta.goroutines, 'count');
  const most = top.waitReason
    ? l10n.t('The most at {0} ({1}, {2}).', markdownCode(top.site.function), change, markdownText(top.waitReason))
    : l10n.t('The most at {0} ({1}).', markdownCode(top.site.function), change);
  return l10n.t('{0} {1}', head, most);
}

function findingSection(f: GoroutineFinding, n: number, o: GoroutineMarkdownOptions): string[] {
  const out = [`### ${n}. ${markdownCode(f.site.function)} · ${where(f.site, o)} — ${l10n.t('{0} goroutines', formatSigned(f.delta.goroutines, 'count'))}`, ''];
  const item = (label: string, text: string) => `- **${label}**${l10n.t(': ')}${text}`;
  out.push(item(l10n.t('Count'), `${formatCount(f.base.goroutines)} → ${formatCount(f.new.goroutines)}`));
  if (f.waitReason) out.push(item(l10n.t('Waiting in'), `${markdownText(f.waitReason)}${f.waitReasonInferred ? l10n.t(' (read off the runtime frames)') : ''}`));
  if (f.waitMinutes) out.push(item(l10n.t('Waiting for'), waitingWords(f.waitMinutes, f.new.goroutines)));
  if (f.createdBy) out.push(item(l10n.t('Started by'), `${markdownCode(f.createdBy.function)} · ${where(f.createdBy, o)}${creatorWords(f)}`));
  if (f.pattern) out.push(item(l10n.t('Pattern'), markdownText(goroutinePatternText(f.pattern).name)));
  out.push(item(l10n.t('Fix'), markdownText(goroutineAdvice(f))));
  if (f.path.length > 1) out.push(item(l10n.t('Stack (root → where they wait)'), f.path.map((p) => markdownCode(p.function)).join(' → ')));
  return out;
}

/** waitingWords renders the minutes histogram: "250 of 750 waiting ≥ 1 minute (longest 12 min)". */
export function waitingWords(h: WaitMinutes, total: number): string {
  const atLeast1 = h.from1to9 + h.from10to59 + h.atLeast60;
  const atLeast10 = h.from10to59 + h.atLeast60;
  if (atLeast1 === 0) return l10n.t('all {0} under a minute (or not yet seen blocked by a GC)', formatCount(total));
  const parts = [l10n.t('{0} of {1} ≥ 1 minute', formatCount(atLeast1), formatCount(total))];
  if (atLeast10 > 0) parts.push(l10n.t('{0} ≥ 10 minutes', formatCount(atLeast10)));
  if (h.atLeast60 > 0) parts.push(l10n.t('{0} ≥ 1 hour', formatCount(h.atLeast60)));
  return l10n.t('{0} (longest {1} min)', parts.join(l10n.t(', ')), h.longest);
}

function creatorWords(f: GoroutineFinding): string {
  if (f.creators.length === 0) return '';
  const [id, n] = f.creators[0];
  return f.creators.length === 1 ? l10n.t(', in goroutine {0}', id) : l10n.t(', mostly in goroutine {0} ({1} of {2})', id, n, f.new.goroutines);
}

function where(f: Frame, o: GoroutineMarkdownOptions): string {
  const label = markdownText(`${shortFile(f.file)}:${f.line}`);
  const target = o.linkFor?.(f.file, f.line);
  return target ? markdownLink(label, target) : label;
}

function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.slice(-2).join('/');
}

/** formatGoroutines renders a count with its noun ("1 goroutine", "998 goroutines"). */
export function formatGoroutines(n: number): string {
  return n === 1 ? l10n.t('{0} goroutine', formatValue(n, 'count')) : l10n.t('{0} goroutines', formatValue(n, 'count'));
}
