import * as l10n from '@vscode/l10n';
import { formatSigned, formatValue } from '../src/core/format';
import { type MemoryBreakdown, memoryBreakdown, memoryParts } from '../src/core/memory/breakdown';
import { memoryGrowthSentences } from '../src/core/memory/growth';
import type { ProfileFacts } from '../src/core/profileSummary';
import { h } from './dom';
import { MEMORY_PART_IDS, barLabel, partLabel } from './memoryLabels';

// Where the process memory is: runtime.MemStats split into parts that sum to Sys (live heap, heap
// in use but free, idle heap not yet returned, returned to the OS, goroutine stacks, runtime
// metadata), drawn as one stacked bar per profile on a common scale so base and new compare at a
// glance. Each bar is an image with an accessible name listing every part; the table below it is
// the same numbers as text, with Δ. Colours are the extension's contributed theme colours.

/** renderMemory appends the memory section for the profiles that carry runtime.MemStats; nothing when none does. */
export function renderMemory(root: HTMLElement, profiles: readonly ProfileFacts[], roles: readonly string[]): void {
  const sides = profiles.map((p, i) => ({ facts: p, role: roles[i], memory: memoryBreakdown(p.memStats) })).filter((s) => s.memory !== undefined);
  if (sides.length === 0) return;
  const section = h('section', { className: 'memory-section', attrs: { 'aria-labelledby': 'memory-heading' } });
  section.append(h('h2', { text: l10n.t('Where the process memory is'), attrs: { id: 'memory-heading' } }));
  section.append(h('p', { className: 'muted', text: l10n.t('From runtime.MemStats: the parts sum to Sys, all the memory the Go runtime obtained from the OS. A heap profile sees only the live heap; goroutine stacks are not in it.') }));
  const scale = Math.max(...sides.map((s) => s.memory!.sys), 1);
  const bars = h('div', { className: 'memory-bars' });
  for (const s of sides) {
    const m = s.memory!;
    const bar = h('div', { className: 'memory-bar', attrs: { role: 'img', 'aria-label': barLabel(s.role, m), 'data-role': s.role } });
    // The bar's length is Sys on the common scale: base and new compare by length, parts by width.
    bar.style.width = `${(m.sys / scale) * 100}%`;
    for (const p of memoryParts(m)) {
      if (p.bytes <= 0) continue;
      const seg = h('div', { className: 'memory-segment', title: `${partLabel(p.id)}: ${formatValue(p.bytes, 'bytes')}`, attrs: { 'data-part': p.id, 'data-bytes': String(p.bytes) } });
      seg.style.width = `${(p.bytes / m.sys) * 100}%`;
      bar.append(seg);
    }
    const from = s.facts.memStatsFrom ? ` · ${l10n.t('from {0}', s.facts.memStatsFrom)}` : '';
    bars.append(h('div', { className: 'memory-row' },
      h('div', { className: 'memory-row-label' }, h('strong', { text: s.role }), ` Sys ${formatValue(m.sys, 'bytes')}`, h('span', { className: 'muted', text: from })),
      h('div', { className: 'memory-track' }, bar)));
  }
  section.append(bars);
  section.append(partsTable(sides.map((s) => ({ role: s.role, memory: s.memory! }))));
  if (sides.length === 2) {
    const list = h('ul', { className: 'memory-growth' });
    for (const sentence of memoryGrowthSentences(sides[0].memory!, sides[1].memory!)) list.append(h('li', { text: sentence }));
    section.append(list);
  }
  root.append(section);
}

/** partsTable is the bars as text: a swatch (the legend), the part, each profile's bytes and Δ. */
function partsTable(sides: Array<{ role: string; memory: MemoryBreakdown }>): HTMLTableElement {
  const both = sides.length === 2;
  const head = [l10n.t('part'), ...sides.map((s) => s.role), ...(both ? ['Δ'] : [])];
  const parts = sides.map((s) => memoryParts(s.memory));
  const rows = MEMORY_PART_IDS.map((id, i) => {
    const values = parts.map((ps) => ps[i].bytes);
    const cells: HTMLElement[] = [h('th', { attrs: { scope: 'row' } }, h('span', { className: 'memory-swatch', attrs: { 'data-part': id, 'aria-hidden': 'true' } }), partLabel(id))];
    for (const v of values) cells.push(h('td', { className: 'num', text: formatValue(v, 'bytes') }));
    if (both) {
      const d = values[1] - values[0];
      cells.push(h('td', { className: `num ${d > 0 ? 'grew' : d < 0 ? 'shrank' : ''}`, text: formatSigned(d, 'bytes') }));
    }
    return h('tr', { attrs: { 'data-part': id } }, ...cells);
  });
  const sys = sides.map((s) => s.memory.sys);
  rows.push(h('tr', { className: 'memory-sys' }, h('th', { text: 'Sys', attrs: { scope: 'row' } }), ...sys.map((v) => h('td', { className: 'num', text: formatValue(v, 'bytes') })),
    ...(both ? [h('td', { className: `num ${sys[1] > sys[0] ? 'grew' : sys[1] < sys[0] ? 'shrank' : ''}`, text: formatSigned(sys[1] - sys[0], 'bytes') })] : [])));
  return h('table', { className: 'data-table summary-memory', attrs: { 'aria-label': l10n.t('Process memory by part') } },
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
    h('tbody', {}, ...rows));
}
