import * as l10n from '@vscode/l10n';
import { formatPercent, formatSigned, formatSignedPercent, formatValue } from '../../core/format';
import type { HotspotRow } from '../../core/hotspots';
import { baseName } from '../../core/sourceResolution';
import { markdownCode, markdownText } from '../../core/text/markdown';
import { displayName } from '../../core/text/nameDisplay';

// How the Heap Hotspots tree words its rows (core/hotspots.ts computes them in the analysis worker):
// labels, descriptions, accessible labels and tooltips. No vscode import: unit-tested.

/** formatShare renders a share compactly: "98%", "5.2%", "0.4%", "<0.1%". */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  if (pct < 10) return `${Number(pct.toFixed(1))}%`;
  return `${Math.round(pct)}%`;
}

/** formatRowValue renders a row's number: signed when comparing ("+49.73MB"), plain otherwise. */
export function formatRowValue(value: number, unit: string, isDiff: boolean): string {
  return isDiff ? formatSigned(value, unit) : formatValue(value, unit);
}

/** MAX_TREE_LABEL is the longest name a tree row shows (characters); the tooltip has the whole name. */
export const MAX_TREE_LABEL = 100;

/**
 * rowLabel is the row's main text: the function, or "file.go:18" for a line inside a function;
 * abbreviated and bidi-isolated, so neither a huge name nor a U+202E in it disturbs the numbers.
 */
export function rowLabel(row: HotspotRow): string {
  if (row.kind === 'line') return row.file ? `${displayName(baseName(row.file), MAX_TREE_LABEL)}:${row.line}` : l10n.t('line {0}', row.line);
  return displayName(row.name || l10n.t('<unknown>'), MAX_TREE_LABEL);
}

/** rowDescription is the text after the label: "+49.73MB (98%)", and for a call site where it calls from. */
export function rowDescription(row: HotspotRow, unit: string, isDiff: boolean): string {
  const numbers = `${formatRowValue(row.value, unit, isDiff)} (${formatShare(row.share)})`;
  if (row.kind === 'caller' && row.file) return `${numbers} · ${l10n.t('calls at {0}', `${displayName(baseName(row.file), MAX_TREE_LABEL)}:${row.line}`)}`;
  return numbers;
}

/** rowAccessibleLabel is what screen readers (and the e2e tests) read: label and description. */
export function rowAccessibleLabel(row: HotspotRow, unit: string, isDiff: boolean): string {
  const text = `${rowLabel(row)} ${rowDescription(row, unit, isDiff)}`;
  return row.kind === 'caller' ? l10n.t('called from {0}', text) : text;
}

/** TooltipContext is what a tooltip needs besides the row. */
export interface TooltipContext {
  sampleType: string;
  unit: string;
  isDiff: boolean;
  /** pprof's total (the base's when comparing), for pprof's percentages. */
  total: number;
  /** One line saying where the source is (or that it was not found); already Markdown (profile text through markdownText/markdownCode). */
  source: string;
}

/** rowTooltipMarkdown renders a row's tooltip: base/new/Δ of flat and cum, and where its source is. */
export function rowTooltipMarkdown(row: HotspotRow, t: TooltipContext): string {
  const title = row.kind === 'caller' ? l10n.t('call from {0}', markdownText(row.name)) : markdownText(row.name || l10n.t('<unknown>'));
  const where = row.file ? markdownCode(`${row.file}${row.line ? `:${row.line}` : ''}`) : `_${l10n.t('no file in the profile')}_`;
  const out = [`**${title}**  `, `${where}`, ''];
  const scope = row.kind === 'line' ? l10n.t('this line') : l10n.t('function');
  if (t.isDiff) {
    out.push(`| ${markdownText(t.sampleType)} | ${l10n.t('base')} | ${l10n.t('new')} | Δ |`, '|---|---:|---:|---:|');
    out.push(diffRow(`flat (${scope})`, row.flat, row.baseFlat ?? 0, t.unit));
    if (row.cum !== undefined) out.push(diffRow(`cum (${scope})`, row.cum, row.baseCum ?? 0, t.unit));
    if (row.kind === 'caller') out.push(diffRow(l10n.t('through this call'), row.value, row.baseValue ?? 0, t.unit));
    out.push('', l10n.t('{0} of all change between the two profiles; pprof: {1} of the base total.', formatShare(row.share), formatPercent(row.value, t.total).trim()));
  } else {
    out.push(`| ${markdownText(t.sampleType)} | ${l10n.t('value')} | ${l10n.t('of total')} |`, '|---|---:|---:|');
    out.push(`| flat (${scope}) | ${formatValue(row.flat, t.unit)} | ${formatPercent(row.flat, t.total).trim()} |`);
    if (row.cum !== undefined) out.push(`| cum (${scope}) | ${formatValue(row.cum, t.unit)} | ${formatPercent(row.cum, t.total).trim()} |`);
    if (row.kind === 'caller') out.push(`| ${l10n.t('through this call')} | ${formatValue(row.value, t.unit)} | ${formatPercent(row.value, t.total).trim()} |`);
  }
  out.push('', t.source);
  return out.join('\n');
}

/** plainTooltipMarkdown shows multi-line plain text (a finding's explanation) as Markdown: every line escaped, line breaks kept. */
export function plainTooltipMarkdown(text: string): string {
  return text.split('\n').map(markdownText).join('  \n');
}

function diffRow(label: string, delta: number, base: number, unit: string): string {
  const change = delta === 0 ? '0' : `${formatSigned(delta, unit)} (${formatSignedPercent(delta, base)})`;
  return `| ${label} | ${formatValue(base, unit)} | ${formatValue(base + delta, unit)} | ${change} |`;
}

