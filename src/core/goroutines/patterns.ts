import { type Language, type Localized, displayLanguage, pick } from '../language';

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
  /** The name and advice in Simplified Chinese (goroutinePatternText picks by display language). */
  'zh-cn': { name: string; advice: string };
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
    'zh-cn': {
      name: '注定永久阻塞（nil channel 或空 select）',
      advice: '这些 goroutine 永远不会被唤醒：对 nil channel 的操作（未赋值的结构体字段、关闭后被置为 nil 的 channel）或 `select {}` 会永久阻塞。请先初始化 channel，或者直接返回。',
    },
  },
  {
    id: 'channel-never-closed',
    name: 'receiving from a channel nobody sends on or closes',
    waitReasons: ['chan receive'],
    advice: 'The sender went away without closing the channel (a `for range ch` ends only when it is closed). Close it when the producer is done, or select on ctx.Done() next to the receive so the goroutine can exit.',
    'zh-cn': {
      name: '从一个无人发送、也无人关闭的 channel 接收',
      advice: '发送方退出时没有关闭 channel（`for range ch` 只有在 channel 关闭后才会结束）。请在生产者结束时关闭它，或在接收处同时 select ctx.Done()，让 goroutine 能够退出。',
    },
  },
  {
    id: 'channel-send-no-receiver',
    name: 'sending on a channel nobody receives from',
    waitReasons: ['chan send'],
    advice: 'The receiver returned early (a timeout, an error) and the sender blocks forever. Give a single-result channel a buffer of 1, or select on ctx.Done() next to the send.',
    'zh-cn': {
      name: '向一个无人接收的 channel 发送',
      advice: '接收方已提前返回（超时或出错），发送方因此永久阻塞。只传一个结果的 channel 请设 1 个缓冲，或在发送处同时 select ctx.Done()。',
    },
  },
  {
    id: 'waitgroup-never-done',
    name: 'waiting for a WaitGroup whose Done never comes',
    waitReasons: ['semacquire', 'sync.WaitGroup.Wait'],
    frames: ['sync.(*WaitGroup).Wait'],
    advice: 'Some goroutine counted by Add never calls Done (an early return, a panic, or it is blocked itself). Call Done with defer at the top of each goroutine.',
    'zh-cn': {
      name: '等待一个永远等不到 Done 的 WaitGroup',
      advice: '某个由 Add 计数的 goroutine 从未调用 Done（提前返回、panic，或它自己也阻塞了）。请在每个 goroutine 开头用 defer 调用 Done。',
    },
  },
  {
    id: 'lock-never-released',
    name: 'blocked on a lock another goroutine holds',
    waitReasons: LOCK_REASONS,
    frames: MUTEX_FRAMES,
    advice: 'The holder is blocked (on a channel, I/O, another lock) while holding the mutex, or a path returns without Unlock. Look in the dump for a goroutine blocked inside the same type\'s methods; do not block under a lock, and Unlock with defer.',
    'zh-cn': {
      name: '阻塞在另一个 goroutine 持有的锁上',
      advice: '持锁者在持有 mutex 时阻塞了（在 channel、I/O 或另一把锁上），或者某条路径返回时没有 Unlock。请在 dump 中找阻塞在同一类型方法里的 goroutine；不要在持锁时阻塞，并用 defer 调用 Unlock。',
    },
  },
  {
    id: 'cond-never-signalled',
    name: 'waiting on a sync.Cond nobody signals',
    waitReasons: ['sync.Cond.Wait'],
    advice: 'Every Wait needs a Signal/Broadcast after the condition changes, including on shutdown.',
    'zh-cn': {
      name: '等待一个无人 Signal 的 sync.Cond',
      advice: '每个 Wait 都需要在条件改变后有对应的 Signal/Broadcast，退出（shutdown）时也一样。',
    },
  },
  {
    id: 'network-read-no-deadline',
    name: 'reading from the network with no deadline',
    waitReasons: ['IO wait'],
    frames: READ_FRAMES,
    advice: 'A peer that connects and never sends, or a stalled upstream, holds this goroutine forever. Set a read deadline before each read (conn.SetReadDeadline; http.Server ReadHeaderTimeout/ReadTimeout/IdleTimeout; http.Client Timeout), or close the connection when the context is done.',
    'zh-cn': {
      name: '读网络数据时没有设置 deadline',
      advice: '对端连上后一直不发数据，或上游卡住，都会让这个 goroutine 永远挂起。每次读之前设置读 deadline（conn.SetReadDeadline；http.Server 的 ReadHeaderTimeout/ReadTimeout/IdleTimeout；http.Client 的 Timeout），或在 context 结束时关闭连接。',
    },
  },
  {
    id: 'network-write-no-deadline',
    name: 'writing to the network with no deadline',
    waitReasons: ['IO wait'],
    frames: WRITE_FRAMES,
    advice: 'A peer that stopped reading holds this goroutine forever. Set a write deadline (conn.SetWriteDeadline; http.Server WriteTimeout).',
    'zh-cn': {
      name: '写网络数据时没有设置 deadline',
      advice: '对端不再读取时，这个 goroutine 会永远挂起。请设置写 deadline（conn.SetWriteDeadline；http.Server 的 WriteTimeout）。',
    },
  },
  {
    id: 'listener-accept',
    name: 'a listener waiting for connections',
    waitReasons: ['IO wait'],
    frames: ACCEPT_FRAMES,
    advice: 'One per listener is normal; many mean listeners opened and never closed (close them on shutdown or when a server is replaced).',
    'zh-cn': {
      name: '等待连接的 listener',
      advice: '每个 listener 一个是正常的；数量很多说明有 listener 打开后从未关闭（请在关闭服务或替换 server 时关闭它们）。',
    },
  },
  {
    id: 'select-no-exit',
    name: 'parked in a select none of whose cases happens',
    waitReasons: ['select'],
    advice: 'Add a case that ends the goroutine (<-ctx.Done(), a quit channel that is actually closed). In a loop, a `time.After` case allocates a timer every iteration that lives until it fires (before Go 1.23): use one time.NewTimer and Reset it.',
    'zh-cn': {
      name: '停在一个没有任何 case 会就绪的 select 中',
      advice: '加一个能让 goroutine 结束的 case（<-ctx.Done()，或一个确实会被关闭的 quit channel）。在循环中，`time.After` case 每次迭代都会分配一个 timer，直到触发才释放（Go 1.23 之前）：请只用一个 time.NewTimer 并 Reset 它。',
    },
  },
  {
    id: 'sleeping-loop',
    name: 'sleeping in a loop',
    waitReasons: ['sleep'],
    advice: 'A loop around time.Sleep cannot be stopped: select on a time.Ticker (or timer) and ctx.Done() instead.',
    'zh-cn': {
      name: '在循环中 sleep',
      advice: '围绕 time.Sleep 的循环无法被停止：请改为同时 select time.Ticker（或 timer）和 ctx.Done()。',
    },
  },
];

/** GENERAL_GOROUTINE_ADVICE is the advice when no pattern applies (English is what --json says). */
export const GENERAL_GOROUTINE_ADVICE: Localized = {
  en: 'Goroutines grew here: make sure every goroutine can exit (ctx.Done(), closed channels, I/O deadlines); a dump (/debug/pprof/goroutine?debug=2) shows why and for how long they wait.',
  'zh-cn': 'goroutine 在这里增长了：确保每个 goroutine 都能退出（ctx.Done()、关闭 channel、I/O deadline）；dump（/debug/pprof/goroutine?debug=2）会显示它们为何等待、等了多久。',
};

/** FEWER_GOROUTINES_ADVICE is what a site where fewer goroutines wait says. */
export const FEWER_GOROUTINES_ADVICE: Localized = {
  en: 'Fewer goroutines wait here than before; nothing to fix unless they were meant to stay.',
  'zh-cn': '在这里等待的 goroutine 比之前少；除非它们本应留下，否则无需处理。',
};

/** goroutinePatternText is a pattern's name and advice in `language` (default: the display language). */
export function goroutinePatternText(p: Pick<GoroutinePattern, 'name' | 'advice' | 'zh-cn'>, language: Language = displayLanguage()): { name: string; advice: string } {
  return language === 'zh-cn' ? p['zh-cn'] : { name: p.name, advice: p.advice };
}

/**
 * goroutineAdvice is a finding's advice in the display language: its pattern's, else the general
 * advice (growth) or the all-clear (fewer). finding.advice keeps the English, for --json.
 */
export function goroutineAdvice(f: { pattern: GoroutinePattern | null; delta: { goroutines: number } }, language: Language = displayLanguage()): string {
  if (f.pattern) return goroutinePatternText(f.pattern, language).advice;
  return pick(f.delta.goroutines > 0 ? GENERAL_GOROUTINE_ADVICE : FEWER_GOROUTINES_ADVICE, language);
}

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
