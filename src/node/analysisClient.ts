import * as l10n from '@vscode/l10n';
import { Worker } from 'node:worker_threads';
import { ProfileError } from '../core/errors';
import type {
  AnalysisAnswers, AnalysisQuery, Failure, FromAnalysis, ProfileHandle, ProfileInfo, QueryKind, ToAnalysis,
} from '../protocol/analysis';
import { InterruptFlags } from './analysisInterrupts';
import { errorOf } from './decodeJob';
import { ownedBytes } from './workerDecode';
import type { Language } from '../core/language';

// The host side of the analysis worker: one long-lived worker per window, started on first use.
// Every call returns a promise; an AbortSignal cancels it (the promise rejects with
// QueryCancelledError): a queued query never runs, and a running one stops at its next checkpoint
// (analysisInterrupts.ts), so the worker moves on to the query that superseded it. If the worker dies (out of memory, say) every pending call fails and the
// next call starts a fresh worker; profiles held by the dead one must be loaded again.

/** QueryCancelledError is how a cancelled load or query ends. */
export class QueryCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'QueryCancelledError';
  }
}

/** LoadedHandle is a profile now held by the worker. */
export interface LoadedHandle {
  handle: ProfileHandle;
  info: ProfileInfo;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  worker: Worker;
}

/** AnalysisClient talks to the analysis worker. */
export class AnalysisClient {
  private worker: Worker | undefined;
  private flags = new InterruptFlags();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * `script` is dist/analysisWorker.js; `decodeScript` dist/decodeWorker.js, which it starts per load;
   * `translations` the display language and its l10n bundle, for the sentences the worker writes.
   */
  constructor(
    private readonly script: string,
    private readonly decodeScript: string,
    private readonly translations: { language: Language; l10n?: Record<string, string> } = { language: 'en' },
  ) {}

  /**
   * load moves `bytes` to the worker (unusable afterwards), which decodes and keeps the profile.
   * Loads with the same `shareKey` (name the file and its version: path, mtime, size) share one decode.
   */
  load(name: string, bytes: Uint8Array, maxBytes: number, signal?: AbortSignal, shareKey?: string): Promise<LoadedHandle> {
    const owned = ownedBytes(bytes);
    return this.call<LoadedHandle>((id) => ({ type: 'load', id, name, bytes: owned, maxBytes, shareKey }), signal, [owned.buffer as ArrayBuffer]);
  }

  /** query asks the worker one question. */
  query<K extends QueryKind>(query: Extract<AnalysisQuery, { kind: K }>, signal?: AbortSignal): Promise<AnalysisAnswers[K]> {
    return this.call<AnalysisAnswers[K]>((id) => ({ type: 'query', id, query }), signal);
  }

  /** release lets the worker forget profiles (a closed session, a computed trend). */
  release(handles: readonly ProfileHandle[]): void {
    if (handles.length > 0) this.worker?.postMessage({ type: 'release', handles: [...handles] } satisfies ToAnalysis);
  }

  /** dispose stops the worker; pending calls fail. */
  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      this.failAll(w, new Error(l10n.t('heaplens is shutting down')));
      void w.terminate();
    }
  }

  private call<T>(make: (id: number) => ToAnalysis, signal: AbortSignal | undefined, transfer: ArrayBuffer[] = []): Promise<T> {
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        if (this.pending.size === 0) worker.unref();
        if (worker === this.worker) this.flags.cancel(id);
        worker.postMessage({ type: 'cancel', id } satisfies ToAnalysis);
        reject(new QueryCancelledError());
      };
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => { done(); resolve(v as T); },
        reject: (e) => { done(); reject(e); },
        worker,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.ref();
      const message = make(id);
      // Loads count too: idle-time prefetching yields to a file that is to be decoded.
      if (message.type === 'query' || message.type === 'load') this.flags.notePosted();
      worker.postMessage(message, transfer);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    this.flags = new InterruptFlags();
    const worker = new Worker(this.script, { workerData: { decodeScript: this.decodeScript, interrupts: this.flags.buffer, ...this.translations } });
    worker.unref(); // an idle worker never keeps a process alive; calls in flight ref it (see refresh)
    worker.on('message', (m: FromAnalysis) => this.receive(m));
    worker.on('error', (e: Error & { code?: string }) => this.crashed(worker, e));
    worker.on('exit', (code) => this.crashed(worker, new Error(l10n.t('the analysis worker stopped unexpectedly (exit code {0})', code))));
    this.worker = worker;
    return worker;
  }

  private receive(m: FromAnalysis): void {
    const p = this.pending.get(m.id);
    if (!p) return; // cancelled meanwhile
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.type === 'loaded') p.resolve({ handle: m.handle, info: m.info });
    else if (m.type === 'answer') p.resolve(m.answer);
    else if (m.type === 'failed') p.reject(rebuild(m.failure));
    else p.reject(new QueryCancelledError());
  }

  private crashed(worker: Worker, e: Error & { code?: string }): void {
    if (this.worker === worker) this.worker = undefined;
    const error = e.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new ProfileError('too-large', l10n.t(l10n.t('too large to analyse: the analysis worker ran out of memory (close other comparisons, or lower heaplens.maxProfileSizeMB)')))
      : e;
    this.failAll(worker, error);
  }

  private failAll(worker: Worker, error: Error): void {
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      p.reject(error);
    }
  }
}

function rebuild(failure: Failure): Error {
  return errorOf({ ok: false, ...failure });
}
