import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregateDiff, aggregateProfiles } from '../../../src/core/aggregate';
import { callGraph } from '../../../src/core/callgraph';
import { decodeProfile } from '../../../src/core/decode';
import { ProfileError } from '../../../src/core/errors';
import { compileFilters } from '../../../src/core/filter';
import { flameTree } from '../../../src/core/flamegraph';
import { NodeTable } from '../../../src/core/nodes';
import { reportTotal, sampleSources, signedSources } from '../../../src/core/sampleSources';
import { HEAP_TYPES, type ProfileSpec, encodeProfile } from '../../support/profileWriter';

// The one "signed sample sources" set-up every view shares: target first with sign +1, base with −1,
// the value column resolved on the target and matched by name in the base, nodes interned target
// first so every view numbers nodes alike.

const fns = [
  { id: 1, name: 'main.main', file: '/app/main.go' },
  { id: 2, name: 'main.alloc', file: '/app/alloc.go' },
  { id: 3, name: 'main.gone', file: '/app/gone.go' },
];
const locs = [
  { id: 1, lines: [{ functionId: 2, line: 5 }] },
  { id: 2, lines: [{ functionId: 1, line: 2 }] },
  { id: 3, lines: [{ functionId: 3, line: 7 }] },
];
const heap = (samples: ProfileSpec['samples'], sampleTypes = HEAP_TYPES) => decodeProfile(encodeProfile({ sampleTypes, functions: fns, locations: locs, samples }));
const target = heap([{ locations: [1, 2], values: [1, 100, 1, 100] }]);
const base = heap([{ locations: [3, 2], values: [2, 40, 2, 40] }]);

describe('signed sample sources', () => {
  it('puts the target first (+1) and the base second (−1), interning the target’s nodes first', () => {
    const nodes = new NodeTable('functions');
    const sources = signedSources({ target, base }, nodes, compileFilters(undefined));
    assert.deepEqual(sources.map((s) => [s.profile === target, s.sign]), [[true, 1], [false, -1]]);
    assert.deepEqual(nodes.name, ['main.alloc', 'main.main', 'main.gone']);
  });

  it('resolves the sample index on the target and finds the same type by name in the base', () => {
    const reordered = heap([{ locations: [3, 2], values: [40, 2, 40, 2] }], [['alloc_space', 'bytes'], ['alloc_objects', 'count'], ['inuse_space', 'bytes'], ['inuse_objects', 'count']]);
    const { sampleType, sources } = sampleSources({ target, base: reordered }, 'inuse_space', new NodeTable('functions'), {});
    assert.equal(sampleType.type, 'inuse_space');
    assert.deepEqual(sources.map((s) => s.valueIndex), [3, 2]);
  });

  it('names what the base has when it lacks the sample type', () => {
    const cpu = heap([{ locations: [1], values: [5] }], [['cpu', 'nanoseconds']]);
    assert.throws(() => sampleSources({ target, base: cpu }, 'inuse_space', new NodeTable('functions'), {}),
      (e: unknown) => e instanceof ProfileError && e.message === 'the base profile has no "inuse_space" values (it has cpu)');
  });

  it('reportTotal is the base total when comparing (unless 0), else the sum', () => {
    assert.equal(reportTotal(100, 40, true), 40);
    assert.equal(reportTotal(100, 0, true), 100);
    assert.equal(reportTotal(100, 0, false), 100);
  });

  it('every view reads a swapped comparison as the negation of the original', () => {
    const forward = aggregateDiff({ base, target }, { sampleIndex: 'inuse_space' });
    const swapped = aggregateDiff({ base: target, target: base }, { sampleIndex: 'inuse_space' });
    const byName = (a: typeof forward) => new Map(a.nodes.name.map((n, i) => [n, a.cum[i]]));
    const f = byName(forward);
    for (const [name, cum] of byName(swapped)) assert.equal(cum, -(f.get(name) ?? 0), name);
    assert.equal(f.get('main.alloc'), 100);
    assert.equal(f.get('main.gone'), -40);
    const graph = callGraph({ target, base }, { sampleIndex: 'inuse_space', nodeFraction: 0 });
    assert.equal(graph.nodes.find((n) => n.name === 'main.main')?.cum, 60);
    assert.equal(graph.total, 40, 'percentages of the base total, as pprof -diff_base');
    const tree = flameTree({ target, base }, { sampleIndex: 'inuse_space' });
    assert.equal(tree.newCum[0], 100);
    assert.equal(tree.baseCum[0], 40);
    assert.equal(aggregateProfiles({ target }).isDiff, false);
  });

  it('does not accept profiles by position (a swap would type-check)', () => {
    // @ts-expect-error a comparison is { base, target }, never two positional profiles
    assert.throws(() => aggregateDiff(base, target));
  });
});
