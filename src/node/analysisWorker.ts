import { parentPort, workerData } from 'node:worker_threads';
import { type Language, useTranslations } from '../core/language';
import { InterruptFlags } from './analysisInterrupts';
import { AnalysisLoop } from './analysisLoop';

// Entry point of dist/analysisWorker.js: one per window, started by the extension on first use.
// It owns every decoded profile and answers the host's queries (see analysisLoop.ts).

const data = workerData as { decodeScript: string; interrupts: SharedArrayBuffer; language?: Language; l10n?: Record<string, string> };
// The diagnosis' sentences (reasons, evidence, notes) are written here, in the display language.
useTranslations(data.language ?? 'en', data.l10n);
if (parentPort) {
  const port = parentPort;
  const loop = new AnalysisLoop(data.decodeScript, (message, transfer) => port.postMessage(message, transfer ?? []), new InterruptFlags(data.interrupts));
  port.on('message', (message) => loop.receive(message));
}
