import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { ProfileError, describeError } from '../../../src/core/errors';
import { useTranslations } from '../../../src/core/language';
import { packStrings, profileBuffers, runDecodeJob, unpackProfile, unpackStrings } from '../../../src/node/decodeJob';
import { DecodeCancelledError, decodeInWorker } from '../../../src/node/workerDecode';

// Decoding off the extension host's thread: the worker bundle is built from src/node/decodeWorker.ts
// exactly as esbuild.mjs builds dist/decodeWorker.js, then driven the way the extension drives it.

const FIXTURES = join(__dirname, '../../fixtures');
const BODIES = join(FIXTURES, 'profiles/default/bodies/new.pb.gz');
const dir = mkdtempSync(join(tmpdir(), 'heaplens-worker-'));
const script = join(dir, 'decodeWorker.js');
const fileBytes = (path: string) => new Uint8Array(readFileSync(path));

before(async () => {
  await esbuild.build({
    entryPoints: [join(__dirname, '../../../src/node/decodeWorker.ts')],
    outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent',
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('decoding in a worker', () => {
  it('returns the same profile as decoding in-process, for protobuf and heap profile text, given bytes or the file', async () => {
    for (const path of [BODIES, join(FIXTURES, 'profiles/default/bodies/new.heap.txt')]) {
      const inProcess = loadProfileFileSync(path);
      const viaWorker = await decodeInWorker(script, { bytes: fileBytes(path) }, 1 << 30);
      assert.deepEqual(viaWorker, inProcess, path);
      const readByWorker = await decodeInWorker(script, { path }, 1 << 30);
      assert.deepEqual(readByWorker, inProcess, `${path}, read by the worker`);
    }
  });

  it('moves the input to the worker instead of copying it', async () => {
    const bytes = fileBytes(BODIES);
    const pending = decodeInWorker(script, { bytes }, 1 << 30);
    assert.equal(bytes.byteLength, 0, 'the caller\'s buffer was transferred (detached)');
    await pending;
  });

  it('a truncated file fails with the decoder\'s own error, worded by describeError', async () => {
    const whole = fileBytes(BODIES);
    const half = whole.slice(0, whole.length >> 1);
    await assert.rejects(decodeInWorker(script, { bytes: half }, 1 << 30), (e: unknown) => {
      assert.ok(e instanceof ProfileError, String(e));
      assert.equal(e.code, 'truncated');
      assert.match(describeError('broken.prof', e), /^broken\.prof: .*truncated/);
      return true;
    });
  });

  it('a file that is not a profile says so (the editor then offers "Open as text")', async () => {
    const text = new TextEncoder().encode('# notes\nnot a profile at all\n');
    await assert.rejects(decodeInWorker(script, { bytes: text }, 1 << 30), (e: unknown) => e instanceof ProfileError && e.code === 'not-a-profile');
  });

  it("words its errors in the starting thread's display language (the extension's zh-cn bundle), keeping the code", async () => {
    const zh = JSON.parse(readFileSync(join(__dirname, '../../../l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const whole = fileBytes(BODIES);
    useTranslations('zh-cn', zh);
    try {
      await assert.rejects(decodeInWorker(script, { bytes: whole.slice(0, whole.length >> 1) }, 1 << 30), (e: unknown) => {
        assert.ok(e instanceof ProfileError && e.code === 'truncated', String(e));
        assert.equal(describeError('broken.prof', e), 'broken.prof：gzip 数据不完整（数据流提前结束）');
        return true;
      });
      await assert.rejects(decodeInWorker(script, { bytes: fileBytes(BODIES) }, 1000), (e: unknown) => {
        assert.ok(e instanceof ProfileError && e.code === 'too-large', String(e));
        assert.match(describeError('big.prof', e), /^big\.prof：文件（或解压后的数据）超过大小上限 0 MiB$/);
        return true;
      });
    } finally {
      useTranslations('en', undefined);
    }
    // English again: a worker started now gets the English (empty) bundle.
    await assert.rejects(decodeInWorker(script, { bytes: whole.slice(0, whole.length >> 1) }, 1 << 30), /gzip data is truncated/);
  });

  it('refuses inputs above the size limit', async () => {
    await assert.rejects(decodeInWorker(script, { bytes: fileBytes(BODIES) }, 1000), (e: unknown) => e instanceof ProfileError && e.code === 'too-large');
  });

  it('cancelling terminates the worker and rejects at once', async () => {
    const abort = new AbortController();
    const pending = decodeInWorker(script, { bytes: fileBytes(BODIES) }, 1 << 30, abort.signal);
    abort.abort();
    const t0 = Date.now();
    await assert.rejects(pending, DecodeCancelledError);
    assert.ok(Date.now() - t0 < 500);
    await assert.rejects(decodeInWorker(script, { bytes: fileBytes(BODIES) }, 1 << 30, abort.signal), DecodeCancelledError);
  });
});

describe('the decode job', () => {
  it('lists each column buffer once, so postMessage can transfer them', async () => {
    const { reply, transfer } = await runDecodeJob({ bytes: fileBytes(BODIES), maxBytes: 1 << 30 });
    assert.ok(reply.ok);
    assert.ok(transfer.length >= 5);
    assert.equal(new Set(transfer).size, transfer.length);
    assert.deepEqual(transfer.slice(0, -1), profileBuffers(reply.profile));
    assert.equal(transfer[transfer.length - 1], reply.functionStrings.lengths.buffer);
  });

  it('function strings travel packed and come back identical', async () => {
    const { reply } = await runDecodeJob({ bytes: fileBytes(BODIES), maxBytes: 1 << 30 });
    assert.ok(reply.ok);
    assert.deepEqual(reply.profile.functions.name, []);
    assert.deepEqual(unpackProfile(reply).functions, loadProfileFileSync(BODIES).functions);
    const columns = [['a', '', 'main.(*T).f\u0000x'], [], ['/p/ü.go']];
    assert.deepEqual(unpackStrings(packStrings(columns), 3), columns);
  });

  it('never throws: failures come back as data', async () => {
    const { reply, transfer } = await runDecodeJob({ bytes: new Uint8Array(0), maxBytes: 1 << 30 });
    assert.deepEqual(reply, { ok: false, kind: 'profile', code: 'empty', message: 'the file is empty' });
    assert.deepEqual(transfer, []);
  });
});
