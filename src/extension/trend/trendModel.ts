import * as l10n from '@vscode/l10n';
import { formatValue } from '../../core/format';
import {
  type SourceFrame, type Trend, type TrendSite, formatElapsed, formatSlope, noSuspectsReason, risingSites, sparkline,
} from '../../core/trend';
import type { TrendFrame, TrendLabels, TrendRow, TrendViewModel } from '../../protocol/trend';

// What the trend surfaces show, built from a core Trend without vscode: the panel's view model and
// the tree's rows. Pure, so it is unit-tested directly.

/** MAX_RISERS caps the "other rising sites" list; suspects are never capped. */
export const MAX_RISERS = 30;

/** trendViewModel builds the trend panel's model: suspects, then other risers, with labels. */
export function trendViewModel(trend: Trend, language = 'en'): TrendViewModel {
  const n = trend.snapshots.length;
  const start = trend.snapshots[0].timeMs;
  const model: TrendViewModel = {
    title: l10n.t('Trend of {0} across {1} profiles', trend.sampleType.type, n),
    subtitle: subtitle(trend),
    suspects: trend.suspects.map((s) => trendRow(s, trend)),
    risers: risingSites(trend).slice(0, MAX_RISERS).map((s) => trendRow(s, trend)),
    snapshots: trend.snapshots.map((s, i) => `${s.name}${i > 0 && trend.timeBasis !== 'order' ? ` · +${formatElapsed(s.timeMs - start)}` : ''}${s.changed ? '' : l10n.t(' · unchanged (no GC since the previous one)')}`),
    labels: trendLabels(n, language),
  };
  if (trend.suspects.length === 0) model.note = noSuspectsReason(trend);
  return model;
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
    suspects: l10n.t('Leak suspects — rising steadily, steepest first'),
    otherRisers: l10n.t('Other rising sites'),
    risers: l10n.t('Rising sites (not steady enough to call a leak)'),
    noGrowth: l10n.t('No site grew across these profiles.'),
    columns: ['#', l10n.t('Where'), l10n.t('Trend (first → last)'), l10n.t('Slope')],
    allocatesIn: l10n.t('allocates in'),
    series: l10n.t('series of {0} values', profiles),
    profiles: l10n.t('Profiles ({0}), oldest first', profiles),
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

/** TrendTreeRow is one row of the Heap Trend tree: label, description with a block sparkline, tooltip. */
export interface TrendTreeRow {
  label: string;
  description: string;
  tooltip: string;
  frame: TrendFrame;
  suspect: boolean;
}

/** trendTreeRows gives the tree's rows: the suspects, or the top risers when there are none. */
export function trendTreeRows(trend: Trend, maxRisers = 10): TrendTreeRow[] {
  const sites = trend.suspects.length > 0 ? trend.suspects : risingSites(trend).slice(0, maxRisers);
  const unit = trend.sampleType.unit;
  return sites.map((s) => ({
    label: `${shortFunction(s.userFrame.function)}${s.userFrame.line ? `:${s.userFrame.line}` : ''}`,
    description: `${sparkline(s.series)} ${formatSlope(s.slopePerMinute, unit)}`,
    tooltip: [
      (s.suspect ? l10n.t('Leak suspect: {0} {1}, rose at {2} of {3} steps', formatSlope(s.slopePerMinute, unit), trend.sampleType.type, Math.round(s.monotonic * trend.informativeSteps), trend.informativeSteps)
        : l10n.t('Rising: {0} {1}, rose at {2} of {3} steps', formatSlope(s.slopePerMinute, unit), trend.sampleType.type, Math.round(s.monotonic * trend.informativeSteps), trend.informativeSteps)),
      `${s.userFrame.function} ${s.userFrame.file}:${s.userFrame.line}`,
      ...(sameFrame(s.site, s.userFrame) ? [] : [l10n.t('allocates in {0}', `${s.site.function} ${s.site.file}:${s.site.line}`)]),
      s.series.map((v) => formatValue(v, unit)).join(' → '),
    ].join('\n'),
    frame: frame(s.userFrame),
    suspect: s.suspect,
  }));
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
