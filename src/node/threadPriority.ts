import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

// heaplens' worker threads (analysis, decode) run at a lower CPU priority than the thread that
// starts them. On a machine with few cores the decode and analysis of two big profiles can hold
// every core for seconds; the extension host's main thread (every extension's event loop) and the
// window's renderer should win the CPU whenever they have work, and the workers take the rest.
// Linux's nice value belongs to each thread (and a thread started later inherits its starter's):
// `/proc/thread-self` names this thread's id. Elsewhere a process has one priority, shared with the
// extension host, so nothing is changed there.

/** WORKER_NICENESS is the nice value a heaplens worker thread asks for (0 normal, 19 lowest). */
export const WORKER_NICENESS = 10;

/**
 * lowerThreadPriority makes the calling thread yield the CPU to normal-priority threads, on Linux.
 * Returns the thread id it changed, or undefined where it could not (another platform, no /proc,
 * a sandbox that refuses): the thread then just keeps its priority.
 */
export function lowerThreadPriority(niceness = WORKER_NICENESS): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const tid = threadIdOf(readlinkSync('/proc/thread-self'));
    if (tid === undefined) return undefined;
    setPriority(tid, niceness);
    return tid;
  } catch {
    return undefined;
  }
}

/** threadIdOf reads the thread id from the target of /proc/thread-self ("PID/task/TID"). */
export function threadIdOf(link: string): number | undefined {
  const m = /^\d+\/task\/(\d+)$/.exec(link);
  return m ? Number(m[1]) : undefined;
}
