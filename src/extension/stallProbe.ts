import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';

// A measuring probe for the end-to-end suite, not a feature: when HEAPLENS_STALL_PROBE names a file
// (scripts/e2e/run.sh sets it for the test run only), the extension host's event-loop delay is
// sampled and, every WINDOW_MS, one line is appended to that file: `{"t": <epoch ms>, "maxMs":
// <longest delay>, "eldMaxMs": <monitorEventLoopDelay's longest since start>, "elu": <share of the
// window the thread ran, 0–1>, "gcMs": <GC pauses>, "maxGcMs": <longest GC pause>, "maxGcKind": <its
// kind: 1 minor, 4 major, 8 incremental>, "heapMB": <V8 heap used>, "cpuMs": <time the host's main
// thread ran on a core>, "waitMs": <time it was ready to run but waited for a core>, "maxWorkMs":
// <the longest time it ran on a core inside one delay>}`. A test reads
// the lines inside its time window to assert the host never stalled, and what a long delay was made
// of. "elu" cannot tell: it counts a thread preempted in the middle of a callback as busy. The
// scheduler's own figures for the thread (Linux's /proc/<pid>/task/<pid>/schedstat; absent
// elsewhere) can: work is cpuMs, a machine too busy to run the host is waitMs. (With the CPU
// profiler below on, its work counts too.)
//
// The delay is the time between two ticks of a TICK_MS timer, as monitorEventLoopDelay measures it,
// but kept here: that histogram's reset also forgets its last tick, so a delay that begins between
// a reset and the histogram's next tick is never recorded (a 150 ms block right after a reset read
// as 10 ms; seen in the host as 250 ms windows of 100% busy thread with no delay at all). The
// histogram runs too, never reset, as a check: its longest delay since start is written with each line.
// When HEAPLENS_HOST_PROFILE names a file prefix too, the host thread is CPU-profiled (1 ms
// sampling) and a `PREFIX-N.cpuprofile` written every PROFILE_MS: what ran during a stall. The host
// is killed at the end of a test, so the last piece is lost: a shorter PROFILE_MS loses less.

/** WINDOW_MS is how often the longest delay is written. */
const WINDOW_MS = 250;
/** TICK_MS is the delay timer's period (monitorEventLoopDelay's resolution): an idle loop reads ~TICK_MS. */
const TICK_MS = 10;
/** PROFILE_MS is how much host time each CPU profile file covers (HEAPLENS_HOST_PROFILE_MS overrides it). */
const PROFILE_MS = Number(process.env.HEAPLENS_HOST_PROFILE_MS) || 20_000;

/** startStallProbe starts the probe when HEAPLENS_STALL_PROBE is set; otherwise does nothing. */
export function startStallProbe(): vscode.Disposable {
  const file = process.env.HEAPLENS_STALL_PROBE;
  if (!file) return { dispose: () => undefined };
  const histogram = monitorEventLoopDelay({ resolution: TICK_MS });
  histogram.enable();
  let lastTick = performance.now();
  let lastTickSched = readSchedStat();
  let windowMaxMs = 0;
  // The longest time the thread ran on a core between two ticks: its own work inside one delay
  // (the scheduler's figure is read at every tick; undefined where there is none).
  let windowMaxWorkMs = lastTickSched ? 0 : undefined;
  const ticker = setInterval(() => {
    const now = performance.now();
    const sched = readSchedStat();
    windowMaxMs = Math.max(windowMaxMs, now - lastTick);
    if (sched && lastTickSched) windowMaxWorkMs = Math.max(windowMaxWorkMs ?? 0, sched.cpuMs - lastTickSched.cpuMs);
    lastTick = now;
    lastTickSched = sched;
  }, TICK_MS);
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
  let sched = readSchedStat();
  const round = (x: number) => Math.round(x * 100) / 100;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const elu = performance.eventLoopUtilization(now, utilization);
    utilization = now;
    const nextSched = readSchedStat();
    const cpuMs = sched && nextSched ? Math.round(nextSched.cpuMs - sched.cpuMs) : undefined;
    const waitMs = sched && nextSched ? Math.round(nextSched.waitMs - sched.waitMs) : undefined;
    sched = nextSched;
    // A delay still going on when the window ends (this callback ran late) counts here and, when
    // the ticker next runs, in the next window too: the same delay, never one lost.
    const maxMs = Math.round(Math.max(windowMaxMs, performance.now() - lastTick) * 10) / 10;
    const ongoingWorkMs = nextSched && lastTickSched ? nextSched.cpuMs - lastTickSched.cpuMs : 0;
    const maxWorkMs = windowMaxWorkMs === undefined ? undefined : Math.round(Math.max(windowMaxWorkMs, ongoingWorkMs));
    windowMaxMs = 0;
    if (windowMaxWorkMs !== undefined) windowMaxWorkMs = 0;
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), maxMs, eldMaxMs: Math.round(histogram.max / 1e5) / 10, elu: round(elu.utilization), gcMs: round(gcMs), maxGcMs: round(maxGcMs), maxGcKind, heapMB: Math.round(process.memoryUsage().heapUsed / 1048576), cpuMs, waitMs, maxWorkMs })}\n`);
    gcMs = 0;
    maxGcMs = 0;
    maxGcKind = 0;
  }, WINDOW_MS);
  const profiler = process.env.HEAPLENS_HOST_PROFILE ? startHostProfiler(process.env.HEAPLENS_HOST_PROFILE) : undefined;
  return { dispose: () => { clearInterval(timer); clearInterval(ticker); histogram.disable(); gc.disconnect(); profiler?.dispose(); } };
}

/** readSchedStat reads the main thread's time on a core and time waiting for one (ms), where Linux tells. */
function readSchedStat(): { cpuMs: number; waitMs: number } | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? { cpuMs: run / 1e6, waitMs: wait / 1e6 } : undefined;
  } catch {
    return undefined;
  }
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
