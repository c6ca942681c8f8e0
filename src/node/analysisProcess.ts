import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalysisProcessCrash, AnalysisProcessStart, FromAnalysis, ToAnalysis } from '../protocol/analysis';
import { type ChannelPart, PartJoiner, isChannelPart, sendInParts } from './analysisChannel';
import { InterruptFlags, isUrgentQuery } from './analysisInterrupts';

/** ANALYSIS_NICE is this process's scheduling priority (Unix nice: higher yields more). */
const ANALYSIS_NICE = 10;

// Entry point of dist/analysisProcess.js: the analysis worker's own process, forked by the
// extension (AnalysisClient). Why a process and not only a thread of the extension host: VS Code's
// extension host forks itself often (its port auto-forwarding runs `ps`-like commands every few
// seconds), and fork copies the page tables of the whole process and write-protects every page.
// With a few hundred MB of decoded profiles in the host's process, each fork blocked the host's
// thread for 250–500 ms (measured in code-server, 61 MB pair); kept here, the host stays small.
//
// This process's main thread only relays: the analysis worker (analysisWorker.ts) runs in a thread
// of its own, so a `cancel` arriving while a query runs is still read here and written into the
// interrupt flags the running query checks (analysisInterrupts.ts).

// Decoding and big queries keep several threads busy; on a 2-core machine the extension host's
// thread and the window then wait for a core. At a lower priority (nice 10; every thread started
// here later inherits it) they get it first: the 61 MB pair's longest host delay was 195–301 ms
// instead of 210–433 ms, with the first hotspots as fast (6.1–6.2 s; quiet machine, code-server).
// Under heavy load from other programs this process gets less CPU: that is the point.
try {
  setPriority(ANALYSIS_NICE);
} catch {
  // Not allowed here: run at the normal priority.
}

/** AnalysisProcessMessage is every message the host sends to this process. */
export type AnalysisProcessMessage = AnalysisProcessStart | ToAnalysis;

const send = (message: FromAnalysis | AnalysisProcessCrash): void => {
  if (process.connected) sendInParts(message, (part) => process.send?.(part));
};
const joiner = new PartJoiner<AnalysisProcessMessage>();

let worker: Worker | undefined;
const flags = new InterruptFlags();

process.on('message', (part: ChannelPart) => {
  const message = isChannelPart(part) ? joiner.push(part) : undefined;
  if (message) receive(message);
});

/** receive handles one whole message from the host. */
function receive(message: AnalysisProcessMessage): void {
  if (message.type === 'start') {
    if (worker) return;
    worker = new Worker(message.workerScript, {
      workerData: { decodeScript: message.decodeScript, interrupts: flags.buffer, language: message.language, l10n: message.l10n },
    });
    worker.on('message', (m: FromAnalysis) => send(m));
    worker.on('error', (e: Error & { code?: string }) => {
      // Exit once the host has the reason (ERR_WORKER_OUT_OF_MEMORY: "too large"), or soon anyway.
      setTimeout(() => process.exit(1), 1000).unref();
      const parts: ChannelPart[] = [];
      sendInParts({ type: 'crashed', code: e.code, message: e.message } satisfies AnalysisProcessCrash, (p) => parts.push(p));
      if (!process.connected) process.exit(1);
      parts.forEach((p, i) => process.send?.(p, undefined, {}, i === parts.length - 1 ? () => process.exit(1) : undefined));
    });
    worker.on('exit', (code) => process.exit(code));
    return;
  }
  if (!worker) return;
  if (message.type === 'cancel') flags.cancel(message.id);
  // Loads count too: idle-time prefetching yields to a file that is to be decoded.
  if (message.type === 'query' || message.type === 'load') flags.notePosted();
  if (message.type === 'query' && isUrgentQuery(message.query)) flags.noteUrgent();
  const bytes = message.type === 'load' && 'bytes' in message.source ? message.source.bytes : undefined;
  worker.postMessage(message, bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []);
}

// The extension host closed the channel (window closed, extension stopped, host crashed): nothing
// is left to answer.
process.on('disconnect', () => process.exit(0));
