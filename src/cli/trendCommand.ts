import * as l10n from '@vscode/l10n';
import { statSync } from 'node:fs';
import { ProfileError, describeError } from '../core/errors';
import { formatValue } from '../core/format';
import {
  type SourceFrame, type Trend, type TrendSite, formatElapsed, formatSlope, noSuspectsReason, risingSites, sparkline,
} from '../core/trend';
import { type MemoryBreakdown, profileMemory } from '../core/memory/breakdown';
import type { MemoryTrend } from '../core/memory/trend';
import { MIN_TREND_PROFILES, type SeriesTrend, computeSeriesTrend, splitSeries } from '../core/seriesTrend';
import { type Profile, isGoroutineProfile } from '../core/model';
import { bundleSiblings, coveredMemStats } from '../node/captureBundle';
import { terminalLines, terminalText } from '../core/text/terminal';
import { type ParsedArgs, UsageError, intFlag } from './args';
import { CliError, load } from './topCommand';

/** TREND_USAGE is the usage line of `heaplens trend`. */
export const TREND_USAGE = 'heaplens trend [--json] [--sample-index NAME] [--module PATH[,PATH...]] [--top N] [--max-size-mb N] PROFILE PROFILE PROFILE...';
/** TREND_VALUED lists the flags of `trend` that take a value. */
export const TREND_VALUED = ['sample-index', 'module', 'top', 'max-size-mb'] as const;
/** TREND_BOOLEANS lists the boolean flags of `trend`. */
export const TREND_BOOLEANS = ['json'] as const;

/**
 * runTrend implements `heaplens trend`: the leak suspects across N ≥ 3 profiles, as text or one JSON
 * object. Heap and goroutine profiles (any form) may be mixed, e.g. a capture series' bundles: each
 * kind is fitted on its own (sites where memory is allocated; sites where goroutines wait), and the
 * heap profiles' MemStats (their own, or their bundle's memstats file) give the stack and Sys series.
 */
export async function runTrend(args: ParsedArgs): Promise<string> {
  const paths = args.positionals;
  if (paths.length < 3) throw new UsageError(l10n.t('trend needs at least 3 profiles (got {0})', paths.length));
  const loaded: Array<{ name: string; profile: Profile; fallbackTimeMs: number | undefined }> = [];
  for (const path of paths) loaded.push({ name: path, profile: await load(path, args), fallbackTimeMs: mtime(path) });
  const covered = coveredMemStats(paths);
  const inputs = [];
  for (const x of loaded.filter((l) => !covered.has(l.name))) inputs.push({ ...x, memory: await bundleMemory(x.name, x.profile, args) });
  const counts = splitSeries(inputs);
  if (counts.heap.length < MIN_TREND_PROFILES && counts.goroutines.length < MIN_TREND_PROFILES) {
    throw new UsageError(l10n.t('trend needs at least 3 heap profiles or 3 goroutine profiles (got {0} heap, {1} goroutine)', counts.heap.length, counts.goroutines.length));
  }
  // --module names the user's own code (module paths or directories), as in `heaplens report`.
  const modulePaths = args.flags.get('module')?.split(',').filter((m) => m.trim() !== '');
  let series: SeriesTrend;
  try {
    series = computeSeriesTrend(inputs, { sampleType: args.flags.get('sample-index'), frameOrigin: { modulePaths } });
  } catch (e) {
    // computeTrend's ProfileErrors already name the profile at fault.
    throw new CliError(e instanceof ProfileError ? e.message : describeError(paths[0], e));
  }
  const { heap, goroutines, memory } = series;
  if (args.flags.has('json')) return `${JSON.stringify(trendJson(heap, goroutines, memory))}
`;
  const top = intFlag(args, 'top') ?? 10;
  const parts = [heap ? trendText(heap, top) : '', goroutines ? trendText(goroutines, top) : '', memory ? memoryTrendText(memory) : ''];
  return parts.filter((p) => p !== '').join('\n');
}

/** bundleMemory is a heap profile's MemStats from its capture bundle's memstats file, when it has no block of its own. */
async function bundleMemory(name: string, profile: Profile, args: ParsedArgs): Promise<MemoryBreakdown | undefined> {
  if (isGoroutineProfile(profile) || profile.memStats) return undefined;
  const sibling = bundleSiblings(name).memstats;
  return sibling ? profileMemory(await load(sibling, args)) : undefined;
}

function memoryTrendText(m: MemoryTrend): string {
  const first = m.points[0].memory;
  const last = m.points[m.points.length - 1].memory;
  const line = (label: string, slope: number, a: number, b: number) => `  ${label.padEnd(10)} ${formatSlope(slope, 'bytes').padStart(14)}  ${formatValue(a, 'bytes')} → ${formatValue(b, 'bytes')}`;
  return [
    l10n.t('Process memory (runtime.MemStats):'),
    line('Sys', m.sysBytesPerMinute, first.sys, last.sys),
    line(l10n.t('stacks'), m.stacksBytesPerMinute, first.stacks, last.stacks),
    line(l10n.t('live heap'), m.heapLiveBytesPerMinute, first.heapLive, last.heapLive),
    '',
  ].join('\n');
}

function mtime(path: string): number | undefined {
  try { return statSync(path).mtimeMs; } catch { return undefined; }
}

/**
 * trendJson is the --json shape: `{"suspects": [...]}`, heap suspects first (steepest first, kind
 * "heap", slopeBytesPerMinute), then goroutine suspects (kind "goroutines", site = where they wait,
 * slopeGoroutinesPerMinute); `memory` with the MemStats series when the heap profiles carry it.
 */
export function trendJson(heap: Trend | undefined, goroutines?: Trend, memory?: MemoryTrend) {
  const rest = (s: TrendSite) => ({ monotonic: Math.round(s.monotonic * 1000) / 1000, series: s.series });
  return {
    suspects: [
      ...(heap?.suspects ?? []).map((s) => ({
        kind: 'heap', userFrame: frameJson(s.userFrame), site: frameJson(s.site), slopeBytesPerMinute: Math.round(s.slopePerMinute), ...rest(s),
      })),
      ...(goroutines?.suspects ?? []).map((s) => ({
        kind: 'goroutines', userFrame: frameJson(s.userFrame), site: frameJson(s.site), slopeGoroutinesPerMinute: Math.round(s.slopePerMinute * 100) / 100, ...rest(s),
      })),
    ],
    ...(memory ? {
      memory: {
        sysBytesPerMinute: Math.round(memory.sysBytesPerMinute),
        stacksBytesPerMinute: Math.round(memory.stacksBytesPerMinute),
        heapLiveBytesPerMinute: Math.round(memory.heapLiveBytesPerMinute),
        series: memory.points.map((p) => ({ name: p.name, ...p.memory })),
      },
    } : {}),
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
  const basis = { profile: l10n.t('profile timestamps'), file: l10n.t('file modification times'), order: l10n.t('command-line order, one minute apart (no timestamps)') }[trend.timeBasis];
  const type = terminalText(trend.sampleType.type);
  out.push(trend.timeBasis === 'order'
    ? l10n.t('Trend of {0} across {1} profiles (ordered by {2})', type, n, basis)
    : l10n.t('Trend of {0} across {1} profiles over {2} (ordered by {3})', type, n, formatElapsed(span), basis));
  const goroutines = trend.sampleType.type === 'goroutine';
  out.push(goroutines
    ? l10n.t('{0} of {1} steps changed', trend.informativeSteps, n - 1)
    : l10n.t('{0} of {1} steps changed (Go updates a heap profile only when a GC completes)', trend.informativeSteps, n - 1));
  out.push('');
  if (trend.suspects.length > 0) {
    out.push(goroutines
      ? l10n.t('Goroutine leak suspects — goroutines waiting here rise steadily, steepest first ({0}):', trend.suspects.length)
      : l10n.t('Leak suspects — rising steadily, steepest first ({0}):', trend.suspects.length));
    out.push(...rows(trend.suspects.slice(0, top), unit, trend.informativeSteps));
    if (trend.suspects.length > top) out.push(l10n.t('… {0} more (--top N)', trend.suspects.length - top));
    return terminalLines(`${out.join('\n')}\n`);
  }
  out.push(l10n.t('{0} {1}', l10n.t('No leak suspects.'), noSuspectsReason(trend)));
  const risers = risingSites(trend).slice(0, top);
  if (risers.length > 0) {
    out.push('', l10n.t('Largest rises (not steady enough to call a leak):'));
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
    out.push(`${String(i + 1).padStart(3)}. ${slopes[i].padStart(width)}  ${l10n.t('rose {0}/{1}', rises, steps)}  ${sparkline(s.series)}  ${range}`);
    out.push(`     ${frameText(s.userFrame)}`);
    if (s.site.function !== s.userFrame.function || s.site.line !== s.userFrame.line || s.site.file !== s.userFrame.file) {
      out.push(`       ${l10n.t('allocates in {0}', frameText(s.site))}`);
    }
  });
  return out;
}

function frameText(f: SourceFrame): string {
  return terminalText(`${f.function} ${f.file}${f.line ? `:${f.line}` : ''}`);
}
