import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import type { Profile } from '../../../src/core/model';
import type { Granularity } from '../../../src/core/nodes';
import { topTable } from '../../../src/core/top';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { readGolden } from '../../support/pprofGolden';

// Every committed `go tool pprof -top -unit=B -nodefraction=0 -nodecount=1000000` output
// (test/fixtures/golden, written by scripts/gen-fixtures.sh from real Go programs) is compared
// with heaplens row by row: same rows, same order, same names, same flat and cum, same total.

const FIXTURES = join(__dirname, '../../fixtures');
const SAMPLE_TYPES = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'];
// Every build folder (default, trimpath, and the service builds: replace, vendor, gopath, each
// also -trimpath) and every scenario in it; legacy text goldens exist for builds without -trimpath.
const builds = readdirSync(join(FIXTURES, 'profiles')).sort();
const scenariosOf = (build: string) => readdirSync(join(FIXTURES, 'profiles', build)).sort();
const textBuilds = builds.filter((b) => b !== 'trimpath' && !b.endsWith('-trimpath'));

const cache = new Map<string, Profile>();
const load = (path: string) => {
  let p = cache.get(path);
  if (!p) { p = loadProfileFileSync(path); cache.set(path, p); }
  return p;
};

describe('heaplens top equals go tool pprof -top on every golden', () => {
  it('has goldens for every build × scenario', () => {
    assert.ok(builds.includes('default') && builds.includes('trimpath'), `builds: ${builds}`);
    assert.ok(scenariosOf('default').length >= 6, `scenarios: ${scenariosOf('default')}`);
    for (const build of builds) assert.ok(existsSync(join(FIXTURES, 'golden', build)), `golden/${build}`);
  });
  for (const build of builds) {
    for (const scenario of scenariosOf(build)) {
      it(`${build}/${scenario}: base, new and diff × 4 sample types × functions, lines`, () => {
        const dir = join(FIXTURES, 'profiles', build, scenario);
        const base = load(join(dir, 'base.pb.gz'));
        const target = load(join(dir, 'new.pb.gz'));
        let compared = 0;
        for (const which of ['base', 'new', 'diff'] as const) {
          for (const sampleIndex of SAMPLE_TYPES) {
            for (const granularity of ['functions', 'lines'] as Granularity[]) {
              const goldenPath = join(FIXTURES, 'golden', build, scenario, `${which}.${sampleIndex}.${granularity}.txt`);
              const golden = readGolden(goldenPath);
              const opts = { granularity, sampleIndex };
              const agg = which === 'diff' ? aggregateDiff({ base, target }, opts) : aggregate(which === 'base' ? base : target, opts);
              const ours = topTable(agg);
              const where = `${build}/${scenario}/${which}.${sampleIndex}.${granularity}`;
              assert.equal(ours.total, golden.total, `${where}: total`);
              assert.deepEqual(
                ours.rows.map((r) => [r.label, r.flat, r.cum]),
                golden.rows.map((r) => [r.name, r.flat, r.cum]),
                where,
              );
              compared++;
            }
          }
        }
        assert.equal(compared, 24);
      });
    }
  }
});

describe('legacy text profiles (debug=1) agree with pprof and with the proto written at the same moment', () => {
  for (const build of textBuilds) for (const scenario of scenariosOf(build)) {
    const dir = join(FIXTURES, 'profiles', build, scenario);
    for (const which of ['base', 'new'] as const) {
      const textPath = join(dir, `${which}.heap.txt`);
      it(`${build}/${scenario}/${which}.heap.txt`, () => {
        const text = load(textPath);
        assert.equal(text.format, 'legacy-heap-text');
        for (const sampleIndex of SAMPLE_TYPES) {
          const golden = readGolden(join(FIXTURES, 'golden', build, scenario, `${which}.text.${sampleIndex}.addresses.txt`));
          const agg = aggregate(text, { granularity: 'addresses', sampleIndex });
          // pprof unsamples the text the same way: the totals must be equal to the byte.
          assert.equal(agg.total, golden.total, `${sampleIndex} total`);
          // Every address pprof shows keeps its cum (only hidden leading runtime frames move flat).
          const cumByAddress = new Map<string, number>();
          for (const r of topTable(agg).rows) cumByAddress.set(r.label.split(' ')[0], r.cum);
          for (const row of golden.rows) {
            const addr = row.name.split(' ')[0];
            const ours = cumByAddress.get(addr);
            if (ours !== undefined) assert.equal(ours, row.cum, `${sampleIndex} cum at ${addr}`);
          }
        }
        // The text names frames (pprof shows <unknown>): the line view equals the proto's written
        // in the same instant, row for row — same rows, each cum within ±1 per unsampled record
        // (Go's math.Exp vs V8's) — with no extra row (runtime.goexit's address has no `#` line).
        const proto = load(join(dir, `${which}.pb.gz`));
        const byName = (p: Profile) => new Map(topTable(aggregate(p, { granularity: 'lines' })).rows.map((r) => [r.label, r.cum]));
        const fromText = byName(text);
        const fromProto = byName(proto);
        assert.deepEqual([...fromText.keys()].sort(), [...fromProto.keys()].sort(), 'text and proto have the same rows');
        for (const [label, cum] of fromProto) {
          const t = fromText.get(label)!;
          assert.ok(Math.abs(t - cum) <= Math.max(2, cum * 1e-9 * 1000), `${label}: text ${t} vs proto ${cum}`);
        }
      });
    }
  }
});

describe('decoding is independent of file names', () => {
  it('a gzipped profile renamed to .txt and a text profile renamed to .pb.gz decode the same', () => {
    const dir = join(FIXTURES, 'profiles/default/bodies');
    const gz = loadProfileFileSync(join(dir, 'new.pb.gz'));
    assert.equal(gz.gzipped, true);
    assert.equal(decodeProfile(new Uint8Array(require('node:fs').readFileSync(join(dir, 'new.heap.txt')))).format, 'legacy-heap-text');
  });
});
