import { formatRatio, formatSigned, formatValue } from '../format';
import { markdownCode, markdownLink, markdownText } from '../text/markdown';
import { type Diagnosis, type Finding, type FindingGroup, groupFindings, type TypeTotals } from './diagnose';
import { SIGNIFICANCE_Z } from './sampling';
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
  /** Title (default "Heap growth report"). */
  title?: string;
}

/** renderMarkdown renders a diagnosis as a Markdown document. */
export function renderMarkdown(d: Diagnosis, options: MarkdownOptions = {}): string {
  const out: string[] = [`# ${options.title ?? 'Heap growth report'}`, ''];
  if (options.baseName || options.newName) out.push(`Base ${code(options.baseName ?? '?')} → new ${code(options.newName ?? '?')}`, '');
  out.push(headline(d, (name) => `**${markdownText(name)}**`), '');
  for (const note of d.notes) out.push(`> ${markdownText(note)}`, '');
  if (d.inferredModules.length > 0) out.push(`Your code: package main and ${d.inferredModules.map((m) => code(m)).join(', ')} (read from the profiles; \`--module\` overrides).`, '');
  out.push('## Totals', '', totalsTable(d.totals), '');
  // Noise gets its own short table below, so groups only hold significant findings.
  const significant = groupFindings(d.findings.filter((f) => f.significant));
  out.push('## Findings', '');
  out.push(`Ranked by Δ${markdownText(d.sampleType.type)}; significant first. ${noiseLegend(d)}`, '');
  if (significant.length === 0) out.push('No change stands out from sampling noise.', '');
  significant.forEach((g, i) => { appendAll(out, groupSection(g, i + 1, d, options)); out.push(''); });
  const noise = d.findings.filter((f) => !f.significant);
  if (noise.length > 0) out.push('## Within sampling noise', '', noiseTable(noise, d, options), '');
  if (d.omitted > 0) out.push(`${d.omitted} more site${d.omitted === 1 ? '' : 's'} changed less and ${d.omitted === 1 ? 'is' : 'are'} not listed.`, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** headline is the one-sentence answer: how the ranking type changed and how much the findings explain; `name` renders the sample type's name (plain text by default). */
export function headline(d: Diagnosis, name: (s: string) => string = (s) => s): string {
  const t = d.totals.find((x) => x.type === d.sampleType.type);
  if (!t) return '';
  const change = `${name(t.type)} went from ${formatValue(t.base, t.unit)} to ${formatValue(t.new, t.unit)} (${formatSigned(t.delta, t.unit)}, ${formatRatio(t.new, t.base)}).`;
  const significant = d.findings.filter((f) => f.significant);
  if (significant.length === 0 || t.delta === 0) return change;
  const explained = significant.reduce((sum, f) => sum + (Math.sign(f.delta[t.type] ?? 0) === Math.sign(t.delta) ? f.delta[t.type] : 0), 0);
  const share = Math.round((explained / t.delta) * 100);
  const n = significant.length;
  return `${change} ${n} significant finding${n === 1 ? '' : 's'} account${n === 1 ? 's' : ''} for ${formatSigned(explained, t.unit)}${share > 0 ? ` (${share}% of the change)` : ''}.`;
}

function noiseLegend(d: Diagnosis): string {
  if (d.period === 0) return 'The profiles are unsampled: every change is exact.';
  return `Go samples one allocation per ${formatValue(d.period, 'bytes')} on average, so every value is an estimate; a change smaller than ${SIGNIFICANCE_Z}σ of its sampling noise is marked as noise.`;
}

function totalsTable(totals: TypeTotals[]): string {
  const rows = totals.map((t) => `| ${code(t.type, true)} | ${formatValue(t.base, t.unit)} | ${formatValue(t.new, t.unit)} | ${formatSigned(t.delta, t.unit)} | ${formatRatio(t.new, t.base)} |`);
  return ['| sample type | base | new | Δ | × |', '|---|---:|---:|---:|---:|', ...rows].join('\n');
}

function groupSection(g: FindingGroup, n: number, d: Diagnosis, o: MarkdownOptions): string[] {
  const lead = g.findings[0];
  const unit = d.sampleType.unit;
  const type = d.sampleType.type;
  const where = g.userFrame ? `${code(g.userFrame.function)} · ${link(g.userFrame, o)}` : `${code(lead.site.function)} · ${link(lead.site, o)} (no frame of your code on the path)`;
  const out = [`### ${n}. ${where} — ${lead.kind}, ${formatSigned(g.delta[type] ?? 0, unit)} ${markdownText(type)}`, ''];
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
  const change = `**${f.kind}**${f.significant ? '' : ' (noise)'}: Δ${markdownText(type)} **${formatSigned(f.delta[type] ?? 0, unit)}** (${formatValue(before, unit)} → ${formatValue(after, unit)}, ${before === 0 ? 'new' : formatRatio(after, before)}); ${other.join(', ')}.`;
  const out = f.sites.length === 1
    ? [`- **Site** ${code(f.site.function)} · ${link(f.site, o)} — ${change}`]
    : [`- **${f.sites.length} sites**, together ${change}`, ...f.sites.map((x) => `  - ${code(x.site.function)} · ${link(x.site, o)}: ${formatSigned(x.delta[type] ?? 0, unit)}`)];
  out.push(`- **Why this kind:** ${markdownText(f.reason)}.`);
  if (f.attribution) out.push(`- **Charged to your code (${f.attribution.method}, ${f.attribution.confidence}):** ${markdownText(f.attribution.note)}.`);
  const samePattern = first !== undefined && first.pattern?.id === f.pattern?.id;
  if (f.pattern) {
    const seen = `*Seen in the profile${f.pattern.confidence === 'shape' ? ' (shape only)' : ''}:* ${markdownText(f.pattern.evidence)}.`;
    out.push(samePattern
      ? `- **Pattern:** the same (${code(f.pattern.id)}); ${seen}`
      : `- **Pattern:** ${patternText(f.pattern).title} (${code(f.pattern.id)}). ${patternText(f.pattern).explanation} ${seen}`);
    if (f.pattern.frames.length > 0) out.push(`- **Evidence frames:** ${f.pattern.frames.map((x) => `${code(x.function)} · ${link(x, o)}`).join(', ')}`);
  } else if (f.significant && f.kind !== 'shrinking' && f.kind !== 'churn') {
    out.push('- **Pattern:** cause unknown — no known pattern shows on this path.');
  }
  // Titles, explanations and advice are the pattern table's own Markdown, not profile data.
  if (!samePattern || first?.advice !== f.advice) out.push(`- **Fix:** ${f.pattern ? patternText(f.pattern).advice : f.advice}`);
  if (first && f.userFrameIndex >= 0 && first.userFrameIndex === f.userFrameIndex) {
    // The part above the user frame is the group's; show the way from the user's line down to the site.
    const below = f.path.slice(f.userFrameIndex).map((frame) => `${code(frame.function)} · ${link(frame, o)}`);
    out.push(`- **Call path** from your code: ${below.join(' → ')}`, '');
    return out;
  }
  out.push('- **Call path** (root → site):', '');
  f.path.forEach((frame, i) => {
    const mark = i === f.userFrameIndex ? ' ← **your code**' : '';
    out.push(`  ${i + 1}. ${code(frame.function)} · ${link(frame, o)}${mark}`);
  });
  out.push('');
  return out;
}

function noiseTable(findings: Finding[], d: Diagnosis, o: MarkdownOptions): string {
  const type = d.sampleType.type;
  const alloc = type !== 'alloc_space' && d.totals.some((t) => t.type === 'alloc_space');
  const rows = findings.map((f) => {
    const cells = [`${code(f.site.function, true)} · ${link(f.site, o, true)}`, f.kind, formatSigned(f.delta[type] ?? 0, d.sampleType.unit)];
    if (alloc) cells.push(formatSigned(f.delta.alloc_space ?? 0, 'bytes'));
    cells.push(`${f.z.toFixed(1)}σ`);
    return `| ${cells.join(' | ')} |`;
  });
  const head = alloc ? `| site | kind | Δ${markdownText(type)} | Δalloc\\_space | size vs noise |` : `| site | kind | Δ${markdownText(type)} | size vs noise |`;
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
