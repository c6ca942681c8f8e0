import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AggregateOptions, Aggregation, aggregate, aggregateDiff, aggregateProfiles } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { topTable } from '../../../src/core/top';
import { generateHeapProfile } from '../../bench/generate';
import { givingWay } from '../../support/givingWay';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../support/profileWriter';

// Invariants of flat/cum (pprof-semantics.md §3–5) on hand-made stacks whose answers are obvious.

const fns = [
  { id: 1, name: 'main.main', file: '/app/main.go' },
  { id: 2, name: 'main.walk', file: '/app/walk.go' },
  { id: 3, name: 'main.alloc', file: '/app/alloc.go' },
];
const locs = [
  { id: 1, lines: [{ functionId: 3, line: 5 }] },
  { id: 2, lines: [{ functionId: 2, line: 9 }] },
  { id: 3, lines: [{ functionId: 1, line: 2 }] },
  { id: 4, lines: [{ functionId: 2, line: 11 }] },
];
const spec = (samples: ProfileSpec['samples']): ProfileSpec => ({ sampleTypes: HEAP_TYPES, functions: fns, locations: locs, samples });
const v = (space: number) => [1, space, 1, space];

describe('aggregation', () => {
  const p = decodeProfile(encodeProfile(spec([
    { locations: [1, 2, 4, 2, 3], values: v(100) }, // recursion: walk appears 3 times
    { locations: [2, 3], values: v(30) },
    { locations: [3], values: v(5) },
  ])));

  it('counts cum once per sample even under recursion, flat on the leaf', () => {
    const agg = aggregate(p);
    const byName = new Map(agg.nodes.name.map((n, i) => [n, i]));
    assert.equal(agg.cum[byName.get('main.walk')!], 130);
    assert.equal(agg.flat[byName.get('main.walk')!], 30);
    assert.equal(agg.flat[byName.get('main.alloc')!], 100);
    assert.equal(agg.cum[byName.get('main.main')!], 135);
    assert.equal(agg.total, 135);
  });

  it('Σflat equals the total when every value is positive', () => {
    for (const g of ['functions', 'lines', 'files'] as const) {
      const agg = aggregate(p, { granularity: g });
      assert.equal(agg.flat.reduce((a, b) => a + b, 0), agg.total, g);
    }
  });

  it('diff of a profile with itself is all zero, and pprof drops every row', () => {
    const d = aggregateDiff({ base: p, target: p }, { granularity: 'lines' });
    assert.ok(d.flat.every((x) => x === 0) && d.cum.every((x) => x === 0));
    assert.equal(topTable(d).rows.length, 0);
    assert.equal(d.total, 135, 'the diff total is the base total');
  });

  it('diff is new − base per node, base values carried, percentages of the base total', () => {
    const b = decodeProfile(encodeProfile(spec([{ locations: [2, 3], values: v(30) }, { locations: [3], values: v(5) }])));
    const d = aggregateDiff({ base: b, target: p });
    const t = topTable(d);
    assert.equal(t.total, 35);
    assert.deepEqual(t.rows.map((r) => [r.name, r.flat, r.cum, r.baseFlat, r.baseCum]), [
      ['main.alloc', 100, 100, 0, 0],
      // equal |flat| and |cum|: ordered by name
      ['main.main', 0, 100, 5, 35],
      ['main.walk', 0, 100, 30, 30],
    ]);
  });

  it('sorts like pprof: |flat| desc, then name, then |cum| — negative rows by magnitude', () => {
    const b = decodeProfile(encodeProfile(spec([{ locations: [1, 3], values: v(500) }])));
    const d = aggregateDiff({ base: b, target: p });
    const rows = topTable(d).rows;
    assert.equal(rows[0].name, 'main.alloc');
    assert.equal(rows[0].flat, -400);
  });

  it('focus keeps matching stacks, ignore drops them, hide removes frames; the total stays whole', () => {
    const focus = aggregate(p, { filters: { focus: 'alloc' } });
    assert.equal(focus.total, 135);
    assert.equal(focus.cum[focus.nodes.name.indexOf('main.main')], 100);
    const ignore = aggregate(p, { filters: { ignore: 'alloc' } });
    assert.equal(ignore.cum[ignore.nodes.name.indexOf('main.main')], 35);
    const hide = aggregate(p, { filters: { hide: 'walk' } });
    assert.ok(!hide.nodes.name.includes('main.walk'));
    assert.equal(hide.flat[hide.nodes.name.indexOf('main.main')], 35, 'flat moves to the caller when the leaf is hidden');
    const show = aggregate(p, { filters: { show: 'main\\.main' } });
    assert.deepEqual(topTable(show).rows.map((r) => [r.name, r.flat]), [['main.main', 135]]);
  });

  it('merges functions by name at -functions but not at -filefunctions', () => {
    const two = decodeProfile(encodeProfile({
      sampleTypes: HEAP_TYPES,
      functions: [{ id: 1, name: '(anonymous)', file: '/a.js' }, { id: 2, name: '(anonymous)', file: '/b.js' }],
      locations: [{ id: 1, lines: [{ functionId: 1, line: 1 }] }, { id: 2, lines: [{ functionId: 2, line: 1 }] }],
      samples: [{ locations: [1], values: v(1) }, { locations: [2], values: v(2) }],
    }));
    assert.equal(topTable(aggregate(two)).rows.length, 1);
    assert.equal(topTable(aggregate(two, { granularity: 'filefunctions' })).rows.length, 2);
  });

  it('lines granularity labels rows like pprof: "name file:line"', () => {
    const rows = topTable(aggregate(p, { granularity: 'lines' })).rows;
    assert.equal(rows[0].label, 'main.alloc /app/alloc.go:5');
  });

  it('edgesOf keeps exactly the edges into and out of one node, with the same weights', () => {
    const all = aggregate(p, { edges: true });
    const walk = all.nodes.name.indexOf('main.walk');
    const only = aggregate(p, { edges: true, edgesOf: walk });
    const list = (a: typeof all) => {
      const e = a.edges!;
      const out: string[] = [];
      for (let i = 0; i < e.count; i++) if (e.src[i] === walk || e.dst[i] === walk) out.push(`${e.src[i]}>${e.dst[i]}:${e.weight[i]}`);
      return out.sort();
    };
    assert.deepEqual(list(only), list(all));
    assert.equal(only.edges!.count, list(all).length, 'no other edges are kept');
  });

  it('edges carry caller → callee weights once per sample', () => {
    const agg = aggregate(p, { edges: true });
    const e = agg.edges!;
    const name = (n: number) => agg.nodes.name[n];
    const pairs = new Map<string, number>();
    for (let i = 0; i < e.count; i++) pairs.set(`${name(e.src[i])}->${name(e.dst[i])}`, e.weight[i]);
    assert.equal(pairs.get('main.main->main.walk'), 130);
    assert.equal(pairs.get('main.walk->main.alloc'), 100);
    assert.equal(pairs.get('main.walk->main.walk'), undefined, 'pprof adds no self edges');
  });
});

describe('an aggregation that gives way', () => {
  // The analysis worker keeps an unfinished Aggregation (a prefetch interrupted by a query) and runs
  // it again: it must go on from the sample where it stopped, to the aggregate of a walk never
  // stopped — on the fast walk and on the general one (focus, edges), in both profiles.
  // More than 65,536 samples in the target, so that it stops inside one as well as between the two.
  const target = decodeProfile(generateHeapProfile(70_000, 1, 6).gz);
  const base = decodeProfile(generateHeapProfile(3_000, 0, 6).gz);
  const cases: Array<[string, AggregateOptions]> = [
    ['fast walk, functions', { sampleIndex: 'alloc_space' }],
    ['fast walk, lines', { sampleIndex: 'inuse_space', granularity: 'lines' }],
    ['general walk: focus', { sampleIndex: 'alloc_space', filters: { focus: 'decode' } }],
    ['general walk: edges', { sampleIndex: 'inuse_objects', edges: true }],
  ];
  for (const [name, options] of cases) {
    it(`${name}: each checkpoint reached once more after it stopped there, and the aggregate of a walk never stopped`, () => {
      const expected = aggregateProfiles({ target, base }, options);
      const aggregation = new Aggregation({ target, base }, options);
      const { value, stops, calls } = givingWay((checkpoint) => aggregation.run(checkpoint));
      assert.equal(stops, 3, 'at samples 0 and 65,536 of the target and 0 of the base');
      assert.equal(calls, 6);
      assert.deepEqual({ ...value, nodes: undefined }, { ...expected, nodes: undefined });
      assert.deepEqual(value.nodes.name, expected.nodes.name);
      assert.equal(aggregation.run(), value, 'a finished aggregation answers again');
    });
  }
});
