import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';

// A measuring probe for the end-to-end suite, not a feature: when HEAPLENS_STALL_PROBE names a file
// (scripts/e2e/run.sh sets it for the test run only), the extension host's event-loop delay is
// sampled and, every WINDOW_MS, one line is appended to that file: `{"t": <epoch ms>, "maxMs":
// <longest delay>, "elu": <share of the window the thread ran, 0–1>, "gcMs": <GC pauses>,
// "maxGcMs": <longest GC pause>, "maxGcKind": <its kind: 1 minor, 4 major, 8 incremental>,
// "heapMB": <V8 heap used>}`. A test reads the lines inside its time window to assert the host
// never stalled, and what a long delay was made of: a thread that hardly ran waited for a core; GC
// shows as such; the rest is work. (With the CPU profiler below on, "elu" counts its work too.)
// When HEAPLENS_HOST_PROFILE names a file prefix too, the host thread is CPU-profiled (1 ms
// sampling) and a `PREFIX-N.cpuprofile` written every PROFILE_MS: what ran during a stall. The host
// is killed at the end of a test, so the last piece is lost: a shorter PROFILE_MS loses less.

/** WINDOW_MS is how often the longest delay is written (and the histogram reset). */
const WINDOW_MS = 250;
/** PROFILE_MS is how much host time each CPU profile file covers (HEAPLENS_HOST_PROFILE_MS overrides it). */
const PROFILE_MS = Number(process.env.HEAPLENS_HOST_PROFILE_MS) || 20_000;

/** startStallProbe starts the probe when HEAPLENS_STALL_PROBE is set; otherwise does nothing. */
export function startStallProbe(): vscode.Disposable {
  const file = process.env.HEAPLENS_STALL_PROBE;
  if (!file) return { dispose: () => undefined };
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let gcMs = 0;
  let maxGcMs = 0;
  let maxGcKind = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      if (e.duration > maxGcMs) { maxGcMs = e.duration; maxGcKind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0; }
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  let utilization = performance.eventLoopUtilization();
  const round = (x: number) => Math.round(x * 100) / 100;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, utilization);
    utilization = now;
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), maxMs: histogram.max / 1e6, elu: round(elu.utilization), gcMs: round(gcMs), maxGcMs: round(maxGcMs), maxGcKind, heapMB: Math.round(process.memoryUsage().heapUsed / 1048576) })}\n`);
    histogram.reset();
    gcMs = 0;
    maxGcMs = 0;
    maxGcKind = 0;
  }, WINDOW_MS);
  const profiler = process.env.HEAPLENS_HOST_PROFILE ? startHostProfiler(process.env.HEAPLENS_HOST_PROFILE) : undefined;
  return { dispose: () => { clearInterval(timer); histogram.disable(); gc.disconnect(); profiler?.dispose(); } };
}

/** startHostProfiler profiles the host thread in PROFILE_MS pieces, each written to its own file. */
function startHostProfiler(prefix: string): vscode.Disposable {
  const session = new Session();
  session.connect();
  let n = 0;
  const start = (): void => {
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));
  };
  const flush = (again: boolean): void => {
    session.post('Profiler.stop', (err, result) => {
      if (!err && result?.profile) writeFileSync(`${prefix}-${n++}.cpuprofile`, JSON.stringify({ ...result.profile, endedAtEpochMs: Date.now() }));
      if (again) start();
    });
  };
  start();
  const timer = setInterval(() => flush(true), PROFILE_MS);
  return { dispose: () => { clearInterval(timer); flush(false); } };
}
