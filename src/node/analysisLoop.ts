import type { Profile } from '../core/model';
import type { FromAnalysis, ProfileHandle, ToAnalysis } from '../protocol/analysis';
import { AnalysisEngine } from './analysisEngine';
import { type InterruptFlags, QueryInterruptedError, QueryPreemptedError, isUrgentQuery } from './analysisInterrupts';
import { failureOf } from './decodeJob';
import { PrefetchQueue } from './prefetchQueue';
import { DecodeCancelledError, decodeInWorker } from './workerDecode';

// The analysis worker's message loop. Queries run one at a time, one per macrotask, so a `cancel`
// (or a newer query) that arrives while one runs is seen before the next starts: a query that is
// still queued when it is cancelled never runs; one already running stops at its next checkpoint,
// where it reads the flags the host sets (analysisInterrupts.ts), and answers `cancelled`. Urgent
// queries (the tree's first rows) run first, and a running query that is not urgent gives way to
// one (it is queued again). Loads decode in a short-lived decode worker (so two files decode on two
// cores and Cancel can terminate one), and the columns come here, never to the host; while one
// decodes, only urgent queries run (others wait up to DECODE_HOLD_MS). When nothing is queued the
// loop prefetches what the user is likely to ask for next.

/** DECODE_HOLD_MS is how long a query that is not urgent waits for files being decoded (default of AnalysisLoop's decodeHoldMs). */
const DECODE_HOLD_MS = 2000;

/** Post sends a message to the host. */
export type Post = (message: FromAnalysis, transfer?: ArrayBuffer[]) => void;

type LoadMessage = Extract<ToAnalysis, { type: 'load' }>;

/**
 * SharedDecode is one decode of a file that several loads wait for (same `shareKey`: the same file,
 * unchanged), and the handles given out for it: a profile opened in an editor and then compared
 * is decoded once. The entry lives while a load waits or a handle is held.
 */
interface SharedDecode {
  key: string;
  profile: Promise<Profile>;
  abort: AbortController;
  waiting: Set<number>;
  handles: Set<ProfileHandle>;
  done: boolean;
}

/** AnalysisLoop receives the host's messages and answers them with an AnalysisEngine. */
export class AnalysisLoop {
  readonly engine = new AnalysisEngine();
  private readonly queue: Array<Extract<ToAnalysis, { type: 'query' }>> = [];
  /** When each queued query arrived (ms): one that is not urgent waits for a decode at most DECODE_HOLD_MS. */
  private readonly queuedAt = new Map<number, number>();
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** Loads in flight, by message id, and the decode each waits for. */
  private readonly loads = new Map<number, SharedDecode>();
  private readonly decodes = new Map<string, SharedDecode>();
  private readonly decodeOf = new Map<ProfileHandle, SharedDecode>();
  /** How many decodes were started (loads that joined another's decode start none). */
  decodesStarted = 0;
  private readonly prefetches = new PrefetchQueue();
  private scheduled = false;
  /** Queries and loads received so far (prefetching yields as soon as the host has sent more). */
  private received = 0;
  /** Urgent queries received so far (a query that is not urgent gives way as soon as the host has sent more). */
  private urgentReceived = 0;

  constructor(private readonly decodeScript: string, private readonly post: Post, private readonly flags?: InterruptFlags, private readonly decodeHoldMs = DECODE_HOLD_MS) {}

  /** receive handles one message from the host. */
  receive(message: ToAnalysis): void {
    switch (message.type) {
      case 'load':
        this.received++;
        void this.load(message);
        return;
      case 'query':
        this.received++;
        if (isUrgentQuery(message.query)) this.urgentReceived++;
        this.queue.push(message);
        this.queuedAt.set(message.id, Date.now());
        this.schedule();
        return;
      case 'cancel': {
        this.cancelLoad(message.id);
        const at = this.queue.findIndex((q) => q.id === message.id);
        if (at >= 0) {
          this.queue.splice(at, 1);
          this.queuedAt.delete(message.id);
          this.post({ type: 'cancelled', id: message.id });
        }
        return;
      }
      case 'release':
        this.engine.release(message.handles);
        for (const h of message.handles) this.dropHandle(h);
        return;
    }
  }

  private async load(message: LoadMessage): Promise<void> {
    const decode = this.decodeFor(message);
    decode.waiting.add(message.id);
    this.loads.set(message.id, decode);
    try {
      const profile = await decode.profile;
      if (!this.loads.has(message.id)) return; // cancelled while another load's decode ran on
      const { handle, info } = this.engine.add(message.name, profile);
      decode.handles.add(handle);
      this.decodeOf.set(handle, decode);
      this.post({ type: 'loaded', id: message.id, handle, info });
    } catch (e) {
      if (!this.loads.has(message.id)) return;
      if (e instanceof DecodeCancelledError) this.post({ type: 'cancelled', id: message.id });
      else this.post({ type: 'failed', id: message.id, failure: failureOf(e) });
    } finally {
      this.loads.delete(message.id);
      decode.waiting.delete(message.id);
      this.forgetIfUnused(decode);
      if (this.queue.length > 0 || this.prefetches.size > 0) this.schedule();
    }
  }

  /** decodeFor joins the decode of the same unchanged file when one is running or held, else starts one. */
  private decodeFor(message: LoadMessage): SharedDecode {
    const key = message.shareKey;
    const known = key === undefined ? undefined : this.decodes.get(key);
    if (known) return known;
    const abort = new AbortController();
    this.decodesStarted++;
    const decode: SharedDecode = {
      key: key ?? '', abort, waiting: new Set(), handles: new Set(), done: false,
      profile: decodeInWorker(this.decodeScript, message.source, message.maxBytes, abort.signal),
    };
    // A failed decode is not shared: the next load of the file tries again.
    decode.profile.then(() => { decode.done = true; }, () => { decode.done = true; if (this.decodes.get(decode.key) === decode) this.decodes.delete(decode.key); });
    if (key !== undefined) this.decodes.set(key, decode);
    return decode;
  }

  /** cancelLoad stops waiting for a load; its decode stops only when no other load waits for it. */
  private cancelLoad(id: number): void {
    const decode = this.loads.get(id);
    if (!decode) return;
    this.loads.delete(id);
    decode.waiting.delete(id);
    this.post({ type: 'cancelled', id });
    if (decode.waiting.size === 0 && !decode.done) decode.abort.abort();
    this.forgetIfUnused(decode);
  }

  private dropHandle(handle: ProfileHandle): void {
    this.prefetches.drop(handle);
    const decode = this.decodeOf.get(handle);
    if (!decode) return;
    this.decodeOf.delete(handle);
    decode.handles.delete(handle);
    this.forgetIfUnused(decode);
  }

  private forgetIfUnused(decode: SharedDecode): void {
    if (decode.waiting.size === 0 && decode.handles.size === 0 && this.decodes.get(decode.key) === decode) this.decodes.delete(decode.key);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.step();
    });
  }

  /** step runs one queued query (urgent ones first), else one prefetch, then yields to the message queue. */
  private step(): void {
    const urgent = this.queue.findIndex((q) => isUrgentQuery(q.query));
    // While a file decodes only urgent queries run: a preview's Top table (a second of both cores on
    // 61 MB) took the cores the comparison's decode needed. Load's end resumes the queue; a query
    // that has waited DECODE_HOLD_MS runs anyway (a hover must not wait for a 200 MB decode).
    if (urgent < 0 && this.loads.size > 0 && this.queue.length > 0) {
      const waited = Date.now() - (this.queuedAt.get(this.queue[0].id) ?? 0);
      if (waited < this.decodeHoldMs) {
        clearTimeout(this.holdTimer);
        this.holdTimer = setTimeout(() => this.schedule(), this.decodeHoldMs - waited);
        this.holdTimer.unref?.();
        return;
      }
    }
    const next = this.queue.splice(Math.max(0, urgent), 1)[0];
    if (next) {
      this.queuedAt.delete(next.id);
      try {
        const answer = this.engine.answer(next.query, this.flags?.checkpointFor(next.id, isUrgentQuery(next.query) ? undefined : this.urgentReceived));
        this.post({ type: 'answer', id: next.id, answer });
        // A query's next steps replace its pair's (prefetchQueue.ts); one without keeps them: a
        // diagnosis answered right after the tree's rows used to drop the rows' prefetch (the
        // functions aggregate), and the panel's table then took 1.4 s to compute on the 61 MB pair.
        if ('pair' in next.query) this.prefetches.replace(next.query.pair, next.id, this.engine.prefetch(next.query));
      } catch (e) {
        // Preempted: queued again at its place, after the urgent query that is on its way.
        if (e instanceof QueryPreemptedError) { this.queue.unshift(next); this.queuedAt.set(next.id, 0); }
        else if (e instanceof QueryInterruptedError) this.post({ type: 'cancelled', id: next.id });
        else this.post({ type: 'failed', id: next.id, failure: failureOf(e) });
      }
    } else {
      // A query is on its way (the host counted it, its message is not here yet): wait for it.
      // While a file decodes, prefetching would take the core it needs (load's end resumes it).
      if ((this.flags && this.flags.posted > this.received) || this.loads.size > 0) return;
      const prefetch = this.prefetches.take();
      try {
        prefetch?.step(this.flags?.checkpointWhileIdle(this.received));
      } catch (e) {
        // A prefetch the host interrupted is tried again when the loop is next idle; a failing one
        // is left for the query itself to report when it is asked.
        if (e instanceof QueryInterruptedError) prefetch?.putBack();
      }
    }
    if (this.queue.length > 0 || this.prefetches.size > 0) this.schedule();
  }
}
