import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { type FlameTree, flameTree } from '../../../src/core/flamegraph';
import { loadProfileFile } from '../../../src/node/loadProfile';
import { HEAP_TYPES, encodeProfile } from '../../support/profileWriter';

// The flame graph's tree must hold the same numbers as the table: the self values of a function's
// frames add up to its flat, the root holds the total, children never exceed their parent, and a
// comparison carries both profiles so Δ per frame is new − base.

const FIX = join(__dirname, '../../fixtures/profiles/default');
const load = (scenario: string, which: 'base' | 'new') => loadProfileFile(`${FIX}/${scenario}/${which}.pb.gz`);

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
