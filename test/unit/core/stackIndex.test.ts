import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import type { Filters } from '../../../src/core/filter';
import type { Profile } from '../../../src/core/model';
import { StackIndex } from '../../../src/core/stackIndex';
import { collectSites } from '../../../src/core/diagnose/sites';
import { compileFilters } from '../../../src/core/filter';
import { NodeTable } from '../../../src/core/nodes';
import { type ExpandedView, expandView } from '../../../src/core/sampleSources';

// StackIndex answers line-level questions with one stack walk each, instead of a lines aggregate with
// edges. Its answers must be the aggregate's, number for number: checked here for every function
// of real fixture profiles, in comparisons and single profiles, with and without filters.

const FIXTURES = join(__dirname, '../../fixtures');
const load = (scenario: string, which: string) => loadProfileFileSync(join(FIXTURES, 'profiles/default', scenario, `${which}.pb.gz`));

/** check compares every changed function; `shared`: the index reads a lines expansion made (and used by the diagnosis' site walk) outside it, as in the analysis worker. */
function check(target: Profile, base: Profile | undefined, sampleIndex: string, filters: Filters = {}, shared = false): number {
  const opts = { granularity: 'lines' as const, sampleIndex, filters, edges: true };
  const agg = base ? aggregateDiff({ base, target }, opts) : aggregate(target, opts);
  let lines: ExpandedView | undefined;
  if (shared) {
    lines = expandView({ target, base }, new NodeTable('lines'), compileFilters(filters));
    if (base && Object.keys(filters).length === 0) collectSites({ base, target }, { lines });
  }
  const stacks = new StackIndex({ target, base }, filters, lines ? () => lines! : undefined);
  const N = agg.nodes;
  const names = new Set<string>();
  for (let n = 0; n < N.count; n++) if (agg.cum[n] !== 0 || agg.flat[n] !== 0) names.add(N.name[n]);
  for (const name of names) {
    const detail = stacks.functionDetail(name, sampleIndex);
    // Lines: flat and cum of every line node of the function.
    const want = new Map<string, [number, number]>();
    for (let n = 0; n < N.count; n++) {
      if (N.name[n] === name && (agg.flat[n] !== 0 || agg.cum[n] !== 0)) want.set(`${N.file[n]}:${N.line[n]}`, [agg.flat[n], agg.cum[n]]);
    }
    const got = new Map(detail.lines.filter((l) => l.flat !== 0 || l.cum !== 0).map((l) => [`${l.file}:${l.line}`, [l.flat, l.cum] as [number, number]]));
    assert.deepEqual(got, want, `lines of ${name}`);
    // Callers: the aggregate's edges from another function's line into this function, summed per call site.
    const edges = agg.edges!;
    const wantCallers = new Map<string, number>();
    for (let e = 0; e < edges.count; e++) {
      const src = edges.src[e];
      const dst = edges.dst[e];
      if (N.name[dst] !== name || N.name[src] === name) continue;
      const key = `${N.name[src]} ${N.file[src]}:${N.line[src]}`;
      wantCallers.set(key, (wantCallers.get(key) ?? 0) + edges.weight[e]);
    }
    for (const [k, v] of [...wantCallers]) if (v === 0) wantCallers.delete(k);
    const gotCallers = new Map(detail.callers.filter((c) => c.value !== 0).map((c) => [`${c.name} ${c.file}:${c.line}`, c.value]));
    assert.deepEqual(gotCallers, wantCallers, `callers of ${name}`);
    // The line a row opens at: one of the function's lines with the largest |flat|.
    const main = stacks.mainLine(name, sampleIndex);
    const flats = [...want.values()].map(([f]) => Math.abs(f));
    const best = Math.max(0, ...flats);
    if (best > 0) assert.equal(Math.abs(want.get(`${main?.file}:${main?.line}`)?.[0] ?? -1), best, `main line of ${name}`);
  }
  return names.size;
}

describe('StackIndex agrees with the lines aggregate', () => {
  for (const scenario of ['bodies', 'cache', 'goroutines', 'shrink']) {
    it(`${scenario}: comparison, inuse_space and alloc_objects`, () => {
      const base = load(scenario, 'base');
      const target = load(scenario, 'new');
      // Every function whose numbers changed is compared (7 to 19 of them in these scenarios).
      assert.ok(check(target, base, 'inuse_space') >= 5);
      assert.ok(check(target, base, 'alloc_objects') >= 10);
    });
  }

  it('single profile', () => {
    assert.ok(check(load('compressors', 'new'), undefined, 'inuse_space') > 10);
  });

  it('with focus, ignore and hide filters', () => {
    const base = load('bodies', 'base');
    const target = load('bodies', 'new');
    assert.ok(check(target, base, 'inuse_space', { focus: 'main\\.' , ignore: 'warmUp', hide: '^runtime\\.' }) > 3);
    assert.ok(check(target, base, 'alloc_space', { show: '^(main|bytes)\\.' }) > 3);
  });

  it('reading a lines expansion made outside it (the worker\'s view cache, after the diagnosis walked it): the same answers', () => {
    for (const scenario of ['bodies', 'cache']) {
      const base = load(scenario, 'base');
      const target = load(scenario, 'new');
      assert.ok(check(target, base, 'inuse_space', {}, true) >= 5);
      assert.ok(check(target, base, 'alloc_space', { focus: 'main\\.', hide: '^runtime\\.' }, true) > 3);
    }
    assert.ok(check(load('compressors', 'new'), undefined, 'inuse_space', {}, true) > 10);
    // Asked for only when a walk needs it, once; a table of another granularity is refused.
    const base = load('bodies', 'base');
    const target = load('bodies', 'new');
    let asked = 0;
    const stacks = new StackIndex({ target, base }, {}, () => { asked++; return expandView({ target, base }, new NodeTable('lines'), compileFilters({})); });
    stacks.mainLine('main.readBody', 'inuse_space');
    assert.equal(asked, 0, 'the first rows\' lines come from the leaves');
    stacks.functionDetail('main.readBody', 'inuse_space');
    stacks.lineDetail('/tmp/heaplens-build/heapscenarios/handlers.go', 18, ['inuse_space'], 'inuse_space');
    assert.equal(asked, 1);
    const wrong = new StackIndex({ target, base }, {}, () => expandView({ target, base }, new NodeTable('functions'), compileFilters({})));
    assert.throws(() => wrong.functionDetail('main.readBody', 'inuse_space'), /lines expansion/);
  });

  it('lineDetail gives a line\'s numbers for several sample types in one walk', () => {
    const base = load('bodies', 'base');
    const target = load('bodies', 'new');
    const stacks = new StackIndex({ target, base });
    const { totals } = stacks.lineDetail('/tmp/heaplens-build/heapscenarios/handlers.go', 18, ['inuse_space', 'alloc_objects'], 'inuse_space');
    for (const t of ['inuse_space', 'alloc_objects']) {
      const agg = aggregateDiff({ base, target }, { granularity: 'lines', sampleIndex: t });
      let n = 0;
      while (!(agg.nodes.name[n] === 'main.readBody' && agg.nodes.line[n] === 18)) n++;
      assert.equal(totals.get(t)?.cum, agg.cum[n], t);
      assert.equal(totals.get(t)?.baseCum, agg.baseCum![n], t);
      assert.equal(totals.get(t)?.flat, agg.flat[n], t);
    }
    assert.equal(stacks.lineDetail('/nowhere.go', 1, ['inuse_space'], 'inuse_space').totals.get('inuse_space'), undefined);
  });
});

describe('StackIndex.mainLine from the leaves alone', () => {
  // Without filters mainLine sums the leaves per location and never expands the stacks; with any
  // filter (here one that hides nothing) it takes the expanded path. Both must pick the same line
  // — the line of the function with the largest |flat| — for every function of real profiles.
  for (const scenario of ['bodies', 'cache', 'churn', 'compressors', 'goroutines', 'pools', 'shrink']) {
    it(`${scenario}: the same line as the expanded stacks, for every function and sample type`, () => {
      const base = load(scenario, 'base');
      const target = load(scenario, 'new');
      const leaves = new StackIndex({ target, base });
      const expanded = new StackIndex({ target, base }, { hide: '^a function name nobody has$' });
      const names = new Set([...target.functions.name, ...base.functions.name]);
      let found = 0;
      for (const type of target.sampleTypes.map((t) => t.type)) {
        for (const name of names) {
          const got = leaves.mainLine(name, type);
          assert.deepEqual(got, expanded.mainLine(name, type), `${scenario} ${type} ${name}`);
          if (got) found++;
        }
      }
      assert.ok(found >= 3, `${found} functions have a main line`);
    });
  }

  it('gives the same answers after the stacks were expanded (a hover first, then the tree)', () => {
    const base = load('bodies', 'base');
    const target = load('bodies', 'new');
    const index = new StackIndex({ target, base });
    const before = [...new Set(target.functions.name)].map((n) => index.mainLine(n, 'alloc_space'));
    index.functionDetail(target.functions.name[0], 'inuse_space');
    const fresh = new StackIndex({ target, base });
    fresh.functionDetail(target.functions.name[0], 'inuse_space');
    assert.deepEqual([...new Set(target.functions.name)].map((n) => fresh.mainLine(n, 'alloc_space')), before);
  });
});
