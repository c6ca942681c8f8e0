import type { FromAnalysis, ToAnalysis } from '../protocol/analysis';
import { AnalysisEngine } from './analysisEngine';
import { type InterruptFlags, QueryInterruptedError } from './analysisInterrupts';
import { failureOf } from './decodeJob';
import { DecodeCancelledError, decodeInWorker } from './workerDecode';

// The analysis worker's message loop. Queries run one at a time, one per macrotask, so a `cancel`
// (or a newer query) that arrives while one runs is seen before the next starts: a query that is
// still queued when it is cancelled never runs; one already running stops at its next checkpoint,
// where it reads the flags the host sets (analysisInterrupts.ts), and answers `cancelled`. Loads decode in a short-lived decode worker (so two files decode on two cores and Cancel
// can terminate one), and the columns come here, never to the host. When nothing is queued the
// loop prefetches what the user is likely to ask for next.

/** Post sends a message to the host. */
export type Post = (message: FromAnalysis, transfer?: ArrayBuffer[]) => void;

/** AnalysisLoop receives the host's messages and answers them with an AnalysisEngine. */
export class AnalysisLoop {
  readonly engine = new AnalysisEngine();
  private readonly queue: Array<Extract<ToAnalysis, { type: 'query' }>> = [];
  private readonly loads = new Map<number, AbortController>();
  private prefetches: Array<(checkpoint?: () => void) => void> = [];
  private scheduled = false;
  /** Queries received so far (prefetching yields as soon as the host has sent more). */
  private received = 0;

  constructor(private readonly decodeScript: string, private readonly post: Post, private readonly flags?: InterruptFlags) {}

  /** receive handles one message from the host. */
  receive(message: ToAnalysis): void {
    switch (message.type) {
      case 'load':
        void this.load(message);
        return;
      case 'query':
        this.received++;
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
        const answer = this.engine.answer(next.query, this.flags?.checkpointFor(next.id));
        this.post({ type: 'answer', id: next.id, answer });
        this.prefetches = this.engine.prefetch(next.query);
      } catch (e) {
        if (e instanceof QueryInterruptedError) this.post({ type: 'cancelled', id: next.id });
        else this.post({ type: 'failed', id: next.id, failure: failureOf(e) });
      }
    } else {
      // A query is on its way (the host counted it, its message is not here yet): wait for it.
      if (this.flags && this.flags.posted > this.received) return;
      const prefetch = this.prefetches.shift();
      try {
        prefetch?.(this.flags?.checkpointWhileIdle(this.received));
      } catch (e) {
        // A prefetch the host interrupted is tried again when the loop is next idle; a failing one
        // is left for the query itself to report when it is asked.
        if (e instanceof QueryInterruptedError && prefetch) this.prefetches.unshift(prefetch);
      }
    }
    if (this.queue.length > 0 || this.prefetches.length > 0) this.schedule();
  }
}
