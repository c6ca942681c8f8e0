import * as l10n from '@vscode/l10n';
import { FrameClassifier, type FrameOriginOptions, type UserFrameTest } from './diagnose/userFrame';
import { ProfileError } from './errors';
import { formatSigned, formatValue, isBytes } from './format';
import { type Profile, type ValueType, isGoroutineProfile } from './model';
import { NodeTable } from './nodes';
import { resolveSampleIndex } from './sampleIndex';
import { frameNodes } from './sampleSources';

// Trends across N ≥ 3 heap profiles of one process. Two snapshots say what grew; several say what
// keeps growing — a site whose in-use bytes climb at every step is the leak, while a cache that
// filled once or a buffer that comes and goes is not. Per allocation site (leaf line, reached
// through the nearest frame of the user's own code) we take the value series in time order, fit a
// least-squares slope, and measure how steadily it rises.

/** SourceFrame names one frame: function, file and line. */
export interface SourceFrame {
  function: string;
  file: string;
  line: number;
}

/** SiteValue is one site's value in one profile, with the frames that identify it. */
export interface SiteValue {
  userFrame: SourceFrame;
  site: SourceFrame;
  value: number;
}

/** SiteExtractor sums a profile's value column per site; keys must be equal across profiles for the same site. */
export type SiteExtractor = (profile: Profile, valueIndex: number) => Map<string, SiteValue>;

/** TrendInput is one profile of the series; fallbackTimeMs (e.g. the file's mtime) orders profiles without a timestamp. */
export interface TrendInput {
  name: string;
  profile: Profile;
  fallbackTimeMs?: number;
}

/** TrendOptions tune the analysis; every field has a documented default. */
export interface TrendOptions {
  /** Sample type to follow (default inuse_space: live memory is what a leak grows). */
  sampleType?: string;
  /** How to find sites (default: lineSites with a FrameClassifier built from all the profiles). */
  extractSites?: SiteExtractor;
  /** Module paths / GOROOTs for the default user-frame test (e.g. the workspace's modules, --module). */
  frameOrigin?: FrameOriginOptions;
  /** A suspect rises at ≥ this fraction of informative steps (default 0.7). */
  minMonotonic?: number;
  /** A suspect rises by at least this much first → last (default: MIN_RISE_PERIODS sampling periods for bytes, else 0). */
  minRise?: number;
  /**
   * When a step says nothing (default: 'stacks' for goroutine profiles, else 'totals'). 'totals':
   * every sample type's total is equal — a heap profile is published as of the last GC, so equal
   * totals mean no GC ran in between. 'stacks': every stack's value is equal — a goroutine profile
   * is taken at the instant it is asked for, and equal totals can hide churn (ten goroutines ended
   * at one site while ten started at another).
   */
  unchangedWhen?: 'totals' | 'stacks';
}

/** TrendSnapshot is one profile's place in the series. */
export interface TrendSnapshot {
  name: string;
  /** Time in ms since the epoch (or the profile's position when nothing better is known). */
  timeMs: number;
  /** Σ value of the whole profile. */
  total: number;
  /**
   * False when the step from the previous snapshot says nothing (TrendOptions.unchangedWhen): for
   * heap profiles every total is equal (Go publishes them as of the last completed GC, so no GC ran
   * in between); for goroutine profiles every stack's count is equal.
   */
  changed: boolean;
}

/** TrendSite is one site's series and its fitted trend. */
export interface TrendSite {
  key: string;
  userFrame: SourceFrame;
  site: SourceFrame;
  /** One value per snapshot, in time order (0 where the site is absent). */
  series: number[];
  /** Least-squares slope in the sample type's unit per minute (bytes/min for inuse_space). */
  slopePerMinute: number;
  /** Fraction (0–1) of informative steps at which the value rose. */
  monotonic: number;
  /** Last − first value. */
  rise: number;
  /** A steady riser: rises at ≥ 2 steps and ≥ minMonotonic of informative steps, positive slope, rise ≥ minRise. */
  suspect: boolean;
}

/** TimeBasis says where the time axis came from: profile timestamps, file times, or only the order. */
export type TimeBasis = 'profile' | 'file' | 'order';

/** Trend is the analysis of a series: snapshots in time order and every site, suspects first. */
export interface Trend {
  sampleType: ValueType;
  timeBasis: TimeBasis;
  snapshots: TrendSnapshot[];
  /** Number of steps that carried information (see TrendSnapshot.changed). */
  informativeSteps: number;
  /** All sites, suspects first, each group by slope (steepest first). */
  sites: TrendSite[];
  /** The suspects alone, ranked. */
  suspects: TrendSite[];
  minMonotonic: number;
  minRise: number;
}

/** DEFAULT_MIN_MONOTONIC is the fraction of rising steps that makes a climb "steady". */
export const DEFAULT_MIN_MONOTONIC = 0.7;
/**
 * MIN_RISE_PERIODS: heap profiles are sampled, one sample per ~MemProfileRate bytes, and each sampled
 * allocation moves a site's estimate by about one period. A rise of R bytes rests on about R/period
 * new samples, so its Poisson noise is √(R·period); asking for two standard deviations
 * (R ≥ 2√(R·period)) gives R ≥ 4 periods — 2 MiB at Go's default rate. Below that, a site whose
 * allocations come and go (a reused ring of buffers) can climb for a few snapshots by chance.
 */
export const MIN_RISE_PERIODS = 4;
/** DEFAULT_SAMPLING_RATE is Go's default runtime.MemProfileRate (512 KiB), used when a profile has no period. */
export const DEFAULT_SAMPLING_RATE = 512 * 1024;

/** computeTrend analyses N ≥ 3 profiles of one process; throws ProfileError naming the profile at fault. */
export function computeTrend(inputs: readonly TrendInput[], options: TrendOptions = {}): Trend {
  if (inputs.length < 3) throw new ProfileError('bad-option', l10n.t('a trend needs at least 3 profiles (got {0})', inputs.length));
  const sampleType = options.sampleType ?? 'inuse_space';
  const valueIndex = inputs.map((input) => {
    try {
      return resolveSampleIndex(input.profile, sampleType);
    } catch (e) {
      throw new ProfileError('incompatible-profiles', l10n.t('{0}: {1}', input.name, (e as Error).message));
    }
  });
  const { order, basis } = timeOrder(inputs);
  const extract = options.extractSites ?? lineSites(FrameClassifier.fromProfiles(inputs.map((x) => x.profile), options.frameOrigin));
  const perProfile = order.map((i) => extract(inputs[i].profile, valueIndex[i]));
  const unchangedWhen = options.unchangedWhen ?? (inputs.every((x) => isGoroutineProfile(x.profile)) ? 'stacks' : 'totals');
  const same = unchangedWhen === 'stacks' ? sameStacks : sameTotals;
  const snapshots = order.map((i, k) => ({
    name: inputs[i].name,
    timeMs: basis === 'profile' ? inputs[i].profile.timeNanos / 1e6 : basis === 'file' ? inputs[i].fallbackTimeMs! : k * 60000,
    total: columnTotal(inputs[i].profile, valueIndex[i]),
    changed: k === 0 || !same(inputs[order[k - 1]].profile, inputs[i].profile),
  }));
  const steps = snapshots.slice(1).filter((s) => s.changed).length;
  const first = inputs[order[0]].profile;
  const unitIsBytes = isBytes(first.sampleTypes[valueIndex[order[0]]].unit);
  const minRise = options.minRise ?? (unitIsBytes ? MIN_RISE_PERIODS * samplingRate(first) : 0);
  const minMonotonic = options.minMonotonic ?? DEFAULT_MIN_MONOTONIC;
  const sites = collectSites(perProfile).map((s) => fitSite(s, snapshots, steps, minMonotonic, minRise));
  sites.sort((a, b) => Number(b.suspect) - Number(a.suspect) || b.slopePerMinute - a.slopePerMinute || a.key.localeCompare(b.key));
  return {
    sampleType: first.sampleTypes[valueIndex[order[0]]],
    timeBasis: basis,
    snapshots,
    informativeSteps: steps,
    sites,
    suspects: sites.filter((s) => s.suspect),
    minMonotonic,
    minRise,
  };
}

/** timeOrder sorts by profile time when every profile has a distinct one, else by fallback time, else keeps the order given. */
function timeOrder(inputs: readonly TrendInput[]): { order: number[]; basis: TimeBasis } {
  const index = inputs.map((_, i) => i);
  const usable = (times: Array<number | undefined>): boolean => times.every((t) => t !== undefined && t > 0) && new Set(times).size === times.length;
  const profileTimes = inputs.map((x) => x.profile.timeNanos);
  if (usable(profileTimes)) return { order: index.sort((a, b) => profileTimes[a] - profileTimes[b]), basis: 'profile' };
  const fileTimes = inputs.map((x) => x.fallbackTimeMs);
  if (usable(fileTimes)) return { order: index.sort((a, b) => fileTimes[a]! - fileTimes[b]!), basis: 'file' };
  return { order: index, basis: 'order' };
}

interface SiteSeries {
  key: string;
  userFrame: SourceFrame;
  site: SourceFrame;
  series: number[];
}

function collectSites(perProfile: Array<Map<string, SiteValue>>): SiteSeries[] {
  const byKey = new Map<string, SiteSeries>();
  perProfile.forEach((sites, k) => {
    for (const [key, v] of sites) {
      let s = byKey.get(key);
      if (!s) {
        s = { key, userFrame: v.userFrame, site: v.site, series: new Array<number>(perProfile.length).fill(0) };
        byKey.set(key, s);
      }
      s.series[k] += v.value;
    }
  });
  return [...byKey.values()];
}

function fitSite(s: SiteSeries, snapshots: TrendSnapshot[], steps: number, minMonotonic: number, minRise: number): TrendSite {
  const minutes = snapshots.map((x) => (x.timeMs - snapshots[0].timeMs) / 60000);
  const slopePerMinute = leastSquaresSlope(minutes, s.series);
  let rises = 0;
  for (let k = 1; k < s.series.length; k++) if (snapshots[k].changed && s.series[k] > s.series[k - 1]) rises++;
  const monotonic = steps > 0 ? rises / steps : 0;
  const rise = s.series[s.series.length - 1] - s.series[0];
  // One informative step cannot tell a climb from a one-off jump (a cache filled once), so a
  // suspect needs at least two rising steps.
  const suspect = slopePerMinute > 0 && rises >= 2 && monotonic >= minMonotonic && rise > 0 && rise >= minRise;
  return { ...s, slopePerMinute, monotonic, rise, suspect };
}

/** leastSquaresSlope fits y = a + b·x and returns b (0 when every x is equal). */
export function leastSquaresSlope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

function columnTotal(p: Profile, t: number): number {
  const nt = p.sampleTypes.length;
  let sum = 0;
  for (let s = 0; s < p.samples.count; s++) sum += p.samples.values[s * nt + t];
  return sum;
}

function sameTotals(a: Profile, b: Profile): boolean {
  if (a.sampleTypes.length !== b.sampleTypes.length) return false;
  for (let t = 0; t < a.sampleTypes.length; t++) if (columnTotal(a, t) !== columnTotal(b, t)) return false;
  return true;
}

/** sameStacks tells whether two profiles hold the same stacks with the same values (every sample type). */
function sameStacks(a: Profile, b: Profile): boolean {
  const values = (p: Profile): Map<string, number[]> => {
    const out = new Map<string, number[]>();
    const nt = p.sampleTypes.length;
    for (let s = 0; s < p.samples.count; s++) {
      const key = stackKey(p, s);
      const v = out.get(key) ?? new Array<number>(nt).fill(0);
      for (let t = 0; t < nt; t++) v[t] += p.samples.values[s * nt + t];
      out.set(key, v);
    }
    return out;
  };
  if (a.sampleTypes.length !== b.sampleTypes.length) return false;
  const va = values(a);
  const vb = values(b);
  if (va.size !== vb.size) return false;
  for (const [key, v] of va) {
    const w = vb.get(key);
    if (!w || v.some((x, t) => x !== w[t])) return false;
  }
  return true;
}

/** stackKey names sample s's stack by its frames (function, file, line), leaf first: equal across profiles of one binary. */
function stackKey(p: Profile, s: number): string {
  const { samples, locations, functions } = p;
  const parts: string[] = [];
  for (let k = samples.locationStart[s]; k < samples.locationStart[s + 1]; k++) {
    const loc = samples.locationIndex[k];
    // A location without lines (an unsymbolized address) is named by its address.
    if (locations.lineStart[loc] === locations.lineStart[loc + 1]) parts.push(`@${locations.address[loc]}`);
    for (let l = locations.lineStart[loc]; l < locations.lineStart[loc + 1]; l++) {
      const fn = locations.lineFunction[l];
      parts.push(fn >= 0 ? `${functions.name[fn]}\u0000${functions.filename[fn]}\u0000${locations.lineNumber[l]}` : `?\u0000${locations.lineNumber[l]}`);
    }
  }
  return parts.join('\u0001');
}

/** samplingRate is the heap profile's sampling period in bytes (runtime.MemProfileRate), or Go's default. */
export function samplingRate(p: Profile): number {
  return p.period > 0 && (!p.periodType || isBytes(p.periodType.unit)) ? p.period : DEFAULT_SAMPLING_RATE;
}

/**
 * lineSites is the default SiteExtractor: the site is a sample's leaf line, the user frame the
 * nearest frame (leaf → root, inlined frames included) that `classifier` calls the user's own code
 * — the same "nearest user frame" the growth diagnosis uses; the site itself when there is none.
 */
export function lineSites(classifier: { isUser: UserFrameTest }): SiteExtractor {
  return (p, valueIndex) => {
    const nodes = new NodeTable('lines');
    const frames = frameNodes(p, nodes, {});
    const user = new Int8Array(nodes.count).fill(-1);
    const isUser = (n: number): boolean => {
      if (user[n] < 0) user[n] = nodes.name[n] !== '' && classifier.isUser(nodes.name[n], nodes.file[n]) ? 1 : 0;
      return user[n] === 1;
    };
    const frameOf = (n: number): SourceFrame => ({ function: nodes.name[n], file: nodes.file[n], line: nodes.line[n] });
    const out = new Map<string, SiteValue>();
    const S = p.samples;
    const nt = p.sampleTypes.length;
    for (let s = 0; s < S.count; s++) {
      const v = S.values[s * nt + valueIndex];
      if (v === 0) continue;
      let site = -1;
      let userFrame = -1;
      for (let k = S.locationStart[s]; k < S.locationStart[s + 1] && userFrame < 0; k++) {
        const loc = S.locationIndex[k];
        for (let j = frames.start[loc + 1] - 1; j >= frames.start[loc] && userFrame < 0; j--) {
          if (site < 0) site = frames.nodes[j];
          if (isUser(frames.nodes[j])) userFrame = frames.nodes[j];
        }
      }
      if (site < 0) continue;
      if (userFrame < 0) userFrame = site;
      const key = `${nodes.printableName(userFrame)}\u0000${nodes.printableName(site)}`;
      const entry = out.get(key);
      if (entry) entry.value += v;
      else out.set(key, { userFrame: frameOf(userFrame), site: frameOf(site), value: v });
    }
    return out;
  };
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** sparkline draws a series as unicode blocks scaled min → max (flat series sit on the lowest block). */
export function sparkline(series: readonly number[]): string {
  const min = Math.min(...series);
  const max = Math.max(...series);
  return series.map((v) => BLOCKS[max === min ? 0 : Math.round(((v - min) / (max - min)) * (BLOCKS.length - 1))]).join('');
}

/** formatSlope renders a slope per minute in the display language: "+1.25MB/min" ("+1.25MB/分钟"), "+0.2/min". */
export function formatSlope(slopePerMinute: number, unit: string): string {
  const rounded = Math.round(slopePerMinute);
  if (rounded === 0 && slopePerMinute !== 0) {
    // A slow riser (a goroutine every few minutes) keeps one significant digit instead of "+0/min".
    const sign = slopePerMinute > 0 ? '+' : '\u2212';
    return l10n.t('{0}/min', `${sign}${Math.abs(slopePerMinute).toPrecision(1)}${isBytes(unit) ? 'B' : ''}`);
  }
  return l10n.t('{0}/min', formatSigned(rounded, unit));
}

/** formatElapsed renders a duration for trend headers in the display language: "4.0s", "27s", "12.5min", "3.0h". */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return l10n.t('{0}s', s.toFixed(s < 10 ? 1 : 0));
  if (s < 7200) return l10n.t('{0}min', (s / 60).toFixed(1));
  return l10n.t('{0}h', (s / 3600).toFixed(1));
}

/** noSuspectsReason explains an empty suspect list in one sentence the user can act on. */
export function noSuspectsReason(trend: Trend): string {
  if (trend.informativeSteps < 2 && trend.sampleType.type === 'goroutine') {
    return l10n.t('Only {0} of {1} steps changed: at the others every stack held as many goroutines as before. Capture over a longer time.', trend.informativeSteps, trend.snapshots.length - 1);
  }
  if (trend.informativeSteps < 2) {
    return l10n.t('Only {0} of {1} steps changed: Go updates a heap profile when a GC completes, so one jump cannot be told from a steady climb. Capture with gc=1, or over a longer time.', trend.informativeSteps, trend.snapshots.length - 1);
  }
  return l10n.t('No site rose at {0}% or more of the steps by more than {1}.', Math.round(trend.minMonotonic * 100), formatValue(trend.minRise, trend.sampleType.unit));
}

/** risingSites lists the sites that rose without being suspects, steepest first. */
export function risingSites(trend: Trend): TrendSite[] {
  return trend.sites.filter((s) => !s.suspect && s.rise > 0 && s.slopePerMinute > 0);
}

/** TrendAnnotation is the label painted after one source line: the slope of the sites reached through it. */
export interface TrendAnnotation {
  file: string;
  line: number;
  label: string;
  slopePerMinute: number;
  suspect: boolean;
}

/**
 * trendAnnotations gives one label per user-frame line (file, line as in the profile) for the
 * suspects and for every site whose value moved by at least minRise; sites through the same line
 * are summed. Resolving `file` to a workspace file is the caller's job.
 */
export function trendAnnotations(trend: Trend): TrendAnnotation[] {
  const byLine = new Map<string, { frame: SourceFrame; slope: number; suspect: boolean; series: number[] }>();
  for (const s of trend.sites) {
    if (!s.suspect && Math.abs(s.rise) < Math.max(trend.minRise, 1)) continue;
    const key = `${s.userFrame.file}:${s.userFrame.line}`;
    const e = byLine.get(key) ?? { frame: s.userFrame, slope: 0, suspect: false, series: new Array<number>(s.series.length).fill(0) };
    e.slope += s.slopePerMinute;
    e.suspect ||= s.suspect;
    s.series.forEach((v, i) => { e.series[i] += v; });
    byLine.set(key, e);
  }
  return [...byLine.values()].map((e) => ({
    file: e.frame.file,
    line: e.frame.line,
    slopePerMinute: e.slope,
    suspect: e.suspect,
    label: `${formatSlope(e.slope, trend.sampleType.unit)} ${trend.sampleType.type} ${sparkline(e.series)}${e.suspect ? l10n.t(' leak suspect') : ''}`,
  }));
}
