import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregateDiff } from '../../../src/core/aggregate';
import { callGraph } from '../../../src/core/callgraph';
import { keptStacks, walkKeptStacks } from '../../../src/core/callgraphStacks';
import { type WalkedGraph, absTotal, liveNodes, mask, walkGraph } from '../../../src/core/callgraphWalk';
import { compileFilters } from '../../../src/core/filter';
import { type Granularity, NodeTable } from '../../../src/core/nodes';
import { sampleSources } from '../../../src/core/sampleSources';
import { loadProfileFileSync } from '../../../src/node/loadProfile';

// The call graph's trimmed walks read merged stacks projected onto the kept nodes instead of the
// samples. They must give exactly what a walk over the samples with the same nodes kept gives —
// values, edges in creation order, residual and inline flags — for any subset of the projected nodes.

const FIX = join(__dirname, '../../fixtures/profiles/default');

function sourcesOf(scenario: string, granularity: Granularity, sampleIndex: string, filters = {}) {
  const target = loadProfileFileSync(`${FIX}/${scenario}/new.pb.gz`);
  const base = loadProfileFileSync(`${FIX}/${scenario}/base.pb.gz`);
  const nodes = new NodeTable(granularity);
  const { sources } = sampleSources({ target, base }, sampleIndex, nodes, compileFilters(filters));
  return { target, base, nodes, sources: sources.map((s) => ({ ...s, absTotal: absTotal(s.profile, s.valueIndex) })) };
}

function plain(g: WalkedGraph) {
  return { flat: [...g.flat], cum: [...g.cum], baseFlat: [...g.baseFlat], baseCum: [...g.baseCum], edges: g.edges };
}

/** subset picks every `step`-th node of `of` (deterministic, different shapes for different steps). */
function subset(of: number[], step: number, offset: number): number[] {
  return of.filter((_, i) => (i + offset) % step === 0);
}

describe('merged kept stacks walk like the samples', () => {
  const cases: Array<[string, Granularity, string, object]> = [
    ['compressors', 'lines', 'inuse_space', {}],
    ['compressors', 'functions', 'alloc_space', {}],
    ['churn', 'functions', 'alloc_space', {}],
    ['bodies', 'functions', 'alloc_objects', { focus: 'main' }],
    ['shrink', 'lines', 'inuse_objects', { hide: 'runtime' }],
  ];
  for (const [scenario, granularity, sampleIndex, filters] of cases) {
    it(`${scenario} ${granularity} ${sampleIndex} ${JSON.stringify(filters)}`, () => {
      const { nodes, sources } = sourcesOf(scenario, granularity, sampleIndex, filters);
      const all = liveNodes(walkGraph(sources, nodes.count, undefined, -1));
      assert.ok(all.length > 8, `${scenario} has ${all.length} nodes`);
      let compared = 0;
      for (const [step, offset] of [[1, 0], [2, 0], [2, 1], [3, 1]]) {
        const outer = subset(all, step, offset);
        const stacks = keptStacks(sources, mask(nodes.count, outer), -1);
        for (const inner of [outer, subset(outer, 2, 0), subset(outer, 3, 2)]) {
          const keep = mask(nodes.count, inner);
          assert.deepEqual(plain(walkKeptStacks(stacks, nodes.count, keep)), plain(walkGraph(sources, nodes.count, keep, -1)));
          compared++;
        }
      }
      assert.equal(compared, 12);
    });
  }

  it('a focused projection walks like the focused samples', () => {
    const { nodes, sources } = sourcesOf('cache', 'functions', 'inuse_space');
    const all = liveNodes(walkGraph(sources, nodes.count, undefined, -1));
    const focus = all[Math.floor(all.length / 2)];
    const keep = mask(nodes.count, subset(all, 2, 0));
    assert.deepEqual(plain(walkKeptStacks(keptStacks(sources, keep, focus), nodes.count, keep)), plain(walkGraph(sources, nodes.count, keep, focus)));
  });

  it('the view\'s aggregate stands in for the first walk: same graph', () => {
    for (const [scenario, sampleIndex] of [['compressors', 'inuse_space'], ['churn', 'alloc_space'], ['pools', 'alloc_objects']]) {
      const { target, base } = sourcesOf(scenario, 'functions', sampleIndex);
      const agg = aggregateDiff({ base, target }, { sampleIndex });
      for (const nodeFraction of [0, 0.005, 0.05]) {
        const options = { sampleIndex, nodeFraction, nodeCount: 12 };
        const without = callGraph({ target, base }, options);
        assert.ok(without.nodes.length > 0);
        assert.deepEqual(callGraph({ target, base }, { ...options, nodes: agg.nodes, whole: agg }), callGraph({ target, base }, { ...options, nodes: agg.nodes }));
      }
    }
  });
});
