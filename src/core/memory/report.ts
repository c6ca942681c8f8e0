import * as l10n from '@vscode/l10n';
import { formatSigned, formatValue } from '../format';
import { markdownText } from '../text/markdown';
import { type MemoryBreakdown, gcHeadroom, memoryBreakdown } from './breakdown';
import { memoryChanges, memoryGrowthSentences } from './growth';

// The "where the process memory is" section of a heap report: a table of the parts of Sys, base vs
// new, and the sentences of growth.ts.

/** memoryMarkdown renders the memory section (heading, sentences, table). */
export function memoryMarkdown(base: MemoryBreakdown, target: MemoryBreakdown, goroutineDelta?: number): string {
  const out = [`## ${l10n.t('Where the process memory is (runtime.MemStats)')}`, ''];
  for (const s of memoryGrowthSentences(base, target, goroutineDelta)) out.push(`- ${markdownText(s)}`);
  out.push('', `| ${l10n.t('part of Sys')} | ${l10n.t('base')} | ${l10n.t('new')} | Δ |`, '|---|---:|---:|---:|');
  const order = ['heapLive', 'heapFragmentation', 'heapIdleNotReleased', 'heapReleased', 'stacks', 'runtimeMetadata'];
  const changes = memoryChanges(base, target).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  for (const c of changes) out.push(`| ${c.label} | ${formatValue(c.base, 'bytes')} | ${formatValue(c.new, 'bytes')} | ${formatSigned(c.delta, 'bytes')} |`);
  out.push(`| **Sys** | **${formatValue(base.sys, 'bytes')}** | **${formatValue(target.sys, 'bytes')}** | **${formatSigned(target.sys - base.sys, 'bytes')}** |`);
  const hb = gcHeadroom(base);
  const hn = gcHeadroom(target);
  const show = (h: number | undefined) => (h === undefined ? l10n.t('GC off') : formatValue(h, 'bytes'));
  out.push('', l10n.t('Next GC at {0} of heap: headroom above the live heap {1} → {2} (GOGC). Resident memory is roughly Sys − returned to the OS.', target.nextGC >= 2 ** 62 ? l10n.t('— (GC off)') : formatValue(target.nextGC, 'bytes'), show(hb), show(hn)));
  return out.join('\n');
}

/**
 * memoryMarkdownOf renders the memory section from two profiles' MemStats blocks (their own, or a
 * capture bundle's memstats file), or undefined when either has none — as `heaplens report` does.
 */
export function memoryMarkdownOf(base: ReadonlyArray<readonly [string, string]> | undefined, target: ReadonlyArray<readonly [string, string]> | undefined, goroutineDelta?: number): string | undefined {
  const b = memoryBreakdown(base);
  const n = memoryBreakdown(target);
  return b && n ? memoryMarkdown(b, n, goroutineDelta) : undefined;
}
