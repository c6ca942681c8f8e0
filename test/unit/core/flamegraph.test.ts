import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { type FlameTree, flameTree } from '../../../src/core/flamegraph';
import { compileFilters } from '../../../src/core/filter';
import { StackNumbering, stackIds } from '../../../src/core/flameTables';
import { NodeTable } from '../../../src/core/nodes';
import { expandView } from '../../../src/core/sampleSources';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { generateHeapProfile } from '../../bench/generate';
import { givingWay } from '../../support/givingWay';
import { HEAP_TYPES, encodeProfile } from '../../support/profileWriter';

// The flame graph's tree must hold the same numbers as the table: the self values of a function's
// frames add up to its flat, the root holds the total, children never exceed their parent, and a
// comparison carries both profiles so Δ per frame is new − base.

const FIX = join(__dirname, '../../fixtures/profiles/default');
const load = (scenario: string, which: 'base' | 'new') => loadProfileFileSync(`${FIX}/${scenario}/${which}.pb.gz`);

function selfByNode(t: FlameTree, which: 'new' | 'base'): Map<string, number> {
  const self = which === 'new' ? t.newSelf : t.baseSelf;
  const out = new Map<string, number>();
  for (let f = 1; f < t.count; f++) {
    const name = t.nodeName[t.node[f]];
    out.set(name, (out.get(name) ?? 0) + self[f]);
  }
  return out;
}

describe('flame tree', () => {
  for (const scenario of ['bodies', 'cache', 'shrink']) {
    it(`${scenario}: frame self values add up to the table's flat, for base and new`, () => {
      const base = load(scenario, 'base');
      const target = load(scenario, 'new');
      const tree = flameTree({ target, base }, { sampleIndex: 'inuse_space' });
      const diff = aggregateDiff({ base, target }, { sampleIndex: 'inuse_space' });
      const newSelf = selfByNode(tree, 'new');
      const baseSelf = selfByNode(tree, 'base');
      for (let n = 0; n < diff.nodes.count; n++) {
        const name = diff.nodes.name[n];
        assert.equal((newSelf.get(name) ?? 0) - (baseSelf.get(name) ?? 0), diff.flat[n], name);
        assert.equal(baseSelf.get(name) ?? 0, diff.baseFlat![n], name);
      }
      assert.equal(tree.total, diff.total, 'percentages use the base total like pprof');
    });
  }

  it('a view\'s expanded sources and stack numbers, made once, give the tree a fresh build gives', () => {
    for (const [scenario, sampleIndex, granularity] of [['compressors', 'alloc_space', 'lines'], ['cache', 'inuse_space', 'functions']] as const) {
      const profiles = { target: load(scenario, 'new'), base: load(scenario, 'base') };
      const expanded = expandView(profiles, new NodeTable(granularity), compileFilters({}));
      const ids = stackIds(expanded.sources);
      assert.ok(ids.count > 1 && ids.count <= profiles.target.samples.count + profiles.base.samples.count);
      for (const minFraction of [0, 0.005, 0.05]) {
        const plain = flameTree(profiles, { sampleIndex, granularity, minFraction });
        const reused = flameTree(profiles, { sampleIndex, granularity, minFraction, nodes: expanded.nodes, expanded, stackIds: ids });
        assert.deepEqual(reused, plain, `${scenario} ${minFraction}`);
      }
    }
  });

  it('the root holds every sample, children never exceed their parent, and cum = self + Σ children', () => {
    const t = flameTree({ target: load('compressors', 'new'), base: load('compressors', 'base') }, { sampleIndex: 'alloc_space' });
    const agg = aggregate(load('compressors', 'new'), { sampleIndex: 'alloc_space' });
    assert.equal(t.newCum[0], agg.newTotal);
    for (const [cum, self] of [[t.newCum, t.newSelf], [t.baseCum, t.baseSelf]] as const) {
      const children = new Float64Array(t.count);
      for (let f = 1; f < t.count; f++) {
        assert.ok(t.parent[f] < f, 'parents come first');
        children[t.parent[f]] += cum[f];
      }
      for (let f = 0; f < t.count; f++) assert.ok(Math.abs(cum[f] - self[f] - children[f]) < 1e-6, `frame ${f}`);
    }
  });

  it('keeps recursion as nested frames and merges identical paths', () => {
    const fns = [{ id: 1, name: 'main.main', file: 'm.go' }, { id: 2, name: 'main.walk', file: 'w.go' }, { id: 3, name: 'main.alloc', file: 'a.go' }];
    const locs = fns.map((f) => ({ id: f.id, lines: [{ functionId: f.id, line: 1 }] }));
    const p = decodeProfile(encodeProfile({
      sampleTypes: HEAP_TYPES, functions: fns, locations: locs,
      samples: [{ locations: [3, 2, 2, 1], values: [1, 10, 1, 10] }, { locations: [3, 2, 2, 1], values: [1, 5, 1, 5] }, { locations: [2, 1], values: [1, 7, 1, 7] }],
    }));
    const t = flameTree({ target: p });
    const path = (f: number): string[] => (f === 0 ? [] : [...path(t.parent[f]), t.nodeName[t.node[f]]]);
    const frames = Array.from({ length: t.count - 1 }, (_, i) => `${path(i + 1).join('>')}=${t.newCum[i + 1]}/${t.newSelf[i + 1]}`);
    assert.deepEqual(frames, ['main.main=22/0', 'main.main>main.walk=22/7', 'main.main>main.walk>main.walk=15/0', 'main.main>main.walk>main.walk>main.alloc=15/15']);
    assert.equal(t.isDiff, false);
  });

  it('applies the session filters: focus keeps only matching stacks, hide removes frames', () => {
    const target = load('bodies', 'new');
    const all = flameTree({ target }, { sampleIndex: 'inuse_space' });
    const focused = flameTree({ target }, { sampleIndex: 'inuse_space', filters: { focus: 'readBody' } });
    assert.ok(focused.newCum[0] < all.newCum[0]);
    assert.ok(Array.from(focused.node).every((n, f) => f === 0 || !!focused.nodeName[n]));
    const hidden = flameTree({ target }, { sampleIndex: 'inuse_space', filters: { hide: '^runtime\\.' } });
    assert.ok(!Array.from(hidden.node).some((n, f) => f > 0 && hidden.nodeName[n].startsWith('runtime.')));
    assert.equal(hidden.newCum[0], all.newCum[0], 'hiding frames keeps their samples');
  });
});

describe('flame tree from merged stacks', () => {
  // With the view's stack numbers, the samples of one node stack (in either profile) are walked as
  // one entry. The tree must be the one a per-sample build gives: same frames in the same order,
  // same inlined flags, same numbers; only `trimmed` (a sum of proportional weights) may differ in
  // its last bits. Hand-made stacks cover what merging could get wrong: one node stack reached
  // through different locations (lines, addresses), once inlined and once called; the same stack in
  // both profiles and several times in one; negative, mixed and zero values; a stack left empty by
  // hide; focus and ignore selecting some samples of a stack.
  const functions = ['main.main', 'main.handler', 'main.parse', 'main.inl', 'main.alloc', 'runtime.mallocgc']
    .map((name, i) => ({ id: i + 1, name, file: name.startsWith('runtime') ? 'runtime/malloc.go' : 'app/main.go' }));
  const locations = [
    { id: 1, address: 0x10, lines: [{ functionId: 1, line: 10 }] },
    { id: 2, address: 0x11, lines: [{ functionId: 1, line: 11 }] },
    { id: 3, address: 0x20, lines: [{ functionId: 2, line: 20 }] },
    { id: 4, address: 0x21, lines: [{ functionId: 2, line: 21 }] },
    { id: 5, address: 0x30, lines: [{ functionId: 4, line: 40 }, { functionId: 3, line: 30 }] },
    { id: 6, address: 0x31, lines: [{ functionId: 3, line: 31 }] },
    { id: 7, address: 0x41, lines: [{ functionId: 4, line: 41 }] },
    { id: 8, address: 0x50, lines: [{ functionId: 5, line: 50 }] },
    { id: 9, address: 0x60, lines: [{ functionId: 6, line: 60 }] },
    { id: 10, address: 0x51, lines: [{ functionId: 5, line: 50 }] },
  ];
  const stacks = {
    a: [8, 5, 3, 1], // alloc ← parse (inl inlined) ← handler ← main
    b: [8, 5, 4, 2], // the same functions through other lines
    c: [8, 7, 6, 3, 1], // the same functions, inl called (not inlined)
    d: [9], // runtime only: empty once runtime is hidden
    e: [10, 3, 1], // alloc ← handler ← main, another address of alloc's line
    f: [8, 3, 1],
    g: [9, 8, 6, 4, 2],
  };
  const v = (x: number): number[] => [x, x * 16, x, x * 16];
  const spec = (samples: Array<[keyof typeof stacks, number[]]>) => decodeProfile(encodeProfile({
    sampleTypes: HEAP_TYPES, functions, locations, samples: samples.map(([k, values]) => ({ locations: stacks[k], values })),
  }));
  const target = spec([['a', v(3)], ['c', v(5)], ['b', v(2)], ['d', v(7)], ['e', [-4, 64, -4, 0]], ['f', v(1)], ['e', [6, -32, 2, 0]], ['g', v(9)], ['a', v(1)]]);
  const base = spec([['b', v(4)], ['g', v(2)], ['e', v(3)], ['d', [0, 16, 0, 16]], ['c', v(-1)], ['f', [5, 80, 0, 0]]]);

  /** same asserts two trees are equal, `trimmed` to a relative 1e-12. */
  const same = (merged: FlameTree, plain: FlameTree, what: string) => {
    assert.deepEqual({ ...merged, trimmed: undefined }, { ...plain, trimmed: undefined }, what);
    const scale = Math.max(1, Math.abs(plain.newCum[0]) + Math.abs(plain.baseCum[0]));
    for (let f = 0; f < plain.count; f++) assert.ok(Math.abs(merged.trimmed[f] - plain.trimmed[f]) <= 1e-12 * scale, `${what}: trimmed of frame ${f}`);
  };

  it('gives the per-sample tree at every granularity, sample type, filter, trim and zoom', () => {
    const filterSets = [{}, { hide: '^runtime\\.' }, { focus: 'inl' }, { ignore: 'main\\.parse' }, { hide: '^main\\.' }];
    let merges = 0;
    for (const granularity of ['functions', 'lines', 'files', 'addresses'] as const) {
      for (const filters of filterSets) {
        for (const profiles of [{ target, base }, { target: base, base: target }]) {
          const expanded = expandView(profiles, new NodeTable(granularity), compileFilters(filters));
          const ids = stackIds(expanded.sources);
          if (ids.count < profiles.target.samples.count + profiles.base.samples.count) merges++;
          const main = expanded.nodes.name.indexOf('main.main');
          for (const sampleIndex of HEAP_TYPES.map(([t]) => t)) {
            for (const [minFraction, zoom] of [[0, []], [0.2, []], [0.45, []], [0.2, main >= 0 ? [main] : []]] as const) {
              const what = `${granularity} ${JSON.stringify(filters)} ${sampleIndex} ${minFraction} [${zoom.join()}]`;
              const plain = flameTree(profiles, { sampleIndex, granularity, filters, minFraction, zoom });
              const merged = flameTree(profiles, { sampleIndex, granularity, filters, minFraction, zoom, nodes: expanded.nodes, expanded, stackIds: ids });
              same(merged, plain, what);
              // Untrimmed, every frame's cum is its self plus its callees' cum (the root's self holds
              // the stacks a filter emptied), in both profiles.
              if (minFraction === 0 && zoom.length === 0) {
                for (const [cum, self] of [[merged.newCum, merged.newSelf], [merged.baseCum, merged.baseSelf]] as const) {
                  const below = new Float64Array(merged.count);
                  for (let f = 1; f < merged.count; f++) below[merged.parent[f]] += cum[f];
                  for (let f = 0; f < merged.count; f++) assert.equal(cum[f], self[f] + below[f], `${what}: frame ${f}`);
                }
              }
            }
          }
        }
      }
    }
    assert.ok(merges > 20, `${merges} views had stacks to merge`);
  });

  it('gives the per-sample tree on generated service-like pairs', () => {
    for (const seed of [3, 11]) {
      const profiles = { target: decodeProfile(generateHeapProfile(3_000, 1, seed).gz), base: decodeProfile(generateHeapProfile(3_000, 0, seed).gz) };
      for (const granularity of ['functions', 'lines'] as const) {
        const expanded = expandView(profiles, new NodeTable(granularity), compileFilters({}));
        const ids = stackIds(expanded.sources);
        assert.ok(ids.count < profiles.target.samples.count + profiles.base.samples.count, 'the two profiles share stacks');
        for (const minFraction of [0, 1 / 500]) {
          const plain = flameTree(profiles, { sampleIndex: 'alloc_space', granularity, minFraction });
          const merged = flameTree(profiles, { sampleIndex: 'alloc_space', granularity, minFraction, nodes: expanded.nodes, expanded, stackIds: ids });
          same(merged, plain, `seed ${seed} ${granularity} ${minFraction}`);
        }
      }
    }
  });
});

describe('stack numbers', () => {
  it('a numbering stopped at its checkpoints goes on from where it stopped, to the numbers of one never stopped', () => {
    // More than 65,536 samples in a profile, so that it stops inside one as well as between the two.
    const profiles = { target: decodeProfile(generateHeapProfile(70_000, 1, 9).gz), base: decodeProfile(generateHeapProfile(3_000, 0, 9).gz) };
    const { sources } = expandView(profiles, new NodeTable('functions'), compileFilters({}));
    const expected = stackIds(sources);
    const numbering = new StackNumbering(sources);
    const { value, stops, calls } = givingWay((checkpoint) => numbering.run(checkpoint));
    assert.deepEqual(value, expected);
    assert.equal(stops, 3, 'at samples 0 and 65,536 of the target and 0 of the base');
    assert.equal(calls, 6, 'each checkpoint is reached once more after it stopped there, no earlier one');
    assert.deepEqual(numbering.run(), expected, 'a finished numbering answers again');
  });
});

describe('flame tree trimmed to what can be drawn', () => {
  // Generated profiles (the benchmark's generator): thousands of distinct deep stacks, as in a big
  // service, and two variants that diff like two snapshots.
  const base = decodeProfile(generateHeapProfile(20_000, 0, 7).gz);
  const target = decodeProfile(generateHeapProfile(20_000, 1, 7).gz);
  const full = flameTree({ target, base }, { sampleIndex: 'inuse_space' });
  const pathKey = (t: FlameTree, f: number): string => (f === 0 ? '' : `${pathKey(t, t.parent[f])}>${t.nodeName[t.node[f]]}`);
  const index = (t: FlameTree) => new Map(Array.from({ length: t.count }, (_, f) => [pathKey(t, f), f]));
  const fullIndex = index(full);
  const changeWidth = (t: FlameTree): Float64Array => {
    const w = new Float64Array(t.count);
    for (let f = t.count - 1; f >= 0; f--) {
      w[f] += Math.abs(t.newSelf[f] - t.baseSelf[f]) + t.trimmed[f];
      if (f > 0) w[t.parent[f]] += w[f];
    }
    return w;
  };

  it('keeps every frame at least minFraction wide in width "change", each exactly as wide as in the full tree', () => {
    const fraction = 1 / 2000;
    const trimmed = flameTree({ target, base }, { sampleIndex: 'inuse_space', minFraction: fraction });
    const kept = index(trimmed);
    const fullChange = changeWidth(full);
    const drawn = changeWidth(trimmed);
    let wide = 0;
    for (let g = 1; g < full.count; g++) {
      if (fullChange[g] < fraction * fullChange[0]) continue;
      wide++;
      const f = kept.get(pathKey(full, g));
      assert.ok(f !== undefined, `${pathKey(full, g)} is wide in change but was left out`);
      assert.ok(Math.abs(drawn[f] - fullChange[g]) <= 1e-9 * fullChange[0], `change width of ${pathKey(full, g)}`);
    }
    assert.ok(wide > 100, `${wide} frames wide in change`);
  });

  it('is a real reduction, and every frame kept has the full tree\'s exact numbers', () => {
    const fraction = 1 / 2000;
    const trimmed = flameTree({ target, base }, { sampleIndex: 'inuse_space', minFraction: fraction });
    assert.ok(full.trim.dropped === 0 && trimmed.trim.dropped > 0);
    assert.ok(trimmed.count * 4 < full.count, `${trimmed.count} of ${full.count} frames`);
    for (let f = 0; f < trimmed.count; f++) {
      const g = fullIndex.get(pathKey(trimmed, f));
      assert.ok(g !== undefined, 'a kept frame is a path of the full tree');
      for (const col of ['newCum', 'baseCum', 'newSelf', 'baseSelf'] as const) assert.equal(trimmed[col][f], full[col][g], `${col} of ${pathKey(trimmed, f)}`);
    }
    assert.equal(trimmed.total, full.total);
  });

  it('keeps every frame at least minFraction wide in width "new", and accounts for the rest in `trimmed`', () => {
    const fraction = 1 / 2000;
    const trimmed = flameTree({ target, base }, { sampleIndex: 'inuse_space', minFraction: fraction });
    const kept = index(trimmed);
    for (let g = 1; g < full.count; g++) {
      if (full.newCum[g] >= fraction * full.newCum[0]) assert.ok(kept.has(pathKey(full, g)), `${pathKey(full, g)} is drawable but was left out`);
    }
    // trimmed[f] = the change width (Σ|Δself| over the subtree) of f's callees not in the trimmed tree.
    const fullChange = changeWidth(full);
    const expected = new Float64Array(trimmed.count);
    for (let g = 1; g < full.count; g++) {
      if (kept.has(pathKey(full, g))) continue;
      const parent = kept.get(pathKey(full, full.parent[g]));
      if (parent !== undefined) expected[parent] += fullChange[g];
    }
    for (let f = 0; f < trimmed.count; f++) assert.ok(Math.abs(trimmed.trimmed[f] - expected[f]) < 1e-3, `trimmed of ${pathKey(trimmed, f)}`);
  });

  it('zoomed: the path to the zoomed frame, then its callees trimmed relative to it', () => {
    // The widest grandchild of the root, and the nodes on its path.
    let zoom = -1;
    for (let f = 1; f < full.count; f++) if (full.parent[f] > 0 && full.parent[full.parent[f]] === 0 && (zoom < 0 || full.newCum[f] > full.newCum[zoom])) zoom = f;
    const path = [full.parent[zoom], zoom].map((f) => full.nodeName[full.node[f]]);
    const nodes = new NodeTable('functions');
    const ids = () => path.map((name) => nodes.name.indexOf(name));
    // Intern the view's nodes first (as the worker does with the cached aggregate's table).
    flameTree({ target, base }, { sampleIndex: 'inuse_space', nodes });
    const fraction = 1 / 500;
    const z = flameTree({ target, base }, { sampleIndex: 'inuse_space', nodes, minFraction: fraction, zoom: ids() });
    assert.equal(pathKey(z, z.trim.zoom), pathKey(full, zoom));
    assert.equal(z.newCum[z.trim.zoom], full.newCum[zoom]);
    const kept = index(z);
    let inside = 0;
    for (let g = 1; g < full.count; g++) {
      const key = pathKey(full, g);
      const under = key.startsWith(`${pathKey(full, zoom)}>`);
      if (!under && g !== zoom && !pathKey(full, zoom).startsWith(key)) assert.ok(!kept.has(key), `${key} is outside the zoom`);
      if (under && full.newCum[g] >= fraction * full.newCum[zoom]) { inside++; assert.ok(kept.has(key), `${key} is drawable in the zoom`); }
    }
    assert.ok(inside > 10, `${inside} frames under the zoom`);
  });

  it('a zoom path that no longer exists stops where it breaks', () => {
    const nodes = new NodeTable('functions');
    flameTree({ target }, { sampleIndex: 'inuse_space', nodes });
    const t = flameTree({ target }, { sampleIndex: 'inuse_space', nodes, minFraction: 1 / 1000, zoom: [nodes.count + 5] });
    assert.equal(t.trim.zoom, 0);
    assert.ok(t.count > 1);
  });
});
