// What a group of goroutines is stuck on, and what to do about it: one entry per shape, named only
// when the wait reason (printed by a dump, or read off the runtime frames) and, where it takes
// more, a frame on the stack say so. Otherwise the advice is the general one.

/** GoroutinePattern is one known way goroutines pile up. */
export interface GoroutinePattern {
  id: string;
  /** What the goroutines are doing, in a few words. */
  name: string;
  /** Wait reasons (the runtime's strings) this pattern applies to. */
  waitReasons: readonly string[];
  /** When set, some frame on the stack must be one of these functions. */
  frames?: readonly string[];
  advice: string;
}

const MUTEX_FRAMES = ['sync.(*Mutex).Lock', 'sync.(*Mutex).lockSlow', 'sync.(*RWMutex).Lock', 'sync.(*RWMutex).RLock'];
const LOCK_REASONS = ['semacquire', 'sync.Mutex.Lock', 'sync.RWMutex.Lock', 'sync.RWMutex.RLock'];
const READ_FRAMES = ['net.(*conn).Read', 'net.(*netFD).Read', 'internal/poll.(*FD).Read', 'crypto/tls.(*Conn).Read', 'net.(*UDPConn).ReadFrom', 'net.(*UnixConn).Read'];
const WRITE_FRAMES = ['net.(*conn).Write', 'net.(*netFD).Write', 'internal/poll.(*FD).Write', 'crypto/tls.(*Conn).Write'];
const ACCEPT_FRAMES = ['net.(*TCPListener).Accept', 'net.(*UnixListener).Accept', 'internal/poll.(*FD).Accept', 'net.(*netFD).accept'];

/** GOROUTINE_PATTERNS is the table, most specific first. */
export const GOROUTINE_PATTERNS: readonly GoroutinePattern[] = [
  {
    id: 'nil-channel',
    name: 'blocked forever by construction (a nil channel or an empty select)',
    waitReasons: ['chan receive (nil chan)', 'chan send (nil chan)', 'select (no cases)'],
    advice: 'These goroutines can never wake: an operation on a nil channel (an unset struct field, a channel set to nil after closing) or `select {}` blocks forever. Initialise the channel, or return instead.',
  },
  {
    id: 'channel-never-closed',
    name: 'receiving from a channel nobody sends on or closes',
    waitReasons: ['chan receive'],
    advice: 'The sender went away without closing the channel (a `for range ch` ends only when it is closed). Close it when the producer is done, or select on ctx.Done() next to the receive so the goroutine can exit.',
  },
  {
    id: 'channel-send-no-receiver',
    name: 'sending on a channel nobody receives from',
    waitReasons: ['chan send'],
    advice: 'The receiver returned early (a timeout, an error) and the sender blocks forever. Give a single-result channel a buffer of 1, or select on ctx.Done() next to the send.',
  },
  {
    id: 'waitgroup-never-done',
    name: 'waiting for a WaitGroup whose Done never comes',
    waitReasons: ['semacquire', 'sync.WaitGroup.Wait'],
    frames: ['sync.(*WaitGroup).Wait'],
    advice: 'Some goroutine counted by Add never calls Done (an early return, a panic, or it is blocked itself). Call Done with defer at the top of each goroutine.',
  },
  {
    id: 'lock-never-released',
    name: 'blocked on a lock another goroutine holds',
    waitReasons: LOCK_REASONS,
    frames: MUTEX_FRAMES,
    advice: 'The holder is blocked (on a channel, I/O, another lock) while holding the mutex, or a path returns without Unlock. Look in the dump for a goroutine blocked inside the same type\'s methods; do not block under a lock, and Unlock with defer.',
  },
  {
    id: 'cond-never-signalled',
    name: 'waiting on a sync.Cond nobody signals',
    waitReasons: ['sync.Cond.Wait'],
    advice: 'Every Wait needs a Signal/Broadcast after the condition changes, including on shutdown.',
  },
  {
    id: 'network-read-no-deadline',
    name: 'reading from the network with no deadline',
    waitReasons: ['IO wait'],
    frames: READ_FRAMES,
    advice: 'A peer that connects and never sends, or a stalled upstream, holds this goroutine forever. Set a read deadline before each read (conn.SetReadDeadline; http.Server ReadHeaderTimeout/ReadTimeout/IdleTimeout; http.Client Timeout), or close the connection when the context is done.',
  },
  {
    id: 'network-write-no-deadline',
    name: 'writing to the network with no deadline',
    waitReasons: ['IO wait'],
    frames: WRITE_FRAMES,
    advice: 'A peer that stopped reading holds this goroutine forever. Set a write deadline (conn.SetWriteDeadline; http.Server WriteTimeout).',
  },
  {
    id: 'listener-accept',
    name: 'a listener waiting for connections',
    waitReasons: ['IO wait'],
    frames: ACCEPT_FRAMES,
    advice: 'One per listener is normal; many mean listeners opened and never closed (close them on shutdown or when a server is replaced).',
  },
  {
    id: 'select-no-exit',
    name: 'parked in a select none of whose cases happens',
    waitReasons: ['select'],
    advice: 'Add a case that ends the goroutine (<-ctx.Done(), a quit channel that is actually closed). In a loop, a `time.After` case allocates a timer every iteration that lives until it fires (before Go 1.23): use one time.NewTimer and Reset it.',
  },
  {
    id: 'sleeping-loop',
    name: 'sleeping in a loop',
    waitReasons: ['sleep'],
    advice: 'A loop around time.Sleep cannot be stopped: select on a time.Ticker (or timer) and ctx.Done() instead.',
  },
];

/** GENERAL_GOROUTINE_ADVICE is the advice when no pattern applies. */
export const GENERAL_GOROUTINE_ADVICE = 'Goroutines grew here: make sure every goroutine can exit (ctx.Done(), closed channels, I/O deadlines); a dump (/debug/pprof/goroutine?debug=2) shows why and for how long they wait.';

/** matchGoroutinePattern returns the first pattern the wait reason and the stack's functions fit, or null. */
export function matchGoroutinePattern(
  waitReason: string | null, functions: readonly string[], patterns: readonly GoroutinePattern[] = GOROUTINE_PATTERNS,
): GoroutinePattern | null {
  if (waitReason === null) return null;
  for (const p of patterns) {
    if (!p.waitReasons.includes(waitReason)) continue;
    if (p.frames && !functions.some((f) => p.frames!.includes(f))) continue;
    return p;
  }
  return null;
}
