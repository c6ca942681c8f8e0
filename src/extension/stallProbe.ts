import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as vscode from 'vscode';

// A measuring probe for the end-to-end suite, not a feature: when HEAPLENS_STALL_PROBE names a file
// (scripts/e2e/run.sh sets it for the test run only), the extension host's event-loop delay is
// sampled and, every WINDOW_MS, one line `{"t": <epoch ms>, "maxMs": <longest delay>}` is appended
// to that file. A test reads the lines inside its time window to assert the host never stalled.

/** WINDOW_MS is how often the longest delay is written (and the histogram reset). */
const WINDOW_MS = 250;

/** startStallProbe starts the probe when HEAPLENS_STALL_PROBE is set; otherwise does nothing. */
export function startStallProbe(): vscode.Disposable {
  const file = process.env.HEAPLENS_STALL_PROBE;
  if (!file) return { dispose: () => undefined };
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), maxMs: histogram.max / 1e6 })}\n`);
    histogram.reset();
  }, WINDOW_MS);
  return { dispose: () => { clearInterval(timer); histogram.disable(); } };
}
