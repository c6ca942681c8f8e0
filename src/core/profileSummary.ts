import type { Profile, ValueType } from './model';

// The first table a person writes when diagnosing growth: for each sample type, the base total,
// the new total, the change and the growth factor. Totals are pprof's (Σ|value| over all samples,
// before any filter), so they match the "Showing nodes accounting for X, Y% of Z total" header.
// Also the facts that explain a comparison: when each profile was taken, its period, and the
// `# runtime.MemStats` block of legacy text profiles (HeapAlloc vs Sys explains RSS vs heap).

/** SampleTypeTotals is one row of the summary: a sample type and its totals in base and new. */
export interface SampleTypeTotals {
  type: string;
  unit: string;
  newTotal: number;
  /** Absent when not comparing, or when the base has no such sample type. */
  baseTotal?: number;
}

/** ProfileFacts are one profile's header fields, as shown next to the totals. */
export interface ProfileFacts {
  name: string;
  format: string;
  gzipped: boolean;
  /** Wall-clock time the profile was taken (ns since the epoch; 0 when unknown). */
  timeNanos: number;
  durationNanos: number;
  period: number;
  periodType: string;
  samples: number;
  comments: string[];
  memStats?: Array<[string, string]>;
  /** The file memStats came from when it is not the profile itself (a capture bundle's `memstats-…` file). */
  memStatsFrom?: string;
}

/** ProfileSummary is the summary tab's data. */
export interface ProfileSummary {
  totals: SampleTypeTotals[];
  newProfile: ProfileFacts;
  baseProfile?: ProfileFacts;
}

/** profileSummary computes the totals of every sample type of `target` (and `base`). */
export function profileSummary(target: { name: string; profile: Profile }, base?: { name: string; profile: Profile }): ProfileSummary {
  const side = (p: { name: string; profile: Profile }): SummarySide => ({ sampleTypes: p.profile.sampleTypes, totals: sampleTypeTotals(p.profile), facts: profileFacts(p.name, p.profile) });
  return combineSummary(side(target), base ? side(base) : undefined);
}

/** SummarySide is what the summary needs of one profile: its types, their totals and its header. */
export interface SummarySide {
  sampleTypes: ValueType[];
  totals: number[];
  facts: ProfileFacts;
}

/** combineSummary builds the summary from each profile's totals and facts (computed once where the profile was decoded). */
export function combineSummary(target: SummarySide, base?: SummarySide): ProfileSummary {
  const totals = target.sampleTypes.map((t, i): SampleTypeTotals => {
    const row: SampleTypeTotals = { type: t.type, unit: t.unit, newTotal: target.totals[i] };
    if (base) {
      const bi = base.sampleTypes.findIndex((b) => b.type === t.type);
      if (bi >= 0) row.baseTotal = base.totals[bi];
    }
    return row;
  });
  const summary: ProfileSummary = { totals, newProfile: target.facts };
  if (base) summary.baseProfile = base.facts;
  return summary;
}

/** sampleTypeTotals returns Σ|value| over all samples for each sample type, in sample-type order. */
export function sampleTypeTotals(p: Profile): number[] {
  const nt = p.sampleTypes.length;
  const totals = new Array<number>(nt).fill(0);
  const values = p.samples.values;
  for (let s = 0; s < p.samples.count; s++) {
    for (let t = 0; t < nt; t++) {
      const v = values[s * nt + t];
      totals[t] += v < 0 ? -v : v;
    }
  }
  return totals;
}

/** profileFacts collects a profile's header fields. */
export function profileFacts(name: string, p: Profile): ProfileFacts {
  const facts: ProfileFacts = {
    name,
    format: p.format,
    gzipped: p.gzipped,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    period: p.period,
    periodType: p.periodType ? `${p.periodType.type}/${p.periodType.unit}` : '',
    samples: p.samples.count,
    comments: p.comments,
  };
  if (p.memStats) facts.memStats = p.memStats;
  return facts;
}
