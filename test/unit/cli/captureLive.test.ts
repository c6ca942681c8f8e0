import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { captureUrl } from '../../../src/core/capture';
import { parseArgs } from '../../../src/cli/args';
import { CAPTURE_BOOLEANS, CAPTURE_VALUED, runCapture } from '../../../src/cli/captureCommand';
import { loadProfileFileSync } from '../../../src/node/loadProfile';
import { TREND_BOOLEANS, TREND_VALUED, runTrend } from '../../../src/cli/trendCommand';
import { captureProfile } from '../../../src/node/captureHttp';

// The real thing: the leaky Go service from the fixtures (net/http/pprof, leaking 256 KiB at one
// known line on a timer) is built, started on a loopback port, captured with the CLI's code, and
// the trend's first suspect must be that line. Skipped when Go is absent (CI installs it).

const SERVICE = join(__dirname, '../../fixtures/go/leakyservice');
const hasGo = (() => { try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

/** LEAK_LINE is read from the source, so the test follows the fixture if it is edited. */
const LEAK_LINE = readFileSync(join(SERVICE, 'leak.go'), 'utf8').split('\n').findIndex((l) => l.includes('event := make([]byte, size)')) + 1;

describe('capture from a running Go service and find its leak', { skip: hasGo ? false : 'go not installed', timeout: 120_000 }, () => {
  let work: string;
  let child: ChildProcess | undefined;
  let address = '';

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'heaplens-live-'));
    const binary = join(work, 'leakyservice');
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: SERVICE, stdio: ['ignore', 'ignore', 'pipe'], timeout: 90_000 });
    // A leak every 50 ms makes every 1 s step rise for certain despite heap sampling.
    child = spawn(binary, ['-addr', '127.0.0.1:0', '-duration', '90s', '-leak-every', '50ms'], { stdio: ['ignore', 'pipe', 'inherit'] });
    address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('leakyservice did not print "listening on" within 10 s')), 10_000);
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += String(d);
        const m = /^listening on (127\.0\.0\.1:\d+)$/m.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child!.once('exit', (code) => { clearTimeout(timer); reject(new Error(`leakyservice exited early (${code})`)); });
    });
  });

  after(async () => {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const killer = setTimeout(() => c.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('captures one profile in each form', async () => {
    const started = Date.now();
    const proto = await captureProfile(captureUrl(address, { gc: true }), { timeoutMs: 10_000, maxBytes: 64 << 20 });
    const ms = Date.now() - started;
    assert.equal(proto.profile.format, 'pprof-proto');
    assert.ok(proto.profile.timeNanos > 0);
    assert.ok(ms < 5000, `a capture took ${ms} ms`);
    const text = await captureProfile(captureUrl(address, { debug: true }), { timeoutMs: 10_000, maxBytes: 64 << 20 });
    assert.equal(text.profile.format, 'legacy-heap-text');
  });

  it('heaplens capture saves a series and heaplens trend names the leaking line first', async () => {
    const out = join(work, 'series');
    const printed: string[] = [];
    const args = parseArgs(['--count', '4', '--interval', '1', '--gc', '--out', out, address], CAPTURE_VALUED, CAPTURE_BOOLEANS);
    assert.equal(await runCapture(args, (line) => printed.push(line.trim()), () => {}), '');
    assert.equal(printed.length, 12, 'a bundle per snapshot: heap, goroutine dump, MemStats');
    assert.deepEqual([...printed].sort(), readdirSync(out).map((f) => join(out, f)).sort());
    const heaps = printed.filter((f) => /\/heap-/.test(f));
    assert.equal(heaps.length, 4);
    for (const file of heaps) {
      const stamp = /heap-(\d{8}-\d{6}(?:-\d+)?)\.pb\.gz$/.exec(file)?.[1];
      assert.ok(stamp, file);
      assert.ok(printed.includes(join(out, `goroutine-${stamp}.txt`)) && printed.includes(join(out, `memstats-${stamp}.txt`)), `bundle of ${stamp}`);
      assert.equal(loadProfileFileSync(join(out, `goroutine-${stamp}.txt`)).format, 'goroutine-dump');
      assert.ok(loadProfileFileSync(join(out, `memstats-${stamp}.txt`)).memStats);
    }
    const times = heaps.map((f) => loadProfileFileSync(f).timeNanos);
    // Snapshots start 1 s apart; a slow answer under load shifts one profile's timestamp, not the schedule.
    assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]) && times[3] - times[0] >= 2e9, `snapshots ~1 s apart: ${times}`);
    const bundle = JSON.parse(await runTrend(parseArgs(['--json', ...printed], TREND_VALUED, TREND_BOOLEANS)));
    assert.deepEqual(Object.keys(bundle), ['suspects', 'memory'], 'the whole series: heap suspects and the MemStats series');
    assert.equal(bundle.memory.series.length, 4);
    assert.equal(bundle.suspects[0].kind, 'heap');

    const json = JSON.parse(await runTrend(parseArgs(['--json', ...heaps], TREND_VALUED, TREND_BOOLEANS)));
    assert.deepEqual(Object.keys(json), ['suspects', 'memory'], 'the heap files alone find their bundles\' MemStats');
    const first = json.suspects[0];
    assert.ok(first, 'at least one suspect');
    assert.deepEqual(Object.keys(first), ['kind', 'userFrame', 'site', 'slopeBytesPerMinute', 'monotonic', 'series']);
    assert.equal(first.userFrame.function, 'main.recordAuditEvent');
    assert.match(first.userFrame.file, /leakyservice\/leak\.go$/);
    assert.equal(first.userFrame.line, LEAK_LINE);
    assert.deepEqual(first.site, first.userFrame, 'the make() is in the user\'s own code');
    assert.equal(first.monotonic, 1);
    // 256 KiB every 50 ms is 300 MiB per minute; heap sampling makes the estimate noisy.
    assert.ok(first.slopeBytesPerMinute > 100 * 1048576 && first.slopeBytesPerMinute < 900 * 1048576, `slope ${first.slopeBytesPerMinute}`);
    assert.equal(first.series.length, 4);

    const text = await runTrend(parseArgs(heaps, TREND_VALUED, TREND_BOOLEANS));
    assert.match(text, new RegExp(`Leak suspects[^\\n]*\\n\\s+1\\. \\+[\\d.]+[kMG]B/min  rose 3/3  [▁-█]{4} .*\\n\\s+main\\.recordAuditEvent \\S*leak\\.go:${LEAK_LINE}`));
  });
});
