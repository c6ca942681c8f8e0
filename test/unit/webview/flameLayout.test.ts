import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { flameTree } from '../../../src/core/flamegraph';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { normalizeTree } from '../../../webview/columns';
import { FlameModel, flameStep, hitTest, positionOf } from '../../../webview/flameLayout';

// Flame-graph geometry: widths nest inside parents in both width modes, narrow frames are skipped
// with their subtrees, hit testing finds the frame under a point, a zoom is remembered by path,
// and search reports the share of matching frames without double counting nested matches.

const FIX = join(__dirname, '../../fixtures/profiles/default');
const load = (scenario: string, which: 'base' | 'new') => loadProfileFileSync(`${FIX}/${scenario}/${which}.pb.gz`);
const tree = flameTree({ target: load('compressors', 'new'), base: load('compressors', 'base') }, { sampleIndex: 'inuse_space', granularity: 'lines' });
const model = new FlameModel(tree);

describe('flame layout', () => {
  for (const mode of ['new', 'change'] as const) {
    it(`${mode}: children lie inside their parent, side by side, widest first`, () => {
      const layout = model.layout(mode, 0, 0);
      const pos = new Map<number, number>();
      for (let i = 0; i < layout.count; i++) pos.set(layout.frame[i], i);
      for (let i = 0; i < layout.count; i++) {
        const f = layout.frame[i];
        if (f === 0) { assert.equal(layout.width[i], 1); continue; }
        const p = pos.get(tree.parent[f])!;
        assert.ok(layout.x[i] >= layout.x[p] - 1e-9 && layout.x[i] + layout.width[i] <= layout.x[p] + layout.width[p] + 1e-9, `frame ${f}`);
      }
      for (let f = 0; f < tree.count; f++) {
        const kids = Array.from(model.children(f, mode));
        const w = model.weight(mode);
        for (let k = 1; k < kids.length; k++) assert.ok(w[kids[k - 1]] >= w[kids[k]]);
      }
    });
  }

  it('"new" widths are the new profile\'s values; "change" widths are Σ|Δself| beneath a frame', () => {
    assert.equal(model.weight('new')[0], tree.newCum[0]);
    let gross = 0;
    for (let f = 0; f < tree.count; f++) gross += Math.abs(tree.newSelf[f] - tree.baseSelf[f]);
    assert.equal(model.weight('change')[0], gross);
    assert.ok(model.weight('change')[0] >= Math.abs(tree.newCum[0] - tree.baseCum[0]), 'gross change is at least the net change');
  });

  it('skips frames narrower than the minimum, with their subtrees', () => {
    const full = model.layout('new', 0, 0);
    const coarse = model.layout('new', 0, 0.05);
    assert.ok(coarse.count < full.count);
    for (let i = 0; i < coarse.count; i++) assert.ok(coarse.width[i] >= 0.05);
  });

  it('hit testing finds the frame drawn under a point', () => {
    const layout = model.layout('new', 0, 0.001);
    for (let i = 0; i < layout.count; i += 3) {
      const x = layout.x[i] + layout.width[i] / 2;
      assert.equal(hitTest(layout, x, layout.depth[i]), i);
    }
    assert.equal(hitTest(layout, 0.5, layout.maxDepth + 5), -1);
  });

  it('zooming puts the frame at full width under its ancestors, and a zoom path survives a new tree', () => {
    const layout = model.layout('new', 0, 0);
    const deep = layout.frame[Array.from(layout.depth).indexOf(3)];
    const zoomed = model.layout('new', deep, 0);
    assert.equal(zoomed.zoom, deep);
    const at = Array.from(zoomed.frame).indexOf(deep);
    assert.equal(zoomed.width[at], 1);
    assert.deepEqual(Array.from(zoomed.frame.slice(0, at)), [0, tree.parent[tree.parent[deep]], tree.parent[deep]]);
    const again = new FlameModel(flameTree({ target: load('compressors', 'new'), base: load('compressors', 'base') }, { sampleIndex: 'inuse_space', granularity: 'lines' }));
    assert.equal(again.findPath(model.path(deep)), deep);
    assert.equal(again.findPath([{ name: 'not.there', file: '', line: 0 }]), 0);
  });

  it('search marks matching frames and counts nested matches once', () => {
    const layout = model.layout('new', 0, 0);
    const { matched, share } = model.search(/runtime\.main/, layout, 'new');
    assert.ok(matched.some((m) => m === 1));
    assert.ok(share > 0 && share <= 1);
    const everything = model.search(/./, layout, 'new');
    assert.ok(Math.abs(everything.share - 1) < 1e-9, 'frames matching at every depth still cover 100%');
  });

  it('accepts a tree whose columns arrive as plain arrays', () => {
    const plain = JSON.parse(JSON.stringify(tree, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    const m = new FlameModel(normalizeTree(plain));
    assert.equal(m.layout('change', 0, 0).count, model.layout('change', 0, 0).count);
  });

  it('keyboard steps: up is the caller, down the widest drawn callee, left/right the neighbours on the row', () => {
    const layout = model.layout('new', 0, 0.001);
    let moved = 0;
    for (let i = 0; i < layout.count; i++) {
      const f = layout.frame[i];
      const up = flameStep(layout, i, 'ArrowUp');
      if (f === 0) assert.equal(up, i, 'the root has no caller');
      else assert.equal(layout.frame[up], tree.parent[f], `up from frame ${f}`);
      const down = flameStep(layout, i, 'ArrowDown');
      const drawnKids = Array.from(model.children(f, 'new')).filter((c) => positionOf(layout, c) >= 0);
      if (drawnKids.length === 0) assert.equal(down, i);
      else assert.equal(layout.frame[down], drawnKids[0], `down from frame ${f} goes to its widest callee`);
      const right = flameStep(layout, i, 'ArrowRight');
      assert.equal(layout.depth[right], layout.depth[i]);
      if (right !== i) {
        assert.ok(layout.x[right] > layout.x[i]);
        assert.equal(flameStep(layout, right, 'ArrowLeft'), i, 'left undoes right');
        moved++;
      }
    }
    assert.ok(moved > 5, 'some rows have several frames');
  });
});
