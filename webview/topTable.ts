import * as l10n from '@vscode/l10n';
import { formatSigned, formatSignedPercent, formatValue } from '../src/core/format';
import type { NodeFilterAction } from '../src/core/nodeFilter';
import { isolateName } from '../src/core/text/nameDisplay';
import { clear, h, selectBox, textField } from './dom';
import { formatCount } from './locale';
import type { NodeIdentity, PanelState } from './panelState';
import { type TopModel, tableFilterRegExp } from './topModel';
import { type ShownColumn, type TopColumnId, gridLayout, shownColumns } from './topTableColumns';

// The top table: pprof's columns (flat, flat%, sum%, cum, cum%) and, when comparing, base, new, Δ
// and Δ% of flat or cum. Virtualised: a fixed row height, a spacer as tall as all rows, and a small
// pool of row elements re-filled on scroll, so 100k rows cost what 40 do. One delegated listener
// handles clicks for every row. The columns are declared in topTableColumns.ts.

/** TopTableActions is what the table asks of the panel. */
export interface TopTableActions {
  select(id: NodeIdentity, row: number): void;
  openSource(id: NodeIdentity): void;
  nodeFilter(action: NodeFilterAction, id: NodeIdentity): void;
  stateChanged(): void;
  painted(rows: number): void;
  /** announce says a short text to screen readers (a polite live region). */
  announce(text: string): void;
}

// Visible and spoken strings of this view, in one place (read when used: after init set the language).
const TEXT = {
  table: () => l10n.t('Top functions: arrow keys move the selection, Enter opens its source, Tab reaches its buttons'),
  sortHint: () => l10n.t('Enter or click to sort'),
  openHint: () => l10n.t('click or Enter to open the source'),
  rows: (n: number) => l10n.t('{0} rows', formatCount(n)),
  rowsOf: (shown: number, all: number) => l10n.t('{0} of {1} rows', formatCount(shown), formatCount(all)),
  sortedBy: (column: string, descending: boolean) => (descending ? l10n.t('sorted by {0}, descending', column) : l10n.t('sorted by {0}, ascending', column)),
};

const ROW_HEIGHT = 22;
const OVERSCAN = 8;

/** TopTable renders a TopModel. */
export class TopTable {
  private model: TopModel | undefined;
  private order: Uint32Array = new Uint32Array(0);
  private running: Float64Array = new Float64Array(0);
  private columns: ShownColumn[] = shownColumns(false);
  private readonly scroller: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly rowsBox: HTMLDivElement;
  private readonly pool: HTMLDivElement[] = [];
  private readonly countLabel: HTMLSpanElement;
  private readonly filterNote: HTMLSpanElement;
  private readonly filterBox: HTMLElement & { value: string };
  private readonly deltaOfBox: HTMLElement & { value: string };
  private selectedRow = -1;
  private frame = 0;
  private pendingPaint = false;

  constructor(root: HTMLElement, private readonly state: PanelState, private readonly actions: TopTableActions) {
    this.filterBox = textField('search', l10n.t('Filter rows by name (regular expression)'), state.tableFilter, l10n.t('Filter rows (regex)'));
    this.filterBox.addEventListener('input', () => {
      this.state.tableFilter = this.filterBox.value;
      this.refresh(true);
      this.actions.stateChanged();
    });
    this.deltaOfBox = selectBox(l10n.t('Compare flat or cum values in the base, new, Δ and Δ% columns'), [['flat', l10n.t('base → new of flat')], ['cum', l10n.t('base → new of cum')]], state.deltaOf);
    this.deltaOfBox.addEventListener('change', () => {
      this.state.deltaOf = this.deltaOfBox.value === 'cum' ? 'cum' : 'flat';
      this.refresh(false);
      this.actions.stateChanged();
    });
    this.countLabel = h('span', { className: 'muted' });
    this.filterNote = h('span', { className: 'warning' });
    root.append(h('div', { className: 'toolbar' }, this.filterBox, this.deltaOfBox, this.countLabel, this.filterNote));
    this.header = h('div', { className: 'top-header top-row', attrs: { role: 'row' } });
    this.spacer = h('div', { className: 'top-spacer' });
    this.rowsBox = h('div', { className: 'top-rows', attrs: { role: 'rowgroup' } });
    this.scroller = h('div', { className: 'top-scroll', attrs: { role: 'grid', 'aria-label': TEXT.table(), 'aria-readonly': 'true', tabindex: '0' } }, this.header, this.spacer, this.rowsBox);
    root.append(this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule());
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsBox.addEventListener('click', (e) => this.onClick(e));
    this.header.addEventListener('click', (e) => this.onHeaderClick(e));
    this.header.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      e.stopPropagation();
      this.onHeaderClick(e);
      this.header.querySelector<HTMLElement>(`[data-column="${this.state.sort.column}"]`)?.focus();
      this.actions.announce(TEXT.sortedBy(this.columns.find((c) => c.id === this.state.sort.column)?.title ?? '', this.state.sort.descending));
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  /** setModel shows a new view's rows, keeping sort, filter, scroll and selection. */
  setModel(model: TopModel, selected: NodeIdentity | undefined): void {
    this.model = model;
    this.columns = shownColumns(model.top.isDiff);
    const grid = gridLayout(model.top.isDiff);
    this.scroller.style.setProperty('--top-columns', grid.columns);
    this.scroller.style.setProperty('--top-min-width', grid.minWidth);
    this.deltaOfBox.hidden = !model.top.isDiff;
    this.scroller.classList.toggle('compare', model.top.isDiff);
    this.selectedRow = selected ? model.rowOf(selected) : -1;
    this.renderHeader();
    this.pendingPaint = true;
    this.refresh(false);
    this.scroller.scrollTop = this.state.tableScroll;
  }

  /** selectRow highlights the row of a node (from another view's selection). */
  selectRow(row: number): void {
    this.selectedRow = row;
    this.render();
  }

  private refresh(resetScroll: boolean): void {
    const model = this.model;
    if (!model) return;
    const { regex, error } = tableFilterRegExp(this.state.tableFilter);
    this.filterNote.textContent = error ?? '';
    this.order = model.order(this.state.sort.column, this.state.sort.descending, this.state.deltaOf, regex);
    this.running = model.runningFlat(this.order);
    this.spacer.style.height = `${this.order.length * ROW_HEIGHT}px`;
    this.countLabel.textContent = regex ? TEXT.rowsOf(this.order.length, model.top.count) : TEXT.rows(model.top.count);
    this.scroller.setAttribute('aria-rowcount', String(this.order.length + 1));
    if (resetScroll) this.scroller.scrollTop = 0;
    this.renderHeader();
    this.render();
  }

  private renderHeader(): void {
    clear(this.header);
    for (const c of this.columns) {
      const sorted = this.state.sort.column === c.id;
      const cell = h('div', { className: `cell col-${c.id}${sorted ? ' sorted' : ''}`, title: `${c.tip} — ${TEXT.sortHint()}`, attrs: { role: 'columnheader', 'data-column': c.id, 'aria-sort': sorted ? (this.state.sort.descending ? 'descending' : 'ascending') : 'none', tabindex: '0' } },
        h('span', { text: c.title }),
        h('span', { className: sorted ? `codicon codicon-${this.state.sort.descending ? 'arrow-down' : 'arrow-up'}` : '' }));
      this.header.append(cell);
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.state.tableScroll = this.scroller.scrollTop;
      this.render();
      this.actions.stateChanged();
    });
  }

  private render(): void {
    const model = this.model;
    if (!model) return;
    const top = Math.max(0, this.scroller.scrollTop - ROW_HEIGHT);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil((this.scroller.clientHeight || 600) / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(this.order.length, first + visible);
    while (this.pool.length < last - first) this.pool.push(this.makeRow());
    this.rowsBox.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    let active = '';
    for (let k = 0; k < this.pool.length; k++) {
      const el = this.pool[k];
      const pos = first + k;
      if (pos >= last) {
        el.hidden = true;
        continue;
      }
      el.hidden = false;
      this.fillRow(el, pos);
      if (this.order[pos] === this.selectedRow) active = el.id;
    }
    // The grid keeps focus while arrows move the selection; screen readers follow the active row.
    if (active) this.scroller.setAttribute('aria-activedescendant', active);
    else this.scroller.removeAttribute('aria-activedescendant');
    if (this.pendingPaint) {
      this.pendingPaint = false;
      requestAnimationFrame(() => {
        this.actions.painted(this.order.length);
        this.warmLabels(model);
      });
    }
  }

  /** warmLabels builds every row's label in small slices after the first paint, so filtering starts fast. */
  private warmLabels(model: TopModel): void {
    const slice = () => {
      if (this.model === model && model.warmLabels(5000)) setTimeout(slice, 0);
    };
    setTimeout(slice, 0);
  }

  private makeRow(): HTMLDivElement {
    const row = h('div', { className: 'top-row', attrs: { role: 'row', id: `top-row-${this.pool.length}` } });
    this.rowsBox.append(row);
    return row;
  }

  private fillRow(el: HTMLDivElement, pos: number): void {
    const model = this.model!;
    const i = this.order[pos];
    const of = this.state.deltaOf;
    el.dataset.row = String(i);
    el.setAttribute('aria-rowindex', String(pos + 2));
    el.classList.toggle('selected', i === this.selectedRow);
    el.setAttribute('aria-selected', String(i === this.selectedRow));
    if (el.childElementCount !== this.columns.length) this.buildCells(el);
    const cells = el.children;
    let c = 0;
    for (const col of this.columns) {
      const cell = cells[c++] as HTMLElement;
      if (!col.format) {
        const link = cell.firstElementChild as HTMLElement;
        const label = model.label(i);
        link.textContent = label;
        link.title = `${isolateName(label)} — ${TEXT.openHint()}`;
        // One Tab stop for the grid: only the selected row's link and buttons are in the Tab order.
        const tabIndex = i === this.selectedRow ? 0 : -1;
        link.tabIndex = tabIndex;
        for (const b of cell.querySelectorAll<HTMLElement>('button')) b.tabIndex = tabIndex;
        continue;
      }
      const { text, sign } = col.format({ model, row: i, running: this.running[pos], of });
      cell.textContent = text;
      cell.classList.toggle('grew', sign > 0);
      cell.classList.toggle('shrank', sign < 0);
    }
  }

  private buildCells(el: HTMLDivElement): void {
    clear(el);
    for (const col of this.columns) {
      if (col.id !== 'name') {
        el.append(h('div', { className: `cell num col-${col.id}`, attrs: { role: 'cell' } }));
        continue;
      }
      const actions = h('span', { className: 'row-actions' });
      for (const [action, icon, label] of [['source', 'go-to-file', l10n.t('Go to source')], ['focus', 'filter', l10n.t('Focus on this function (every view)')], ['ignore', 'circle-slash', l10n.t('Ignore samples through this function (every view)')], ['hide', 'eye-closed', l10n.t('Hide this function from stacks (every view)')]] as const) {
        actions.append(h('button', { className: `icon-button codicon codicon-${icon}`, title: label, attrs: { type: 'button', 'data-action': action, 'aria-label': label } }));
      }
      el.append(h('div', { className: 'cell col-name', attrs: { role: 'cell' } }, h('a', { className: 'source-link', attrs: { 'data-action': 'source', href: '#' } }), actions));
    }
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>('.top-row');
    if (!rowEl?.dataset.row || !this.model) return;
    const i = Number(rowEl.dataset.row);
    const id = this.model.identity(i);
    const action = target.closest<HTMLElement>('[data-action]')?.dataset.action;
    e.preventDefault();
    if (action === 'source') this.actions.openSource(id);
    else if (action === 'focus' || action === 'ignore' || action === 'hide') this.actions.nodeFilter(action, id);
    this.selectedRow = i;
    this.actions.select(id, i);
    this.render();
  }

  private onHeaderClick(e: Event): void {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-column]');
    if (!cell) return;
    const column = cell.dataset.column as TopColumnId;
    const sort = this.state.sort;
    if (sort.column === column) sort.descending = !sort.descending;
    else this.state.sort = { column, descending: true };
    this.refresh(false);
    this.actions.stateChanged();
  }

  private onKey(e: KeyboardEvent): void {
    // Keys on a control inside the table (a row's link or button, a header) are that control's:
    // Enter on "Focus on this function" filters, it does not open the selected row's source.
    if (e.target !== this.scroller || !this.model || this.order.length === 0) return;
    const pos = this.order.indexOf(this.selectedRow);
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 2);
    const moves: Record<string, number> = { ArrowDown: pos + 1, ArrowUp: pos - 1, PageDown: pos + page, PageUp: pos - page, Home: 0, End: this.order.length - 1 };
    if (e.key in moves) {
      const next = Math.max(0, Math.min(this.order.length - 1, pos < 0 && e.key === 'ArrowDown' ? 0 : moves[e.key]));
      const i = this.order[next];
      this.selectedRow = i;
      this.actions.select(this.model.identity(i), i);
      const y = next * ROW_HEIGHT;
      if (y < this.scroller.scrollTop) this.scroller.scrollTop = y;
      else if (y + 2 * ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = y + 2 * ROW_HEIGHT - this.scroller.clientHeight;
      this.render();
      this.actions.announce(this.describeRow(i, next));
      e.preventDefault();
    } else if (e.key === 'Enter' && pos >= 0) {
      this.actions.openSource(this.model.identity(this.selectedRow));
      e.preventDefault();
    }
  }

  /** describeRow is what a screen reader hears when the selection moves to a row: name, then every column. */
  private describeRow(i: number, pos: number): string {
    const model = this.model!;
    const t = model.top;
    const fmt = (v: number) => (t.isDiff ? formatSigned(v, t.unit) : formatValue(v, t.unit));
    const parts = [`${model.label(i)}`, `flat ${fmt(t.flat[i])}`, `cum ${fmt(t.cum[i])}`];
    if (t.isDiff) {
      const of = this.state.deltaOf;
      parts.push(l10n.t('base {0}', formatValue(model.base(i, of), t.unit)), l10n.t('new {0}', formatValue(model.newValue(i, of), t.unit)), `Δ ${formatSignedPercent(model.delta(i, of), model.base(i, of))}`);
    }
    parts.push(l10n.t('row {0} of {1}', formatCount(pos + 1), formatCount(this.order.length)));
    return parts.join(', ');
  }
}
