import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { sortedNodes, topTable } from '../../../src/core/top';
import { nodeStrings, topColumns } from '../../../src/core/topColumns';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { normalizeTop } from '../../../webview/columns';
import { sortByKey } from '../../../webview/radixSort';
import { TopModel, tableFilterRegExp } from '../../../webview/topModel';

// The panel's top table sorts and filters on its own (the host only sends columns). Its default
// order must be go tool pprof's -top order (top.ts, checked against pprof's goldens), and every
// other column must sort the way its header says.

const FIX = join(__dirname, '../../fixtures/profiles/default');
const load = (scenario: string, which: 'base' | 'new') => loadProfileFileSync(`${FIX}/${scenario}/${which}.pb.gz`);

describe('top model', () => {
  const diff = aggregateDiff({ base: load('compressors', 'base'), target: load('compressors', 'new') }, { granularity: 'lines' });
  const model = new TopModel(topColumns(diff));
  const labels = (order: Uint32Array) => Array.from(order, (i) => model.label(i));

  it('sorts by |flat| like go tool pprof -top, ties by name', () => {
    assert.deepEqual(labels(model.order('flat', true, 'flat')), topTable(diff).rows.map((r) => r.label));
  });

  it('sorts by |cum| like go tool pprof -top -cum', () => {
    assert.deepEqual(labels(model.order('cum', true, 'flat')), sortedNodes(diff, 'cum').map((n) => diff.nodes.printableName(n)));
  });

  it('reverses on the second click and keeps ties in name order both ways', () => {
    const down = labels(model.order('flat', true, 'flat'));
    const up = labels(model.order('flat', false, 'flat'));
    const flatOf = new Map(Array.from({ length: model.top.count }, (_, i) => [model.label(i), Math.abs(model.top.flat[i])]));
    for (let k = 1; k < up.length; k++) {
      const a = flatOf.get(up[k - 1])!;
      const b = flatOf.get(up[k])!;
      assert.ok(a < b || (a === b && up[k - 1] < up[k]), `${up[k - 1]} before ${up[k]}`);
    }
    assert.equal(new Set(up).size, down.length);
  });

  it('Δ sorts signed (growth first, shrinkage last) and Δ% puts new sites first', () => {
    const order = model.order('delta', true, 'flat');
    const deltas = Array.from(order, (i) => model.delta(i, 'flat'));
    for (let k = 1; k < deltas.length; k++) assert.ok(deltas[k - 1] >= deltas[k]);
    const pct = model.order('deltaPct', true, 'cum');
    const first = pct[0];
    assert.equal(model.base(first, 'cum'), 0, 'a site absent from the base grew infinitely');
    assert.ok(model.delta(first, 'cum') > 0);
  });

  it('base + Δ is the new profile\'s own value', () => {
    const alone = aggregate(load('compressors', 'new'), { granularity: 'lines' });
    const byLabel = new Map(Array.from({ length: alone.nodes.count }, (_, n) => [alone.nodes.printableName(n), n]));
    for (let i = 0; i < model.top.count; i++) {
      const n = byLabel.get(model.label(i));
      assert.equal(model.newValue(i, 'cum'), n === undefined ? 0 : alone.cum[n], model.label(i));
    }
  });

  it('sorts names A→Z first', () => {
    const names = labels(model.order('name', true, 'flat'));
    assert.deepEqual(names, [...names].sort());
  });

  it('filters rows by regex over the printable name, and sum% runs over what is shown', () => {
    const { regex } = tableFilterRegExp('compress/flate');
    const order = model.order('flat', true, 'flat', regex);
    assert.ok(order.length > 0 && order.length < model.top.count);
    assert.ok(labels(order).every((l) => l.includes('compress/flate')));
    const running = model.runningFlat(order);
    assert.equal(running[running.length - 1], Array.from(order, (i) => model.top.flat[i]).reduce((a, b) => a + b, 0));
  });

  it('filter text: case-insensitive unless it has a capital; a bad regex matches literally and says so', () => {
    assert.equal(tableFilterRegExp('readbody').regex!.test('main.readBody'), true);
    assert.equal(tableFilterRegExp('ReadBody').regex!.test('main.readBody'), false);
    const bad = tableFilterRegExp('(*Buffer');
    assert.match(bad.error!, /not a regular expression/);
    assert.equal(bad.regex!.test('bytes.(*Buffer).grow'), true);
    assert.deepEqual(tableFilterRegExp('  '), {});
  });

  it('finds rows by identity and by node id, so selections survive a new view', () => {
    const i = model.order('flat', true, 'flat')[0];
    const id = model.identity(i);
    const again = new TopModel(topColumns(aggregateDiff({ base: load('compressors', 'base'), target: load('compressors', 'new') }, { granularity: 'lines' })));
    assert.equal(again.label(again.rowOf(id)), model.label(i));
    assert.equal(model.rowOfNode(model.top.node[i]), i);
    assert.equal(model.rowOf({ name: 'nope', file: '', line: 0 }), -1);
  });

  it('gives the same orders with the host\'s name ranks as with its own name sort', () => {
    const ranked = new TopModel(topColumns(diff, nodeStrings(diff.nodes)));
    assert.ok(ranked.top.labelRank);
    for (let i = 0; i < ranked.top.count; i++) assert.equal(ranked.label(i), model.label(i), 'same rows, same strings');
    for (const column of ['flat', 'cum', 'delta', 'deltaPct', 'base', 'name'] as const) {
      for (const descending of [true, false]) {
        assert.deepEqual(Array.from(ranked.order(column, descending, 'cum'), (i) => ranked.label(i)), labels(model.order(column, descending, 'cum')), `${column} ${descending}`);
      }
    }
  });

  it('accepts columns that arrive as plain arrays (a JSON transport)', () => {
    const plain = JSON.parse(JSON.stringify(topColumns(diff), (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    const m = new TopModel(normalizeTop(plain));
    assert.deepEqual(labels(model.order('cum', true, 'flat')), Array.from(m.order('cum', true, 'flat'), (i) => m.label(i)));
  });
});

describe('radix sort', () => {
  it('orders like a comparator sort, stable, for negatives, zeros, infinities and ties', () => {
    let seed = 3;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    const specials = [0, -0, Infinity, -Infinity, 1e300, -1e300, 5e-324, -5e-324, 0.1, -0.1];
    const keys = Float64Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? specials[i % specials.length] : Math.round((rand() - 0.5) * 200) * (i % 3 ? 1 : 1e6)));
    const rows = Uint32Array.from({ length: keys.length }, (_, i) => keys.length - 1 - i);
    for (const descending of [false, true]) {
      const want = Array.from(rows).map((r, pos) => ({ r, pos })).sort((a, b) => {
        const ka = keys[a.r] + 0;
        const kb = keys[b.r] + 0;
        if (ka !== kb) return descending ? kb - ka || (kb > ka ? 1 : -1) : ka - kb || (ka > kb ? 1 : -1);
        return a.pos - b.pos;
      }).map((x) => x.r);
      assert.deepEqual(Array.from(sortByKey(keys, rows, descending)), want, descending ? 'descending' : 'ascending');
    }
  });

  it('handles empty and single-row inputs', () => {
    assert.deepEqual(Array.from(sortByKey(new Float64Array(0), new Uint32Array(0), true)), []);
    assert.deepEqual(Array.from(sortByKey(Float64Array.of(4), Uint32Array.of(0), false)), [0]);
  });
});
