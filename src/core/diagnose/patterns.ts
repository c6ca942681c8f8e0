import { formatBytes } from '../format';
import type { GrowthKind } from './kind';

// Known growth patterns, kept as data: each is a set of stack signatures plus a one-line
// explanation and fix. A pattern is named only when a significant finding of an allowed kind shows
// one of its signatures on its dominant call path — never from the scenario, never by guessing.
//
// Go's heap profiler hides the runtime frames at the top of a stack (runtime/pprof drops leading
// `runtime.*` frames), so map growth never shows runtime.mapassign / runtime.hashGrow in real
// profiles: the bucket array is charged to the line that assigns into the map. What the samples
// still show is its size: a map's bucket array doubles each time it grows (a large slice grows by
// ≈1.25×), so a non-library line that allocated single objects doubling in size, and keeps the
// latest, is a growing map. The runtime frames are kept as a signature for profiles that do show them.

/** PatternEvidence names a signature that needs the samples, not just frame names. */
export type PatternEvidence =
  /** ≥ 3 single large objects at the site, each about twice the previous (a map's bucket array doubling). */
  | 'doubling-objects'
  /** The memory is held under a goroutine started by the user's code. */
  | 'user-goroutine-root';

/** PatternSignature is one way a pattern shows in a finding; every given condition must hold. */
export interface PatternSignature {
  /** Each regular expression must match the function name of some frame on the dominant path. */
  frames?: readonly string[];
  evidence?: PatternEvidence;
  /** The allocation site must not be standard library code. */
  siteOutsideStdlib?: boolean;
}

/** GrowthPattern is one row of the pattern table. */
export interface GrowthPattern {
  id: string;
  title: string;
  /** Kinds of finding the pattern can explain. */
  kinds: readonly GrowthKind[];
  /** The pattern matches when any of these signatures does. */
  signatures: readonly PatternSignature[];
  /**
   * Also explain significant retained findings that leave the user's code through the same call
   * (same caller line) as a finding this pattern matched directly — e.g. the values stored into
   * a map that only grows.
   */
  sameCall?: { explanation: string };
  explanation: string;
  advice: string;
}

/** GROWTH_PATTERNS is the table of known patterns, most specific first. */
export const GROWTH_PATTERNS: readonly GrowthPattern[] = [
  {
    id: 'request-body-kept',
    title: 'Whole request bodies read into memory and kept',
    kinds: ['retained'],
    signatures: [
      { frames: ['^bytes\\.\\(\\*Buffer\\)\\.ReadFrom$'] },
      { frames: ['^io\\.ReadAll$'] },
      { frames: ['^io/ioutil\\.ReadAll$'] },
    ],
    explanation: 'A whole input stream — typically an HTTP request body — is read into one buffer (bytes.Buffer.ReadFrom / io.ReadAll grow it by doubling until the stream ends) and the buffer stays reachable afterwards.',
    advice: 'Stream the body instead of buffering it (json.NewDecoder(r.Body), io.Copy to the destination), cap it with http.MaxBytesReader, and do not keep the returned slice: copy out what you need.',
  },
  {
    id: 'compressor-per-connection',
    title: 'A compressor per connection, kept alive',
    kinds: ['retained', 'goroutines'],
    signatures: [
      { frames: ['^compress/flate\\.NewWriter(Dict)?$'] },
    ],
    explanation: 'Each connection or stream owns its own DEFLATE compressor (gzip and zlib writers use flate underneath); one holds hundreds of KiB of window and hash tables for as long as it is reachable.',
    advice: 'Reuse compressors through a sync.Pool and Reset(w) them per stream, release them when a connection goes idle, or use a cheaper level (flate.BestSpeed, flate.HuffmanOnly) for small messages.',
  },
  {
    id: 'bufio-per-connection',
    title: 'A buffered reader or writer per connection, kept alive',
    kinds: ['retained', 'goroutines'],
    signatures: [
      { frames: ['^bufio\\.(NewReaderSize|NewWriterSize|NewReader|NewWriter)$'] },
    ],
    explanation: 'Each connection keeps its own bufio buffer (the size passed to NewReaderSize / NewWriterSize, 4 KiB by default) for as long as the connection is reachable.',
    advice: 'Close idle connections (deadlines, idle timeouts) and remove them from any table; size buffers for the traffic; pool them (sync.Pool + Reset) when connections are short-lived.',
  },
  {
    id: 'reflect-pool-oversized',
    title: 'Oversized pool preallocated with reflect.MakeSlice',
    kinds: ['retained'],
    signatures: [
      { frames: ['^reflect\\.MakeSlice$'] },
    ],
    explanation: 'Buffers created with reflect.MakeSlice are all kept: the signature of a generic pool that preallocates its whole capacity up front.',
    advice: 'Allocate pool entries on demand up to a cap (or use sync.Pool), and size the cap from measured concurrency rather than a worst case such as maxConns × k.',
  },
  {
    id: 'goroutines-blocked',
    title: 'Goroutines that never exit',
    kinds: ['goroutines'],
    signatures: [
      { frames: ['^runtime\\.(malg|newproc1)$'] },
      { evidence: 'user-goroutine-root' },
    ],
    explanation: 'The number of goroutines grew and this memory belongs to them: goroutines that never exit, typically blocked forever on a channel nobody sends on or closes, a lock, or a read without a deadline.',
    advice: 'Give every goroutine a way to end: select on ctx.Done() or a done channel, close channels when the producer goes away, set I/O deadlines. Confirm with /debug/pprof/goroutine?debug=1, which counts goroutines by stack.',
  },
  {
    id: 'map-only-grows',
    title: 'A map that only grows',
    kinds: ['retained'],
    signatures: [
      { frames: ['^runtime\\.(mapassign(_fast\\w+)?|hashGrow|growWork|makeBucketArray)$'] },
      { evidence: 'doubling-objects', siteOutsideStdlib: true },
    ],
    sameCall: {
      explanation: 'These values are stored in a map that only grows: the same call also grows a map, and both stay reachable.',
    },
    explanation: 'A map keeps growing: its bucket array doubles at this assignment and entries are never deleted (Go maps never shrink their bucket arrays).',
    advice: 'Bound the map: evict entries (LRU, TTL) or delete them when done; rebuild a large map periodically if it must shrink.',
  },
];

/** PatternSubject is what a pattern is matched against. */
export interface PatternSubject {
  kind: GrowthKind;
  significant: boolean;
  /** Function names on the dominant path, in any order. */
  functions: readonly string[];
  siteIsStdlib: boolean;
  /** Raw sizes of single large objects the new profile shows at the site. */
  largeObjectSizes: readonly number[];
  userGoroutineRoot: boolean;
}

/** PatternMatch is a named pattern with the evidence the stacks showed. */
export interface PatternMatch {
  id: string;
  title: string;
  explanation: string;
  advice: string;
  /** What in the profile shows it, in words (e.g. "bytes.(*Buffer).ReadFrom on the path"). */
  evidence: string;
}

/** matchPattern returns the first pattern of `table` whose signature the subject shows, or undefined. */
export function matchPattern(s: PatternSubject, table: readonly GrowthPattern[] = GROWTH_PATTERNS): PatternMatch | undefined {
  if (!s.significant) return undefined;
  for (const p of table) {
    if (!p.kinds.includes(s.kind)) continue;
    for (const sig of p.signatures) {
      const evidence = signatureEvidence(sig, s);
      if (evidence !== undefined) return { id: p.id, title: p.title, explanation: p.explanation, advice: p.advice, evidence };
    }
  }
  return undefined;
}

function signatureEvidence(sig: PatternSignature, s: PatternSubject): string | undefined {
  if (sig.siteOutsideStdlib && s.siteIsStdlib) return undefined;
  const shown: string[] = [];
  for (const re of sig.frames ?? []) {
    const rx = new RegExp(re);
    const fn = s.functions.find((f) => rx.test(f));
    if (fn === undefined) return undefined;
    shown.push(fn);
  }
  if (sig.evidence === 'user-goroutine-root' && !s.userGoroutineRoot) return undefined;
  let chain: number[] = [];
  if (sig.evidence === 'doubling-objects') {
    chain = doublingChain(s.largeObjectSizes);
    if (chain.length < 3) return undefined;
  }
  const parts: string[] = [];
  if (shown.length > 0) parts.push(`${shown.join(', ')} on the call path`);
  if (sig.evidence === 'user-goroutine-root') parts.push('held under a goroutine started by your code while the number of goroutines grew');
  if (chain.length > 0) parts.push(`allocations of single objects doubling in size (${chain.map(formatBytes).join(' → ')})`);
  return parts.join('; ');
}

/** doublingChain returns the longest chain of sizes (ascending) where each is 1.85–2.15× the one before. */
export function doublingChain(sizes: readonly number[]): number[] {
  const xs = [...sizes].filter((x) => x > 0).sort((a, b) => a - b);
  // Longest path in a small DAG (≤ 64 sizes): other objects at the same line may sit between steps.
  const length = xs.map(() => 1);
  const prev = xs.map(() => -1);
  let end = -1;
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < i; j++) {
      const ratio = xs[i] / xs[j];
      if (ratio >= 1.85 && ratio <= 2.15 && length[j] + 1 > length[i]) {
        length[i] = length[j] + 1;
        prev[i] = j;
      }
    }
    if (end < 0 || length[i] > length[end]) end = i;
  }
  const chain: number[] = [];
  for (let i = end; i >= 0; i = prev[i]) chain.unshift(xs[i]);
  return chain;
}
