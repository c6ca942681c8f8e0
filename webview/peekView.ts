import * as l10n from '@vscode/l10n';
import { formatSigned, formatValue } from '../src/core/format';
import type { PeekRow, PeekTable } from '../src/core/peek';
import { isolateName } from '../src/core/text/nameDisplay';
import { clear, h, iconButton } from './dom';
import { formatCount } from './locale';
import type { NodeIdentity } from './panelState';

// Peek (pprof's -peek): the selected function with its callers above and callees below, each with
// the weight of the call edge — how much of the function's value came from that caller, or went to
// that callee. When comparing, base → new and Δ per edge.

/** PeekActions is what the peek pane asks of the panel. */
export interface PeekActions {
  select(id: NodeIdentity): void;
  openSource(id: NodeIdentity): void;
  focusGraph(id: NodeIdentity): void;
  close(): void;
}

// Visible and spoken strings of this view, in one place (read when used: after init set the language).
const TEXT = {
  open: () => l10n.t('open the source'),
  rowHint: () => l10n.t('click or Space: peek at it · double-click or Enter: open the source'),
  neighbourhood: () => l10n.t('Show this function\'s neighbourhood in the call graph'),
  close: () => l10n.t('Close'),
  callers: (n: number) => l10n.t('Callers ({0})', formatCount(n)),
  callees: (n: number) => l10n.t('Callees ({0})', formatCount(n)),
};

/** PeekView renders a PeekTable. */
export class PeekView {
  constructor(private readonly root: HTMLElement, private readonly actions: PeekActions) {}

  /** clear empties the pane. */
  clear(): void {
    clear(this.root);
    this.root.hidden = true;
  }

  /** render shows one node's callers and callees. */
  render(peek: PeekTable, unit: string, isDiff: boolean): void {
    clear(this.root);
    this.root.hidden = false;
    const id: NodeIdentity = { name: peek.name, file: peek.file, line: peek.line };
    const title = peek.name || (peek.line ? `${peek.file}:${peek.line}` : peek.file);
    const v = (x: number) => formatValue(x, unit);
    const values = isDiff
      ? `cum ${v(peek.baseCum ?? 0)} → ${v((peek.baseCum ?? 0) + peek.cum)} (${formatSigned(peek.cum, unit)}); flat ${formatSigned(peek.flat, unit)}`
      : `flat ${v(peek.flat)}, cum ${v(peek.cum)}`;
    const source = h('a', { className: 'source-link peek-title', text: title, title: `${isolateName(title)} — ${TEXT.open()}`, attrs: { href: '#' } });
    source.addEventListener('click', (e) => { e.preventDefault(); this.actions.openSource(id); });
    this.root.append(
      h('div', { className: 'peek-head' }, source,
        iconButton('type-hierarchy', TEXT.neighbourhood(), () => this.actions.focusGraph(id)),
        iconButton('close', TEXT.close(), () => this.actions.close())),
      h('div', { className: 'muted' }, values),
      this.section(TEXT.callers(peek.callers.length), peek.callers, unit, isDiff),
      this.section(TEXT.callees(peek.callees.length), peek.callees, unit, isDiff));
  }

  private section(title: string, rows: PeekRow[], unit: string, isDiff: boolean): HTMLElement {
    const list = h('table', { className: 'data-table peek-table' });
    const head = isDiff ? [l10n.t('function'), l10n.t('base'), l10n.t('new'), 'Δ'] : [l10n.t('function'), l10n.t('value')];
    list.append(h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { text: t })))));
    const body = h('tbody');
    for (const r of rows.slice(0, 200)) {
      const id: NodeIdentity = { name: r.name, file: r.file, line: r.line };
      const label = r.name || (r.line ? `${r.file}:${r.line}` : r.file) || l10n.t('<unknown>');
      const link = h('a', { className: 'source-link', text: label, title: `${isolateName(label)}${r.inline ? l10n.t(' (inlined)') : ''} — ${TEXT.rowHint()}`, attrs: { href: '#' } });
      link.addEventListener('click', (e) => { e.preventDefault(); this.actions.select(id); });
      // Keyboard: Enter opens the source (what double-click does), Space peeks (what click does).
      link.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        if (e.key === 'Enter') this.actions.openSource(id);
        else this.actions.select(id);
      });
      link.addEventListener('dblclick', (e) => { e.preventDefault(); this.actions.openSource(id); });
      const cells: HTMLElement[] = [h('td', {}, link)];
      if (isDiff) {
        const sign = r.weight > 0 ? 'grew' : r.weight < 0 ? 'shrank' : '';
        cells.push(h('td', { className: 'num', text: formatValue(r.base, unit) }), h('td', { className: 'num', text: formatValue(r.base + r.weight, unit) }), h('td', { className: `num ${sign}`, text: formatSigned(r.weight, unit) }));
      } else {
        cells.push(h('td', { className: 'num', text: formatValue(r.weight, unit) }));
      }
      body.append(h('tr', {}, ...cells));
    }
    if (rows.length === 0) body.append(h('tr', {}, h('td', { className: 'muted', text: l10n.t('none'), attrs: { colspan: String(head.length) } })));
    list.append(body);
    return h('section', { className: 'peek-section' }, h('h3', { text: title }), list);
  }
}
