// A query already running in the analysis worker cannot read a `cancel` message: the worker's
// thread is busy in it until it returns. So the host and the worker share a little memory. The host
// writes the id of every query it cancels into a slot (id mod SLOTS), and counts the queries it has
// sent; the running query checks both at its checkpoints (every 65,536 samples of a walk, every
// depth of a flame tree) and stops when its own id appears — or, for idle-time prefetching, as
// soon as the host has sent anything new.

/** SLOTS is how many recent cancellations are remembered; only the one running query reads them. */
const SLOTS = 64;
/** POSTED is the slot counting the queries the host has sent. */
const POSTED = SLOTS;

/** QueryInterruptedError is thrown at a checkpoint of a query that was cancelled or superseded while it ran. */
export class QueryInterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'QueryInterruptedError';
  }
}

/** InterruptFlags is the memory the host and the analysis worker share. */
export class InterruptFlags {
  private readonly cells: Int32Array;

  /** A new buffer on the host; the worker wraps the one it was given. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * (SLOTS + 1))) {
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

  /** posted is how many queries and loads the host has sent so far. */
  get posted(): number {
    return Atomics.load(this.cells, POSTED);
  }

  /** checkpointFor is the check a running query makes: throws once `id` is cancelled. */
  checkpointFor(id: number): () => void {
    return () => {
      if (Atomics.load(this.cells, id % SLOTS) === id) throw new QueryInterruptedError();
    };
  }

  /** checkpointWhileIdle is the check of prefetching: throws once the host has sent more than `seen` queries. */
  checkpointWhileIdle(seen: number): () => void {
    return () => {
      if (Atomics.load(this.cells, POSTED) > seen) throw new QueryInterruptedError();
    };
  }
}
