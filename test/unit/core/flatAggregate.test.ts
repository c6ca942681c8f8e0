import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregateDiff, aggregateProfiles } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { type FlatAggregate, flatAggregate } from '../../../src/core/flatAggregate';
import { leafFlat } from '../../../src/core/leaves';
import type { Filters } from '../../../src/core/filter';
import { HotspotIndex, firstHotspots } from '../../../src/core/hotspots';
import { type Profile, isHeapProfile } from '../../../src/core/model';
import { StackIndex } from '../../../src/core/stackIndex';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../support/profileWriter';

// The tree's first rows come from the samples' leaves (flatAggregate with filters, leafFlat without
// them, then firstHotspots): flat, the totals and the rows' order must be exactly what the full
// aggregation gives, for every sample type, with and without a base, with filters, on the fixtures,
// hand-made stacks (recursion, inlining, locations without lines, hidden leaves) and the shared corpus.

const FIXTURES = join(__dirname, '../../fixtures/profiles');
const CORPUS = join(__dirname, '../../../../shared/corpus');
const read = (path: string): Profile => decodeProfile(new Uint8Array(readFileSync(path)));

/** sameFlat checks flatAggregate against aggregateProfiles for one comparison (or profile) and options. */
function sameFlat(target: Profile, base: Profile | undefined, sampleIndex: string, filters: Filters, what: string): void {
  const full = aggregateProfiles(base ? { target, base } : { target }, { sampleIndex, filters });
  const leaves = flatAggregate(base ? { target, base } : { target }, { sampleIndex, filters });
  assert.equal(leaves.nodes.count, full.nodes.count, `${what}: node count`);
  assert.deepEqual([...leaves.flat], [...full.flat], `${what}: flat`);
  assert.deepEqual(leaves.baseFlat ? [...leaves.baseFlat] : undefined, full.baseFlat ? [...full.baseFlat] : undefined, `${what}: base flat`);
  assert.deepEqual([leaves.total, leaves.newTotal, leaves.baseTotal, leaves.isDiff], [full.total, full.newTotal, full.baseTotal, full.isDiff], `${what}: totals`);
  if (Object.values(filters).some((f) => f)) return;
  // leafFlat has a node table of its own (the leaf functions): compared by name, non-zero values.
  const fromLeaves = leafFlat(base ? { target, base } : { target }, sampleIndex);
  assert.deepEqual(byName(fromLeaves, fromLeaves.flat), byName(full, full.flat), `${what}: leafFlat flat`);
  assert.deepEqual(fromLeaves.baseFlat && byName(fromLeaves, fromLeaves.baseFlat), full.baseFlat && byName(full, full.baseFlat), `${what}: leafFlat base flat`);
  assert.deepEqual([fromLeaves.total, fromLeaves.newTotal, fromLeaves.baseTotal, fromLeaves.isDiff, fromLeaves.sampleType], [full.total, full.newTotal, full.baseTotal, full.isDiff, full.sampleType], `${what}: leafFlat totals`);
}

/** byName lists a value column's non-zero entries as [name, value], sorted by name. */
function byName(agg: Pick<FlatAggregate, 'nodes'>, values: Float64Array): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let n = 0; n < agg.nodes.count; n++) if (values[n] !== 0) out.push([agg.nodes.name[n], values[n]]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** sameRows checks firstHotspots against HotspotIndex.topFunctions: the same rows in order, without cum. */
function sameRows(target: Profile, base: Profile | undefined, sampleIndex: string, what: string): void {
  const profiles = base ? { target, base } : { target };
  const stacks = new StackIndex(profiles, {});
  const full = new HotspotIndex(aggregateProfiles(profiles, { sampleIndex, granularity: 'functions' }), stacks).topFunctions(50);
  const first = firstHotspots(flatAggregate(profiles, { sampleIndex, granularity: 'functions' }), stacks, 50);
  assert.equal(first.more, full.more, `${what}: more`);
  assert.deepEqual(first.rows, full.rows.map(({ cum: _cum, baseCum: _baseCum, ...row }) => row), `${what}: rows`);
  const fromLeaves = firstHotspots(leafFlat(profiles, sampleIndex, (p, column) => stacks.leafSums(p, column)), stacks, 50);
  assert.deepEqual(fromLeaves, first, `${what}: rows from leafFlat`);
}

describe('flatAggregate and firstHotspots', () => {
  const scenarios = readdirSync(join(FIXTURES, 'default')).filter((s) => existsSync(join(FIXTURES, 'default', s, 'new.pb.gz')));

  it('equal the full aggregation on every fixture scenario, sample type and filter', () => {
    assert.ok(scenarios.length >= 5, `fixture scenarios: ${scenarios.join(', ')}`);
    for (const s of scenarios) {
      const base = read(join(FIXTURES, 'default', s, 'base.pb.gz'));
      const target = read(join(FIXTURES, 'default', s, 'new.pb.gz'));
      for (const t of target.sampleTypes.map((x) => x.type)) {
        for (const filters of [{}, { hide: 'runtime' }, { focus: 'main' }, { ignore: 'bytes' }, { show: 'main|bytes' }] as Filters[]) {
          sameFlat(target, base, t, filters, `${s} ${t} diff ${JSON.stringify(filters)}`);
          sameFlat(target, undefined, t, filters, `${s} ${t} ${JSON.stringify(filters)}`);
        }
        sameRows(target, base, t, `${s} ${t} diff`);
        sameRows(target, undefined, t, `${s} ${t}`);
      }
    }
  });

  it('equal it on hand-made stacks: recursion, inlined frames, locations without lines, a zero value', () => {
    const spec: ProfileSpec = {
      sampleTypes: HEAP_TYPES,
      functions: [
        { id: 1, name: 'main.main', file: '/app/main.go' },
        { id: 2, name: 'main.walk', file: '/app/walk.go' },
        { id: 3, name: 'main.alloc', file: '/app/alloc.go' },
        { id: 4, name: 'main.inlined', file: '/app/alloc.go' },
      ],
      locations: [
        { id: 1, lines: [{ functionId: 4, line: 7 }, { functionId: 3, line: 5 }] }, // inlined callee first
        { id: 2, lines: [{ functionId: 2, line: 9 }] },
        { id: 3, lines: [{ functionId: 1, line: 2 }] },
        { id: 4, lines: [] }, // no line: an unknown node
      ],
      samples: [
        { locations: [1, 2, 2, 3], values: [1, 100, 1, 100] },
        { locations: [4, 2, 3], values: [2, 30, 2, 30] },
        { locations: [2, 3], values: [0, 0, 0, 0] },
        { locations: [3], values: [1, 5, 1, 5] },
      ],
    };
    const target = decodeProfile(encodeProfile(spec));
    const base = decodeProfile(encodeProfile({ ...spec, samples: spec.samples.slice(1) }));
    for (const [t] of HEAP_TYPES) {
      for (const filters of [{}, { hide: 'alloc' }, { hide: 'inlined' }, { focus: 'walk' }, { ignore: 'walk' }] as Filters[]) {
        sameFlat(target, base, t, filters, `hand-made ${t} ${JSON.stringify(filters)}`);
      }
      sameRows(target, base, t, `hand-made ${t}`);
    }
    // The inlined callee is the leaf: main.inlined gets the first sample's flat, main.alloc none.
    const leaves = flatAggregate({ target }, { sampleIndex: 'inuse_space' });
    const byName = new Map(Array.from({ length: leaves.nodes.count }, (_, n) => [leaves.nodes.name[n], leaves.flat[n]]));
    assert.equal(byName.get('main.inlined'), 100);
    assert.equal(byName.get('main.alloc') ?? 0, 0);
    assert.equal(aggregateDiff({ base, target }, { sampleIndex: 'inuse_space' }).total, flatAggregate({ base, target }, { sampleIndex: 'inuse_space' }).total);
  });

  const heapCorpus = existsSync(CORPUS)
    ? readdirSync(CORPUS, { recursive: true }).map(String).map((f) => join(CORPUS, f)).filter((f) => statSync(f).isFile() && !/\.(md|string)$/.test(f))
    : [];
  it(`equal it on the shared corpus's heap profiles${heapCorpus.length ? '' : ' — SKIPPING: ../shared/corpus is absent'}`, { skip: heapCorpus.length === 0 ? '../shared/corpus is absent: 0 corpus profiles checked' : false }, () => {
    let checked = 0;
    for (const f of heapCorpus) {
      let p: Profile;
      try { p = read(f); } catch { continue; }
      if (!isHeapProfile(p) || p.samples.count === 0) continue;
      for (const t of p.sampleTypes.map((x) => x.type)) {
        sameFlat(p, undefined, t, {}, `${f} ${t}`);
        sameRows(p, undefined, t, `${f} ${t}`);
      }
      checked++;
    }
    assert.ok(checked >= 5, `only ${checked} heap profiles in the corpus`);
  });
});
