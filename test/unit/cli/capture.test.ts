import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  CaptureError, captureFileName, captureUrl, httpStatusError, redirectTarget, validateCapture,
} from '../../../src/core/capture';
import { decodeProfile } from '../../../src/core/decode';
import { UsageError, parseArgs } from '../../../src/cli/args';
import { CAPTURE_BOOLEANS, CAPTURE_VALUED, runCapture } from '../../../src/cli/captureCommand';
import { CliError } from '../../../src/cli/topCommand';
import { captureProfile } from '../../../src/node/captureHttp';
import { captureSeries } from '../../../src/node/captureSeries';
import { saveCapture } from '../../../src/node/captureStore';
import { encodeProfile } from '../../support/profileWriter';

// Capturing over HTTP: the URL rules and messages (pure), then the Node client against a real
// loopback server that answers the way live services and proxies do — good profiles, errors,
// redirects, huge and slow bodies.

const FIXTURE = join(__dirname, '../../fixtures/profiles/default/bodies');
const PROTO = new Uint8Array(readFileSync(join(FIXTURE, 'new.pb.gz')));
const TEXT = new Uint8Array(readFileSync(join(FIXTURE, 'new.heap.txt')));
const CPU = new Uint8Array(gzipSync(encodeProfile({
  sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']], samples: [], locations: [], functions: [],
})));

function codeOf(e: unknown): string {
  return e instanceof CaptureError ? e.code : `not a CaptureError: ${String(e)}`;
}

describe('capture URLs', () => {
  const cases: Array<[string, Parameters<typeof captureUrl>[1], string]> = [
    ['127.0.0.1:6060', {}, 'http://127.0.0.1:6060/debug/pprof/heap'],
    ['  localhost:6060  ', {}, 'http://localhost:6060/debug/pprof/heap'],
    [':6060', {}, 'http://localhost:6060/debug/pprof/heap'],
    ['6060', {}, 'http://localhost:6060/debug/pprof/heap'],
    ['http://svc:6060', {}, 'http://svc:6060/debug/pprof/heap'],
    ['https://svc.example.com/', {}, 'https://svc.example.com/debug/pprof/heap'],
    ['svc:8080/admin/pprof/heap', {}, 'http://svc:8080/admin/pprof/heap'],
    ['127.0.0.1:6060', { gc: true }, 'http://127.0.0.1:6060/debug/pprof/heap?gc=1'],
    ['127.0.0.1:6060', { gc: true, debug: true }, 'http://127.0.0.1:6060/debug/pprof/heap?gc=1&debug=1'],
    ['http://[::1]:6060/debug/pprof/heap?seconds=0&debug=0', { debug: true }, 'http://[::1]:6060/debug/pprof/heap?seconds=0&debug=1'],
    ['http://svc:6060/debug/pprof/heap?gc=1', { gc: true }, 'http://svc:6060/debug/pprof/heap?gc=1'],
  ];
  for (const [input, options, want] of cases) {
    it(`${JSON.stringify(input)} ${JSON.stringify(options)} → ${want}`, () => assert.equal(captureUrl(input, options), want));
  }

  it('refuses what is not an http(s) address, saying why', () => {
    assert.throws(() => captureUrl(''), /Enter the address/);
    assert.throws(() => captureUrl('ftp://svc:21/heap'), /only http and https/);
    assert.throws(() => captureUrl('http://svc:70000'), /port 70000 is outside/);
    assert.throws(() => captureUrl('http:// bad host/'), (e) => codeOf(e) === 'bad-url');
  });

  it('follows redirects only within the origin the user named', () => {
    assert.equal(redirectTarget('http://svc:6060/debug/pprof/heap', '/debug/pprof/heap?x=1'), 'http://svc:6060/debug/pprof/heap?x=1');
    assert.equal(redirectTarget('http://svc:6060/debug/pprof/heap', 'allocs'), 'http://svc:6060/debug/pprof/allocs');
    assert.equal(redirectTarget('http://svc/debug/pprof/heap', 'http://SVC:80/x'), 'http://svc/x');
    assert.throws(() => redirectTarget('http://svc:6060/debug/pprof/heap', 'http://evil.example/collect'), /only fetches from the address you gave/);
    assert.throws(() => redirectTarget('http://svc:6060/a', 'https://svc:6060/a'), (e) => codeOf(e) === 'redirect');
    assert.throws(() => redirectTarget('http://svc:6060/a', '//other:6060/a'), (e) => codeOf(e) === 'redirect');
  });

  it('compares redirects as the HTTP client parses them (WHATWG URL), one trick per case', () => {
    const from = 'http://127.0.0.1:6060/debug/pprof/heap';
    const refused = (location: string, why: RegExp) => assert.throws(() => redirectTarget(from, location), (e) => codeOf(e) === 'redirect' && why.test((e as Error).message), location);
    // Backslash: everything after `\` is path, so the request would go to port 6061.
    refused('http://127.0.0.1:6061\\@127.0.0.1:6060/debug/pprof/heap', /only fetches from the address you gave \(http:\/\/127\.0\.0\.1:6060\)/);
    // `@`: user info is refused outright; a host after `@` is another host.
    refused('http://me@127.0.0.1:6060/debug/pprof/heap', /user name or password/);
    refused('http://127.0.0.1:6060@evil.example/x', /user name or password/);
    refused('//evil.example:6060/x', /only fetches/);
    // IPv6: the canonical form decides.
    assert.equal(redirectTarget('http://[::1]:6060/a', 'http://[0:0:0:0:0:0:0:1]:6060/b'), 'http://[::1]:6060/b');
    assert.throws(() => redirectTarget('http://[::1]:6060/a', 'http://[::2]:6060/a'), (e) => codeOf(e) === 'redirect');
    assert.throws(() => redirectTarget('http://[::1]:6060/a', 'http://[::ffff:127.0.0.1]:6060/a'), (e) => codeOf(e) === 'redirect');
    // Case of scheme and host does not matter; the returned URL is canonical.
    assert.equal(redirectTarget(from, 'HTTP://127.0.0.1:6060/X'), 'http://127.0.0.1:6060/X');
    assert.equal(redirectTarget('http://svc:6060/a', 'http://SVC:6060/b'), 'http://svc:6060/b');
    // Default ports are the same port, other ports are not.
    assert.equal(redirectTarget('http://svc/a', 'http://svc:80/b'), 'http://svc/b');
    assert.equal(redirectTarget('https://svc:443/a', 'https://svc/b'), 'https://svc/b');
    assert.throws(() => redirectTarget('http://svc/a', 'http://svc:8080/b'), (e) => codeOf(e) === 'redirect');
    assert.throws(() => redirectTarget('http://svc/a', 'http://svc:443/b'), (e) => codeOf(e) === 'redirect');
    // Nonsense is refused, not guessed at.
    refused('http://[::1/x', /not a valid address/);
  });

  it('names saved files by local time and never reuses a name', () => {
    const when = new Date(2025, 0, 2, 3, 4, 5);
    assert.equal(captureFileName(when, '.pb.gz'), 'heap-20250102-030405.pb.gz');
    assert.equal(captureFileName(when, '.txt', 2), 'heap-20250102-030405-2.txt');
  });

  it('quotes the status and the first line of an error body', () => {
    const e = httpStatusError('http://svc/debug/pprof/heap', 404, 'Not Found', new TextEncoder().encode('\n404 page not found\nmore'));
    assert.equal(e.message, 'HTTP 404 Not Found from http://svc/debug/pprof/heap: 404 page not found — is net/http/pprof imported, and is this the right path?');
    const binary = httpStatusError('http://svc/x', 500, '', new Uint8Array([0x1f, 0x8b, 0, 1, 2]));
    assert.equal(binary.message, 'HTTP 500 from http://svc/x');
  });

  it('accepts heap profiles in both forms and rejects anything else before it is saved', () => {
    const decode = (b: Uint8Array) => decodeProfile(b);
    assert.equal(validateCapture('u', PROTO, decode).format, 'pprof-proto');
    assert.equal(validateCapture('u', TEXT, decode).format, 'legacy-heap-text');
    assert.throws(() => validateCapture('http://svc/x', new TextEncoder().encode('<html><body>login</body></html>'), decode),
      /^CaptureError: The response from http:\/\/svc\/x is not a heap profile: not a pprof profile: it is text starting "<html>/);
    assert.throws(() => validateCapture('http://svc/x', CPU, decode), /a profile but not a heap profile \(sample types: samples\/count, cpu\/nanoseconds\)/);
    assert.throws(() => validateCapture('http://svc/x', PROTO.subarray(0, PROTO.length / 2), decode), (e) => codeOf(e) === 'not-a-profile');
  });
});

/** A loopback server whose routes answer like a Go service, a misconfigured proxy, or a stuck process. */
function testServer(): Promise<{ base: string; close: () => Promise<void> }> {
  let onceServed = false;
  const server = http.createServer((req, res) => {
    const route = (req.url ?? '').split('?')[0];
    switch (route) {
      case '/once': // a service that dies after its first answer
        if (!onceServed) { onceServed = true; res.end(PROTO); } else { res.writeHead(503, 'Service Unavailable'); res.end('shutting down\n'); }
        return;
      case '/debug/pprof/heap':
        if ((req.url ?? '').includes('debug=1')) { res.setHeader('Content-Type', 'text/plain'); res.end(TEXT); } else res.end(PROTO);
        return;
      case '/moved': res.writeHead(302, { Location: '/debug/pprof/heap' }); res.end(); return;
      case '/elsewhere': res.writeHead(302, { Location: 'http://198.51.100.1:6060/debug/pprof/heap' }); res.end(); return;
      case '/loop': res.writeHead(302, { Location: '/loop' }); res.end(); return;
      case '/html': res.setHeader('Content-Type', 'text/html'); res.end('<!doctype html><title>Login</title>'); return;
      case '/cpu': res.end(CPU); return;
      case '/error': res.writeHead(500, 'Internal Server Error'); res.end('profile: runtime error: index out of range\ngoroutine 1'); return;
      case '/huge': res.setHeader('Content-Length', String(10 * 1048576)); res.write(new Uint8Array(1024)); return; // never finishes
      case '/stream': {
        // No Content-Length: the cap must trip while reading.
        const chunk = new Uint8Array(256 * 1024);
        let sent = 0;
        const push = () => { while (sent < 8 && res.write(chunk)) sent++; if (sent < 8) res.once('drain', push); else res.end(); };
        push();
        return;
      }
      case '/slow': return; // never answers
      default: res.writeHead(404, 'Not Found'); res.end('404 page not found\n');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    resolve({
      base: `http://127.0.0.1:${port}`,
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
    });
  }));
}

describe('capturing from a live HTTP server (loopback)', () => {
  let srv: Awaited<ReturnType<typeof testServer>>;
  let dir: string;
  const limits = { timeoutMs: 2000, maxBytes: 1048576 };
  before(async () => { srv = await testServer(); dir = mkdtempSync(join(tmpdir(), 'heaplens-capture-')); });
  after(async () => { await srv.close(); rmSync(dir, { recursive: true, force: true }); });

  it('fetches and validates a gzipped heap profile, keeping the exact bytes', async () => {
    const c = await captureProfile(captureUrl(srv.base.slice('http://'.length)), limits);
    assert.deepEqual(c.body, PROTO);
    assert.equal(c.profile.samples.count, decodeProfile(PROTO).samples.count);
  });

  it('fetches the debug=1 text form', async () => {
    const c = await captureProfile(captureUrl(srv.base, { debug: true }), limits);
    assert.equal(c.profile.format, 'legacy-heap-text');
  });

  it('follows a same-origin redirect, and refuses one to another host without contacting it', async () => {
    assert.deepEqual((await captureProfile(`${srv.base}/moved`, limits)).body, PROTO);
    await assert.rejects(captureProfile(`${srv.base}/elsewhere`, limits), (e) => codeOf(e) === 'redirect' && /198\.51\.100\.1/.test((e as Error).message));
    await assert.rejects(captureProfile(`${srv.base}/loop`, limits), /redirected more than 5 times/);
  });

  it('reports HTTP errors with the status and the first body line', async () => {
    await assert.rejects(captureProfile(`${srv.base}/error`, limits), {
      message: `HTTP 500 Internal Server Error from ${srv.base}/error: profile: runtime error: index out of range`,
    });
    await assert.rejects(captureProfile(`${srv.base}/nope`, limits), (e) => codeOf(e) === 'http-status' && /HTTP 404 Not Found .*404 page not found — is net\/http\/pprof imported/.test((e as Error).message));
  });

  it('rejects answers that are not heap profiles', async () => {
    await assert.rejects(captureProfile(`${srv.base}/html`, limits), (e) => codeOf(e) === 'not-a-profile' && /text starting "<!doctype html>/.test((e as Error).message));
    await assert.rejects(captureProfile(`${srv.base}/cpu`, limits), /not a heap profile \(sample types: samples\/count/);
  });

  it('stops at the size cap, declared or streamed, naming the setting', async () => {
    const capped = { ...limits, sizeSetting: 'heaplens.capture.maxSizeMB' };
    await assert.rejects(captureProfile(`${srv.base}/huge`, capped), { message: `The response from ${srv.base}/huge is larger than 1 MB (raise heaplens.capture.maxSizeMB to allow it)` });
    await assert.rejects(captureProfile(`${srv.base}/stream`, capped), (e) => codeOf(e) === 'too-large');
  });

  it('times out on a service that never answers', async () => {
    const started = Date.now();
    await assert.rejects(captureProfile(`${srv.base}/slow`, { ...limits, timeoutMs: 300, timeoutSetting: '--timeout' }),
      { message: `Timed out after 0.3s waiting for ${srv.base}/slow (raise --timeout for slow services)` });
    assert.ok(Date.now() - started < 1500);
  });

  it('can be cancelled while waiting', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(captureProfile(`${srv.base}/slow`, { ...limits, signal: abort.signal }), (e) => codeOf(e) === 'cancelled');
  });

  it('says "connection refused" when nothing listens', async () => {
    const closed = await testServer();
    await closed.close();
    const url = `${closed.base}/debug/pprof/heap`;
    await assert.rejects(captureProfile(url, limits), { message: `Connection refused at ${url} — is the service running with net/http/pprof?` });
  });

  it('saves into a new folder and never overwrites an existing file', async () => {
    const when = new Date(2025, 5, 6, 7, 8, 9);
    const target = join(dir, 'nested', '.heaplens');
    const profile = decodeProfile(PROTO);
    const first = await saveCapture(target, PROTO, profile, when);
    assert.equal(first, join(target, 'heap-20250606-070809.pb.gz'));
    writeFileSync(join(target, 'heap-20250606-070809-1.pb.gz'), 'the user\'s own file');
    const second = await saveCapture(target, PROTO, profile, when);
    assert.equal(second, join(target, 'heap-20250606-070809-2.pb.gz'));
    assert.equal(readFileSync(join(target, 'heap-20250606-070809-1.pb.gz'), 'utf8'), 'the user\'s own file');
    assert.deepEqual(new Uint8Array(readFileSync(first)), PROTO);
    const text = await saveCapture(target, TEXT, decodeProfile(TEXT), when);
    assert.ok(text.endsWith('heap-20250606-070809.txt'));
  });

  it('takes a series at the interval, and a cancelled series keeps what it saved', async () => {
    const out = join(dir, 'series');
    const started = Date.now();
    const seen: number[] = [];
    const done = await captureSeries(`${srv.base}/debug/pprof/heap`, { ...limits, count: 3, intervalMs: 150, directory: out, onSnapshot: (i) => seen.push(i) });
    assert.equal(done.error, undefined);
    assert.deepEqual(seen, [0, 1, 2]);
    assert.ok(Date.now() - started >= 300, 'three snapshots 150 ms apart take ≥ 300 ms');
    assert.equal(readdirSync(out).length, 3);
    const abort = new AbortController();
    const partial = await captureSeries(`${srv.base}/debug/pprof/heap`, {
      ...limits, count: 5, intervalMs: 10000, directory: join(dir, 'cancelled'), signal: abort.signal, onSnapshot: () => abort.abort(),
    });
    assert.equal(partial.saved.length, 1);
    assert.equal(codeOf(partial.error), 'cancelled');
    assert.equal(readdirSync(join(dir, 'cancelled')).length, 1);
  });

  it('heaplens capture prints each saved path; a series that breaks keeps and reports what it saved', async () => {
    const printed: string[] = [];
    const progress: string[] = [];
    const run = (...argv: string[]) => runCapture(parseArgs(argv, CAPTURE_VALUED, CAPTURE_BOOLEANS), (l) => printed.push(l), (l) => progress.push(l));
    const out = join(dir, 'cli');
    // This test server serves a heap profile only; bundles are tested against a real Go service (captureLive).
    assert.equal(await run('--heap-only', '--count', '2', '--interval', '0.1', '--out', out, srv.base.slice('http://'.length)), '');
    assert.deepEqual(printed.map((l) => l.trim()).sort(), readdirSync(out).map((f) => join(out, f)).sort());
    assert.equal(printed.length, 2);
    assert.match(progress.join(''), /^heaplens: 1\/2 [\d.]+kB in \d+ ms\nheaplens: 2\/2 /);
    printed.length = 0;
    await assert.rejects(run('--heap-only', '--count', '3', '--interval', '0.05', '--out', join(dir, 'once'), `${srv.base}/once`), (e: unknown) => e instanceof CliError
      && e.message === `HTTP 503 Service Unavailable from ${srv.base}/once: shutting down (1 of 3 saved)`);
    assert.equal(printed.length, 1);
    assert.equal(readdirSync(join(dir, 'once')).length, 1);
    // By default a capture is a bundle; a service without /debug/pprof/goroutine says so and how to do without.
    await assert.rejects(run('--out', join(dir, 'bundle'), srv.base.slice('http://'.length)), (e: unknown) => e instanceof CliError
      && /goroutine\?debug=2.*\(--heap-only captures the heap profile alone\)/.test(e.message));
  });

  it('heaplens capture: one-line errors for a refused connection and for usage mistakes', async () => {
    const run = (...argv: string[]) => runCapture(parseArgs(argv, CAPTURE_VALUED, CAPTURE_BOOLEANS), () => assert.fail('nothing is saved'));
    const closed = await testServer();
    await closed.close();
    await assert.rejects(run('--out', join(dir, 'never'), closed.base.slice('http://'.length)), (e: unknown) => e instanceof CliError
      && e.message === `Connection refused at ${closed.base}/debug/pprof/heap — is the service running with net/http/pprof?`);
    await assert.rejects(run(), (e: unknown) => e instanceof UsageError && /exactly one URL/.test(e.message));
    await assert.rejects(run('--count', '0', 'svc:6060'), (e: unknown) => e instanceof UsageError && /--count must be at least 1/.test(e.message));
    await assert.rejects(run('--interval', 'soon', 'svc:6060'), (e: unknown) => e instanceof UsageError && /--interval must be a number of seconds/.test(e.message));
    await assert.rejects(run('gopher://svc:70'), (e: unknown) => e instanceof UsageError && /only http and https/.test(e.message));
  });
});
