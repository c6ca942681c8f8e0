import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { formatPercent, formatSigned, formatSignedPercent, formatValue } from '../../../src/core/format';
import { topColumns } from '../../../src/core/topColumns';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { restorePanelState } from '../../../webview/panelState';
import { TopModel } from '../../../webview/topModel';
import { CELL_PADDING_PX, TOP_COLUMNS, TOP_COLUMN_IDS, gridLayout, shownColumns, topColumn } from '../../../webview/topTableColumns';

// The top table's columns are declared once (webview/topTableColumns.ts): the table, the model's
// sort, the saved state and the grid widths all read that one declaration.

const FIX = join(__dirname, '../../fixtures/profiles/default');
const load = (scenario: string, which: 'base' | 'new') => loadProfileFileSync(`${FIX}/${scenario}/${which}.pb.gz`);
const css = readFileSync(join(__dirname, '../../../media/panel.css'), 'utf8');

describe('top table columns', () => {
  it('declares every column exactly once, in display order', () => {
    assert.deepEqual(TOP_COLUMNS.map((c) => c.id), [...TOP_COLUMN_IDS]);
  });

  it('shows pprof’s five columns and the name for one profile; base, new, Δ, Δ% too when comparing', () => {
    assert.deepEqual(shownColumns(false).map((c) => c.title), ['flat', 'flat%', 'sum%', 'cum', 'cum%', 'name']);
    assert.deepEqual(shownColumns(true).map((c) => c.title), ['flat Δ', 'flat%', 'sum%', 'cum Δ', 'cum%', 'base', 'new', 'Δ', 'Δ%', 'name']);
    assert.ok(shownColumns(true).every((c) => c.tip.length > 0));
  });

  it('sets the grid from the declared widths; the stylesheet only reads the variables', () => {
    assert.deepEqual(gridLayout(false), { columns: '10.5ch 9ch 9ch 10.5ch 9ch minmax(24ch, 1fr)', minWidth: 'calc(72ch + 48px)' });
    assert.deepEqual(gridLayout(true), { columns: '10.5ch 9ch 9ch 10.5ch 9ch 10ch 10ch 10.5ch 8ch minmax(20ch, 1fr)', minWidth: 'calc(106.5ch + 80px)' });
    assert.match(css, /grid-template-columns: var\(--top-columns\)/);
    assert.match(css, /min-width: var\(--top-min-width\)/);
    assert.doesNotMatch(css, /grid-template-columns:[^;]*\dch/, 'no column widths declared in CSS');
    const padding = /\.cell \{\s*padding: 0 (\d+)px;/.exec(css);
    assert.equal(Number(padding?.[1]) * 2, CELL_PADDING_PX, 'the minimum width counts the cells’ padding');
  });

  it('formats a comparison’s cells signed, with the direction for colouring', () => {
    const model = new TopModel(topColumns(aggregateDiff({ base: load('compressors', 'base'), target: load('compressors', 'new') }, { granularity: 'lines' })));
    const t = model.top;
    const row = model.order('flat', true, 'flat')[0];
    const c = { model, row, running: t.flat[row], of: 'flat' as const };
    const cell = (id: Parameters<typeof topColumn>[0]) => topColumn(id).format!(c);
    assert.deepEqual(cell('flat'), { text: formatSigned(t.flat[row], t.unit), sign: Math.sign(t.flat[row]) });
    assert.deepEqual(cell('flatPct'), { text: formatPercent(t.flat[row], t.total).trim(), sign: 0 });
    assert.deepEqual(cell('base'), { text: formatValue(t.baseFlat![row], t.unit), sign: 0 });
    assert.deepEqual(cell('new'), { text: formatValue(t.flat[row] + t.baseFlat![row], t.unit), sign: 0 });
    assert.deepEqual(cell('deltaPct'), { text: formatSignedPercent(t.flat[row], t.baseFlat![row]), sign: Math.sign(t.flat[row]) });
    assert.equal(topColumn('name').format, undefined, 'the name cell is a link the table builds');
  });

  it('formats a single profile’s values unsigned and uncoloured', () => {
    const model = new TopModel(topColumns(aggregate(load('bodies', 'new'))));
    const row = model.order('cum', true, 'flat')[0];
    const cell = topColumn('cum').format!({ model, row, running: 0, of: 'flat' });
    assert.deepEqual(cell, { text: formatValue(model.top.cum[row], model.top.unit), sign: 0 });
  });

  it('every column sorts by its declared key; saved state accepts exactly the declared columns', () => {
    const model = new TopModel(topColumns(aggregateDiff({ base: load('cache', 'base'), target: load('cache', 'new') })));
    for (const col of TOP_COLUMNS) {
      const order = model.order(col.id, true, 'cum');
      assert.equal(order.length, model.top.count, col.id);
      if (!col.sortKey) continue;
      for (let k = 1; k < order.length; k++) assert.ok(col.sortKey(model, order[k - 1], 'cum') >= col.sortKey(model, order[k], 'cum'), `${col.id} at ${k}`);
    }
    for (const id of TOP_COLUMN_IDS) assert.equal(restorePanelState({ version: 1, sort: { column: id } }).sort.column, id);
    assert.equal(restorePanelState({ version: 1, sort: { column: 'bogus' } }).sort.column, 'flat');
  });
});
