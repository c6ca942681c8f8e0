import * as l10n from '@vscode/l10n';
import type { FrameOriginOptions } from './diagnose/userFrame';
import { ProfileError } from './errors';
import { userFrameTest } from './goroutines/compare';
import { goroutineSites } from './goroutines/trend';
import { type MemoryBreakdown, profileMemory } from './memory/breakdown';
import { type MemoryTrend, memoryTrend } from './memory/trend';
import { isGoroutineProfile } from './model';
import { type Trend, type TrendInput, computeTrend } from './trend';
import { modulesShownIn } from './userModules';

// A captured series holds heap profiles and, when captured as bundles, goroutine dumps and MemStats
// taken at the same instants. Each kind is fitted on its own — heap sites by the bytes they hold,
// goroutine sites (where goroutines wait) by their count — and the heap snapshots' MemStats give
// the process-memory series (Sys, stacks, live heap), so stack growth ranks next to heap sites.
// The CLI's `trend` and the extension's Show Trend both call this.

/** SeriesInput is one profile of a series; `memory` is its MemStats when they come from elsewhere (a bundle's memstats file). */
export interface SeriesInput extends TrendInput {
  memory?: MemoryBreakdown;
}

/** SeriesTrend is the trend of each kind that had ≥ 3 profiles, and the MemStats series when every heap snapshot carries it. */
export interface SeriesTrend {
  heap?: Trend;
  goroutines?: Trend;
  memory?: MemoryTrend;
}

/** SeriesOptions tune the fit: the heap sample type to follow and which code is the user's. */
export interface SeriesOptions {
  sampleType?: string;
  frameOrigin?: FrameOriginOptions;
}

/** MIN_TREND_PROFILES is how many profiles of one kind a trend needs. */
export const MIN_TREND_PROFILES = 3;

/** splitSeries sorts a series into heap and goroutine profiles (order kept). */
export function splitSeries<T extends TrendInput>(inputs: readonly T[]): { heap: T[]; goroutines: T[] } {
  return { heap: inputs.filter((x) => !isGoroutineProfile(x.profile)), goroutines: inputs.filter((x) => isGoroutineProfile(x.profile)) };
}

/**
 * computeSeriesTrend fits the heap and the goroutine profiles of a series separately. Throws a
 * ProfileError when neither kind has MIN_TREND_PROFILES profiles, or (from computeTrend) naming
 * the profile that cannot be part of the trend.
 */
export function computeSeriesTrend(inputs: readonly SeriesInput[], options: SeriesOptions = {}): SeriesTrend {
  const { heap: heapInputs, goroutines: goroutineInputs } = splitSeries(inputs);
  if (heapInputs.length < MIN_TREND_PROFILES && goroutineInputs.length < MIN_TREND_PROFILES) {
    throw new ProfileError('bad-option', l10n.t('trend needs at least 3 heap profiles or 3 goroutine profiles (got {0} heap, {1} goroutine)', heapInputs.length, goroutineInputs.length));
  }
  const origin = options.frameOrigin ?? {};
  const out: SeriesTrend = {};
  if (heapInputs.length >= MIN_TREND_PROFILES) {
    out.heap = computeTrend(heapInputs, { sampleType: options.sampleType, frameOrigin: origin });
    out.memory = memoryOf(out.heap, heapInputs);
  }
  if (goroutineInputs.length >= MIN_TREND_PROFILES) {
    const all = inputs.map((x) => x.profile);
    // Module paths the profiles never mention (another workspace folder) would make no frame the user's.
    const modulePaths = origin.modulePaths ? [...new Set(all.flatMap((p) => modulesShownIn(p, origin.modulePaths!)))] : undefined;
    out.goroutines = computeTrend(goroutineInputs, {
      sampleType: 'goroutine',
      extractSites: goroutineSites(userFrameTest(all, { ...origin, modulePaths: modulePaths && modulePaths.length > 0 ? modulePaths : undefined })),
    });
  }
  return out;
}

/** memoryOf is the MemStats series of the heap snapshots in the trend's time order; undefined unless every snapshot has it. */
function memoryOf(heap: Trend, inputs: readonly SeriesInput[]): MemoryTrend | undefined {
  const byName = new Map(inputs.map((x) => [x.name, x]));
  const points = [];
  for (const snap of heap.snapshots) {
    const input = byName.get(snap.name);
    const memory = input ? input.memory ?? profileMemory(input.profile) : undefined;
    if (!memory) return undefined;
    points.push({ name: snap.name, timeMs: snap.timeMs, memory });
  }
  return memoryTrend(points);
}
