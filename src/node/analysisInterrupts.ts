import type { AnalysisQuery } from '../protocol/analysis';

// A query already running in the analysis worker cannot read a `cancel` message: the worker's
// thread is busy in it until it returns. So the host and the worker share a little memory. The host
// writes the id of every query it cancels into a slot (id mod SLOTS), and counts the queries it has
// sent, and the urgent ones among them; the running query checks them at its checkpoints (every
// 65,536 samples of a walk, every depth of a flame tree) and stops when its own id appears — or,
// for idle-time prefetching, as soon as the host has sent anything new — or, for a query that is
// not urgent, as soon as an urgent one is on its way (it is run again after that one).

/**
 * isUrgentQuery tells the queries a running one gives way to: what a user is waiting for and that
 * is cheap — the Heap Hotspots tree's first rows after Compare (the samples' leaves), an opened
 * file's annotations (one walk over the samples for that file) and a line's hover — while a
 * preview's Top table or a diagnosis of the same files can take seconds. In code-server, an opened
 * file of the 61 MB pair waited 0.7 s for the diagnosis running ahead of it. (The diagnosis' site
 * walk has checkpoints too, and its progress is kept: run again, it goes on from where it stopped.)
 */
export function isUrgentQuery(query: AnalysisQuery): boolean {
  return query.kind === 'hotspots' || query.kind === 'fileLines' || query.kind === 'lineDetail';
}

/** SLOTS is how many recent cancellations are remembered; only the one running query reads them. */
const SLOTS = 64;
/** POSTED is the slot counting the queries the host has sent. */
const POSTED = SLOTS;
/** URGENT is the slot counting the urgent queries the host has sent (isUrgentQuery). */
const URGENT = SLOTS + 1;

/** QueryInterruptedError is thrown at a checkpoint of a query that was cancelled or superseded while it ran. */
export class QueryInterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'QueryInterruptedError';
  }
}

/**
 * QueryPreemptedError is thrown at a checkpoint of a query that gives way to an urgent one: not a
 * cancellation, the query is queued again.
 */
export class QueryPreemptedError extends Error {
  constructor() {
    super('preempted');
    this.name = 'QueryPreemptedError';
  }
}

/** InterruptFlags is the memory the host and the analysis worker share. */
export class InterruptFlags {
  private readonly cells: Int32Array;

  /** A new buffer on the host; the worker wraps the one it was given. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * (SLOTS + 2))) {
    this.cells = new Int32Array(buffer);
  }

  /** cancel marks a query as cancelled (host side). */
  cancel(id: number): void {
    Atomics.store(this.cells, id % SLOTS, id);
  }

  /** notePosted counts one more query sent (host side). */
  notePosted(): void {
    Atomics.add(this.cells, POSTED, 1);
  }

  /** noteUrgent counts one more urgent query sent (host side). */
  noteUrgent(): void {
    Atomics.add(this.cells, URGENT, 1);
  }

  /** posted is how many queries and loads the host has sent so far. */
  get posted(): number {
    return Atomics.load(this.cells, POSTED);
  }

  /**
   * checkpointFor is the check a running query makes: throws once `id` is cancelled, and, given
   * how many urgent queries the worker has received (`urgentSeen`), once another one was sent.
   */
  checkpointFor(id: number, urgentSeen?: number): () => void {
    return () => {
      if (Atomics.load(this.cells, id % SLOTS) === id) throw new QueryInterruptedError();
      if (urgentSeen !== undefined && Atomics.load(this.cells, URGENT) > urgentSeen) throw new QueryPreemptedError();
    };
  }

  /** checkpointWhileIdle is the check of prefetching: throws once the host has sent more than `seen` queries. */
  checkpointWhileIdle(seen: number): () => void {
    return () => {
      if (Atomics.load(this.cells, POSTED) > seen) throw new QueryInterruptedError();
    };
  }
}
