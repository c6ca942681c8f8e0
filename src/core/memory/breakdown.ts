import * as l10n from '@vscode/l10n';
import type { Profile } from '../model';

// Where the process memory is, from runtime.MemStats (the `# runtime.MemStats` block of a heap
// profile's debug=1 text). Sys is all the memory the Go runtime obtained from the OS; MemStats
// splits it exactly (runtime/mstats.go readmemstats: Sys = HeapSys + StackSys + MSpanSys +
// MCacheSys + BuckHashSys + GCSys + OtherSys, HeapSys = HeapInuse + HeapIdle, and HeapIdle includes
// HeapReleased). So the parts below sum to Sys to the byte:
//
//   heapLive             HeapAlloc             live heap objects (what a heap profile's inuse_space estimates)
//   heap fragmentation   HeapInuse − HeapAlloc spans in use, free slots in them
//   heapIdleNotReleased  HeapIdle − HeapReleased  free spans the OS still backs (RSS); the scavenger returns them gradually
//   heapReleased         HeapReleased          returned to the OS: counted in Sys, not resident
//   stacks               StackSys              goroutine stacks (plus OS thread stacks): the `Stack = inuse / sys` line's second value
//   runtimeMetadata      MSpanSys + MCacheSys + BuckHashSys + GCSys + OtherSys   span structs, per-P caches, profiling buckets, GC bitmaps, other
//
// heapInuse (HeapInuse) is live + fragmentation. nextGC (NextGC) is not a part: it is the heap size
// at which the next GC starts (GOGC), so NextGC − HeapAlloc is the headroom the live heap may grow
// into before then; with GOGC=off it is an enormous sentinel and there is no headroom to speak of.

/** MemoryBreakdown is one MemStats snapshot in the report's JSON names, all in bytes. */
export interface MemoryBreakdown {
  sys: number;
  heapLive: number;
  heapInuse: number;
  heapIdleNotReleased: number;
  heapReleased: number;
  nextGC: number;
  stacks: number;
  runtimeMetadata: number;
}

/** MemoryPart is one slice of Sys for display, in stacking order. */
export interface MemoryPart {
  id: 'heapLive' | 'heapFragmentation' | 'heapIdleNotReleased' | 'heapReleased' | 'stacks' | 'runtimeMetadata';
  label: string;
  bytes: number;
}

/** NO_GC_GOAL is the NextGC above which the runtime has no heap goal (GOGC=off sets ~2^63). */
export const NO_GC_GOAL = 2 ** 62;

/** memoryBreakdown reads MemStats pairs (as decoded from debug=1 heap text); undefined when a needed field is missing. */
export function memoryBreakdown(memStats: ReadonlyArray<readonly [string, string]> | undefined): MemoryBreakdown | undefined {
  if (!memStats) return undefined;
  const fields = new Map<string, string>(memStats.map(([k, v]) => [k, v]));
  const num = (name: string, second = false): number | undefined => {
    const raw = fields.get(name);
    if (raw === undefined) return undefined;
    const slash = raw.indexOf('/');
    const text = (second ? (slash >= 0 ? raw.slice(slash + 1) : undefined) : (slash >= 0 ? raw.slice(0, slash) : raw))?.trim();
    if (text === undefined || text === '' || !/^\d+$/.test(text)) return undefined;
    return Number(text);
  };
  const sys = num('Sys');
  const heapAlloc = num('HeapAlloc');
  const heapInuse = num('HeapInuse');
  const heapIdle = num('HeapIdle');
  const heapReleased = num('HeapReleased');
  const stackSys = num('Stack', true);
  const mspan = num('MSpan', true);
  const mcache = num('MCache', true);
  const buck = num('BuckHashSys');
  const gc = num('GCSys');
  const other = num('OtherSys');
  const nextGC = num('NextGC');
  const all = [sys, heapAlloc, heapInuse, heapIdle, heapReleased, stackSys, mspan, mcache, buck, gc, other, nextGC];
  if (all.some((v) => v === undefined)) return undefined;
  return {
    sys: sys!,
    heapLive: heapAlloc!,
    heapInuse: heapInuse!,
    heapIdleNotReleased: heapIdle! - heapReleased!,
    heapReleased: heapReleased!,
    nextGC: nextGC!,
    stacks: stackSys!,
    runtimeMetadata: mspan! + mcache! + buck! + gc! + other!,
  };
}

/** profileMemory is the breakdown of a profile's MemStats block, if it has one. */
export function profileMemory(p: Profile): MemoryBreakdown | undefined {
  return memoryBreakdown(p.memStats);
}

/** memoryParts splits Sys into its six parts (they sum to sys). */
export function memoryParts(m: MemoryBreakdown): MemoryPart[] {
  return [
    { id: 'heapLive', label: l10n.t('live heap'), bytes: m.heapLive },
    { id: 'heapFragmentation', label: l10n.t('heap in use but free (fragmentation)'), bytes: m.heapInuse - m.heapLive },
    { id: 'heapIdleNotReleased', label: l10n.t('idle heap not yet returned to the OS'), bytes: m.heapIdleNotReleased },
    { id: 'heapReleased', label: l10n.t('returned to the OS (not resident)'), bytes: m.heapReleased },
    { id: 'stacks', label: l10n.t('goroutine stacks'), bytes: m.stacks },
    { id: 'runtimeMetadata', label: l10n.t('runtime metadata (spans, GC, buckets, other)'), bytes: m.runtimeMetadata },
  ];
}

/** gcHeadroom is NextGC − live heap, or undefined when GC is off (no goal). */
export function gcHeadroom(m: MemoryBreakdown): number | undefined {
  return m.nextGC >= NO_GC_GOAL ? undefined : m.nextGC - m.heapLive;
}
