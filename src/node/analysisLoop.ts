import type { FromAnalysis, ToAnalysis } from '../protocol/analysis';
import { AnalysisEngine } from './analysisEngine';
import { failureOf } from './decodeJob';
import { DecodeCancelledError, decodeInWorker } from './workerDecode';

// The analysis worker's message loop. Queries run one at a time, one per macrotask, so a `cancel`
// (or a newer query) that arrives while one runs is seen before the next starts: a query that is
// still queued when it is cancelled never runs; one already running finishes and its answer is
// dropped. Loads decode in a short-lived decode worker (so two files decode on two cores and Cancel
// can terminate one), and the columns come here, never to the host. When nothing is queued the
// loop prefetches what the user is likely to ask for next.

/** Post sends a message to the host. */
export type Post = (message: FromAnalysis, transfer?: ArrayBuffer[]) => void;

/** AnalysisLoop receives the host's messages and answers them with an AnalysisEngine. */
export class AnalysisLoop {
  readonly engine = new AnalysisEngine();
  private readonly queue: Array<Extract<ToAnalysis, { type: 'query' }>> = [];
  private readonly loads = new Map<number, AbortController>();
  private prefetches: Array<() => void> = [];
  private scheduled = false;

  constructor(private readonly decodeScript: string, private readonly post: Post) {}

  /** receive handles one message from the host. */
  receive(message: ToAnalysis): void {
    switch (message.type) {
      case 'load':
        void this.load(message);
        return;
      case 'query':
        this.queue.push(message);
        this.schedule();
        return;
      case 'cancel': {
        this.loads.get(message.id)?.abort();
        const at = this.queue.findIndex((q) => q.id === message.id);
        if (at >= 0) {
          this.queue.splice(at, 1);
          this.post({ type: 'cancelled', id: message.id });
        }
        return;
      }
      case 'release':
        this.engine.release(message.handles);
        return;
    }
  }

  private async load(message: Extract<ToAnalysis, { type: 'load' }>): Promise<void> {
    const abort = new AbortController();
    this.loads.set(message.id, abort);
    try {
      const profile = await decodeInWorker(this.decodeScript, message.bytes, message.maxBytes, abort.signal);
      const { handle, info } = this.engine.add(message.name, profile);
      this.post({ type: 'loaded', id: message.id, handle, info });
    } catch (e) {
      if (e instanceof DecodeCancelledError) this.post({ type: 'cancelled', id: message.id });
      else this.post({ type: 'failed', id: message.id, failure: failureOf(e) });
    } finally {
      this.loads.delete(message.id);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.step();
    });
  }

  /** step runs one queued query, else one prefetch, then yields to the message queue. */
  private step(): void {
    const next = this.queue.shift();
    if (next) {
      try {
        const answer = this.engine.answer(next.query);
        this.post({ type: 'answer', id: next.id, answer });
        this.prefetches = this.engine.prefetch(next.query);
      } catch (e) {
        this.post({ type: 'failed', id: next.id, failure: failureOf(e) });
      }
    } else {
      const prefetch = this.prefetches.shift();
      try {
        prefetch?.();
      } catch {
        // the query itself will report the problem when it is asked
      }
    }
    if (this.queue.length > 0 || this.prefetches.length > 0) this.schedule();
  }
}
