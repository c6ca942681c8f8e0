import * as l10n from '@vscode/l10n';
import { type ChildProcess, fork } from 'node:child_process';
import { ProfileError } from '../core/errors';
import type {
  AnalysisAnswers, AnalysisProcessCrash, AnalysisQuery, Failure, FromAnalysis, ProfileHandle, ProfileInfo, ProfileSource, QueryKind, ToAnalysis,
} from '../protocol/analysis';
import { type ChannelPart, PartJoiner, isChannelPart, sendInParts } from './analysisChannel';
import type { AnalysisProcessMessage } from './analysisProcess';
import { errorOf } from './decodeJob';
import type { Language } from '../core/language';

// The host side of the analysis worker: one long-lived worker per window, started on first use in a
// process of its own (analysisProcess.ts says why), which relays the messages. Every call returns a
// promise; an AbortSignal cancels it (the promise rejects with QueryCancelledError): a queued query
// never runs, and a running one stops at its next checkpoint (analysisInterrupts.ts), so the worker
// moves on to the query that superseded it. If the worker dies (out of memory, say) every pending
// call fails and the next call starts a fresh process; profiles held by the dead one must be loaded again.

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
  worker: ChildProcess;
}

/** AnalysisClient talks to the analysis worker. */
export class AnalysisClient {
  private worker: ChildProcess | undefined;
  /** Why the current process is about to exit, when it said so (its worker crashed). */
  private crash: AnalysisProcessCrash | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * `processScript` is dist/analysisProcess.js, `script` dist/analysisWorker.js (run inside it);
   * `decodeScript` dist/decodeWorker.js, which the worker starts per load; `translations` the
   * display language and its l10n bundle, for the sentences the worker writes.
   */
  constructor(
    private readonly processScript: string,
    private readonly script: string,
    private readonly decodeScript: string,
    private readonly translations: { language: Language; l10n?: Record<string, string> } = { language: 'en' },
  ) {}

  /**
   * load has the worker decode and keep a profile: a local file it reads itself, or bytes (copied to
   * it). Loads with the same `shareKey` (name the file and its version: path, mtime, size) share one decode.
   */
  load(name: string, source: ProfileSource, maxBytes: number, signal?: AbortSignal, shareKey?: string): Promise<LoadedHandle> {
    return this.call<LoadedHandle>((id) => ({ type: 'load', id, name, source, maxBytes, shareKey }), signal);
  }

  /** query asks the worker one question. */
  query<K extends QueryKind>(query: Extract<AnalysisQuery, { kind: K }>, signal?: AbortSignal): Promise<AnalysisAnswers[K]> {
    return this.call<AnalysisAnswers[K]>((id) => ({ type: 'query', id, query }), signal);
  }

  /** release lets the worker forget profiles (a closed session, a computed trend). */
  release(handles: readonly ProfileHandle[]): void {
    if (handles.length > 0 && this.worker) post(this.worker, { type: 'release', handles: [...handles] });
  }

  /** dispose stops the worker; pending calls fail. */
  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      this.failAll(w, new Error(l10n.t('heaplens is shutting down')));
      w.kill();
    }
  }

  private call<T>(make: (id: number) => ToAnalysis, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        if (this.pending.size === 0) setRef(worker, false);
        post(worker, { type: 'cancel', id });
        reject(new QueryCancelledError());
      };
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => { done(); resolve(v as T); },
        reject: (e) => { done(); reject(e); },
        worker,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      setRef(worker, true);
      post(worker, make(id));
    });
  }

  private ensureWorker(): ChildProcess {
    if (this.worker) return this.worker;
    this.crash = undefined;
    // No inherited execArgv: a debugging flag of the extension host (--inspect) must not stop the
    // analysis process. ELECTRON_RUN_AS_NODE makes desktop VS Code's executable run it as Node.
    const worker = fork(this.processScript, [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', GLIBC_TUNABLES: withHugePages(process.env.GLIBC_TUNABLES) },
    });
    setRef(worker, false); // an idle process never keeps the host alive; calls in flight ref it
    const joiner = new PartJoiner<FromAnalysis | AnalysisProcessCrash>();
    worker.on('message', (part: ChannelPart) => {
      const m = isChannelPart(part) ? joiner.push(part) : undefined;
      if (!m) return;
      if (m.type === 'crashed') { if (worker === this.worker) this.crash = m; return; }
      this.receive(m);
    });
    worker.on('error', (e: Error) => this.crashed(worker, e));
    worker.on('exit', (code, signal) => {
      const crash = worker === this.worker ? this.crash : undefined;
      const e: Error & { code?: string } = new Error(crash?.message ?? l10n.t('the analysis worker stopped unexpectedly (exit code {0})', code ?? signal ?? '?'));
      e.code = crash?.code;
      this.crashed(worker, e);
    });
    post(worker, { type: 'start', workerScript: this.script, decodeScript: this.decodeScript, language: this.translations.language, l10n: this.translations.l10n });
    this.worker = worker;
    return worker;
  }

  private receive(m: FromAnalysis): void {
    const p = this.pending.get(m.id);
    if (!p) return; // cancelled meanwhile
    this.pending.delete(m.id);
    if (this.pending.size === 0 && this.worker) setRef(this.worker, false);
    if (m.type === 'loaded') p.resolve({ handle: m.handle, info: m.info });
    else if (m.type === 'answer') p.resolve(m.answer);
    else if (m.type === 'failed') p.reject(rebuild(m.failure));
    else p.reject(new QueryCancelledError());
  }

  private crashed(worker: ChildProcess, e: Error & { code?: string }): void {
    if (this.worker === worker) this.worker = undefined;
    const error = e.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new ProfileError('out-of-memory', l10n.t('too large to analyse: the analysis worker ran out of memory (close other comparisons, or lower heaplens.maxProfileSizeMB)'))
      : e;
    this.failAll(worker, error);
  }

  private failAll(worker: ChildProcess, error: Error): void {
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      p.reject(error);
    }
  }
}

/** post sends one message to the analysis process (dropped once it has gone: its calls fail on exit). */
function post(worker: ChildProcess, message: AnalysisProcessMessage): void {
  if (worker.connected) sendInParts(message, (part) => worker.send(part));
}

/** setRef lets the process (and its message channel) keep the host's event loop alive, or not. */
function setRef(worker: ChildProcess, on: boolean): void {
  const channel = worker.channel as { ref?(): void; unref?(): void } | null | undefined;
  if (on) { worker.ref(); channel?.ref?.(); } else { worker.unref(); channel?.unref?.(); }
}

function rebuild(failure: Failure): Error {
  return errorOf({ ok: false, ...failure });
}

/**
 * withHugePages adds glibc's `malloc.hugetlb=1` to the analysis process's tunables (keeping the
 * user's): glibc then asks for transparent huge pages on its big mappings, so the decoders' columns
 * fault in 2 MiB at a time instead of 4 KiB. First touching memory is most of a big decode's system
 * time on a VM (each fault also faults in the host; ~2.4 ms per MB here): the 61 MB pair loaded in
 * 2.36–2.71 s instead of 2.67–2.88 s (5 runs each, median 2.46 against 2.68 s). Other C libraries,
 * systems without THP, and a user's own hugetlb setting ignore or override it.
 */
export function withHugePages(tunables: string | undefined): string {
  if (tunables && /(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return tunables;
  return tunables ? `${tunables}:glibc.malloc.hugetlb=1` : 'glibc.malloc.hugetlb=1';
}
