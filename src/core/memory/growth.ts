import * as l10n from '@vscode/l10n';
import { formatSigned, formatValue } from '../format';
import { type MemoryBreakdown, type MemoryPart, gcHeadroom, memoryParts } from './breakdown';

// Which part of the process memory grew, in words a Go engineer can act on. The parts are those of
// breakdown.ts; the largest change leads, and stacks are explained with the goroutine count when a
// goroutine profile was taken alongside ("about 991 goroutines × 100 KiB").

/** MemoryChange is one part's base, new and Δ. */
export interface MemoryChange extends MemoryPart {
  base: number;
  new: number;
  delta: number;
}

/** memoryChanges pairs the parts of two snapshots, largest |Δ| first. */
export function memoryChanges(base: MemoryBreakdown, target: MemoryBreakdown): MemoryChange[] {
  const b = memoryParts(base);
  return memoryParts(target)
    .map((p, i) => ({ ...p, base: b[i].bytes, new: p.bytes, delta: p.bytes - b[i].bytes }))
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
}

/** memoryGrowthSentences says what grew and what it means; goroutineDelta is Δgoroutines when known. */
export function memoryGrowthSentences(base: MemoryBreakdown, target: MemoryBreakdown, goroutineDelta?: number): string[] {
  const sys = target.sys - base.sys;
  const out = [l10n.t('Sys (all memory the Go runtime obtained from the OS) went from {0} to {1} ({2}).', formatValue(base.sys, 'bytes'), formatValue(target.sys, 'bytes'), formatSigned(sys, 'bytes'))];
  for (const c of memoryChanges(base, target)) {
    // Parts that moved by less than 5% of Sys's change (or 1 MiB) are not worth a sentence.
    if (c.delta <= 0 || c.delta < Math.max(1048576, 0.05 * Math.abs(sys))) continue;
    out.push(partSentence(c, goroutineDelta));
  }
  const headroom = gcHeadroom(target);
  if (headroom === undefined) out.push(l10n.t('GC is off in the new profile (NextGC has no goal): the heap grows until memory runs out or GOGC is set again.'));
  return out;
}

function partSentence(c: MemoryChange, goroutineDelta: number | undefined): string {
  const grew = l10n.t('The {0} grew {1} ({2} → {3})', c.label, formatValue(c.delta, 'bytes'), formatValue(c.base, 'bytes'), formatValue(c.new, 'bytes'));
  switch (c.id) {
    case 'stacks': {
      if (goroutineDelta !== undefined && goroutineDelta > 0) {
        const each = c.delta / goroutineDelta;
        return l10n.t('Stacks grew {0}: about {1} more goroutines × {2} each — see the goroutine findings. A heap profile does not show goroutine stacks.', formatValue(c.delta, 'bytes'), goroutineDelta.toLocaleString('en-US'), formatValue(each, 'bytes'));
      }
      return l10n.t('Stacks grew {0} ({1} → {2}): goroutines that do not exit keep their stacks — take a goroutine profile (/debug/pprof/goroutine?debug=2) alongside. A heap profile does not show goroutine stacks.', formatValue(c.delta, 'bytes'), formatValue(c.base, 'bytes'), formatValue(c.new, 'bytes'));
    }
    case 'heapLive':
      return l10n.t('{0}: this is what the heap profile\'s inuse_space estimates; see the findings.', grew);
    case 'heapFragmentation':
      return l10n.t('{0}: spans kept for a few live objects each, typical after many objects of one size class were freed.', grew);
    case 'heapIdleNotReleased':
      return l10n.t('{0}: the heap was larger at some point since; the runtime returns idle memory to the OS gradually (debug.FreeOSMemory forces it). It counts in RSS until then.', grew);
    case 'heapReleased':
      return l10n.t('Memory returned to the OS grew {0} ({1} → {2}): it counts in Sys but not in RSS.', formatValue(c.delta, 'bytes'), formatValue(c.base, 'bytes'), formatValue(c.new, 'bytes'));
    case 'runtimeMetadata':
      return l10n.t('{0}: GC bitmaps and span structures scale with the heap; profiling buckets with the number of distinct stacks.', grew);
    default:
      return `${grew}.`;
  }
}
