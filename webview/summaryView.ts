import * as l10n from '@vscode/l10n';
import { formatRatio, formatSigned, formatSignedPercent, formatValue } from '../src/core/format';
import type { ProfileFacts } from '../src/core/profileSummary';
import type { Finding, SessionInfo } from '../src/protocol/messages';
import { abbreviateName } from '../src/core/text/nameDisplay';
import { clear, h } from './dom';
import { renderMemory } from './memoryBar';

// A finding names functions from the profile, which can be thousands of characters long: the
// Diagnosis box shows them abbreviated (full text in the tooltip) so the tabs below stay in view.
const FINDING_NAME_MAX = 100;
const FINDING_TEXT_MAX = 400;
import { formatCount, formatDateTimeUtc } from './locale';

// The summary: per sample type base, new, Δ, Δ% and × growth — the first table anyone writes when
// asking why memory grew — then when and how each profile was taken, and the runtime.MemStats block
// of legacy text profiles (side by side with Δ when both have one).

/** SummaryView renders a SessionInfo's summary. */
export class SummaryView {
  constructor(private readonly root: HTMLElement) {}

  /** render replaces the summary with this session's. */
  render(session: SessionInfo): void {
    clear(this.root);
    const s = session.summary;
    const compare = session.mode === 'comparison' && !!s.baseProfile;
    this.root.append(h('h2', { text: l10n.t('Totals by sample type') }));
    const head = compare ? [l10n.t('sample type'), l10n.t('base'), l10n.t('new'), 'Δ', 'Δ%', l10n.t('× growth')] : [l10n.t('sample type'), l10n.t('total')];
    const rows = s.totals.map((t) => {
      const current = t.type === session.sampleType ? ' current' : '';
      const cells: HTMLElement[] = [h('th', { text: t.type, attrs: { scope: 'row' } })];
      if (compare) {
        const base = t.baseTotal ?? 0;
        const delta = t.newTotal - base;
        const sign = delta > 0 ? 'grew' : delta < 0 ? 'shrank' : '';
        cells.push(
          h('td', { className: 'num', text: t.baseTotal === undefined ? '—' : formatValue(base, t.unit) }),
          h('td', { className: 'num', text: formatValue(t.newTotal, t.unit) }),
          h('td', { className: `num ${sign}`, text: formatSigned(delta, t.unit) }),
          h('td', { className: `num ${sign}`, text: formatSignedPercent(delta, base) }),
          h('td', { className: `num ${sign}`, text: formatRatio(t.newTotal, base) }),
        );
      } else {
        cells.push(h('td', { className: 'num', text: formatValue(t.newTotal, t.unit) }));
      }
      return h('tr', { className: `sample-type${current}`, attrs: { 'data-sample-type': t.type } }, ...cells);
    });
    this.root.append(table('summary-totals', head, rows));
    this.root.append(h('p', { className: 'muted', text: totalsNote(session) }));

    this.root.append(h('h2', { text: l10n.t('Profiles') }));
    const profiles = compare ? [s.baseProfile!, s.newProfile] : [s.newProfile];
    const roles = compare ? [l10n.t('base'), l10n.t('new')] : [l10n.t('profile')];
    const factRows: Array<[string, (f: ProfileFacts) => string]> = [
      [l10n.t('file'), (f) => f.name],
      [l10n.t('taken at'), (f) => formatTime(f.timeNanos)],
      [l10n.t('duration'), (f) => (f.durationNanos > 0 ? formatDuration(f.durationNanos) : '—')],
      [l10n.t('sampling period'), (f) => (f.period > 0 ? `${formatValue(f.period, f.periodType.endsWith('/bytes') ? 'bytes' : '')} (${f.periodType || l10n.t('unknown')})` : '—')],
      [l10n.t('samples'), (f) => formatCount(f.samples)],
      [l10n.t('format'), (f) => `${formatName(f.format)}${f.gzipped ? l10n.t(', gzipped') : ''}`],
    ];
    this.root.append(table('summary-profiles', ['', ...roles], factRows.map(([label, get]) =>
      h('tr', {}, h('th', { text: label, attrs: { scope: 'row' } }), ...profiles.map((p) => h('td', { text: get(p) }))))));
    if (compare && s.baseProfile!.timeNanos > 0 && s.newProfile.timeNanos > 0) {
      this.root.append(h('p', { className: 'muted', text: l10n.t('The new profile was taken {0} after the base.', formatDuration(s.newProfile.timeNanos - s.baseProfile!.timeNanos)) }));
    }
    const memStats = profiles.filter((p) => p.memStats && p.memStats.length > 0);
    renderMemory(this.root, profiles, roles);
    if (memStats.length > 0) this.renderMemStats(profiles, roles);
  }

  private renderMemStats(profiles: ProfileFacts[], roles: string[]): void {
    this.root.append(h('h2', { text: 'runtime.MemStats' }));
    this.root.append(h('p', { className: 'muted', text: l10n.t('From the # runtime.MemStats block of the text profile: HeapAlloc is live heap, HeapInuse what its spans occupy, Sys what the Go runtime got from the OS (closest to RSS).') }));
    const keys: string[] = [];
    // PauseNs / PauseEnd are 256-entry ring buffers: noise in a table.
    for (const p of profiles) for (const [k, v] of p.memStats ?? []) if (!keys.includes(k) && !v.startsWith('[')) keys.push(k);
    const both = profiles.length === 2 && profiles.every((p) => p.memStats);
    const head = ['', ...roles, ...(both ? ['Δ'] : [])];
    const rows = keys.map((k) => {
      const values = profiles.map((p) => p.memStats?.find(([key]) => key === k)?.[1] ?? '');
      const cells = [h('th', { text: k, attrs: { scope: 'row' } }), ...values.map((v) => h('td', { className: 'num', text: memStatText(k, v), title: v }))];
      if (both) {
        const [a, b] = values.map(Number);
        const numeric = values.every((v) => /^-?\d+$/.test(v));
        const unit = MEMSTATS_BYTES.has(k) ? 'bytes' : '';
        const delta = b - a;
        const shown = numeric && Math.abs(a) < 2 ** 62 && Math.abs(b) < 2 ** 62; // NextGC's "never" sentinel
        cells.push(h('td', { className: `num ${shown && delta > 0 ? 'grew' : shown && delta < 0 ? 'shrank' : ''}`, text: shown ? formatSigned(delta, unit) : '' }));
      }
      return h('tr', {}, ...cells);
    });
    this.root.append(table('summary-memstats', head, rows));
  }
}

/** FindingsView renders diagnosis findings above the tabs. */
export function renderFindings(root: HTMLElement, findings: Finding[], openSource: (f: Finding) => void): void {
  clear(root);
  root.hidden = findings.length === 0;
  if (findings.length === 0) return;
  root.append(h('h2', { text: l10n.t('Diagnosis') }));
  const list = h('ul', { className: 'findings-list' });
  for (const f of findings) {
    const item = h('li', { className: `finding severity-${f.severity}` },
      h('span', { className: `codicon codicon-${f.severity === 'high' ? 'error' : f.severity === 'medium' ? 'warning' : 'info'}` }),
      h('strong', { className: 'isolate', text: abbreviateName(f.title, FINDING_TEXT_MAX), title: f.title }), ' ',
      h('span', { className: 'isolate', text: abbreviateName(f.detail, FINDING_TEXT_MAX), title: f.detail }));
    if (f.location) {
      const loc = f.location;
      const link = h('a', { className: 'source-link', attrs: { href: '#' } }, h('bdi', { text: abbreviateName(loc.function, FINDING_NAME_MAX), title: loc.function }), ' ', h('bdi', { text: `${loc.file.split('/').pop()}:${loc.line}` }));
      link.addEventListener('click', (e) => { e.preventDefault(); openSource(f); });
      item.append(' ', link);
      if (f.lineText !== undefined) item.append(' ', h('code', { className: 'finding-line', text: f.lineText }));
    }
    if (f.blockedAt) {
      // Where the goroutines holding this memory wait: one click to that line.
      const at = f.blockedAt;
      const link = h('a', { className: 'source-link blocked-at', attrs: { href: '#' } }, h('bdi', { text: abbreviateName(at.text, FINDING_TEXT_MAX), title: at.text }));
      link.addEventListener('click', (e) => { e.preventDefault(); openSource({ ...f, location: { function: at.function, file: at.file, line: at.line } }); });
      item.append(h('div', { className: 'finding-blocked' }, h('span', { className: 'codicon codicon-debug-pause' }), ' ', link));
    }
    list.append(item);
  }
  root.append(list);
}

/** formatName says which of Go's forms a profile came in. */
function formatName(format: string): string {
  if (format === 'legacy-heap-text') return l10n.t('legacy heap text (debug=1)');
  if (format === 'goroutine-text') return l10n.t('goroutine profile text (debug=1)');
  if (format === 'goroutine-dump') return l10n.t('goroutine dump (debug=2)');
  return 'profile.proto';
}

function memStatText(key: string, value: string): string {
  if (value === '') return '—';
  if (MEMSTATS_BYTES.has(key) && /^\d+$/.test(value) && Number(value) < 2 ** 62) return formatValue(Number(value), 'bytes');
  return value;
}

/** MEMSTATS_BYTES are the runtime.MemStats fields measured in bytes (the rest are counts, times or flags). */
const MEMSTATS_BYTES = new Set(['Alloc', 'TotalAlloc', 'Sys', 'HeapAlloc', 'HeapSys', 'HeapIdle', 'HeapInuse', 'HeapReleased', 'BuckHashSys', 'GCSys', 'OtherSys', 'NextGC', 'MaxRSS']);

function table(className: string, head: string[], rows: HTMLElement[]): HTMLTableElement {
  return h('table', { className: `data-table ${className}` },
    h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
    h('tbody', {}, ...rows));
}

function totalsNote(session: SessionInfo): string {
  const totals = l10n.t('Totals are Σ|value| over every sample, as go tool pprof reports them.');
  if (session.mode !== 'comparison') return totals;
  return `${totals} ${l10n.t('inuse_* is what was live at the last GC (a level); alloc_* counts everything allocated since the process started, so its Δ is what was allocated between the two profiles.')}`;
}

/** formatTime renders a profile timestamp in UTC (as the display language writes dates), or "—" when unknown. */
export function formatTime(nanos: number): string {
  if (!nanos) return '—';
  return formatDateTimeUtc(nanos / 1e6);
}

/** formatDuration renders a span of nanoseconds in the display language: 1h 2m, 3m 4s, 5.6s (1小时 2分, 3分 4秒, 5.6秒). */
export function formatDuration(nanos: number): string {
  const sign = nanos < 0 ? '−' : '';
  let s = Math.abs(nanos) / 1e9;
  const sec = (v: string) => l10n.t('{0}s', v);
  if (s < 60) return `${sign}${sec(s.toFixed(s < 10 ? 1 : 0))}`;
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hr = Math.floor(s / 3600); s -= hr * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  const days = () => l10n.t('{0}d', d);
  const hours = () => l10n.t('{0}h', hr);
  const minutes = () => l10n.t('{0}m', m);
  const parts = d ? [days(), hours()] : hr ? [hours(), minutes()] : [minutes(), sec(String(Math.round(s)))];
  return sign + parts.join(' ');
}
