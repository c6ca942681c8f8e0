import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../../src/core/aggregate';
import { decodeProfile } from '../../../../src/core/decode';
import { ProfileError } from '../../../../src/core/errors';
import { compareGoroutines } from '../../../../src/core/goroutines/compare';
import { goroutineReportJson } from '../../../../src/core/goroutines/report';
import type { Granularity } from '../../../../src/core/nodes';
import { topTable } from '../../../../src/core/top';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import { parsePprofTop, readGolden } from '../../../support/pprofGolden';

// The goroutine fixtures (test/fixtures/goroutineleak, real Go 1.19 programs): every form decodes,
// totals equal go tool pprof (row for row for the proto), the three forms agree, dumps yield wait
// reasons, minutes and `created by`, and comparisons name where goroutines pile up.

const FIX = join(__dirname, '../../../fixtures/goroutineleak');
const BUILDS = ['default', 'trimpath'];
const SNAPSHOTS = ['t0', 't1', 't2', 't3'];
const profile = (build: string, file: string) => loadProfileFileSync(join(FIX, 'profiles', build, file));
const enc = (s: string) => new TextEncoder().encode(s);

describe('goroutine profiles: all three forms equal pprof and each other', () => {
  for (const build of BUILDS) {
    for (const t of SNAPSHOTS) {
      it(`${build}/${t}: proto rows = pprof -top (functions, lines); text and dump totals = pprof's`, () => {
        const proto = profile(build, `${t}.goroutine.pb.gz`);
        let compared = 0;
        for (const granularity of ['functions', 'lines'] as Granularity[]) {
          const golden = readGolden(join(FIX, 'golden', build, `${t}.goroutine.${granularity}.txt`));
          const ours = topTable(aggregate(proto, { granularity }));
          assert.equal(ours.total, golden.total);
          assert.deepEqual(ours.rows.map((r) => [r.label, r.flat, r.cum]), golden.rows.map((r) => [r.name, r.flat, r.cum]));
          compared++;
        }
        const total = readGolden(join(FIX, 'golden', build, `${t}.goroutine.functions.txt`)).total;
        const text = profile(build, `${t}.goroutine.txt`);
        const dump = profile(build, `${t}.goroutine-dump.txt`);
        assert.equal(text.format, 'goroutine-text');
        assert.equal(dump.format, 'goroutine-dump');
        assert.equal(aggregate(text).total, total, 'debug=1 total');
        assert.equal(aggregate(dump).total, total, 'dump total = number of goroutines');
        assert.equal(dump.samples.count, total);
        if (build === 'default') {
          assert.equal(readGolden(join(FIX, 'golden/default', `${t}.goroutine-text.addresses.txt`)).total, total, 'pprof reads the text to the same total');
        }
        assert.equal(compared, 2);
      });
    }
    it(`${build}: -diff_base=t1 t3 rows = pprof`, () => {
      for (const granularity of ['functions', 'lines'] as Granularity[]) {
        const golden = readGolden(join(FIX, 'golden', build, `diff.goroutine.${granularity}.txt`));
        const ours = topTable(aggregateDiff({ base: profile(build, 't1.goroutine.pb.gz'), target: profile(build, 't3.goroutine.pb.gz') }, { granularity }));
        assert.equal(ours.total, golden.total);
        assert.deepEqual(ours.rows.map((r) => [r.label, r.flat, r.cum]), golden.rows.map((r) => [r.name, r.flat, r.cum]));
      }
    });
  }

  it('text and dump put the leaf at the first frame Go shows (the user line), with the same counts per line (but for the goroutine writing each)', () => {
    const rows = (file: string) => topTable(aggregate(profile('default', file), { granularity: 'lines' })).rows
      .filter((r) => r.flat !== 0 && !r.label.startsWith('runtime/pprof.')).map((r) => `${r.flat} ${r.label}`).sort();
    assert.deepEqual(rows('t3.goroutine.txt'), rows('t3.goroutine-dump.txt'));
    assert.ok(rows('t3.goroutine.txt').includes('750 main.(*feed).follow /tmp/heaplens-goroutine-build/goroutineleak/feed.go:32'));
  });
});

describe('goroutine dumps: wait reasons, minutes, created by', () => {
  it('t3: the runtime\'s wait reasons, counted as the script counted them', () => {
    const p = profile('default', 't3.goroutine-dump.txt');
    const d = p.goroutineDump!;
    const counts = new Map<string, number>();
    for (let s = 0; s < p.samples.count; s++) {
      const r = d.waitReasons[d.waitReason[s]];
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries([...counts].sort()), { 'IO wait': 61, 'chan receive': 756, running: 1, select: 120, semacquire: 60 });
    const waitedAMinute = [...d.waitMinutes].filter((m) => m >= 1).length;
    assert.equal(waitedAMinute, 336, 'the first wave (330) and the steady goroutines blocked before it (6)');
  });

  it('Go ≥ 1.21 forms: created by … in goroutine N, gp= headers, (scan), elided frames, ancestors, a panic before the dump', () => {
    const dump = [
      'panic: boom',
      '',
      'goroutine 1 gp=0xc000002380 m=0 mp=0x5c3a20 [running]:',
      'main.main()',
      '\t/app/main.go:9 +0x25',
      '',
      'goroutine 7 [chan receive (scan), 14 minutes, locked to thread]:',
      'main.(*T).wait(0xc000010000, {0x1, 0x2})',
      '\t/app/t.go:20 +0x45 fp=0xc000 sp=0xc000 pc=0x4a',
      'main.helper(...)',
      '\t/app/t.go:12',
      '...additional frames elided...',
      'created by main.start in goroutine 1',
      '\t/app/main.go:30 +0x85',
      '[originating from goroutine 1]:',
      'main.ancestor(...)',
      '\t/app/a.go:1 +0x1',
      '',
    ].join('\n');
    const p = decodeProfile(enc(dump));
    assert.equal(p.format, 'goroutine-dump');
    assert.equal(p.samples.count, 2);
    const d = p.goroutineDump!;
    assert.deepEqual([...d.id], [1, 7]);
    assert.deepEqual([d.waitReasons[d.waitReason[0]], d.waitReasons[d.waitReason[1]]], ['running', 'chan receive']);
    assert.deepEqual([...d.waitMinutes], [0, 14]);
    assert.deepEqual([...d.creator], [-1, 1]);
    const cmp = compareGoroutines(decodeProfile(enc('goroutine 1 [running]:\nmain.main()\n\t/app/main.go:9 +0x25\n')), p);
    const f = goroutineReportJson(cmp).findings[0];
    assert.deepEqual(f.site, { function: 'main.(*T).wait', file: '/app/t.go', line: 20 });
    assert.deepEqual(f.createdBy, { function: 'main.start', file: '/app/main.go', line: 30 });
    assert.deepEqual(f.createdByGoroutines, [{ goroutine: 1, count: 1 }]);
    assert.equal(f.waitReason, 'chan receive');
    assert.equal(f.waitMinutes?.from10to59, 1);
    assert.deepEqual(f.path, ['main.helper', 'main.(*T).wait'], 'root first; ancestors are not part of the stack');
  });

  it('text that is not a dump is refused with one clear message; hostile lines stay linear', () => {
    assert.throws(() => decodeProfile(enc('hello\ngoroutine 1 [running]:\n')), (e: unknown) => e instanceof ProfileError && /not a pprof profile/.test(e.message));
    const long = `goroutine 1 [running]:\n${'main.f('.repeat(200000)})\n\t/a.go:1 +0x1\n`;
    const t0 = process.hrtime.bigint();
    const p = decodeProfile(enc(long));
    assert.equal(p.samples.count, 1);
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 2000, 'a 1.4 MB line decodes without backtracking');
  });
});

describe('heaplens report on two goroutine profiles (any form)', () => {
  for (const build of BUILDS) {
    it(`${build}: t1 → t3 dumps: findings[0] is the stack-heavy subscribers, with createdBy, waitReason and pattern`, () => {
      const j = goroutineReportJson(compareGoroutines(profile(build, 't1.goroutine-dump.txt'), profile(build, 't3.goroutine-dump.txt')));
      assert.deepEqual(j.totals.goroutine, { base: 338, new: 998, delta: 660 });
      const [first] = j.findings;
      assert.equal(first.kind, 'goroutines');
      assert.equal(first.site.function, 'main.(*feed).follow');
      assert.ok(first.site.file.endsWith('goroutineleak/feed.go'));
      assert.equal(first.site.line, 32);
      assert.equal(first.delta.goroutines, 500);
      assert.equal(first.createdBy?.function, 'main.(*feed).subscribe');
      assert.equal(first.createdBy?.line, 19);
      assert.equal(first.waitReason, 'chan receive');
      assert.equal(first.pattern, 'channel-never-closed');
      assert.deepEqual(first.waitMinutes, { under1: 500, from1to9: 250, from10to59: 0, atLeast60: 0, longest: 1 });
      const byPattern = Object.fromEntries(j.findings.map((f) => [f.pattern, [f.site.function, f.site.line, f.delta.goroutines, f.waitReason]]));
      assert.deepEqual(byPattern['select-no-exit'], ['main.(*session).run', 22, 80, 'select']);
      assert.deepEqual(byPattern['lock-never-released'], ['main.(*registry).register', 40, 40, 'semacquire']);
      assert.deepEqual(byPattern['network-read-no-deadline'], ['main.(*service).serveConn', 26, 40, 'IO wait']);
      assert.equal(j.findings.length, 4, 'the steady goroutines (workers, ticker, accept loop, flusher) did not change');
    });
  }

  it('proto: wait reasons read off the runtime frames; debug=1 text: only where a sync/poll frame shows', () => {
    const proto = goroutineReportJson(compareGoroutines(profile('default', 't1.goroutine.pb.gz'), profile('default', 't3.goroutine.pb.gz')));
    const text = goroutineReportJson(compareGoroutines(profile('default', 't1.goroutine.txt'), profile('default', 't3.goroutine.txt')));
    const reasons = (j: typeof proto) => Object.fromEntries(j.findings.map((f) => [f.site.function, f.waitReason]));
    assert.deepEqual(reasons(proto), { 'main.(*feed).follow': 'chan receive', 'main.(*session).run': 'select', 'main.(*registry).register': 'semacquire', 'main.(*service).serveConn': 'IO wait' });
    assert.deepEqual(reasons(text), { 'main.(*feed).follow': null, 'main.(*session).run': null, 'main.(*registry).register': 'semacquire', 'main.(*service).serveConn': 'IO wait' });
    for (const j of [proto, text]) {
      assert.equal(j.findings[0].site.function, 'main.(*feed).follow');
      assert.equal(j.findings[0].delta.goroutines, 500);
      assert.equal(j.findings[0].createdBy, null);
    }
  });

  it('mixed forms compare by site (proto base, dump new)', () => {
    const j = goroutineReportJson(compareGoroutines(profile('trimpath', 't0.goroutine.pb.gz'), profile('trimpath', 't3.goroutine-dump.txt')));
    assert.equal(j.findings[0].site.file, 'example.com/goroutineleak/feed.go');
    assert.equal(j.findings[0].delta.goroutines, 750);
    assert.equal(j.totals.goroutine.delta, 998 - 7);
  });
});

const hasGo = (() => { try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const LIVE = ['t3.goroutine.txt', 't3.goroutine.pb.gz'];
if (!hasGo) console.warn(`goroutines.test: go not installed — skipping ${LIVE.length} live go tool pprof checks`);

describe('a live go tool pprof reads the goroutine text and proto to our totals', { skip: hasGo ? false : `go not installed (${LIVE.length} cases)` }, () => {
  for (const file of LIVE) {
    it(file, () => {
      const path = join(FIX, 'profiles/trimpath', file);
      const out = execFileSync('go', ['tool', 'pprof', '-symbolize=none', '-top', '-unit=B', '-nodefraction=0', '-nodecount=1000000', path], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent', PPROF_TMPDIR: '/tmp' },
      });
      assert.equal(parsePprofTop(out).total, aggregate(loadProfileFileSync(path)).total);
    });
  }
});
