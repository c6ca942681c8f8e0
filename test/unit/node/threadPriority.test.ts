import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { WORKER_NICENESS, threadIdOf } from '../../../src/node/threadPriority';

// The workers' lower priority is per thread: the worker thread that asks gets it, the thread that
// started it (the extension host's main thread) keeps its own.

const LINUX = process.platform === 'linux';
const dir = mkdtempSync(join(tmpdir(), 'heaplens-nice-'));
const bundle = join(dir, 'threadPriority.js');

before(async () => {
  await esbuild.build({
    entryPoints: [join(__dirname, '../../../src/node/threadPriority.ts')],
    outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent',
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** niceOf reads a thread's nice value from /proc (field 19 of its stat, after the parenthesised name). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('worker thread priority', () => {
  it('reads the thread id from /proc/thread-self', () => {
    assert.equal(threadIdOf('4242/task/4250'), 4250);
    assert.equal(threadIdOf('4242'), undefined);
    assert.equal(threadIdOf('garbage/task/x'), undefined);
  });

  it(`lowers only the calling worker thread (Linux)${LINUX ? '' : ': SKIPPED, not Linux'}`, { skip: !LINUX && 'per-thread priority is Linux-only' }, async () => {
    const before = getPriority();
    // The worker lowers itself, then reports its thread id and stays alive until asked to stop, so
    // its /proc entry can be read from here.
    const worker = new Worker(`
      const { parentPort } = require('node:worker_threads');
      const tid = require(${JSON.stringify(bundle)}).lowerThreadPriority();
      parentPort.postMessage(tid ?? -1);
      parentPort.once('message', () => process.exit(0));
    `, { eval: true });
    try {
      const tid = await new Promise<number>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
      assert.ok(tid > 0, 'the worker found no thread id');
      assert.notEqual(tid, process.pid);
      assert.equal(niceOf(tid), WORKER_NICENESS);
      assert.equal(getPriority(), before, 'the starting thread kept its priority');
      assert.equal(niceOf(process.pid), before);
    } finally {
      worker.postMessage('stop');
      await new Promise((r) => worker.once('exit', r));
    }
  });
});
