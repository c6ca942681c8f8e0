import * as l10n from '@vscode/l10n';
import { formatValue } from '../../core/format';
import type { MemoryBreakdown } from '../../core/memory/breakdown';
import type { MemoryTrend } from '../../core/memory/trend';
import type { SeriesTrend } from '../../core/seriesTrend';
import {
  type SourceFrame, type Trend, type TrendSite, formatElapsed, formatSlope, noSuspectsReason, risingSites, sparkline,
} from '../../core/trend';
import type { MemoryTrendRow, MemoryTrendView, TrendFrame, TrendLabels, TrendPart, TrendRow, TrendViewModel } from '../../protocol/trend';

// What the trend surfaces show, built from a core Trend without vscode: the panel's view model and
// the tree's rows. Pure, so it is unit-tested directly.

/** MAX_RISERS caps the "other rising sites" list; suspects are never capped. */
export const MAX_RISERS = 30;

/** trendViewModel builds the trend panel's model: per kind of profile its suspects, then other risers; then the process memory. */
export function trendViewModel(series: SeriesTrend, language = 'en'): TrendViewModel {
  const parts = [series.heap, series.goroutines].filter((t): t is Trend => t !== undefined).map(trendPart);
  const model: TrendViewModel = {
    title: parts.length === 1 ? parts[0].title : l10n.t('Trend across {0} profiles', seriesProfiles(series)),
    parts,
    labels: trendLabels(seriesProfiles(series), language),
  };
  if (series.memory) model.memory = memoryTrendView(series.memory);
  return model;
}

/** trendPart is one kind's section: its suspects, then the other risers (capped), with headings in the kind's words. */
export function trendPart(trend: Trend): TrendPart {
  const n = trend.snapshots.length;
  const start = trend.snapshots[0].timeMs;
  const goroutines = isGoroutineTrend(trend);
  const unchanged = goroutines ? l10n.t(' · unchanged (every stack as before)') : l10n.t(' · unchanged (no GC since the previous one)');
  const part: TrendPart = {
    kind: goroutines ? 'goroutines' : 'heap',
    title: l10n.t('Trend of {0} across {1} profiles', trend.sampleType.type, n),
    subtitle: subtitle(trend),
    suspects: trend.suspects.map((s) => trendRow(s, trend)),
    risers: risingSites(trend).slice(0, MAX_RISERS).map((s) => trendRow(s, trend)),
    snapshots: trend.snapshots.map((s, i) => `${s.name}${i > 0 && trend.timeBasis !== 'order' ? ` · +${formatElapsed(s.timeMs - start)}` : ''}${s.changed ? '' : unchanged}`),
    headings: goroutines ? {
      suspects: l10n.t('Goroutine leak suspects — goroutines waiting here rise steadily, steepest first'),
      otherRisers: l10n.t('Other sites where more goroutines wait'),
      risers: l10n.t('Sites where more goroutines wait (not steady enough to call a leak)'),
      noGrowth: l10n.t('No site held more goroutines across these profiles.'),
      profiles: l10n.t('Goroutine profiles ({0}), oldest first', n),
    } : {
      suspects: l10n.t('Leak suspects — rising steadily, steepest first'),
      otherRisers: l10n.t('Other rising sites'),
      risers: l10n.t('Rising sites (not steady enough to call a leak)'),
      noGrowth: l10n.t('No site grew across these profiles.'),
      profiles: l10n.t('Profiles ({0}), oldest first', n),
    },
  };
  if (trend.suspects.length === 0) part.note = noSuspectsReason(trend);
  return part;
}

/** memoryTrendView is the MemStats series as the CLI prints it: Sys, stacks, live heap, each with its slope. */
export function memoryTrendView(m: MemoryTrend): MemoryTrendView {
  const row = (label: string, slope: number, pick: (x: MemoryBreakdown) => number): MemoryTrendRow => {
    const series = m.points.map((p) => pick(p.memory));
    return { label, series, slope: formatSlope(slope, 'bytes'), range: `${formatValue(series[0], 'bytes')} → ${formatValue(series[series.length - 1], 'bytes')}` };
  };
  return {
    title: l10n.t('Process memory (runtime.MemStats)'),
    rows: [
      row('Sys', m.sysBytesPerMinute, (x) => x.sys),
      row(l10n.t('stacks'), m.stacksBytesPerMinute, (x) => x.stacks),
      row(l10n.t('live heap'), m.heapLiveBytesPerMinute, (x) => x.heapLive),
    ],
  };
}

/** isGoroutineTrend tells a trend of goroutine profiles (sites where goroutines wait) from a heap one. */
export function isGoroutineTrend(trend: Trend): boolean {
  return trend.sampleType.type === 'goroutine';
}

/** seriesProfiles counts the profiles a series trend was fitted on. */
function seriesProfiles(series: SeriesTrend): number {
  return (series.heap?.snapshots.length ?? 0) + (series.goroutines?.snapshots.length ?? 0);
}

function subtitle(trend: Trend): string {
  const n = trend.snapshots.length;
  const span = trend.snapshots[n - 1].timeMs - trend.snapshots[0].timeMs;
  const elapsed = formatElapsed(span);
  const order = { profile: () => l10n.t('over {0}, by profile time', elapsed), file: () => l10n.t('over {0}, by file time (no profile timestamps)', elapsed), order: () => l10n.t('in the order given (no timestamps: slopes are per step)') }[trend.timeBasis]();
  return `${order}; ${l10n.t('{0} of {1} steps changed', trend.informativeSteps, n - 1)}`;
}

/** trendLabels are the trend view's fixed texts in the display language. */
function trendLabels(profiles: number, language: string): TrendLabels {
  return {
    language,
    columns: ['#', l10n.t('Where'), l10n.t('Trend (first → last)'), l10n.t('Slope')],
    memoryColumns: [l10n.t('Memory'), l10n.t('Trend (first → last)'), l10n.t('Slope')],
    allocatesIn: l10n.t('allocates in'),
    series: l10n.t('series of {0} values', profiles),
  };
}

/** trendRow formats one site for the panel. */
export function trendRow(s: TrendSite, trend: Trend): TrendRow {
  const unit = trend.sampleType.unit;
  const row: TrendRow = {
    userFrame: frame(s.userFrame),
    series: s.series,
    slope: formatSlope(s.slopePerMinute, unit),
    steadiness: l10n.t('rose {0}/{1}', Math.round(s.monotonic * trend.informativeSteps), trend.informativeSteps),
    range: `${formatValue(s.series[0], unit)} → ${formatValue(s.series[s.series.length - 1], unit)}`,
    suspect: s.suspect,
  };
  if (!sameFrame(s.site, s.userFrame)) row.site = frame(s.site);
  return row;
}

/** TrendTreeRow is one row of the Growth Trend tree: label, description with a block sparkline, tooltip. */
export interface TrendTreeRow {
  label: string;
  description: string;
  tooltip: string;
  /** The line a click opens (none for the process memory row). */
  frame?: TrendFrame;
  suspect: boolean;
  /** Which trend the row comes from: a heap site, a site where goroutines wait, or the MemStats series. */
  kind: 'heap' | 'goroutines' | 'memory';
}

/**
 * trendTreeRows gives the tree's rows: per kind, the suspects, or the top risers when there are
 * none; heap first, then goroutines, then the goroutine stacks' growth from MemStats.
 */
export function trendTreeRows(trend: Trend | SeriesTrend, maxRisers = 10): TrendTreeRow[] {
  const series: SeriesTrend = 'sampleType' in trend ? { heap: trend } : trend;
  const rows = [series.heap, series.goroutines].flatMap((t) => (t ? kindRows(t, maxRisers) : []));
  if (series.memory) rows.push(memoryRow(series.memory));
  return rows;
}

/** memoryRow is the stacks' series (what a heap profile cannot show), with Sys and the live heap in the tooltip. */
function memoryRow(m: MemoryTrend): TrendTreeRow {
  const view = memoryTrendView(m);
  const stacks = view.rows[1];
  return {
    label: l10n.t('Goroutine stacks (runtime.MemStats)'),
    description: `${sparkline(stacks.series)} ${stacks.slope}`,
    tooltip: [view.title, ...view.rows.map((r) => `${r.label} ${r.slope}  ${r.range}`)].join('\n'),
    suspect: false,
    kind: 'memory',
  };
}

function kindRows(trend: Trend, maxRisers: number): TrendTreeRow[] {
  const sites = trend.suspects.length > 0 ? trend.suspects : risingSites(trend).slice(0, maxRisers);
  const unit = trend.sampleType.unit;
  const goroutines = isGoroutineTrend(trend);
  return sites.map((s) => {
    const slope = formatSlope(s.slopePerMinute, unit);
    const rose = Math.round(s.monotonic * trend.informativeSteps);
    const steps = trend.informativeSteps;
    const verdict = goroutines
      ? (s.suspect ? l10n.t('Goroutine leak suspect: {0} goroutines waiting here, rose at {1} of {2} steps', slope, rose, steps)
        : l10n.t('Rising: {0} goroutines waiting here, rose at {1} of {2} steps', slope, rose, steps))
      : (s.suspect ? l10n.t('Leak suspect: {0} {1}, rose at {2} of {3} steps', slope, trend.sampleType.type, rose, steps)
        : l10n.t('Rising: {0} {1}, rose at {2} of {3} steps', slope, trend.sampleType.type, rose, steps));
    return {
      label: `${shortFunction(s.userFrame.function)}${s.userFrame.line ? `:${s.userFrame.line}` : ''}`,
      description: `${sparkline(s.series)} ${goroutines ? l10n.t('goroutines {0}', slope) : slope}`,
      tooltip: [
        verdict,
        `${s.userFrame.function} ${s.userFrame.file}:${s.userFrame.line}`,
        ...(sameFrame(s.site, s.userFrame) ? [] : [l10n.t('allocates in {0}', `${s.site.function} ${s.site.file}:${s.site.line}`)]),
        s.series.map((v) => formatValue(v, unit)).join(' → '),
      ].join('\n'),
      frame: frame(s.userFrame),
      suspect: s.suspect,
      kind: goroutines ? 'goroutines' : 'heap',
    };
  });
}

/** shortFunction drops the package path: "github.com/x/y/pkg.(*T).M" → "pkg.(*T).M". */
export function shortFunction(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function frame(f: SourceFrame): TrendFrame {
  return { function: f.function, file: f.file, line: f.line };
}

function sameFrame(a: SourceFrame, b: SourceFrame): boolean {
  return a.function === b.function && a.file === b.file && a.line === b.line;
}
