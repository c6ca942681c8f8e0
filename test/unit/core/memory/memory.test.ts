import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, aggregateDiff } from '../../../../src/core/aggregate';
import { diagnose } from '../../../../src/core/diagnose';
import { userFrameTest } from '../../../../src/core/goroutines/compare';
import { goroutineEvidence, linkHeapFindings } from '../../../../src/core/goroutines/blockedAt';
import { alignHeapSampleTypes, isTwoTypeGoHeapText } from '../../../../src/core/legacyTypes';
import { memoryBreakdown, memoryParts, profileMemory } from '../../../../src/core/memory/breakdown';
import { memoryGrowthSentences } from '../../../../src/core/memory/growth';
import { memoryMarkdown, memoryMarkdownOf } from '../../../../src/core/memory/report';
import { loadProfileFileSync } from '../../../../src/node/loadProfile';
import { readGolden } from '../../../support/pprofGolden';

// Process memory from runtime.MemStats (the goroutineleak fixtures' debug=1 heap text), heap
// findings linked to where their goroutines wait, and the space/objects pair pprof refuses.

const FIX = join(__dirname, '../../../fixtures/goroutineleak');
const load = (build: string, file: string) => loadProfileFileSync(join(FIX, 'profiles', build, file));
const stat = (build: string, t: string, key: string) => Number(load(build, `${t}.heap.txt`).memStats!.find(([k]) => k === key)![1].split('/').pop());

describe('memory breakdown from runtime.MemStats', () => {
  for (const build of ['default', 'trimpath']) {
    for (const t of ['t0', 't1', 't2', 't3']) {
      it(`${build}/${t}: the parts sum to Sys to the byte`, () => {
        const m = profileMemory(load(build, `${t}.heap.txt`))!;
        assert.ok(m, 'MemStats present');
        assert.equal(memoryParts(m).reduce((s, p) => s + p.bytes, 0), m.sys);
        assert.equal(m.heapInuse + m.heapIdleNotReleased + m.heapReleased + m.stacks + m.runtimeMetadata, m.sys);
        assert.equal(m.stacks, stat(build, t, 'Stack'), 'stacks = the Stack line\'s second value (StackSys)');
        assert.equal(m.sys, stat(build, t, 'Sys'));
        assert.ok(m.heapLive <= m.heapInuse);
      });
    }
  }

  it('t0 → t3: stacks are the part that grew most, explained with the goroutine count', () => {
    const base = profileMemory(load('default', 't0.heap.txt'))!;
    const target = profileMemory(load('default', 't3.heap.txt'))!;
    const dg = aggregate(load('default', 't3.goroutine-dump.txt')).total - aggregate(load('default', 't0.goroutine-dump.txt')).total;
    assert.equal(dg, 991);
    const grew = target.stacks - base.stacks;
    // 750 subscribers with 128 KiB stacks; the other 241 new goroutines have small ones.
    assert.ok(grew >= 750 * 131072 && grew < 991 * 131072, `stacks grew ${grew}`);
    const words = memoryGrowthSentences(base, target, dg);
    assert.match(words[0], /^Sys .* went from 13\.\d+MB to 14\d\.\d+MB/);
    assert.match(words[1], /^Stacks grew 9\d\.\d+MB: about 991 more goroutines × 9\d\.\d+kB each/);
  });

  it('the report section from two MemStats blocks is the one `heaplens report` prints; none when either block is missing', () => {
    const [b, n] = ['t1', 't3'].map((t) => load('default', `${t}.heap.txt`).memStats!);
    const md = memoryMarkdownOf(b, n, 180)!;
    assert.equal(md, memoryMarkdown(memoryBreakdown(b)!, memoryBreakdown(n)!, 180));
    assert.match(md, /^## Where the process memory is \(runtime\.MemStats\)/);
    assert.match(md, /\| \*\*Sys\*\* \|/);
    assert.equal(memoryMarkdownOf(b, undefined), undefined);
    assert.equal(memoryMarkdownOf(undefined, n), undefined);
  });

  it('a block missing a field gives no breakdown (never a wrong sum)', () => {
    const pairs = load('default', 't3.heap.txt').memStats!.filter(([k]) => k !== 'GCSys');
    assert.equal(memoryBreakdown(pairs), undefined);
    assert.equal(memoryBreakdown([['Sys', '12'], ['Stack', 'x / y']]), undefined);
  });
});

describe('heap findings linked to the goroutines holding them (--goroutines)', () => {
  it('t1 → t3: the sessions\' buffers are held by goroutines waiting in select at sessions.go:22', () => {
    const heaps = [load('default', 't1.heap.pb.gz'), load('default', 't3.heap.pb.gz')];
    const goroutines = [load('default', 't1.goroutine-dump.txt'), load('default', 't3.goroutine-dump.txt')];
    const d = diagnose({ base: heaps[0], target: heaps[1] });
    const evidence = goroutineEvidence(goroutines, userFrameTest([...heaps, ...goroutines]));
    const blocked = linkHeapFindings(d.findings, evidence);
    const i = d.findings.findIndex((f) => f.site.function === 'main.(*session).run');
    assert.ok(i >= 0);
    assert.equal(d.findings[i].kind, 'goroutines');
    assert.deepEqual(blocked[i], { function: 'main.(*session).run', file: '/tmp/heaplens-goroutine-build/goroutineleak/sessions.go', line: 22, count: 120, waitReason: 'select' });
    assert.ok(blocked.every((b, k) => b === null || d.findings[k].kind === 'goroutines'));
  });

  it('with only the new goroutine profile nothing is reclassified, goroutine findings still link', () => {
    const heaps = [load('trimpath', 't1.heap.pb.gz'), load('trimpath', 't3.heap.pb.gz')];
    const d = diagnose({ base: heaps[0], target: heaps[1] });
    const before = d.findings.map((f) => f.kind);
    const goroutines = [load('trimpath', 't3.goroutine.pb.gz')];
    linkHeapFindings(d.findings, goroutineEvidence(goroutines, userFrameTest([...heaps, ...goroutines])));
    assert.deepEqual(d.findings.map((f) => f.kind), before);
  });
});

describe('two debug=1 heap texts of one process where the earlier has only objects/space', () => {
  it('t0.heap.txt is the two-type form pprof reads (its totals equal pprof\'s)', () => {
    const t0 = load('default', 't0.heap.txt');
    assert.ok(isTwoTypeGoHeapText(t0));
    assert.deepEqual(t0.sampleTypes.map((t) => t.type), ['objects', 'space']);
    assert.equal(aggregate(t0, { sampleIndex: 'space', granularity: 'addresses' }).total, readGolden(join(FIX, 'golden/default/t0.heap-text.space.addresses.txt')).total);
    assert.match(readFileSync(join(FIX, 'golden/default/t0-t3.heap-text.diff.err'), 'utf8'), /inconsistent samples type count: 4 != 2/);
  });

  it('compares with t3.heap.txt as inuse/alloc, with a note; Δ = t3 − t0 for every type', () => {
    const t0 = load('default', 't0.heap.txt');
    const t3 = load('default', 't3.heap.txt');
    const { base, target, note } = alignHeapSampleTypes(t0, t3, { base: 't0.heap.txt', new: 't3.heap.txt' });
    assert.match(note ?? '', /^t0\.heap\.txt was written before anything it sampled was freed .*inconsistent samples type count: 4 != 2/);
    assert.equal(target, t3);
    for (const type of ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']) {
      const diff = aggregateDiff({ base, target }, { sampleIndex: type });
      assert.equal(diff.newTotal - diff.baseTotal, aggregate(t3, { sampleIndex: type }).total - aggregate(t0, { sampleIndex: type.endsWith('space') ? 'space' : 'objects' }).total, type);
    }
    const d = diagnose({ base, target });
    assert.equal(d.findings[0].site.function, 'main.(*session).run');
  });

  it('two four-type profiles are left alone', () => {
    const a = load('default', 't1.heap.txt');
    const b = load('default', 't3.heap.txt');
    assert.deepEqual(alignHeapSampleTypes(a, b, { base: 'a', new: 'b' }), { base: a, target: b });
  });
});

describe('heaplens report --json (the CLI process) on the goroutine fixtures', { skip: existsSync(join(__dirname, '../../../../dist/cli.js')) ? false : 'dist/cli.js not built (npm run build)' }, () => {
  const cli = (...args: string[]) => JSON.parse(execFileSync('node', [join(__dirname, '../../../../dist/cli.js'), ...args], { encoding: 'utf8' }));
  const p = (f: string) => join(FIX, 'profiles/default', f);

  it('top --json on each goroutine form: total = number of goroutines', () => {
    for (const f of ['t3.goroutine.pb.gz', 't3.goroutine.txt', 't3.goroutine-dump.txt']) assert.equal(cli('top', '--json', p(f)).total, 998, f);
  });

  it('report --json on two dumps and on heap profiles with --goroutines and MemStats', () => {
    const g = cli('report', '--json', p('t1.goroutine-dump.txt'), p('t3.goroutine-dump.txt'));
    assert.equal(g.findings[0].kind, 'goroutines');
    assert.deepEqual(Object.keys(g.findings[0].site), ['function', 'file', 'line']);
    assert.equal(g.findings[0].delta.goroutines, 500);
    assert.equal(g.findings[0].createdBy.function, 'main.(*feed).subscribe');
    assert.equal(g.findings[0].waitReason, 'chan receive');
    const h = cli('report', '--json', '--goroutines', `${p('t0.goroutine.txt')},${p('t3.goroutine-dump.txt')}`, p('t0.heap.txt'), p('t3.heap.txt'));
    assert.deepEqual(Object.keys(h.memory.base), ['sys', 'heapLive', 'heapInuse', 'heapIdleNotReleased', 'heapReleased', 'nextGC', 'stacks', 'runtimeMetadata']);
    assert.equal(h.memory.new.sys, stat('default', 't3', 'Sys'));
    assert.equal(h.memory.new.stacks, stat('default', 't3', 'Stack'));
    const linked = h.findings.find((f: { blockedAt?: unknown }) => f.blockedAt);
    assert.deepEqual(linked.blockedAt, { function: 'main.(*session).run', file: '/tmp/heaplens-goroutine-build/goroutineleak/sessions.go', line: 22, count: 120, waitReason: 'select' });
    assert.match(h.notes[0], /only objects\/space/);
  });

  it('trend --json: goroutine profiles of any form (site = where they wait), heap suspects and the stack series side by side', () => {
    const g = cli('trend', '--json', p('t0.goroutine-dump.txt'), p('t1.goroutine.txt'), p('t2.goroutine.pb.gz'), p('t3.goroutine-dump.txt'));
    const rows = g.suspects.map((s: { kind: string; site: { function: string; line: number }; series: number[] }) => `${s.kind} ${s.site.function}:${s.site.line} ${s.series.join(' ')}`);
    assert.equal(rows[0], 'goroutines main.(*feed).follow:32 0 250 500 750');
    assert.deepEqual([...rows].sort(), [
      'goroutines main.(*feed).follow:32 0 250 500 750',
      'goroutines main.(*registry).register:40 0 20 40 60',
      'goroutines main.(*service).serveConn:26 0 20 40 60',
      'goroutines main.(*session).run:22 0 40 80 120',
    ]);
    const mixed = cli('trend', '--json', ...['t0', 't1', 't2', 't3'].flatMap((t) => [p(`${t}.heap.txt`), p(`${t}.goroutine-dump.txt`)]));
    assert.equal(mixed.suspects[0].kind, 'heap');
    assert.equal(mixed.suspects[0].site.function, 'main.(*session).run');
    assert.equal(mixed.suspects.filter((s: { kind: string }) => s.kind === 'goroutines').length, 4);
    assert.deepEqual(mixed.memory.series.map((m: { stacks: number }) => m.stacks), ['t0', 't1', 't2', 't3'].map((t) => stat('default', t, 'Stack')));
    assert.ok(mixed.memory.stacksBytesPerMinute > 0);
  });
});
