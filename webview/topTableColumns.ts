import * as l10n from '@vscode/l10n';
import { formatPercent, formatSigned, formatSignedPercent, formatValue } from '../src/core/format';
import type { DeltaOf } from './panelState';
import type { TopModel } from './topModel';

// The top table's columns, declared once: id, header and tooltip (single profile / comparison),
// width, sort key and cell formatter. The table renders them, the model sorts by them, the saved
// panel state is validated against them, and the grid's widths are set from them (CSS only reads
// the --top-columns / --top-min-width variables). DOM-free, so it is unit-tested in Node.

/** TOP_COLUMN_IDS are the top table's columns in display order. */
export const TOP_COLUMN_IDS = ['flat', 'flatPct', 'sumPct', 'cum', 'cumPct', 'base', 'new', 'delta', 'deltaPct', 'name'] as const;

/** TopColumnId names a sortable column of the top table. */
export type TopColumnId = (typeof TOP_COLUMN_IDS)[number];

/** CellContext is what a formatter reads: the model, the row, its position's running flat sum, and flat-or-cum. */
export interface CellContext {
  model: TopModel;
  row: number;
  running: number;
  of: DeltaOf;
}

/** Cell is a formatted value and its direction (1 grew, −1 shrank, 0 neither) for colouring. */
export interface Cell {
  text: string;
  sign: number;
}

/** TopColumn declares one column. */
export interface TopColumn {
  id: TopColumnId;
  /** Header and tooltip for a single profile; `compare` overrides them in a comparison. */
  header: string;
  tooltip: string;
  compare?: { header: string; tooltip: string };
  /** Only shown when comparing (base, new, Δ, Δ%). */
  compareOnly?: boolean;
  /** Width in ch of the editor font, so "+49.73MB", "-512.05kB" and "2327.00%" are never cut; the name column takes the rest, at least `minCh`. */
  width: { ch: number } | { minCh: number; minChCompare: number };
  /** The number the column sorts by (descending = largest first); the name column sorts by label instead. */
  sortKey?: (m: TopModel, row: number, of: DeltaOf) => number;
  /** The cell's text; the name column's cell is a link built by the table. */
  format?: (c: CellContext) => Cell;
}

const value = (c: CellContext, v: number): Cell => {
  const t = c.model.top;
  return t.isDiff ? { text: formatSigned(v, t.unit), sign: Math.sign(v) } : { text: formatValue(v, t.unit), sign: 0 };
};
const share = (c: CellContext, v: number): Cell => ({ text: formatPercent(v, c.model.top.total).trim(), sign: 0 });
const absFlat = (m: TopModel, i: number) => Math.abs(m.top.flat[i]);
const absCum = (m: TopModel, i: number) => Math.abs(m.top.cum[i]);

/**
 * TOP_COLUMNS declares every column, in TOP_COLUMN_IDS order. Headers and tooltips are getters: they
 * are translated when a view resolves them (after init configured the language), not at load.
 * pprof's column names (flat, flat%, sum%, cum, cum%) stay as pprof writes them in every language.
 */
export const TOP_COLUMNS: readonly TopColumn[] = [
  { id: 'flat', header: 'flat', get tooltip() { return l10n.t('Allocated in the function itself'); }, compare: { header: 'flat Δ', get tooltip() { return l10n.t('new − base of flat (pprof -diff_base)'); } },
    width: { ch: 10.5 }, sortKey: absFlat, format: (c) => value(c, c.model.top.flat[c.row]) },
  { id: 'flatPct', header: 'flat%', get tooltip() { return l10n.t('flat as a share of the total'); }, compare: { header: 'flat%', get tooltip() { return l10n.t('|flat Δ| as a share of the base total (pprof)'); } },
    width: { ch: 9 }, sortKey: absFlat, format: (c) => share(c, c.model.top.flat[c.row]) },
  { id: 'sumPct', header: 'sum%', get tooltip() { return l10n.t('Running total of flat% down the table'); },
    width: { ch: 9 }, sortKey: absFlat, format: (c) => share(c, c.running) },
  { id: 'cum', header: 'cum', get tooltip() { return l10n.t('Allocated in the function and everything it calls'); }, compare: { header: 'cum Δ', get tooltip() { return l10n.t('new − base of cum (pprof -diff_base)'); } },
    width: { ch: 10.5 }, sortKey: absCum, format: (c) => value(c, c.model.top.cum[c.row]) },
  { id: 'cumPct', header: 'cum%', get tooltip() { return l10n.t('cum as a share of the total'); }, compare: { header: 'cum%', get tooltip() { return l10n.t('|cum Δ| as a share of the base total (pprof)'); } },
    width: { ch: 9 }, sortKey: absCum, format: (c) => share(c, c.model.top.cum[c.row]) },
  { id: 'base', get header() { return l10n.t('base'); }, get tooltip() { return l10n.t('Value in the base profile'); }, compareOnly: true,
    width: { ch: 10 }, sortKey: (m, i, of) => m.base(i, of), format: (c) => ({ text: formatValue(c.model.base(c.row, c.of), c.model.top.unit), sign: 0 }) },
  { id: 'new', get header() { return l10n.t('new'); }, get tooltip() { return l10n.t('Value in the new profile'); }, compareOnly: true,
    width: { ch: 10 }, sortKey: (m, i, of) => m.newValue(i, of), format: (c) => ({ text: formatValue(c.model.newValue(c.row, c.of), c.model.top.unit), sign: 0 }) },
  { id: 'delta', header: 'Δ', get tooltip() { return l10n.t('new − base'); }, compareOnly: true,
    width: { ch: 10.5 }, sortKey: (m, i, of) => m.delta(i, of),
    format: (c) => { const d = c.model.delta(c.row, c.of); return { text: formatSigned(d, c.model.top.unit), sign: Math.sign(d) }; } },
  { id: 'deltaPct', header: 'Δ%', get tooltip() { return l10n.t('Change relative to the base value'); }, compareOnly: true,
    width: { ch: 8 }, sortKey: (m, i, of) => m.deltaRatio(i, of),
    format: (c) => { const d = c.model.delta(c.row, c.of); return { text: formatSignedPercent(d, c.model.base(c.row, c.of)), sign: Math.sign(d) }; } },
  { id: 'name', get header() { return l10n.t('name'); }, get tooltip() { return l10n.t('Function (and file:line at line granularity)'); }, width: { minCh: 24, minChCompare: 20 } },
];

/** CELL_PADDING_PX is each cell's horizontal padding (media/panel.css .cell), counted in the row's minimum width. */
export const CELL_PADDING_PX = 8;

/** ShownColumn is a column as one view shows it: its header and tooltip resolved. */
export interface ShownColumn extends TopColumn {
  title: string;
  tip: string;
}

/** shownColumns lists the columns of a single-profile view or a comparison, headers resolved. */
export function shownColumns(isDiff: boolean): ShownColumn[] {
  return TOP_COLUMNS.filter((c) => isDiff || !c.compareOnly).map((c) => ({
    ...c,
    title: isDiff && c.compare ? c.compare.header : c.header,
    tip: isDiff && c.compare ? c.compare.tooltip : c.tooltip,
  }));
}

/** topColumn returns a column's declaration. */
export function topColumn(id: TopColumnId): TopColumn {
  return TOP_COLUMNS.find((c) => c.id === id)!;
}

/** gridLayout is the CSS grid template of a view's columns and the row's minimum width (all numbers visible, the name at its minimum). */
export function gridLayout(isDiff: boolean): { columns: string; minWidth: string } {
  const cols = shownColumns(isDiff);
  let ch = 0;
  const tracks = cols.map((c) => {
    if ('ch' in c.width) { ch += c.width.ch; return `${c.width.ch}ch`; }
    const min = isDiff ? c.width.minChCompare : c.width.minCh;
    ch += min;
    return `minmax(${min}ch, 1fr)`;
  });
  return { columns: tracks.join(' '), minWidth: `calc(${ch}ch + ${cols.length * CELL_PADDING_PX}px)` };
}
