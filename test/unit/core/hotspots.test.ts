import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregateDiff, aggregateProfiles } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { rankedByFlat } from '../../../src/core/hotspots';
import { NodeTable } from '../../../src/core/nodes';
import { sortedNodes } from '../../../src/core/top';
import type { Aggregate } from '../../../src/core/aggregate';

// rankedByFlat sorts only the nodes that can make the first `limit` rows; its answer must be the
// prefix of the full pprof order (|flat|, printable name, |cum|, node) for every limit, ties included.

const FIXTURES = join(__dirname, '../../fixtures/profiles/default');

/** fullRanking is the order rankedByFlat must reproduce: every non-zero flat node, fully sorted. */
function fullRanking(agg: Aggregate): number[] {
  return sortedNodes(agg, 'flat').filter((n) => agg.flat[n] !== 0);
}

function samePrefixes(agg: Aggregate, what: string): void {
  const full = fullRanking(agg);
  for (const limit of [0, 1, 2, 3, 5, 10, 50, full.length - 1, full.length, full.length + 7]) {
    if (limit < 0) continue;
    const { top, ranked } = rankedByFlat(agg, limit);
    assert.equal(ranked, full.length, `${what}: ranked (limit ${limit})`);
    assert.deepEqual(top, full.slice(0, limit), `${what}: first ${limit}`);
  }
}

describe('rankedByFlat', () => {
  it('is the prefix of the full order on every fixture, diff and single, functions and lines', () => {
    const scenarios = readdirSync(FIXTURES).filter((s) => existsSync(join(FIXTURES, s, 'new.pb.gz')));
    assert.ok(scenarios.length >= 5, `fixture scenarios: ${scenarios.join(', ')}`);
    for (const s of scenarios) {
      const base = decodeProfile(new Uint8Array(readFileSync(join(FIXTURES, s, 'base.pb.gz'))));
      const target = decodeProfile(new Uint8Array(readFileSync(join(FIXTURES, s, 'new.pb.gz'))));
      for (const granularity of ['functions', 'lines'] as const) {
        samePrefixes(aggregateDiff({ base, target }, { granularity }), `${s} diff ${granularity}`);
        samePrefixes(aggregateProfiles({ target }, { granularity }), `${s} ${granularity}`);
      }
    }
  });

  it('keeps pprof order among ties at the cut: name, then |cum|, then node', () => {
    const nodes = new NodeTable('lines');
    // Equal |flat| across the cut (5, −5, 5, 5), equal names told apart by line, by |cum|, by node.
    const spec: Array<[string, number, number, number]> = [
      ['z.f', 1, 5, 9], ['a.f', 1, -5, 1], ['m.f', 1, 5, 7], ['a.f', 2, 5, 3], ['b.f', 1, 3, 3],
      ['c.f', 1, -3, 8], ['d.f', 1, 0, 4], ['e.f', 1, 9, 9], ['m.f', 1, 5, 7], ['y.f', 1, 1, 1],
    ];
    const flat = new Float64Array(spec.length);
    const cum = new Float64Array(spec.length);
    spec.forEach(([name, line, f, c], i) => {
      // Pushed directly, not interned: two m.f nodes with equal fields must still be told apart by id.
      const n = nodes.count;
      nodes.name.push(name); nodes.file.push('x.go'); nodes.line.push(line); nodes.address.push(0);
      flat[n] = f; cum[n] = c;
      assert.equal(n, i);
    });
    const agg = { nodes, flat, cum, total: 100, isDiff: false } as unknown as Aggregate;
    samePrefixes(agg, 'ties');
    assert.deepEqual(rankedByFlat(agg, 3).top.map((n) => spec[n][0]), ['e.f', 'a.f', 'a.f']);
  });
});
