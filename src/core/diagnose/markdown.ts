import * as l10n from '@vscode/l10n';
import { formatRatio, formatSigned, formatValue } from '../format';
import { markdownCode, markdownLink, markdownText } from '../text/markdown';
import { type Diagnosis, type Finding, type FindingGroup, groupFindings, type TypeTotals } from './diagnose';
import { SIGNIFICANCE_Z } from './sampling';
import { kindName } from './kind';
import { kindAdvice } from './explain';
import { patternText } from './patterns';

// The growth report as Markdown: a headline, the totals table, then one section per user frame
// with its sites, kind, pattern, fix and call path, and the findings that are only noise last.
// Pure string building; links are whatever the caller's linkFor returns (workspace files in the
// extension, existing local files in the CLI), plain `file:line` otherwise. Lines are appended
// in loops, never spread into a call: `push(...lines)` overflows the stack on a 200,000-frame path.

/** MarkdownOptions tune the rendering. */
export interface MarkdownOptions {
  /** A link target for a source line, or undefined to print it unlinked. */
  linkFor?: (file: string, line: number) => string | undefined;
  /** Names of the compared files, shown in the headline. */
  baseName?: string;
  newName?: string;
  /** Title (default "Heap growth report", in the display language). */
  title?: string;
}

/** renderMarkdown renders a diagnosis as a Markdown document. */
export function renderMarkdown(d: Diagnosis, options: MarkdownOptions = {}): string {
  // Labels are in the display language (@vscode/l10n); kinds' ids, pattern ids and data stay as they are.
  const out: string[] = [`# ${options.title ?? l10n.t('Heap growth report')}`, ''];
  if (options.baseName || options.newName) out.push(l10n.t('Base {0} → new {1}', code(options.baseName ?? '?'), code(options.newName ?? '?')), '');
  out.push(headline(d, (name) => `**${markdownText(name)}**`), '');
  for (const note of d.notes) out.push(`> ${markdownText(note)}`, '');
  if (d.inferredModules.length > 0) out.push(l10n.t('Your code: package main and {0} (read from the profiles; `--module` overrides).', d.inferredModules.map((m) => code(m)).join(', ')), '');
  out.push(`## ${l10n.t('Totals')}`, '', totalsTable(d.totals), '');
  // Noise gets its own short table below, so groups only hold significant findings.
  const significant = groupFindings(d.findings.filter((f) => f.significant));
  out.push(`## ${l10n.t('Findings')}`, '');
  out.push(sentences(l10n.t('Ranked by Δ{0}; significant first.', markdownText(d.sampleType.type)), noiseLegend(d)), '');
  if (significant.length === 0) out.push(l10n.t('No change stands out from sampling noise.'), '');
  significant.forEach((g, i) => { appendAll(out, groupSection(g, i + 1, d, options)); out.push(''); });
  const noise = d.findings.filter((f) => !f.significant);
  if (noise.length > 0) out.push(`## ${l10n.t('Within sampling noise')}`, '', noiseTable(noise, d, options), '');
  if (d.omitted > 0) out.push(d.omitted === 1 ? l10n.t('1 more site changed less and is not listed.') : l10n.t('{0} more sites changed less and are not listed.', d.omitted), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** headline is the one-sentence answer: how the ranking type changed and how much the findings explain; `name` renders the sample type's name (plain text by default). */
export function headline(d: Diagnosis, name: (s: string) => string = (s) => s): string {
  const t = d.totals.find((x) => x.type === d.sampleType.type);
  if (!t) return '';
  const change = l10n.t('{0} went from {1} to {2} ({3}, {4}).', name(t.type), formatValue(t.base, t.unit), formatValue(t.new, t.unit), formatSigned(t.delta, t.unit), formatRatio(t.new, t.base));
  const significant = d.findings.filter((f) => f.significant);
  if (significant.length === 0 || t.delta === 0) return change;
  const explained = significant.reduce((sum, f) => sum + (Math.sign(f.delta[t.type] ?? 0) === Math.sign(t.delta) ? f.delta[t.type] : 0), 0);
  const share = Math.round((explained / t.delta) * 100);
  const n = significant.length;
  const explains = formatSigned(explained, t.unit);
  const account = share > 0
    ? (n === 1 ? l10n.t('1 significant finding accounts for {0} ({1}% of the change).', explains, share) : l10n.t('{0} significant findings account for {1} ({2}% of the change).', n, explains, share))
    : (n === 1 ? l10n.t('1 significant finding accounts for {0}.', explains) : l10n.t('{0} significant findings account for {1}.', n, explains));
  return sentences(change, account);
}

/** sentences joins two sentences as the display language does (a space in English, none after 。). */
function sentences(a: string, b: string): string {
  return l10n.t('{0} {1}', a, b);
}

function noiseLegend(d: Diagnosis): string {
  if (d.period === 0) return l10n.t('The profiles are unsampled: every change is exact.');
  return l10n.t('Go samples one allocation per {0} on average, so every value is an estimate; a change smaller than {1}σ of its sampling noise is marked as noise.', formatValue(d.period, 'bytes'), SIGNIFICANCE_Z);
}

function totalsTable(totals: TypeTotals[]): string {
  const rows = totals.map((t) => `| ${code(t.type, true)} | ${formatValue(t.base, t.unit)} | ${formatValue(t.new, t.unit)} | ${formatSigned(t.delta, t.unit)} | ${formatRatio(t.new, t.base)} |`);
  return [`| ${l10n.t('sample type')} | ${l10n.t('base')} | ${l10n.t('new')} | Δ | × |`, '|---|---:|---:|---:|---:|', ...rows].join('\n');
}

function groupSection(g: FindingGroup, n: number, d: Diagnosis, o: MarkdownOptions): string[] {
  const lead = g.findings[0];
  const unit = d.sampleType.unit;
  const type = d.sampleType.type;
  const where = g.userFrame ? `${code(g.userFrame.function)} · ${link(g.userFrame, o)}` : `${code(lead.site.function)} · ${link(lead.site, o)} ${l10n.t('(no frame of your code on the path)')}`;
  const out = [`### ${n}. ${where} — ${kindName(lead.kind)}, ${formatSigned(g.delta[type] ?? 0, unit)} ${markdownText(type)}`, ''];
  if (g.userFrame && lead.userLine !== undefined) out.push(`${code(`${shortPath(g.userFrame.file)}:${g.userFrame.line}`)}  ${code(lead.userLine)}`, '');
  g.findings.forEach((f, i) => appendAll(out, findingSection(f, d, o, i > 0 ? g.findings[0] : undefined)));
  return out;
}

/** findingSection renders one finding; later findings of a group skip what the group's first already said. */
function findingSection(f: Finding, d: Diagnosis, o: MarkdownOptions, first: Finding | undefined): string[] {
  const type = d.sampleType.type;
  const unit = d.sampleType.unit;
  const other = d.totals.filter((t) => t.type !== type).map((t) => `Δ${markdownText(t.type)} ${formatSigned(f.delta[t.type] ?? 0, t.unit)}`);
  const before = f.base[type] ?? 0;
  const after = f.new[type] ?? 0;
  const change = `**${kindName(f.kind)}**${f.significant ? '' : l10n.t(' (noise)')}: Δ${markdownText(type)} **${formatSigned(f.delta[type] ?? 0, unit)}** (${formatValue(before, unit)} → ${formatValue(after, unit)}, ${before === 0 ? l10n.t('new') : formatRatio(after, before)}); ${other.join(', ')}.`;
  const out = f.sites.length === 1
    ? [`- **${l10n.t('Site')}** ${code(f.site.function)} · ${link(f.site, o)} — ${change}`]
    : [`- **${l10n.t('{0} sites', f.sites.length)}**, ${l10n.t('together')} ${change}`, ...f.sites.map((x) => `  - ${code(x.site.function)} · ${link(x.site, o)}: ${formatSigned(x.delta[type] ?? 0, unit)}`)];
  out.push(`- **${l10n.t('Why this kind:')}** ${l10n.t('{0}.', markdownText(f.reason))}`);
  if (f.attribution) out.push(`- **${l10n.t('Charged to your code ({0}, {1}):', f.attribution.method, f.attribution.confidence)}** ${l10n.t('{0}.', markdownText(f.attribution.note))}`);
  const samePattern = first !== undefined && first.pattern?.id === f.pattern?.id;
  if (f.pattern) {
    const seenLabel = f.pattern.confidence === 'shape' ? l10n.t('Seen in the profile (shape only):') : l10n.t('Seen in the profile:');
    const seen = `*${seenLabel}* ${l10n.t('{0}.', markdownText(f.pattern.evidence))}`;
    const pattern = l10n.t('Pattern:');
    out.push(samePattern
      ? `- **${pattern}** ${l10n.t('the same ({0});', code(f.pattern.id))} ${seen}`
      : `- **${pattern}** ${patternText(f.pattern).title} (${code(f.pattern.id)}). ${patternText(f.pattern).explanation} ${seen}`);
    if (f.pattern.frames.length > 0) out.push(`- **${l10n.t('Evidence frames:')}** ${f.pattern.frames.map((x) => `${code(x.function)} · ${link(x, o)}`).join(', ')}`);
  } else if (f.significant && f.kind !== 'shrinking' && f.kind !== 'churn') {
    out.push(`- **${l10n.t('Pattern:')}** ${l10n.t('cause unknown — no known pattern shows on this path.')}`);
  }
  // Titles, explanations and advice are the pattern table's own Markdown, not profile data.
  if (!samePattern || first?.advice !== f.advice) out.push(`- **${l10n.t('Fix:')}** ${f.pattern ? patternText(f.pattern).advice : kindAdvice(f.kind)}`);
  if (first && f.userFrameIndex >= 0 && first.userFrameIndex === f.userFrameIndex) {
    // The part above the user frame is the group's; show the way from the user's line down to the site.
    const below = f.path.slice(f.userFrameIndex).map((frame) => `${code(frame.function)} · ${link(frame, o)}`);
    out.push(`- **${l10n.t('Call path')}** ${l10n.t('from your code:')} ${below.join(' → ')}`, '');
    return out;
  }
  out.push(`- **${l10n.t('Call path')}** ${l10n.t('(root → site):')}`, '');
  f.path.forEach((frame, i) => {
    const mark = i === f.userFrameIndex ? ` ← **${l10n.t('your code')}**` : '';
    out.push(`  ${i + 1}. ${code(frame.function)} · ${link(frame, o)}${mark}`);
  });
  out.push('');
  return out;
}

function noiseTable(findings: Finding[], d: Diagnosis, o: MarkdownOptions): string {
  const type = d.sampleType.type;
  const alloc = type !== 'alloc_space' && d.totals.some((t) => t.type === 'alloc_space');
  const rows = findings.map((f) => {
    const cells = [`${code(f.site.function, true)} · ${link(f.site, o, true)}`, kindName(f.kind), formatSigned(f.delta[type] ?? 0, d.sampleType.unit)];
    if (alloc) cells.push(formatSigned(f.delta.alloc_space ?? 0, 'bytes'));
    cells.push(`${f.z.toFixed(1)}σ`);
    return `| ${cells.join(' | ')} |`;
  });
  const [site, kind, size] = [l10n.t('site'), l10n.t('kind'), l10n.t('size vs noise')];
  const head = alloc ? `| ${site} | ${kind} | Δ${markdownText(type)} | Δalloc\\_space | ${size} |` : `| ${site} | ${kind} | Δ${markdownText(type)} | ${size} |`;
  return [head, alloc ? '|---|---|---:|---:|---:|' : '|---|---|---:|---:|', ...rows].join('\n');
}

/** shortPath keeps the last two elements of a path: `flate/deflate.go`, `heapscenarios/handlers.go`. */
export function shortPath(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/').filter((p) => p !== '');
  return parts.slice(-2).join('/');
}

function link(f: { file: string; line: number }, o: MarkdownOptions, inTable = false): string {
  const text = f.line > 0 ? `${shortPath(f.file)}:${f.line}` : shortPath(f.file) || '?';
  const target = f.file && o.linkFor ? o.linkFor(f.file, f.line) : undefined;
  if (!target) return code(text, inTable);
  return markdownLink(code(text, inTable), target, inTable ? undefined : f.file);
}

/** appendAll appends lines one by one (a spread of a deep call path exceeds the call stack). */
function appendAll(out: string[], lines: string[]): void {
  for (const line of lines) out.push(line);
}

function code(s: string, inTable = false): string {
  return markdownCode(s, { inTable });
}

/**
 * blockedAtMarkdown is the report's section on where the goroutines holding memory wait (findings
 * with blockedAt, from the goroutine profiles named in `from`); empty when no finding has one.
 */
export function blockedAtMarkdown(d: Diagnosis, from: readonly string[], options: MarkdownOptions = {}): string {
  const linked = d.findings.filter((f) => f.blockedAt);
  if (linked.length === 0) return '';
  const out = [`## ${l10n.t('Where the goroutines holding this memory wait')}`, '', l10n.t('From {0}:', from.map((p) => code(p)).join(' → ')), ''];
  for (const f of linked) {
    const b = f.blockedAt!;
    out.push(`- ${code(f.site.function)} (${link(f.site, options)}): ${l10n.t('{0} goroutines wait at {1}', b.count, `${code(b.function)} ${link(b, options)}`)}${b.waitReason ? ` (${markdownText(b.waitReason)})` : ''}`);
  }
  return out.join('\n');
}
