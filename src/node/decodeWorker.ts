import { parentPort, workerData } from 'node:worker_threads';
import { type Language, useTranslations } from '../core/language';
import { type DecodeRequest, runDecodeJob } from './decodeJob';

// Entry point of dist/decodeWorker.js: decodes one profile off the extension host's main thread,
// posts the columns back by transfer (no copy), and lets the host terminate it (Cancel) at any time.

// Errors are worded in the starting thread's display language (workerDecode passes its translations).
const data = workerData as { language?: Language; l10n?: Record<string, string> } | null;
useTranslations(data?.language ?? 'en', data?.l10n);
parentPort?.once('message', (request: DecodeRequest) => {
  void runDecodeJob(request).then(({ reply, transfer }) => parentPort?.postMessage(reply, transfer));
});
