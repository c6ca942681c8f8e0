import type { GrowthKind } from './kind';
import type { LineShape } from './sourceLine';

// The known growth patterns, as data: each row is a set of signatures (shapes of a heap profile's
// call path and samples) plus a one-line explanation and fix. Names are the shapes real libraries
// leave — a method that reads a whole body, a compressor's constructor, a Transport's connection
// goroutines — matched by method and package-suffix, so forks and look-alikes match too; never
// the names of heaplens' own fixtures.
//
// Go's heap profiler drops the runtime frames at the top of a stack, so runtime.growslice and
// runtime.mapassign never show: a slice append and a map's bucket array are both charged to the
// user's line. What tells them apart is the objects' sizes (a bucket array doubles each time; a
// large slice grows by ≈1.25×) and, when the source is readable, the line's text.

/** FrameRule matches frames of the dominant path by function name. */
export interface FrameRule {
  /** A regular expression over the function name (linear: no nested quantifiers). */
  fn: string;
  /** Where on the path: between the user's frame and the site ('below', the default), above the user's frame, or anywhere. */
  where?: 'below' | 'above' | 'any';
}

/** PatternEvidence names a signature that needs the samples, not just frame names. */
export type PatternEvidence =
  /** ≥ 3 single large objects at the site, each about twice the previous (a map's bucket array, a buffer doubling). */
  | 'doubling-objects'
  /** The memory is held under a goroutine started by the user's code while goroutines grew. */
  | 'user-goroutine-root'
  /** Another finding leaving the user's code through the same call matched `sameCallOf` directly. */
  | 'same-call'
  /** One or two single objects of ≥ 1/4 sampling period at the site (a map's bucket array; sampling caught no chain). */
  | 'large-object'
  /** Most of the live bytes at the site are many small objects beside the large ones: values allocated on the line that stores them. */
  | 'many-small-objects'
  /** The user's file also cuts the appended slice from the front (`x = x[1:]`). */
  | 'front-reslice';

/** PatternSignature is one way a pattern shows in a finding; every given condition must hold. */
export interface PatternSignature {
  /** Each rule must match some frame in its region. */
  frames?: readonly FrameRule[];
  evidence?: PatternEvidence;
  /** With evidence 'same-call': the pattern the sibling finding must show. */
  sameCallOf?: string;
  /** The allocation site must be the user's own line. */
  siteIsUser?: boolean;
  /** When the user's line is readable it must show one of these shapes; `lineRequired` also fails when it is not readable. */
  lineShows?: readonly LineShape[];
  lineRequired?: boolean;
  /** When the user's line is readable it must not show any of these. */
  lineNever?: readonly LineShape[];
}

/** GrowthPattern is one row of the pattern table. */
export interface GrowthPattern {
  id: string;
  title: string;
  /** Kinds of finding the pattern can explain. */
  kinds: readonly GrowthKind[];
  /** The pattern matches when any of these signatures does (first match wins). */
  signatures: readonly PatternSignature[];
  explanation: string;
  advice: string;
  /** The title, explanation and advice in Simplified Chinese (the fields above are the English). */
  'zh-cn': PatternText;
}

/** PatternText is what a pattern says, in one language (Markdown: `code` spans allowed). */
export interface PatternText {
  title: string;
  explanation: string;
  advice: string;
}

// Frame vocabularies shared by several rows.
const READ_WHOLE = '(^io\\.ReadAll|^io/ioutil\\.ReadAll|\\.\\(\\*\\w*(Buffer|Builder)\\)\\.ReadFrom)$';
const FRAMEWORK_BODY = '(\\.\\(\\*Request\\)\\.(Body|bodyBytes|BodyGunzip|BodyInflate|BodyUncompressed|ReadBody|ContinueReadBody)|\\.\\(\\*Context\\)\\.(GetRawData|ShouldBind\\w*|MustBindWith|BindJSON|Bind|BodyParser)|\\.\\(\\*DefaultBinder\\)\\.Bind\\w*|grpc\\.recvAndDecompress|grpc\\.\\(\\*parser\\)\\.recvMsg|grpc\\.\\(\\*serverStream\\)\\.RecvMsg)$';
const SERVER_LOOP = '(^net/http\\.\\(\\*conn\\)\\.serve|^net/http\\.serverHandler\\.ServeHTTP|\\.\\(\\*Server\\)\\.(serveConn|ServeConn|handleStream|processUnaryRPC|processStreamingRPC)|\\.\\(\\*Engine\\)\\.(ServeHTTP|handleHTTPRequest)|\\.\\(\\*Echo\\)\\.ServeHTTP|\\.\\(\\*App\\)\\.handler)$';
const COMPRESSOR = '(^compress/(flate|gzip|zlib|lzw)\\.(NewWriter\\w*|\\(\\*Writer\\)\\.(Reset|Write|init)|\\(\\*compressor\\)\\.init\\w*|newDeflateFast|newHuffmanBitWriter)|/(flate|gzip|zlib|zstd|s2|snappy|brotli|lz4)\\.(NewWriter\\w*|\\(\\*(Writer|Encoder|compressor)\\)\\.(Reset|init\\w*))|websocket\\.(compressNoContextTakeover|newCompressionWriter|newFlateWriter))$';
const BUFIO = '(^bufio\\.(NewReaderSize|NewWriterSize|NewReader|NewWriter|NewReadWriter)|^net/http\\.(newBufioReader|newBufioWriterSize))$';
const CLIENT_CONN = '^net/http\\.(\\(\\*Transport\\)\\.(dialConn|dialConnFor)|\\(\\*persistConn\\)\\.(readLoop|writeLoop))$';
const TIMER = '^time\\.(After|NewTimer|AfterFunc|Tick|NewTicker)$';

/** GROWTH_PATTERNS is the table of known patterns, most specific first. */
export const GROWTH_PATTERNS: readonly GrowthPattern[] = [
  {
    id: 'response-body-not-closed',
    title: 'HTTP client response bodies never closed',
    kinds: ['retained', 'goroutines'],
    signatures: [{ frames: [{ fn: CLIENT_CONN, where: 'any' }] }],
    explanation: 'net/http keeps a connection — its bufio reader and writer and its readLoop and writeLoop goroutines — until the response body is read to the end and closed; a body never closed pins one connection per request.',
    advice: 'Always `defer resp.Body.Close()` right after the error check, and drain the body (io.Copy(io.Discard, resp.Body)) before closing so the connection can be reused; set Client.Timeout.',
    'zh-cn': {
      title: 'HTTP 客户端的响应体从未关闭',
      explanation: 'net/http 会保留一个连接（它的 bufio 读写缓冲以及 readLoop、writeLoop 两个 goroutine），直到响应体被读完并关闭；从不关闭响应体，每个请求就会占住一个连接。',
      advice: '在错误检查之后立即 `defer resp.Body.Close()`，关闭前先读完响应体（io.Copy(io.Discard, resp.Body)），连接才能复用；并设置 Client.Timeout。',
    },
  },
  {
    id: 'request-body-kept',
    title: 'Whole request bodies read into memory and kept',
    kinds: ['retained'],
    signatures: [
      { frames: [{ fn: FRAMEWORK_BODY }] },
      { frames: [{ fn: READ_WHOLE }, { fn: SERVER_LOOP, where: 'above' }] },
      { frames: [{ fn: READ_WHOLE }], lineShows: ['body'], lineRequired: true },
    ],
    explanation: 'A whole request body is read into one buffer (ReadFrom / ReadAll grow it by doubling until the stream ends) and the buffer stays reachable after the request: every kept body pins a buffer up to twice its size.',
    advice: 'Stream the body instead of buffering it (json.NewDecoder(r.Body), io.Copy to the destination), cap it (http.MaxBytesReader, the server\'s MaxRequestBodySize), and copy out only what you keep: framework body slices belong to pooled buffers.',
    'zh-cn': {
      title: '整个请求体被读入内存并被保留',
      explanation: '整个请求体被读进一个缓冲区（ReadFrom / ReadAll 会不断翻倍扩容直到流结束），请求结束后该缓冲区仍然可达：每个被保留的请求体都占住一块最多为其两倍大小的缓冲区。',
      advice: '以流的方式处理请求体而不是整体缓冲（json.NewDecoder(r.Body)、io.Copy 到目标），限制其大小（http.MaxBytesReader、服务器的 MaxRequestBodySize），只拷贝出需要保留的部分：框架给出的请求体切片属于池化的缓冲区。',
    },
  },
  {
    id: 'compressor-per-connection',
    title: 'A compressor per connection, kept alive',
    kinds: ['retained', 'goroutines'],
    signatures: [{ frames: [{ fn: COMPRESSOR }] }],
    explanation: 'Each connection or stream owns its own compressor (a DEFLATE writer holds hundreds of KiB of window and hash tables; gzip, zlib and websocket compression use one underneath) for as long as it is reachable.',
    advice: 'Reuse compressors through a sync.Pool and Reset(w) them per message, release them when a connection goes idle, or use a cheaper level (flate.BestSpeed, HuffmanOnly) or no compression for small messages.',
    'zh-cn': {
      title: '每个连接一个压缩器，且一直存活',
      explanation: '每个连接或流都有自己的压缩器（一个 DEFLATE writer 持有数百 KiB 的窗口和哈希表；gzip、zlib 和 websocket 压缩底层都用它），只要它可达就一直占用。',
      advice: '通过 sync.Pool 复用压缩器并在每条消息前 Reset(w)，连接空闲时释放，或对小消息使用更便宜的级别（flate.BestSpeed、HuffmanOnly）或不压缩。',
    },
  },
  {
    id: 'bufio-per-connection',
    title: 'A buffered reader or writer per connection, kept alive',
    kinds: ['retained', 'goroutines'],
    signatures: [{ frames: [{ fn: BUFIO }] }],
    explanation: 'Each connection keeps its own bufio buffer (the size passed to NewReaderSize / NewWriterSize, 4 KiB by default) for as long as the connection is reachable.',
    advice: 'Close idle connections (deadlines, idle timeouts) and remove them from any table; size buffers for the traffic; pool them (sync.Pool + Reset) when connections are short-lived.',
    'zh-cn': {
      title: '每个连接一个带缓冲的读写器，且一直存活',
      explanation: '每个连接都保留自己的 bufio 缓冲区（大小为传给 NewReaderSize / NewWriterSize 的值，默认 4 KiB），只要连接可达就一直占用。',
      advice: '关闭空闲连接（deadline、空闲超时）并把它们从各种表中移除；按流量设置缓冲区大小；连接生命周期短时使用池（sync.Pool + Reset）。',
    },
  },
  {
    id: 'timer-in-loop',
    title: 'A new timer on every loop iteration',
    kinds: ['retained', 'churn'],
    signatures: [{ frames: [{ fn: TIMER }] }],
    explanation: 'time.After / NewTimer / Tick allocate a timer and a channel per call; created on every pass of a loop (typically inside select) they pile up until each fires (before Go 1.23 an unfired timer is never collected; a Ticker never is until stopped).',
    advice: 'Create one timer outside the loop and Reset it per iteration (or use a context deadline); Stop tickers and timers you no longer need.',
    'zh-cn': {
      title: '每次循环都新建一个定时器',
      explanation: 'time.After / NewTimer / Tick 每次调用都会分配一个定时器和一个 channel；在循环的每一轮（通常在 select 中）创建，它们会一直堆积到各自触发（Go 1.23 之前未触发的定时器不会被回收；Ticker 在 Stop 之前永远不会被回收）。',
      advice: '在循环外创建一个定时器并在每轮 Reset（或使用 context 的 deadline）；不再需要的 Ticker 和定时器要 Stop。',
    },
  },
  {
    id: 'reflect-pool-oversized',
    title: 'Oversized pool preallocated with reflect.MakeSlice',
    kinds: ['retained'],
    signatures: [{ frames: [{ fn: '^reflect\\.MakeSlice$' }] }],
    explanation: 'Buffers created with reflect.MakeSlice are all kept: the signature of a generic pool that preallocates its whole capacity up front.',
    advice: 'Allocate pool entries on demand up to a cap (or use sync.Pool), and size the cap from measured concurrency rather than a worst case such as maxConns × k.',
    'zh-cn': {
      title: '用 reflect.MakeSlice 预分配了过大的池',
      explanation: '用 reflect.MakeSlice 创建的缓冲区全部被保留：这是一个通用池一次性预分配全部容量的特征。',
      advice: '按需分配池中的条目并设置上限（或使用 sync.Pool），上限根据实测的并发量确定，而不是按 maxConns × k 这样的最坏情况。',
    },
  },
  {
    id: 'goroutines-blocked',
    title: 'Goroutines that never exit',
    kinds: ['goroutines'],
    // runtime.malg alone says goroutines grew, not which: that finding stays "cause unknown".
    signatures: [{ evidence: 'user-goroutine-root' }],
    explanation: 'The number of goroutines grew and this memory belongs to them: goroutines that never exit, typically blocked forever on a channel nobody sends on or closes, a lock, or a read without a deadline.',
    advice: 'Give every goroutine a way to end: select on ctx.Done() or a done channel, close channels when the producer goes away, set I/O deadlines. Confirm with /debug/pprof/goroutine?debug=1, which counts goroutines by stack.',
    'zh-cn': {
      title: '永不退出的 goroutine',
      explanation: 'goroutine 的数量增长了，而这些内存属于它们：这些 goroutine 永不退出，通常是永远阻塞在一个没人发送也没人关闭的 channel、一把锁，或一个没有 deadline 的读操作上。',
      advice: '让每个 goroutine 都有退出的途径：select 监听 ctx.Done() 或 done channel，生产者退出时关闭 channel，为 I/O 设置 deadline。用 /debug/pprof/goroutine?debug=1（按调用栈统计 goroutine 数）确认。',
    },
  },
  {
    id: 'cache-no-eviction',
    title: 'Values kept in a cache that is never evicted',
    kinds: ['retained'],
    signatures: [
      { evidence: 'same-call', sameCallOf: 'map-only-grows' },
      // The line both allocates the value and stores it by key (`m[k] = append([]byte(nil), v...)`): the bytes are the values.
      { evidence: 'many-small-objects', siteIsUser: true, lineShows: ['map-assign'], lineRequired: true, lineNever: ['append', 'read-whole'] },
    ],
    explanation: 'These values are stored in a map that only grows (the same call, or the same line, also grows that map), so every value stays reachable for as long as the map does.',
    advice: 'Give the cache a bound: a maximum size with LRU eviction, a TTL, or delete entries when their owner goes away; a sync.Map or map never forgets on its own.',
    'zh-cn': {
      title: '存入从不淘汰的缓存中的值',
      explanation: '这些值存放在一个只增不减的 map 中（同一个调用或同一行代码也在使这个 map 增长），所以只要 map 存在，每个值就一直可达。',
      advice: '给缓存设定边界：带 LRU 淘汰的最大容量、TTL，或在所属对象消失时删除条目；sync.Map 和普通 map 本身都不会自动删除任何条目。',
    },
  },
  {
    id: 'map-only-grows',
    title: 'A map that only grows',
    kinds: ['retained'],
    signatures: [
      { frames: [{ fn: '^runtime\\.(mapassign(_fast\\w+)?|hashGrow|growWork|makeBucketArray)$', where: 'any' }] },
      // A slice of large elements or a hand-written doubling buffer makes the same sizes: the line must say "map".
      { evidence: 'doubling-objects', siteIsUser: true, lineShows: ['index-assign'], lineRequired: true, lineNever: ['append', 'read-whole'] },
      // Sampling may catch only the latest bucket array: then the line must name a key, not a position.
      { evidence: 'large-object', siteIsUser: true, lineShows: ['map-assign'], lineRequired: true, lineNever: ['append', 'read-whole'] },
    ],
    explanation: 'A map keeps growing: its bucket array doubles at this assignment and entries are never deleted (Go maps never shrink their bucket arrays).',
    advice: 'Bound the map: evict entries (LRU, TTL) or delete them when done; rebuild a large map periodically if it must shrink.',
    'zh-cn': {
      title: '只增不减的 map',
      explanation: '一个 map 在不断增长：它的桶数组在这次赋值处翻倍扩容，条目从未被删除（Go 的 map 从不缩小桶数组）。',
      advice: '给 map 设上限：淘汰条目（LRU、TTL）或用完即删；如果必须缩小，定期重建大的 map。',
    },
  },
  {
    id: 'queue-reslice-kept',
    title: 'A slice used as a queue: cut from the front, appended at the back',
    kinds: ['retained'],
    signatures: [{ siteIsUser: true, lineShows: ['append'], lineRequired: true, evidence: 'front-reslice' }],
    explanation: 'Popping with `q = q[1:]` never frees the front of the backing array, and every append that runs out of capacity copies the whole live tail into a new, larger array: the queue\'s memory follows its peak length and the popped elements (and what they point to) stay reachable until the next copy.',
    advice: 'Use a ring buffer or container/list, or copy the remaining items down (`n := copy(q, q[i:]); q = q[:n]`) and clear popped slots (`q[0] = nil`) before re-slicing; bound the queue\'s length.',
    'zh-cn': {
      title: '把切片当队列用：从头部切掉，在尾部追加',
      explanation: '用 `q = q[1:]` 出队永远不会释放底层数组的头部，而每次容量不足的 append 都会把整段存活的尾部拷贝到一个更大的新数组：队列的内存跟随其峰值长度，出队的元素（以及它们指向的对象）在下一次拷贝之前一直可达。',
      advice: '使用环形缓冲区或 container/list，或在重新切片前把剩余元素拷贝到前面（`n := copy(q, q[i:]); q = q[:n]`）并清空已出队的位置（`q[0] = nil`）；限制队列长度。',
    },
  },
];
