import { parentPort } from 'node:worker_threads';
import { type DecodeRequest, runDecodeJob } from './decodeJob';

// Entry point of dist/decodeWorker.js: decodes one profile off the extension host's main thread,
// posts the columns back by transfer (no copy), and lets the host terminate it (Cancel) at any time.

parentPort?.once('message', (request: DecodeRequest) => {
  const { reply, transfer } = runDecodeJob(request);
  parentPort?.postMessage(reply, transfer);
});
