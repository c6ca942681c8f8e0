import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { CaptureError } from '../../../src/core/capture';
import { type CaptureDecoder, captureProfile } from '../../../src/node/captureHttp';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { decodeCaptureInWorker } from '../../../src/node/workerDecode';

// Captured bodies are decoded where the caller says: the extension hands captureProfile its decode
// worker, so neither the decoding nor the count of gzip padding (one more inflate) runs on the
// extension host's thread. The worker gets a copy: the body is saved afterwards.

const FIXTURE = join(__dirname, '../../fixtures/profiles/default/bodies/new.pb.gz');
const dir = mkdtempSync(join(tmpdir(), 'heaplens-capture-decode-'));
const script = join(dir, 'decodeWorker.js');
const bodies: Record<string, Uint8Array> = {};
let server: http.Server;
let base = '';
let inWorker = 0;
const workerDecoder: CaptureDecoder = (body, maxBytes, signal) => {
  inWorker++;
  return decodeCaptureInWorker(script, body.slice(), maxBytes, signal);
};
const limits = { timeoutMs: 10_000, maxBytes: 1 << 26, decode: workerDecoder };

before(async () => {
  await esbuild.build({ entryPoints: [join(__dirname, '../../../src/node/decodeWorker.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
  const gz = new Uint8Array(readFileSync(FIXTURE));
  const padded = new Uint8Array(gz.length + 512);
  padded.set(gz);
  Object.assign(bodies, { '/heap': gz, '/padded': padded, '/text': new TextEncoder().encode('<html>login</html>') });
  server = http.createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'Content-Length': String(body?.length ?? 0) });
    res.end(body ? Buffer.from(body) : undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('capture decoded in the decode worker', () => {
  it('decodes the body in the worker and keeps the body to save intact', async () => {
    inWorker = 0;
    const captured = await captureProfile(`${base}/heap`, limits);
    assert.equal(inWorker, 1);
    assert.deepEqual(captured.body, bodies['/heap'], 'the saved bytes are the response, not a detached buffer');
    assert.equal(captured.profile.samples.count, loadProfileFileSync(FIXTURE).samples.count);
    assert.equal(captured.trimmedPadding, 0);
  });

  it('counts and trims the zero padding after the gzip data there too', async () => {
    const captured = await captureProfile(`${base}/padded`, limits);
    assert.equal(captured.trimmedPadding, 512);
    assert.deepEqual(captured.body, bodies['/heap']);
  });

  it('a body that is not a profile fails with the capture\'s message naming the URL', async () => {
    await assert.rejects(captureProfile(`${base}/text`, limits), (e: Error) => e instanceof CaptureError && e.code === 'not-a-profile' && e.message.includes(`${base}/text`));
  });
});
