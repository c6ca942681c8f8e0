import { statSync } from 'node:fs';
import { ProfileError, describeError } from '../core/errors';
import { formatValue } from '../core/format';
import {
  type SourceFrame, type Trend, type TrendSite, computeTrend, formatElapsed, formatSlope, noSuspectsReason, risingSites, sparkline,
} from '../core/trend';
import { terminalLines, terminalText } from '../core/text/terminal';
import { type ParsedArgs, UsageError, intFlag } from './args';
import { CliError, load } from './topCommand';

/** TREND_USAGE is the usage line of `heaplens trend`. */
export const TREND_USAGE = 'heaplens trend [--json] [--sample-index NAME] [--module PATH[,PATH...]] [--top N] [--max-size-mb N] PROFILE PROFILE PROFILE...';
/** TREND_VALUED lists the flags of `trend` that take a value. */
export const TREND_VALUED = ['sample-index', 'module', 'top', 'max-size-mb'] as const;
/** TREND_BOOLEANS lists the boolean flags of `trend`. */
export const TREND_BOOLEANS = ['json'] as const;

/** runTrend implements `heaplens trend`: the leak suspects across N ≥ 3 profiles, as text or one JSON object. */
export function runTrend(args: ParsedArgs): string {
  const paths = args.positionals;
  if (paths.length < 3) throw new UsageError(`trend needs at least 3 profiles (got ${paths.length})`);
  const inputs = paths.map((path) => ({ name: path, profile: load(path, args), fallbackTimeMs: mtime(path) }));
  let trend: Trend;
  try {
    // --module names the user's own code (module paths or directories), as in `heaplens report`.
    const modulePaths = args.flags.get('module')?.split(',').filter((m) => m.trim() !== '');
    trend = computeTrend(inputs, { sampleType: args.flags.get('sample-index'), frameOrigin: { modulePaths } });
  } catch (e) {
    // computeTrend's ProfileErrors already name the profile at fault.
    throw new CliError(e instanceof ProfileError ? e.message : describeError(paths[0], e));
  }
  if (args.flags.has('json')) return `${JSON.stringify(trendJson(trend))}\n`;
  return trendText(trend, intFlag(args, 'top') ?? 10);
}

function mtime(path: string): number | undefined {
  try { return statSync(path).mtimeMs; } catch { return undefined; }
}

/** trendJson is the --json shape: exactly `{"suspects": [...]}`, ranked steepest first. */
export function trendJson(trend: Trend) {
  return {
    suspects: trend.suspects.map((s) => ({
      userFrame: frameJson(s.userFrame),
      site: frameJson(s.site),
      slopeBytesPerMinute: Math.round(s.slopePerMinute),
      monotonic: Math.round(s.monotonic * 1000) / 1000,
      series: s.series,
    })),
  };
}

function frameJson(f: SourceFrame) {
  return { function: f.function, file: f.file, line: f.line };
}

/** trendText renders the suspects (or, when there are none, why not and the largest rises) for a terminal. */
export function trendText(trend: Trend, top: number): string {
  const unit = trend.sampleType.unit;
  const n = trend.snapshots.length;
  const out: string[] = [];
  const span = trend.snapshots[n - 1].timeMs - trend.snapshots[0].timeMs;
  const basis = { profile: 'profile timestamps', file: 'file modification times', order: 'command-line order, one minute apart (no timestamps)' }[trend.timeBasis];
  out.push(`Trend of ${terminalText(trend.sampleType.type)} across ${n} profiles${trend.timeBasis === 'order' ? '' : ` over ${formatElapsed(span)}`} (ordered by ${basis})`);
  out.push(`${trend.informativeSteps} of ${n - 1} steps changed (Go updates a heap profile only when a GC completes)`);
  out.push('');
  if (trend.suspects.length > 0) {
    out.push(`Leak suspects — rising steadily, steepest first (${trend.suspects.length}):`);
    out.push(...rows(trend.suspects.slice(0, top), unit, trend.informativeSteps));
    if (trend.suspects.length > top) out.push(`… ${trend.suspects.length - top} more (--top N)`);
    return terminalLines(`${out.join('\n')}\n`);
  }
  out.push(`No leak suspects. ${noSuspectsReason(trend)}`);
  const risers = risingSites(trend).slice(0, top);
  if (risers.length > 0) {
    out.push('', 'Largest rises (not steady enough to call a leak):');
    out.push(...rows(risers, unit, trend.informativeSteps));
  }
  return terminalLines(`${out.join('\n')}\n`);
}

function rows(sites: TrendSite[], unit: string, steps: number): string[] {
  const slopes = sites.map((s) => formatSlope(s.slopePerMinute, unit));
  const width = Math.max(...slopes.map((s) => s.length));
  const out: string[] = [];
  sites.forEach((s, i) => {
    const rises = Math.round(s.monotonic * steps);
    const range = `${formatValue(s.series[0], unit)} → ${formatValue(s.series[s.series.length - 1], unit)}`;
    out.push(`${String(i + 1).padStart(3)}. ${slopes[i].padStart(width)}  rose ${rises}/${steps}  ${sparkline(s.series)}  ${range}`);
    out.push(`     ${frameText(s.userFrame)}`);
    if (s.site.function !== s.userFrame.function || s.site.line !== s.userFrame.line || s.site.file !== s.userFrame.file) {
      out.push(`       allocates in ${frameText(s.site)}`);
    }
  });
  return out;
}

function frameText(f: SourceFrame): string {
  return terminalText(`${f.function} ${f.file}${f.line ? `:${f.line}` : ''}`);
}
