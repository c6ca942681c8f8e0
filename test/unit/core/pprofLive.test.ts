import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import type { Filters } from '../../../src/core/filter';
import type { Granularity } from '../../../src/core/nodes';
import { topTable } from '../../../src/core/top';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { parsePprofTop } from '../../support/pprofGolden';

// What the committed goldens do not cover — files/filefunctions granularities and the four
// filters, alone and in a diff — is checked against the installed `go tool pprof` itself.
// Skipped when Go is absent (CI installs it).

const hasGo = (() => { try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const FIX = join(__dirname, '../../fixtures/profiles');

function pprof(args: string[]) {
  const out = execFileSync('go', ['tool', 'pprof', '-symbolize=none', '-top', '-unit=B', '-nodefraction=0', '-nodecount=1000000', ...args], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent', PPROF_TMPDIR: '/tmp' },
  });
  return parsePprofTop(out);
}

interface Case { build: string; scenario: string; granularity: Granularity; filters?: Filters; diff?: boolean; sampleIndex?: string }

const cases: Case[] = [
  { build: 'default', scenario: 'bodies', granularity: 'files' },
  { build: 'default', scenario: 'compressors', granularity: 'filefunctions', diff: true },
  { build: 'trimpath', scenario: 'cache', granularity: 'files', diff: true, sampleIndex: 'alloc_space' },
  { build: 'default', scenario: 'bodies', granularity: 'functions', filters: { focus: 'readBody' }, diff: true },
  { build: 'default', scenario: 'bodies', granularity: 'lines', filters: { ignore: 'warmUp|compileTemplates' } },
  { build: 'default', scenario: 'cache', granularity: 'functions', filters: { hide: '^runtime\\.|bytes' }, diff: true },
  { build: 'default', scenario: 'goroutines', granularity: 'lines', filters: { show: 'main\\.' } },
  { build: 'trimpath', scenario: 'pools', granularity: 'functions', filters: { focus: 'pool', hide: 'reflect' }, diff: true, sampleIndex: 'inuse_objects' },
  { build: 'default', scenario: 'shrink', granularity: 'lines', filters: { focus: 'catalog\\.go' }, diff: true },
];

describe('heaplens equals a live go tool pprof on granularities and filters', { skip: hasGo ? false : 'go not installed' }, () => {
  for (const c of cases) {
    const flags = [
      `-${c.granularity}`,
      ...(c.sampleIndex ? [`-sample_index=${c.sampleIndex}`] : []),
      ...Object.entries(c.filters ?? {}).map(([k, v]) => `-${k}=${v}`),
    ];
    it(`${c.build}/${c.scenario} ${c.diff ? '-diff_base ' : ''}${flags.join(' ')}`, () => {
      const dir = join(FIX, c.build, c.scenario);
      const golden = pprof([...flags, ...(c.diff ? [`-diff_base=${join(dir, 'base.pb.gz')}`] : []), join(dir, 'new.pb.gz')]);
      const opts = { granularity: c.granularity, filters: c.filters, sampleIndex: c.sampleIndex };
      const target = loadProfileFileSync(join(dir, 'new.pb.gz'));
      const agg = c.diff ? aggregateDiff({ base: loadProfileFileSync(join(dir, 'base.pb.gz')), target }, opts) : aggregate(target, opts);
      const ours = topTable(agg);
      assert.ok(golden.rows.length > 0, 'pprof shows rows');
      assert.equal(ours.total, golden.total, 'total (of the unfiltered profile)');
      assert.deepEqual(ours.rows.map((r) => [r.label, r.flat, r.cum]), golden.rows.map((r) => [r.name, r.flat, r.cum]));
    });
  }
});
