import { parentPort, workerData } from 'node:worker_threads';
import { InterruptFlags } from './analysisInterrupts';
import { AnalysisLoop } from './analysisLoop';

// Entry point of dist/analysisWorker.js: one per window, started by the extension on first use.
// It owns every decoded profile and answers the host's queries (see analysisLoop.ts).

const data = workerData as { decodeScript: string; interrupts: SharedArrayBuffer };
if (parentPort) {
  const port = parentPort;
  const loop = new AnalysisLoop(data.decodeScript, (message, transfer) => port.postMessage(message, transfer ?? []), new InterruptFlags(data.interrupts));
  port.on('message', (message) => loop.receive(message));
}
