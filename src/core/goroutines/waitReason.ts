// Why a goroutine is parked, when the profile does not say. A dump prints the runtime's wait reason
// (`[chan receive]`); a proto goroutine profile keeps the runtime frames it parked in, so the reason
// can be read off the first of these frames from the leaf. Go's debug=1 text hides leading runtime
// frames, so there only the frames outside package runtime (sync.runtime_SemacquireMutex,
// internal/poll.runtime_pollWait, time.Sleep) still tell; otherwise the reason stays unknown.
// The reasons are the runtime's own strings (runtime2.go waitReasonStrings).

const BY_FRAME: ReadonlyMap<string, string> = new Map([
  ['runtime.chanrecv', 'chan receive'],
  ['runtime.chanrecv1', 'chan receive'],
  ['runtime.chanrecv2', 'chan receive'],
  ['runtime.chansend', 'chan send'],
  ['runtime.chansend1', 'chan send'],
  ['runtime.selectgo', 'select'],
  ['runtime.block', 'select (no cases)'],
  ['sync.runtime_SemacquireMutex', 'semacquire'],
  ['sync.runtime_SemacquireRWMutex', 'semacquire'],
  ['sync.runtime_SemacquireRWMutexR', 'semacquire'],
  ['sync.runtime_SemacquireWaitGroup', 'semacquire'],
  ['sync.runtime_Semacquire', 'semacquire'],
  ['sync.runtime_notifyListWait', 'sync.Cond.Wait'],
  ['internal/poll.runtime_pollWait', 'IO wait'],
  ['runtime.netpollblock', 'IO wait'],
  ['time.Sleep', 'sleep'],
  ['runtime.timeSleep', 'sleep'],
  ['runtime.goroutineProfileWithLabels', 'running'],
]);

/** MAX_WAIT_FRAMES bounds how far from the leaf the parking frame is looked for. */
const MAX_WAIT_FRAMES = 8;

/** inferWaitReason reads a wait reason from a stack's frames (leaf first), or returns null. */
export function inferWaitReason(functionsLeafFirst: readonly string[]): string | null {
  const n = Math.min(functionsLeafFirst.length, MAX_WAIT_FRAMES);
  for (let i = 0; i < n; i++) {
    const reason = BY_FRAME.get(functionsLeafFirst[i]);
    if (reason !== undefined) return reason;
  }
  return null;
}
