import { Worker } from 'node:worker_threads';
import type { ColumnMemory } from '../core/decode/columns';

// First touching memory is the dominant cost of decoding a big profile on a VM (~4 ms per MB: the
// guest's page fault also faults in the host), and the sample columns of a 245 MB gzipped profile
// are ~500 MB. PageToucher moves those faults to another thread: the big columns live in
// SharedArrayBuffers, and a small worker writes one word per page ahead of the parser. Each write
// is an atomic compare-exchange of 0 with 0, so a word the parser has already written is left as it
// is, whichever thread gets there first; the parser then finds its pages present.

/** MIN_SHARED is the smallest column put in shared memory and touched: below it the worker costs more than it saves. */
const MIN_SHARED = 4 << 20;

/**
 * The worker's code (evaluated, so the CLI and the decode worker need no extra file): it touches
 * the buffers it is given a slice at a time, round-robin, so every column keeps ahead of the parser.
 */
const SCRIPT = `
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');
const active = [];
const PAGE = 1024; // Int32 words per 4 KiB page
const SLICE = 256 * PAGE; // 1 MiB per turn
function drain() {
  for (let m = receiveMessageOnPort(parentPort); m; m = receiveMessageOnPort(parentPort)) active.push({ a: new Int32Array(m.message), at: 0 });
}
function run() {
  drain();
  while (active.length > 0) {
    for (let k = active.length - 1; k >= 0; k--) {
      const t = active[k];
      const end = Math.min(t.a.length, t.at + SLICE);
      for (let i = t.at; i < end; i += PAGE) Atomics.compareExchange(t.a, i, 0, 0);
      t.at = end;
      if (end === t.a.length) active.splice(k, 1);
    }
    drain();
  }
}
parentPort.on('message', (sab) => { active.push({ a: new Int32Array(sab), at: 0 }); run(); });
`;

/** PageToucher allocates big columns in shared memory and has a worker fault their pages in ahead of use. */
export class PageToucher implements ColumnMemory {
  private worker: Worker | undefined;

  /** uint32 makes a Uint32Array column of `n` values. */
  uint32(n: number): Uint32Array {
    return new Uint32Array(this.buffer(n * 4));
  }

  /** float64 makes a Float64Array column of `n` values. */
  float64(n: number): Float64Array {
    return new Float64Array(this.buffer(n * 8));
  }

  /** close stops the worker (pages it has not reached are faulted in by their first use). */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private buffer(bytes: number): ArrayBuffer | SharedArrayBuffer {
    if (bytes < MIN_SHARED) return new ArrayBuffer(bytes);
    const shared = new SharedArrayBuffer(bytes);
    try {
      if (!this.worker) {
        this.worker = new Worker(SCRIPT, { eval: true });
        this.worker.unref(); // never keeps a process alive
        this.worker.on('error', () => { this.worker = undefined; });
      }
      this.worker.postMessage(shared);
    } catch {
      // No worker (none allowed here): the parser faults the pages in itself, as without one.
    }
    return shared;
  }
}
