import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { aggregateDiff } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { topColumns } from '../../../src/core/topColumns';
import { AnalysisEngine } from '../../../src/node/analysisEngine';
import { InterruptFlags, QueryInterruptedError, QueryPreemptedError, isUrgentQuery } from '../../../src/node/analysisInterrupts';
import { AnalysisLoop } from '../../../src/node/analysisLoop';
import type { AnalysisQuery, FromAnalysis, ToAnalysis, ViewSettings } from '../../../src/protocol/analysis';
import { generateHeapProfile } from '../../bench/generate';

// A query superseded while it runs stops at its next checkpoint instead of running to the end: the
// host writes the cancelled id into memory it shares with the worker (a message could not be read
// while the worker's thread is busy). After the stop, nothing half-computed is cached.

const view: ViewSettings = { sampleType: 'inuse_space', granularity: 'functions', filters: {} };
// 150,000 samples per profile: each walk passes three checkpoints (one per 65,536 samples).
const base = decodeProfile(generateHeapProfile(150_000, 0, 3).gz);
const target = decodeProfile(generateHeapProfile(150_000, 1, 3).gz);
const expected = topColumns(aggregateDiff({ base, target }, { sampleIndex: 'inuse_space' }));

/** CancelAtCheckpoint is the host cancelling query `id` while it runs: at its `n`th checkpoint. */
class CancelAtCheckpoint extends InterruptFlags {
  calls = 0;

  constructor(private readonly id: number, private readonly n: number) {
    super();
  }

  override checkpointFor(id: number): () => void {
    const check = super.checkpointFor(id);
    return () => {
      if (id === this.id && ++this.calls === this.n) this.cancel(id);
      check();
    };
  }
}

describe('interruptible queries', () => {
  it('an aggregation stops at the checkpoint after its cancellation, and the next query is computed afresh', () => {
    const engine = new AnalysisEngine();
    const pair = { target: engine.add('t', target).handle, base: engine.add('b', base).handle };
    let calls = 0;
    const cancelledAtThird = () => { if (++calls >= 3) throw new QueryInterruptedError(); };
    assert.throws(() => engine.answer({ kind: 'top', pair, view }, cancelledAtThird), QueryInterruptedError);
    assert.equal(calls, 3, 'stopped mid-walk, not after it');
    const top = engine.answer({ kind: 'top', pair, view });
    assert.deepEqual([...top.flat].sort(), [...expected.flat].sort());
    assert.equal(top.total, expected.total);
  });

  it('the flame graph and the call graph stop too', () => {
    const engine = new AnalysisEngine();
    const pair = { target: engine.add('t', target).handle, base: engine.add('b', base).handle };
    const queries: AnalysisQuery[] = [
      { kind: 'flameTree', pair, view, minFraction: 0.0001, zoom: [] },
      { kind: 'callGraph', pair, view: { ...view, sampleType: 'alloc_space' }, request: { nodeCount: 80, nodeFraction: 0.005, edgeFraction: 0.001 } },
    ];
    for (const query of queries) {
      let calls = 0;
      assert.throws(() => engine.answer(query, () => { if (++calls === 4) throw new QueryInterruptedError(); }), QueryInterruptedError, query.kind);
    }
  });

  it('the worker loop answers a query cancelled while running with `cancelled`, then serves the next', async () => {
    const flags = new CancelAtCheckpoint(1, 3);
    const posted: FromAnalysis[] = [];
    const loop = new AnalysisLoop('unused', (m) => posted.push(m), flags);
    const pair = { target: loop.engine.add('t', target).handle, base: loop.engine.add('b', base).handle };
    loop.receive({ type: 'query', id: 1, query: { kind: 'top', pair, view } });
    loop.receive({ type: 'query', id: 2, query: { kind: 'top', pair, view } });
    while (posted.length < 2) await new Promise((r) => setImmediate(r));
    assert.deepEqual(posted[0], { type: 'cancelled', id: 1 });
    assert.equal(flags.calls, 3);
    assert.equal(posted[1].type, 'answer');
    assert.equal(posted[1].type === 'answer' && (posted[1].answer as typeof expected).total, expected.total);
  });

  it('a long query gives way to an urgent one sent while it runs (the tree\'s first rows), then runs again to its true answer', async () => {
    const flags = new InterruptFlags();
    const posted: FromAnalysis[] = [];
    const loop = new AnalysisLoop('unused', (m) => posted.push(m), flags);
    const pair = { target: loop.engine.add('t', target).handle, base: loop.engine.add('b', base).handle };
    const urgent: ToAnalysis = { type: 'query', id: 2, query: { kind: 'hotspots', pair, view, limit: 10 } };
    assert.ok(isUrgentQuery(urgent.query) && !isUrgentQuery({ kind: 'top', pair, view }));
    // The relay counts the urgent query when it passes it on (here at the top query's 2nd checkpoint);
    // its message reaches the loop's thread a turn later.
    let checkpoints = 0;
    const answer = loop.engine.answer.bind(loop.engine);
    loop.engine.answer = ((q, c) => answer(q, c && (() => {
      if (q.kind === 'top' && ++checkpoints === 2) {
        flags.notePosted();
        flags.noteUrgent();
        setImmediate(() => loop.receive(urgent));
      }
      c();
    }))) as typeof loop.engine.answer;
    flags.notePosted();
    loop.receive({ type: 'query', id: 1, query: { kind: 'top', pair, view } });
    while (posted.length < 2) await new Promise((r) => setImmediate(r));
    assert.deepEqual(posted.map((m) => [m.type, m.id]), [['answer', 2], ['answer', 1]], 'the urgent query first; the other is not cancelled');
    assert.ok(checkpoints > 4, `the top query ran again from the start (${checkpoints} checkpoints)`);
    const top = posted[1].type === 'answer' ? (posted[1].answer as typeof expected) : undefined;
    assert.deepEqual([...(top?.flat ?? [])].sort(), [...expected.flat].sort());
    assert.equal(top?.total, expected.total);
  });

  it('a checkpoint of a query that is not urgent throws QueryPreemptedError once an urgent query was sent after it started', () => {
    const flags = new InterruptFlags();
    const check = flags.checkpointFor(7, 0);
    const urgentItself = flags.checkpointFor(8, undefined);
    check();
    flags.noteUrgent();
    assert.throws(check, QueryPreemptedError);
    assert.doesNotThrow(urgentItself);
    assert.doesNotThrow(flags.checkpointFor(9, 1), 'an urgent query already received preempts nothing');
  });

  it('prefetching waits while a query the host sent is still on its way, and runs once idle', async () => {
    const flags = new InterruptFlags();
    const posted: FromAnalysis[] = [];
    const loop = new AnalysisLoop('unused', (m) => posted.push(m), flags);
    const pair = { target: loop.engine.add('t', target).handle, base: loop.engine.add('b', base).handle };
    const answer = loop.engine.answer.bind(loop.engine);
    let answered = 0; // queries and prefetches (a prefetch of the other sample types asks `top`)
    loop.engine.answer = ((q, c) => { answered++; return answer(q, c); }) as typeof loop.engine.answer;
    const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
    // The host has sent two queries; only the first has arrived.
    flags.notePosted();
    flags.notePosted();
    loop.receive({ type: 'query', id: 1, query: { kind: 'top', pair, view } });
    while (posted.length < 1) await turns(1);
    await turns(10);
    assert.equal(answered, 1, 'no prefetch while the second query is on its way');
    loop.receive({ type: 'query', id: 2, query: { kind: 'top', pair, view: { ...view, sampleType: 'alloc_space' } } });
    while (posted.length < 2) await turns(1);
    assert.equal(posted[1].type, 'answer');
    await turns(10);
    assert.ok(answered > 2, `idle again: the other sample types are prefetched (${answered - 2} so far)`);
  });
});

describe('prefetching across queries', () => {
  /** recording is a loop over the pair whose prefetches, when they run, are named by `label` in `prefetched`. */
  const recording = (label: (q: AnalysisQuery, i: number) => string) => {
    const posted: FromAnalysis[] = [];
    const loop = new AnalysisLoop('unused', (m) => posted.push(m), new InterruptFlags());
    const pair = { target: loop.engine.add('t', target).handle, base: loop.engine.add('b', base).handle };
    const prefetched: string[] = [];
    const prefetch = loop.engine.prefetch.bind(loop.engine);
    loop.engine.prefetch = ((q) => prefetch(q).map((work, i) => (c?: () => void) => { prefetched.push(label(q, i)); work(c); })) as typeof loop.engine.prefetch;
    const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
    return { posted, loop, pair, prefetched, turns };
  };

  it('a query answered right after another keeps the first one\'s prefetches (the tree\'s rows, then a diagnosis)', async () => {
    const { posted, loop, pair, prefetched, turns } = recording((q, i) => `${q.kind} ${i}`);
    // Both arrive before the loop's next turn, as the tree's rows and the findings do after Compare.
    loop.receive({ type: 'query', id: 1, query: { kind: 'hotspots', pair, view, limit: 5 } });
    loop.receive({ type: 'query', id: 2, query: { kind: 'hotspotNumbers', pair, view, names: [] } });
    while (posted.length < 2) await turns(1);
    await turns(20);
    assert.ok(prefetched.includes('hotspots 0') && prefetched.includes('hotspots 1'), `the rows' prefetches ran (${prefetched.join(', ')})`);
  });

  it('a preview\'s Top table answered after the comparison\'s rows keeps the comparison\'s prefetches, and they run first', async () => {
    const { posted, loop, pair, prefetched, turns } = recording((q, i) => `${q.kind} ${'pair' in q && q.pair.base === undefined ? 'preview' : 'pair'} ${i}`);
    const preview = { target: loop.engine.add('p', target).handle };
    // The preview's table was asked for first (clicking the first file opened it); the rows are urgent and run before it.
    loop.receive({ type: 'query', id: 1, query: { kind: 'top', pair: preview, view } });
    loop.receive({ type: 'query', id: 2, query: { kind: 'hotspots', pair, view, limit: 5 } });
    while (posted.length < 2) await turns(1);
    assert.deepEqual(posted.map((m) => m.type === 'answer' && m.id), [2, 1], 'the rows ran first');
    await turns(40);
    assert.deepEqual(prefetched.slice(0, 2), ['hotspots pair 0', 'hotspots pair 1'], `the comparison's steps ran first (${prefetched.join(', ')})`);
    assert.ok(prefetched.includes('top preview 0'), `the preview's steps ran after them (${prefetched.join(', ')})`);
  });

  it('a released profile\'s prefetches are dropped', async () => {
    const flags = new InterruptFlags();
    const posted: FromAnalysis[] = [];
    const loop = new AnalysisLoop('unused', (m) => posted.push(m), flags);
    const pair = { target: loop.engine.add('t', target).handle, base: loop.engine.add('b', base).handle };
    const preview = { target: loop.engine.add('p', target).handle };
    const prefetched: string[] = [];
    const prefetch = loop.engine.prefetch.bind(loop.engine);
    loop.engine.prefetch = ((q) => prefetch(q).map((work) => (c?: () => void) => { prefetched.push('pair' in q && q.pair.base === undefined ? 'preview' : 'pair'); work(c); })) as typeof loop.engine.prefetch;
    const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
    // Prefetching waits while the host has sent a query that is not here yet: the preview's table is answered, its steps wait.
    flags.notePosted();
    flags.notePosted();
    loop.receive({ type: 'query', id: 1, query: { kind: 'top', pair: preview, view } });
    while (posted.length < 1) await turns(1);
    loop.receive({ type: 'release', handles: [preview.target] });
    loop.receive({ type: 'query', id: 2, query: { kind: 'hotspots', pair, view, limit: 5 } });
    while (posted.length < 2) await turns(1);
    await turns(40);
    assert.ok(prefetched.length > 0 && prefetched.every((p) => p === 'pair'), `only the comparison was prefetched (${prefetched.join(', ')})`);
  });

  it('a newer view\'s prefetches replace an older view\'s that had not run', async () => {
    const { posted, loop, pair, prefetched, turns } = recording((q) => ('view' in q ? q.view.sampleType : q.kind));
    // Two views' rows in a row (the sample type changed before the first one's prefetch ran).
    loop.receive({ type: 'query', id: 1, query: { kind: 'hotspots', pair, view, limit: 5 } });
    loop.receive({ type: 'query', id: 2, query: { kind: 'hotspots', pair, view: { ...view, sampleType: 'alloc_space' }, limit: 5 } });
    while (posted.length < 2) await turns(1);
    await turns(20);
    assert.ok(prefetched.length > 0 && prefetched.every((t) => t === 'alloc_space'), `only the newer view is prefetched (${prefetched.join(', ')})`);
  });
});

describe('interruptible queries across the thread boundary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heaplens-interrupt-'));
  let worker: Worker;
  const flags = new InterruptFlags();
  const replies: FromAnalysis[] = [];
  before(async () => {
    for (const name of ['analysisWorker', 'decodeWorker']) {
      await esbuild.build({
        entryPoints: [join(__dirname, `../../../src/node/${name}.ts`)],
        outfile: join(dir, `${name}.js`), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent',
      });
    }
    worker = new Worker(join(dir, 'analysisWorker.js'), { workerData: { decodeScript: join(dir, 'decodeWorker.js'), interrupts: flags.buffer } });
    worker.on('message', (m: FromAnalysis) => replies.push(m));
  });
  after(async () => {
    await worker.terminate();
    rmSync(dir, { recursive: true, force: true });
  });
  const reply = async (id: number): Promise<FromAnalysis> => {
    for (;;) {
      const m = replies.find((r) => r.id === id);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('a flag written by the host stops the worker\'s query without any cancel message', async () => {
    const bytes = new Uint8Array(readFileSync(join(__dirname, '../../fixtures/profiles/default/bodies/new.pb.gz')));
    worker.postMessage({ type: 'load', id: 1, name: 'new.pb.gz', source: { bytes }, maxBytes: 1 << 30 } satisfies ToAnalysis);
    flags.notePosted();
    const loaded = await reply(1);
    assert.equal(loaded.type, 'loaded');
    const handle = loaded.type === 'loaded' ? loaded.handle : -1;
    // The flag is written before the query is posted: written after, a descheduled host thread
    // (a loaded CI machine) lets the worker finish this small query first, and the test would race.
    flags.cancel(2);
    worker.postMessage({ type: 'query', id: 2, query: { kind: 'top', pair: { target: handle }, view } });
    flags.notePosted();
    assert.deepEqual(await reply(2), { type: 'cancelled', id: 2 });
    worker.postMessage({ type: 'query', id: 3, query: { kind: 'top', pair: { target: handle }, view } });
    flags.notePosted();
    assert.equal((await reply(3)).type, 'answer');
  });
});
