import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { aggregate } from '../../../../src/core/aggregate';
import { decodeProfile } from '../../../../src/core/decode';
import { ProfileError } from '../../../../src/core/errors';
import { topTable } from '../../../../src/core/top';

// A seeded property test: thousands of mutations of real profiles (bit flips, byte overwrites,
// cuts, splices, duplicated ranges) must each give a result or a clean ProfileError — never another
// exception, and never more than a bounded time. Seed and case count come from the environment so
// a failure can be replayed: HEAPLENS_MUTATION_SEED=… HEAPLENS_MUTATION_CASES=….

const SEED = Number(process.env.HEAPLENS_MUTATION_SEED ?? 20261124);
const CASES = Number(process.env.HEAPLENS_MUTATION_CASES ?? 3000);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const out = Uint8Array.from(src);
  const pick = (n: number) => Math.floor(rand() * n);
  switch (pick(5)) {
    case 0: { for (let i = 0, n = 1 + pick(8); i < n; i++) out[pick(out.length)] ^= 1 << pick(8); return out; }
    case 1: { for (let i = 0, n = 1 + pick(4); i < n; i++) out[pick(out.length)] = pick(256); return out; }
    case 2: return out.subarray(0, pick(out.length));
    case 3: { const a = pick(out.length); const b = pick(out.length); return Uint8Array.from([...out.subarray(0, Math.min(a, b)), ...out.subarray(Math.max(a, b))]); }
    default: { const a = pick(out.length); const len = pick(64); return Uint8Array.from([...out.subarray(0, a), ...out.subarray(a, a + len), ...out.subarray(a)]); }
  }
}

describe('mutated real profiles', () => {
  const fixtures = join(__dirname, '../../../fixtures/profiles/default');
  const seeds = [
    new Uint8Array(gunzipSync(readFileSync(join(fixtures, 'bodies/base.pb.gz')))),
    new Uint8Array(gunzipSync(readFileSync(join(fixtures, 'cache/base.pb.gz')))),
    new Uint8Array(readFileSync(join(fixtures, 'goroutines/base.pb.gz'))),
    new Uint8Array(readFileSync(join(fixtures, 'bodies/base.heap.txt'))),
  ];

  it(`${CASES} mutations (seed ${SEED}) each give a result or a clean ProfileError`, () => {
    const rand = rng(SEED);
    const outcomes = { decoded: 0, rejected: 0 };
    for (let i = 0; i < CASES; i++) {
      const input = mutate(seeds[i % seeds.length], rand);
      const start = Date.now();
      try {
        const p = decodeProfile(input, { maxBytes: 64 * 1048576 });
        if (p.sampleTypes.length > 0) topTable(aggregate(p, { granularity: i % 2 ? 'lines' : 'functions' }));
        outcomes.decoded++;
      } catch (e) {
        if (!(e instanceof ProfileError)) {
          assert.fail(`case ${i} (seed ${SEED}): ${e instanceof Error ? e.stack : String(e)}`);
        }
        assert.ok(!e.message.includes('\n'), `case ${i}: multi-line message`);
        outcomes.rejected++;
      }
      assert.ok(Date.now() - start < 2000, `case ${i} (seed ${SEED}) took ${Date.now() - start} ms`);
    }
    // Both outcomes must occur, or the mutations are not exercising anything.
    assert.ok(outcomes.decoded > CASES / 20 && outcomes.rejected > CASES / 20, JSON.stringify(outcomes));
  });
});
