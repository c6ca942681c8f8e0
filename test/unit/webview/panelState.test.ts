import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPanelState, restorePanelState, sameNode } from '../../../webview/panelState';
import { diffFill, goPackage, mix, parseColor, readableText } from '../../../webview/theme';

// What the panel restores after hide/show or a window reload comes from storage it does not
// control: a full state round-trips, and anything malformed falls back field by field. Colours
// come from the theme as CSS strings and are mixed into fills whose direction and strength follow Δ.

describe('panel state', () => {
  it('round-trips a full state', () => {
    const s = defaultPanelState();
    s.restore = { newUri: 'file:///w/bad.prof', baseUri: 'file:///w/good.prof', sampleType: 'alloc_space', granularity: 'lines', filters: { focus: 'main' } };
    s.tab = 'flame';
    s.sort = { column: 'deltaPct', descending: false };
    s.deltaOf = 'cum';
    s.tableFilter = 'read';
    s.tableScroll = 440;
    s.selected = { name: 'main.readBody', file: '', line: 0 };
    s.graph = { nodeCount: 40, nodeFraction: 0.01, edgeFraction: 0.002, focus: { name: 'main.ingest', file: '', line: 0 }, view: { x: 10, y: -4, scale: 0.5 } };
    s.flame = { width: 'change', zoom: [{ name: 'runtime.main', file: '', line: 0 }], search: 'bytes' };
    assert.deepEqual(restorePanelState(JSON.parse(JSON.stringify(s))), s);
  });

  it('ignores what it does not understand, keeping the rest', () => {
    const s = restorePanelState({ version: 1, tab: 'bogus', sort: { column: 'evil', descending: false }, tableScroll: -5, graph: { nodeCount: 'x', nodeFraction: 7, edgeFraction: 0.01, view: { x: 1, y: 2, scale: 0 } }, flame: { width: 'weird', zoom: [{ name: 1 }], search: 3 }, tableFilter: 'ok' });
    const d = defaultPanelState();
    assert.equal(s.tab, d.tab);
    assert.deepEqual(s.sort, d.sort);
    assert.equal(s.tableScroll, 0);
    assert.deepEqual(s.graph, { ...d.graph, edgeFraction: 0.01 });
    assert.deepEqual(s.flame, d.flame);
    assert.equal(s.tableFilter, 'ok');
    assert.deepEqual(restorePanelState(undefined), d);
    assert.deepEqual(restorePanelState({ version: 2, tab: 'graph' }), d);
  });

  it('names nodes by identity', () => {
    assert.equal(sameNode({ name: 'a', file: 'f', line: 1 }, { name: 'a', file: 'f', line: 1 }), true);
    assert.equal(sameNode({ name: 'a', file: 'f', line: 1 }, { name: 'a', file: 'f', line: 2 }), false);
    assert.equal(sameNode(undefined, { name: 'a', file: 'f', line: 1 }), false);
  });
});

describe('theme colours', () => {
  const palette = {
    background: { r: 30, g: 30, b: 30 }, foreground: { r: 220, g: 220, b: 220 }, neutral: { r: 60, g: 60, b: 60 },
    growth: { r: 244, g: 135, b: 113 }, shrink: { r: 137, g: 209, b: 133 }, highlight: { r: 156, g: 220, b: 254 }, border: undefined, highContrast: false,
  };

  it('parses the colour strings getComputedStyle returns', () => {
    assert.deepEqual(parseColor('rgb(244, 135, 113)'), { r: 244, g: 135, b: 113 });
    assert.deepEqual(parseColor('rgba(1, 2, 3, 0.5)'), { r: 1, g: 2, b: 3 });
    assert.deepEqual(parseColor('#f48771'), { r: 244, g: 135, b: 113 });
    assert.deepEqual(parseColor('#f4877126'), { r: 244, g: 135, b: 113 });
    assert.deepEqual(parseColor('#abc'), { r: 170, g: 187, b: 204 });
    assert.equal(parseColor('var(--x)'), undefined);
  });

  it('fills grow towards the growth colour for growth, the shrink colour for shrinkage, stronger with |Δ|', () => {
    const dist = (a: { r: number; g: number; b: number }, b: typeof a) => Math.hypot(a.r - b.r, a.g - b.g, a.b - b.b);
    assert.deepEqual(diffFill(palette, 0, 100), palette.neutral);
    const small = diffFill(palette, 10, 100);
    const big = diffFill(palette, 100, 100);
    assert.ok(dist(big, palette.growth) < dist(small, palette.growth));
    assert.ok(dist(diffFill(palette, -50, 100), palette.shrink) < dist(diffFill(palette, -50, 100), palette.growth));
    assert.ok(dist(small, palette.neutral) > 0, 'any change is visible');
    assert.deepEqual(diffFill(palette, 1e9, 100), diffFill(palette, 100, 100), 'clamped');
  });

  it('text on a fill is black or white, whichever reads', () => {
    assert.deepEqual(readableText({ r: 250, g: 250, b: 240 }), { r: 0, g: 0, b: 0 });
    assert.deepEqual(readableText({ r: 20, g: 20, b: 60 }), { r: 255, g: 255, b: 255 });
    assert.deepEqual(mix({ r: 0, g: 0, b: 0 }, { r: 100, g: 200, b: 50 }, 0.5), { r: 50, g: 100, b: 25 });
  });

  it('goPackage finds the package of a Go function name', () => {
    assert.equal(goPackage('github.com/acme/x/pkg.(*T).m'), 'github.com/acme/x/pkg');
    assert.equal(goPackage('bytes.growSlice'), 'bytes');
    assert.equal(goPackage('main.main.func1'), 'main');
  });
});
