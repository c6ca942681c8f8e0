import * as l10n from '@vscode/l10n';
import { formatValue } from '../src/core/format';
import { type MemoryBreakdown, type MemoryPart, memoryParts } from '../src/core/memory/breakdown';

// The words of the process-memory bar (memoryBar.ts), without the DOM so they are unit-tested.

/** MEMORY_PART_IDS are the parts in stacking order (core/memory/breakdown.ts memoryParts). */
export const MEMORY_PART_IDS: ReadonlyArray<MemoryPart['id']> = ['heapLive', 'heapFragmentation', 'heapIdleNotReleased', 'heapReleased', 'stacks', 'runtimeMetadata'];

/** partLabel names a part in the display language. */
export function partLabel(id: MemoryPart['id']): string {
  switch (id) {
    case 'heapLive': return l10n.t('live heap');
    case 'heapFragmentation': return l10n.t('heap in use but free');
    case 'heapIdleNotReleased': return l10n.t('idle heap not yet returned to the OS');
    case 'heapReleased': return l10n.t('heap returned to the OS');
    case 'stacks': return l10n.t('goroutine stacks');
    case 'runtimeMetadata': return l10n.t('runtime metadata');
  }
}

/** barLabel is a bar's accessible name: the profile, Sys, and every part with its size. */
export function barLabel(role: string, m: MemoryBreakdown): string {
  const parts = memoryParts(m).map((p) => `${partLabel(p.id)} ${formatValue(p.bytes, 'bytes')}`);
  return l10n.t('{0}: Sys {1} = {2}', role, formatValue(m.sys, 'bytes'), parts.join(', '));
}
