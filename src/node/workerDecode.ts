import { Worker } from 'node:worker_threads';
import * as l10n from '@vscode/l10n';
import { ProfileError } from '../core/errors';
import { translations } from '../core/language';
import type { Profile } from '../core/model';
import type { ProfileSource } from '../protocol/analysis';
import { type DecodeReply, type DecodeRequest, type DecodeSuccess, errorOf, unpackProfile } from './decodeJob';

// The host side of the decode worker: one worker per file, so Cancel is simply terminate().
// No vscode import: unit tests run it against the TypeScript worker entry under tsx.

/** DecodeCancelledError is thrown when the caller aborted a decode (the worker was terminated). */
export class DecodeCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'DecodeCancelledError';
  }
}

/**
 * decodeInWorker decodes a file (read by the worker) or bytes in a new worker running `script` and
 * resolves with the profile. Bytes are transferred to the worker (unusable afterwards). Aborting
 * `signal` terminates the worker at once and rejects with DecodeCancelledError. Decode failures
 * reject with the worker's error rebuilt (ProfileError, RangeError or Error), so describeError
 * words them as in-process.
 */
export async function decodeInWorker(script: string, source: ProfileSource, maxBytes: number, signal?: AbortSignal): Promise<Profile> {
  const request: DecodeRequest = 'path' in source ? { path: source.path, maxBytes } : { bytes: ownedBytes(source.bytes), maxBytes };
  return unpackProfile(await runInWorker(script, request, signal));
}

/**
 * decodeCaptureInWorker is decodeInWorker for a captured response body: the worker also counts the
 * zero padding after its gzip data (see gzipPadding), which inflates the body once more. `bytes`
 * is transferred: pass a copy of a body that is still to be saved.
 */
export async function decodeCaptureInWorker(script: string, bytes: Uint8Array, maxBytes: number, signal?: AbortSignal): Promise<{ profile: Profile; padding: number }> {
  const reply = await runInWorker(script, { bytes: ownedBytes(bytes), maxBytes, trimPadding: true }, signal);
  return { profile: unpackProfile(reply), padding: reply.padding ?? 0 };
}

function runInWorker(script: string, request: DecodeRequest, signal: AbortSignal | undefined): Promise<DecodeSuccess> {
  if (signal?.aborted) return Promise.reject(new DecodeCancelledError());
  return new Promise<DecodeSuccess>((resolve, reject) => {
    // The worker words its errors (decodeJob) in this thread's display language.
    const worker = new Worker(script, { workerData: translations() });
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      action();
    };
    const onAbort = (): void => finish(() => reject(new DecodeCancelledError()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: DecodeReply) => finish(() => (reply.ok ? resolve(reply) : reject(errorOf(reply)))));
    worker.once('error', (err: Error & { code?: string }) => finish(() => reject(workerCrash(err))));
    worker.once('exit', (code) => finish(() => reject(new Error(l10n.t('the decoder stopped unexpectedly (exit code {0})', code)))));
    worker.postMessage(request, 'bytes' in request ? [request.bytes.buffer as ArrayBuffer] : []);
  });
}

/** workerCrash words a worker that died: running out of memory means the profile is too large for this machine. */
function workerCrash(err: Error & { code?: string }): Error {
  if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ProfileError('out-of-memory', l10n.t('too large to load: decoding ran out of memory'));
  }
  return err;
}

/** ownedBytes returns bytes whose ArrayBuffer holds exactly them, so transferring it moves nothing else (Node pools small Buffers). */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes;
  return bytes.slice();
}
