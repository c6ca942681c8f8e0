import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { aggregate, aggregateDiff } from '../../../src/core/aggregate';
import { topColumns } from '../../../src/core/topColumns';
import { AnalysisClient, QueryCancelledError, withHugePages } from '../../../src/node/analysisClient';
import { AnalysisEngine } from '../../../src/node/analysisEngine';
import { AnalysisLoop } from '../../../src/node/analysisLoop';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import type { FromAnalysis, ToAnalysis, ViewSettings } from '../../../src/protocol/analysis';

// The analysis worker as the extension drives it (in its own process): the three bundles built as esbuild.mjs builds them,
// profiles loaded by handle, answers equal to the same computation in-process, queued queries
// cancelled, released profiles gone.

const FIXTURES = join(__dirname, '../../fixtures/profiles/default/bodies');
const dir = mkdtempSync(join(tmpdir(), 'heaplens-analysis-'));
const bytes = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const view: ViewSettings = { sampleType: 'inuse_space', granularity: 'functions', filters: {} };
let client: AnalysisClient;

before(async () => {
  for (const name of ['analysisProcess', 'analysisWorker', 'decodeWorker']) {
    await esbuild.build({
      entryPoints: [join(__dirname, `../../../src/node/${name}.ts`)],
      outfile: join(dir, `${name}.js`), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent',
    });
  }
  client = new AnalysisClient(join(dir, 'analysisProcess.js'), join(dir, 'analysisWorker.js'), join(dir, 'decodeWorker.js'));
});
after(() => {
  client.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** fresh is an in-process engine holding the bodies fixture's pair (a new engine: nothing cached). */
function fresh() {
  const engine = new AnalysisEngine();
  const base = engine.add('b', loadProfileFileSync(join(FIXTURES, 'base.pb.gz'))).handle;
  const target = engine.add('t', loadProfileFileSync(join(FIXTURES, 'new.pb.gz'))).handle;
  return { engine, pair: { target, base } };
}

describe('analysis worker', () => {
  it('loads by handle and answers top exactly as the in-process aggregation', async () => {
    const [base, target] = await Promise.all([client.load('base.pb.gz', { bytes: bytes('base.pb.gz') }, 1 << 30), client.load('new.pb.gz', { bytes: bytes('new.pb.gz') }, 1 << 30)]);
    assert.deepEqual(target.info.sampleTypes.map((t) => t.type), ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    assert.ok(target.info.files.some((f) => f.endsWith('handlers.go')));
    const top = await client.query({ kind: 'top', pair: { target: target.handle, base: base.handle }, view });
    const b = loadProfileFileSync(join(FIXTURES, 'base.pb.gz'));
    const t = loadProfileFileSync(join(FIXTURES, 'new.pb.gz'));
    const expected = topColumns(aggregateDiff({ base: b, target: t }, { sampleIndex: 'inuse_space' }));
    assert.equal(top.count, expected.count);
    assert.deepEqual([...top.flat].sort(), [...expected.flat].sort());
    assert.equal(top.total, expected.total);
    const single = await client.query({ kind: 'top', pair: { target: target.handle }, view });
    assert.equal(single.newTotal, aggregate(t, { sampleIndex: 'inuse_space' }).newTotal);
    client.release([base.handle, target.handle]);
  });

  it('answers the tree, the annotations and a hover for the injected line', async () => {
    const [base, target] = await Promise.all([client.load('b', { bytes: bytes('base.pb.gz') }, 1 << 30), client.load('t', { bytes: bytes('new.pb.gz') }, 1 << 30)]);
    const pair = { target: target.handle, base: base.handle };
    const hot = await client.query({ kind: 'hotspots', pair, view, limit: 5 });
    assert.equal(hot.rows[0].name, 'bytes.growSlice');
    const file = target.info.files.find((f) => f.endsWith('handlers.go'))!;
    const lines = await client.query({ kind: 'fileLines', pair, view, files: [file] });
    const line18 = lines.files[file].find((l) => l.line === 18);
    assert.ok(line18 && line18.cum > 0, 'handlers.go:18 grew');
    const detail = await client.query({ kind: 'lineDetail', pair, view, file, line: 18, sampleTypes: ['inuse_space', 'alloc_space'], paths: 3 });
    assert.equal(detail.totals.get('inuse_space')?.cum, line18.cum);
    client.release([base.handle, target.handle]);
  });

  it('a cancelled query rejects at once; a released profile is an error naming why', async () => {
    const target = await client.load('t', { bytes: bytes('new.pb.gz') }, 1 << 30);
    const abort = new AbortController();
    const pending = client.query({ kind: 'callGraph', pair: { target: target.handle }, view, request: { nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001 } }, abort.signal);
    abort.abort();
    await assert.rejects(pending, QueryCancelledError);
    client.release([target.handle]);
    await assert.rejects(client.query({ kind: 'top', pair: { target: target.handle }, view }), /no longer loaded/);
  });

  it('reads a local file itself: the same profile as the bytes, and a missing file is "no such file"', async () => {
    const [byPath, byBytes] = await Promise.all([
      client.load('new.pb.gz', { path: join(FIXTURES, 'new.pb.gz') }, 1 << 30),
      client.load('new.pb.gz', { bytes: bytes('new.pb.gz') }, 1 << 30),
    ]);
    assert.deepEqual(byPath.info, byBytes.info);
    const [a, b] = await Promise.all([byPath, byBytes].map((p) => client.query({ kind: 'top', pair: { target: p.handle }, view })));
    assert.deepEqual(a, b);
    client.release([byPath.handle, byBytes.handle]);
    await assert.rejects(client.load('gone.pb.gz', { path: join(dir, 'gone.pb.gz') }, 1 << 30), /^Error: no such file$/);
    await assert.rejects(client.load('big', { path: join(FIXTURES, 'new.pb.gz') }, 100), (e: Error & { code?: string }) => e.code === 'too-large');
  });

  it('a worker that dies tells why before its process exits: out of memory reads as "too large" (code out-of-memory: no "raise the cap" hint)', async () => {
    const dying = join(dir, 'dyingWorker.js');
    writeFileSync(dying, "const e = new Error('heap limit reached'); e.code = 'ERR_WORKER_OUT_OF_MEMORY'; throw e;\n");
    const doomed = new AnalysisClient(join(dir, 'analysisProcess.js'), dying, join(dir, 'decodeWorker.js'));
    try {
      await assert.rejects(doomed.load('t', { bytes: bytes('new.pb.gz') }, 1 << 30), (e: Error & { code?: string }) => e.code === 'out-of-memory' && /ran out of memory/.test(e.message));
    } finally {
      doomed.dispose();
    }
  });

  it('the worker runs in a process of its own, which a fresh call starts again after it died', async () => {
    const first = await client.load('t', { bytes: bytes('new.pb.gz') }, 1 << 30);
    const child = (client as unknown as { worker: import('node:child_process').ChildProcess }).worker;
    assert.ok(child.pid && child.pid !== process.pid, 'a separate process');
    const gone = client.query({ kind: 'top', pair: { target: first.handle }, view });
    child.kill('SIGKILL');
    await assert.rejects(gone, /stopped unexpectedly/);
    const again = await client.load('t', { bytes: bytes('new.pb.gz') }, 1 << 30);
    assert.ok((await client.query({ kind: 'top', pair: { target: again.handle }, view })).count > 0);
    client.release([again.handle]);
  });

  it('a file that is not a profile fails with the decoder\'s error', async () => {
    await assert.rejects(client.load('x', { bytes: new TextEncoder().encode('hello, world') }, 1 << 30), (e: Error & { code?: string }) => e.code === 'not-a-profile');
  });

  it('answers the first hotspots from flat alone, then (after the prefetch) with cum; hotspotNumbers fills a row in', () => {
    const { engine, pair } = fresh();
    const query = { kind: 'hotspots', pair, view, limit: 20 } as const;
    const first = engine.answer(query);
    assert.ok(first.rows.length > 0 && first.rows.every((r) => r.cum === undefined && r.baseCum === undefined), 'first rows carry no cum');
    const work = engine.prefetch(query);
    assert.equal(work.length, 2, 'the full hotspot index, then the lines aggregate');
    for (const w of work) w();
    const full = engine.answer(query);
    assert.ok(full.rows.every((r) => r.cum !== undefined));
    assert.deepEqual(first.rows, full.rows.map(({ cum: _c, baseCum: _b, ...row }) => row));
    assert.deepEqual({ ...first, rows: [] }, { ...full, rows: [] }, 'the same totals');
    const numbers = engine.answer({ kind: 'hotspotNumbers', pair, view, names: [full.rows[0].name] });
    const { flat, cum, baseFlat, baseCum } = full.rows[0];
    assert.deepEqual(numbers[full.rows[0].name], { flat, cum, baseFlat, baseCum });
  });

  it('prefetches the other sample types of a top view (in-process engine)', () => {
    const engine = new AnalysisEngine();
    const { handle } = engine.add('t', loadProfileFileSync(join(FIXTURES, 'new.pb.gz')));
    const work = engine.prefetch({ kind: 'top', pair: { target: handle }, view });
    assert.equal(work.length, 3);
    for (const w of work) w();
  });

  it('a comparison\'s top also prefetches the flame graph\'s stack numbers; its trees and graphs are the ones a fresh engine makes', () => {
    const warm = fresh();
    const work = warm.engine.prefetch({ kind: 'top', pair: warm.pair, view });
    assert.equal(work.length, 4, 'stack numbers, then the three other sample types');
    warm.engine.answer({ kind: 'top', pair: warm.pair, view });
    for (const w of work) w();
    for (const minFraction of [0.01, 0.2]) {
      const cold = fresh();
      const flame = (e: ReturnType<typeof fresh>) => e.engine.answer({ kind: 'flameTree', pair: e.pair, view, minFraction });
      assert.deepEqual(flame(warm), flame(cold));
      const graph = (e: ReturnType<typeof fresh>) => e.engine.answer({ kind: 'callGraph', pair: e.pair, view, request: { nodeCount: 10, nodeFraction: 0.005, edgeFraction: 0.001 } });
      assert.deepEqual(graph(warm), graph(cold));
    }
  });
});

describe('analysis engine: an aggregate that gave way', () => {
  it('goes on from where it stopped when asked again (a prefetch interrupted by a query), to the answer of an engine never interrupted', () => {
    const expected = fresh();
    const top = (e: ReturnType<typeof fresh>, checkpoint?: () => void) => e.engine.answer({ kind: 'top', pair: e.pair, view }, checkpoint);
    let plain = 0;
    const want = top(expected, () => { plain++; });
    assert.equal(plain, 3, 'the query\'s own checkpoint, then the first sample of each profile');
    class GiveWay extends Error {}
    const e = fresh();
    let calls = 0;
    assert.throws(() => top(e, () => { if (++calls === 3) throw new GiveWay(); }), GiveWay); // stopped at the base's first sample
    let again = 0;
    assert.deepEqual(top(e, () => { again++; }), want);
    assert.equal(again, 2, 'the query\'s own checkpoint, then the base where it stopped: the target is not walked again');
  });
});

describe('analysis engine: the diagnosis', () => {
  const diagnosis = (e: ReturnType<typeof fresh>, checkpoint?: () => void) =>
    e.engine.answer({ kind: 'diagnosis', pair: e.pair, sampleType: 'inuse_space', origin: { modulePaths: [], goroots: [] } }, checkpoint);

  it('gives way at the checkpoints of its walk over the samples (a hover or an opened file must not wait seconds); run again, it answers as if never interrupted', () => {
    const expected = diagnosis(fresh());
    assert.ok(expected.diagnosis.findings.length > 0);
    class GiveWay extends Error {}
    const e = fresh();
    let calls = 0;
    // The first call is the query's own, before any work; the second is inside the site walk.
    assert.throws(() => diagnosis(e, () => { if (++calls === 2) throw new GiveWay(); }), GiveWay);
    assert.deepEqual(diagnosis(e), expected);
    // The site table is kept: another sample type's diagnosis walks no samples (one call: the query's own).
    let later = 0;
    e.engine.answer({ kind: 'diagnosis', pair: e.pair, sampleType: 'alloc_space', origin: { modulePaths: [], goroots: [] } }, () => { later++; });
    assert.equal(later, 1);
  });

  it('of a heap profile and a goroutine profile says it needs heap profiles (the sites are not collected first)', () => {
    const engine = new AnalysisEngine();
    const dir = join(__dirname, '../../fixtures/goroutineleak/profiles/trimpath');
    const base = engine.add('b', loadProfileFileSync(join(dir, 't0.heap.txt'))).handle;
    const target = engine.add('t', loadProfileFileSync(join(dir, 't0.goroutine.pb.gz'))).handle;
    assert.throws(() => engine.answer({ kind: 'diagnosis', pair: { target, base }, sampleType: 'goroutine', origin: { modulePaths: [], goroots: [] } }), /needs heap profiles/);
  });
});

describe('analysis worker: the same file loaded twice', () => {
  const script = join(dir, 'decodeWorker.js');
  const run = (loop: AnalysisLoop, message: ToAnalysis) => loop.receive(message);
  const replyOf = async (replies: FromAnalysis[], id: number): Promise<FromAnalysis> => {
    for (;;) {
      const m = replies.find((r) => r.id === id);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('shares one decode between loads of the same share key; each gets its own handle', async () => {
    const replies: FromAnalysis[] = [];
    const loop = new AnalysisLoop(script, (m) => replies.push(m));
    run(loop, { type: 'load', id: 1, name: 'a', source: { bytes: bytes('new.pb.gz') }, maxBytes: 1 << 30, shareKey: 'file:///new.pb.gz|1|2' });
    run(loop, { type: 'load', id: 2, name: 'b', source: { bytes: bytes('new.pb.gz') }, maxBytes: 1 << 30, shareKey: 'file:///new.pb.gz|1|2' });
    run(loop, { type: 'load', id: 3, name: 'c', source: { bytes: bytes('new.pb.gz') }, maxBytes: 1 << 30, shareKey: 'file:///new.pb.gz|9|2' });
    const [a, b, c] = await Promise.all([1, 2, 3].map((id) => replyOf(replies, id)));
    assert.ok(a.type === 'loaded' && b.type === 'loaded' && c.type === 'loaded');
    assert.equal(loop.decodesStarted, 2, 'a changed file (another key) is decoded again');
    assert.notEqual(a.handle, b.handle);
    // Released by one session, the profile stays with the other; a load after both are released decodes again.
    run(loop, { type: 'release', handles: [a.handle] });
    assert.equal(loop.engine.answer({ kind: 'top', pair: { target: b.handle }, view }).total, loop.engine.answer({ kind: 'top', pair: { target: c.handle }, view }).total);
    run(loop, { type: 'load', id: 4, name: 'd', source: { bytes: bytes('new.pb.gz') }, maxBytes: 1 << 30, shareKey: 'file:///new.pb.gz|1|2' });
    assert.equal((await replyOf(replies, 4)).type, 'loaded');
    assert.equal(loop.decodesStarted, 2, 'still held by b: shared');
    run(loop, { type: 'release', handles: [b.handle, (replies.find((r) => r.id === 4) as { handle: number }).handle] });
    run(loop, { type: 'load', id: 5, name: 'e', source: { bytes: bytes('new.pb.gz') }, maxBytes: 1 << 30, shareKey: 'file:///new.pb.gz|1|2' });
    assert.equal((await replyOf(replies, 5)).type, 'loaded');
    assert.equal(loop.decodesStarted, 3);
  });

  it('while a file decodes only urgent queries run (the first rows); the rest wait for the load to end', async () => {
    const replies: FromAnalysis[] = [];
    const loop = new AnalysisLoop(script, (m) => replies.push(m));
    const profile = loop.engine.add('p', loadProfileFileSync(join(FIXTURES, 'new.pb.gz'))).handle;
    run(loop, { type: 'load', id: 1, name: 'base', source: { bytes: bytes('base.pb.gz') }, maxBytes: 1 << 30 });
    run(loop, { type: 'query', id: 2, query: { kind: 'top', pair: { target: profile }, view } });
    run(loop, { type: 'query', id: 3, query: { kind: 'hotspots', pair: { target: profile }, view, limit: 5 } });
    await Promise.all([1, 2, 3].map((id) => replyOf(replies, id)));
    assert.deepEqual(replies.map((r) => [r.type, r.id]), [['answer', 3], ['loaded', 1], ['answer', 2]]);
  });

  it('a query that is not urgent waits for a decode only so long (here 0 ms): a hover does not wait for a big file', async () => {
    const replies: FromAnalysis[] = [];
    const loop = new AnalysisLoop(script, (m) => replies.push(m), undefined, 0);
    const profile = loop.engine.add('p', loadProfileFileSync(join(FIXTURES, 'new.pb.gz'))).handle;
    run(loop, { type: 'load', id: 1, name: 'base', source: { bytes: bytes('base.pb.gz') }, maxBytes: 1 << 30 });
    run(loop, { type: 'query', id: 2, query: { kind: 'top', pair: { target: profile }, view } });
    await Promise.all([1, 2].map((id) => replyOf(replies, id)));
    assert.deepEqual(replies.map((r) => [r.type, r.id]), [['answer', 2], ['loaded', 1]]);
  });

  it('a cancelled load leaves the shared decode to the load still waiting; cancelling every load stops it', async () => {
    const replies: FromAnalysis[] = [];
    const loop = new AnalysisLoop(script, (m) => replies.push(m));
    run(loop, { type: 'load', id: 1, name: 'a', source: { bytes: bytes('new.pb.gz') }, maxBytes: 1 << 30, shareKey: 'k' });
    run(loop, { type: 'load', id: 2, name: 'b', source: { bytes: bytes('new.pb.gz') }, maxBytes: 1 << 30, shareKey: 'k' });
    run(loop, { type: 'cancel', id: 1 });
    assert.deepEqual(await replyOf(replies, 1), { type: 'cancelled', id: 1 });
    assert.equal((await replyOf(replies, 2)).type, 'loaded');
    run(loop, { type: 'load', id: 3, name: 'c', source: { bytes: bytes('base.pb.gz') }, maxBytes: 1 << 30, shareKey: 'other' });
    run(loop, { type: 'load', id: 4, name: 'd', source: { bytes: bytes('base.pb.gz') }, maxBytes: 1 << 30, shareKey: 'other' });
    run(loop, { type: 'cancel', id: 3 });
    run(loop, { type: 'cancel', id: 4 });
    assert.deepEqual([await replyOf(replies, 3), await replyOf(replies, 4)], [{ type: 'cancelled', id: 3 }, { type: 'cancelled', id: 4 }]);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(replies.filter((r) => r.id === 3 || r.id === 4).length, 2, 'no second answer after the cancel');
  });
});

describe('the analysis process environment', () => {
  it('asks glibc for huge pages, keeping the user\'s tunables and their own hugetlb choice', () => {
    assert.equal(withHugePages(undefined), 'glibc.malloc.hugetlb=1');
    assert.equal(withHugePages(''), 'glibc.malloc.hugetlb=1');
    assert.equal(withHugePages('glibc.malloc.arena_max=2'), 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
    assert.equal(withHugePages('glibc.malloc.hugetlb=0'), 'glibc.malloc.hugetlb=0');
    assert.equal(withHugePages('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2'), 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2');
  });

  const linux = process.platform === 'linux' && existsSync('/proc/self/environ');
  it(`the forked process has it${linux ? '' : ' — SKIPPING: no /proc to read a child\'s environment'}`, { skip: linux ? false : 'not Linux: 1 case skipped' }, async () => {
    await client.load('env', { bytes: bytes('new.pb.gz') }, 1 << 30);
    const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
      try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(process.pid); } catch { return false; }
    });
    const envs = children.map((pid) => { try { return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'); } catch { return []; } });
    assert.ok(envs.some((env) => env.includes(`GLIBC_TUNABLES=${withHugePages(process.env.GLIBC_TUNABLES)}`)), `a child of ${process.pid} with the tunables (children: ${children.join(', ') || 'none'})`);
  });
});
