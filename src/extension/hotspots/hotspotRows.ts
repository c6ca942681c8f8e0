import * as l10n from '@vscode/l10n';
import type { Aggregate } from '../../core/aggregate';
import { formatPercent, formatSigned, formatSignedPercent, formatValue } from '../../core/format';
import { sortedNodes } from '../../core/top';
import { baseName } from '../../core/sourceResolution';
import type { StackIndex } from '../../core/stackIndex';
import { markdownCode, markdownText } from '../../core/text/markdown';
import { displayName } from '../../core/text/nameDisplay';

// What the Heap Hotspots tree shows, computed without VS Code (unit-tested): top rows are functions
// in pprof's -top order (|flat|, then name) from a functions aggregate; a function's children are the
// lines inside it that contributed (by cum: a line that calls into the allocation counts) and the
// call sites that reached it, both from one stack walk when the function is expanded (StackIndex).

/** HotspotKind says what a row stands for. */
export type HotspotKind = 'function' | 'line' | 'caller';

/** HotspotRow is one row of the tree: a function, a line inside it, or a call site that reached it. */
export interface HotspotRow {
  kind: HotspotKind;
  /** Function name as pprof prints it; for a caller row, the calling function. */
  name: string;
  /** File and line to open, as written in the profile ('' and 0 when the profile has none). */
  file: string;
  line: number;
  /** The number the row is ranked by: flat (function), cum (line), weight of the calls (caller); new − base when comparing. */
  value: number;
  /** The same number in the base profile (comparisons only). */
  baseValue?: number;
  /** |value| as a fraction of all change (comparison) or of the profile total (single profile). */
  share: number;
  /** The function's (or line's) flat and cum, for the tooltip. */
  flat: number;
  cum: number;
  baseFlat?: number;
  baseCum?: number;
}

/** HotspotList is the top rows and how many non-zero functions did not fit. */
export interface HotspotList {
  rows: HotspotRow[];
  more: number;
}

/** HotspotIndex answers the tree's questions from a functions aggregate and the stacks behind it. */
export class HotspotIndex {
  readonly isDiff: boolean;
  readonly unit: string;
  readonly sampleType: string;
  /** What shares are fractions of: Σ|Δ flat| when comparing (all change), else pprof's total. */
  readonly denominator: number;
  private readonly functionNode = new Map<string, number>();

  constructor(readonly functions: Aggregate, private readonly stacks: StackIndex) {
    this.isDiff = functions.isDiff;
    this.unit = functions.sampleType.unit;
    this.sampleType = functions.sampleType.type;
    for (let n = 0; n < functions.nodes.count; n++) this.functionNode.set(functions.nodes.name[n], n);
    let changed = 0;
    if (this.isDiff) for (let n = 0; n < functions.nodes.count; n++) changed += Math.abs(functions.flat[n]);
    this.denominator = this.isDiff ? changed : functions.total;
  }

  /** topFunctions lists functions with a non-zero flat value, largest |flat| first (pprof's -top order). */
  topFunctions(limit: number): HotspotList {
    const order = sortedNodes(this.functions, 'flat').filter((n) => this.functions.flat[n] !== 0);
    return { rows: order.slice(0, limit).map((n) => this.functionRow(n)), more: Math.max(0, order.length - limit) };
  }

  /** functionRow builds the row of functions-aggregate node `n`, pointing at the line where it allocated most. */
  functionRow(n: number): HotspotRow {
    const f = this.functions;
    const name = f.nodes.name[n];
    const at = this.stacks.mainLine(name, this.sampleType);
    return {
      kind: 'function',
      name,
      file: at?.file ?? '',
      line: at?.line ?? 0,
      value: f.flat[n],
      baseValue: f.baseFlat?.[n],
      share: this.shareOf(f.flat[n]),
      ...this.functionNumbers(name),
    };
  }

  /** linesOf lists the lines of a function that contributed (non-zero cum), largest |cum| first. */
  linesOf(name: string): HotspotRow[] {
    const lines = this.stacks.functionDetail(name, this.sampleType).lines.filter((l) => l.cum !== 0);
    lines.sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || a.line - b.line);
    return lines.map((l) => ({
      kind: 'line',
      name,
      file: l.file,
      line: l.line,
      value: l.cum,
      baseValue: this.isDiff ? l.baseCum : undefined,
      share: this.shareOf(l.cum),
      flat: l.flat,
      cum: l.cum,
      baseFlat: this.isDiff ? l.baseFlat : undefined,
      baseCum: this.isDiff ? l.baseCum : undefined,
    }));
  }

  /**
   * callersOf lists the call sites (a line in another function) from which `name` was reached, with
   * the weight that flowed through each call, largest |weight| first. Recursive calls are left out.
   */
  callersOf(name: string): HotspotRow[] {
    const rows: HotspotRow[] = this.stacks.functionDetail(name, this.sampleType).callers
      .filter((c) => c.value !== 0 || c.baseValue !== 0)
      .map((c) => ({
        kind: 'caller',
        name: c.name,
        file: c.file,
        line: c.line,
        value: c.value,
        baseValue: this.isDiff ? c.baseValue : undefined,
        share: this.shareOf(c.value),
        ...this.functionNumbers(c.name),
      }));
    return rows.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.line - b.line));
  }

  private functionNumbers(name: string): Pick<HotspotRow, 'flat' | 'cum' | 'baseFlat' | 'baseCum'> {
    const f = this.functions;
    const n = this.functionNode.get(name);
    if (n === undefined) return { flat: 0, cum: 0 };
    return { flat: f.flat[n], cum: f.cum[n], baseFlat: f.baseFlat?.[n], baseCum: f.baseCum?.[n] };
  }

  private shareOf(value: number): number {
    return this.denominator > 0 ? Math.abs(value) / this.denominator : 0;
  }
}

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
    out.push(diffRow(`cum (${scope})`, row.cum, row.baseCum ?? 0, t.unit));
    if (row.kind === 'caller') out.push(diffRow(l10n.t('through this call'), row.value, row.baseValue ?? 0, t.unit));
    out.push('', l10n.t('{0} of all change between the two profiles; pprof: {1} of the base total.', formatShare(row.share), formatPercent(row.value, t.total).trim()));
  } else {
    out.push(`| ${markdownText(t.sampleType)} | ${l10n.t('value')} | ${l10n.t('of total')} |`, '|---|---:|---:|');
    out.push(`| flat (${scope}) | ${formatValue(row.flat, t.unit)} | ${formatPercent(row.flat, t.total).trim()} |`);
    out.push(`| cum (${scope}) | ${formatValue(row.cum, t.unit)} | ${formatPercent(row.cum, t.total).trim()} |`);
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

