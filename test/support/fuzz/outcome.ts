import { aggregate } from '../../../src/core/aggregate';
import { decodeProfile } from '../../../src/core/decode';
import { ProfileError } from '../../../src/core/errors';
import type { Profile } from '../../../src/core/model';
import { GRANULARITIES } from '../../../src/core/nodes';
import { topTable } from '../../../src/core/top';

// What every fuzz input must end in: a profile whose numbers are finite and consistent (and that
// `top` can show), or one ProfileError with a one-line message. Anything else is a defect; the
// thrown InvariantError says which rule broke.

/** InvariantError is a decoded profile that breaks a rule every accepted profile must keep. */
export class InvariantError extends Error {}

/** Outcome is how one input ended. */
export type Outcome =
  | { accepted: true; profile: Profile; totals: number[] }
  | { accepted: false; code: string; message: string; late: boolean };

const EXACT = Number.MAX_SAFE_INTEGER;

function must(ok: boolean, rule: string): void {
  if (!ok) throw new InvariantError(rule);
}

/** checkProfile asserts the model's structural rules and returns each sample type's signed total. */
export function checkProfile(p: Profile): number[] {
  const types = p.sampleTypes.length;
  const { samples, locations, functions } = p;
  must(samples.locationStart.length === samples.count + 1, 'locationStart has count + 1 entries');
  must(samples.values.length === samples.count * types, 'values has count × sample types entries');
  must(samples.locationStart[samples.count] === samples.locationIndex.length, 'the last locationStart ends locationIndex');
  for (let s = 0; s < samples.count; s++) must(samples.locationStart[s] <= samples.locationStart[s + 1], `sample ${s}'s stack range is ordered`);
  for (const l of samples.locationIndex) must(l < locations.count, 'every stack entry names a location');
  must(locations.lineStart.length === locations.count + 1 && locations.lineStart[locations.count] === locations.lineFunction.length, 'location lines are framed');
  for (const f of locations.lineFunction) must(f >= -1 && f < functions.count, 'every line names a function or none');
  for (const n of functions.name) must(typeof n === 'string', 'function names are strings');
  const totals = new Array<number>(types).fill(0);
  for (let i = 0; i < samples.values.length; i++) {
    const v = samples.values[i];
    must(Number.isSafeInteger(v) || v === 0, `value ${i} is an exact integer (got ${v})`);
    totals[i % types] += v;
  }
  for (const t of totals) must(Math.abs(t) <= EXACT, 'totals are exact');
  if (p.format === 'goroutine-text' || p.format === 'goroutine-dump') must(samples.values.every((v) => v >= 0), 'goroutine counts are not negative');
  if (p.format === 'legacy-heap-text' && types === 4) {
    for (let i = 0; i < samples.values.length; i += 4) must(samples.values[i] >= 0 && samples.values[i + 1] >= 0, 'legacy alloc values are not negative');
  }
  return totals;
}

/** checkTop aggregates one sample type and checks pprof's total and every row against it. */
export function checkTop(p: Profile, typeIndex: number, granularity: (typeof GRANULARITIES)[number]): void {
  const agg = aggregate(p, { sampleIndex: String(typeIndex), granularity });
  const types = p.sampleTypes.length;
  let abs = 0;
  for (let i = typeIndex; i < p.samples.values.length; i += types) abs += Math.abs(p.samples.values[i]);
  must(agg.total === abs, `top's total ${agg.total} is Σ|value| ${abs}`);
  for (let n = 0; n < agg.flat.length; n++) {
    must(Number.isFinite(agg.flat[n]) && Number.isFinite(agg.cum[n]), 'flat and cum are finite');
    must(Math.abs(agg.cum[n]) <= abs && Math.abs(agg.flat[n]) <= abs, 'no node holds more than the total');
  }
  const table = topTable(agg, { nodeCount: 20 });
  for (const row of table.rows) must(Number.isFinite(row.flat) && Number.isFinite(row.cum), 'top rows are finite');
}

/** decodeAndCheck decodes an input and checks the result; ProfileErrors become a refusal. */
export function decodeAndCheck(bytes: Uint8Array, maxBytes: number, pick: number): Outcome {
  let profile: Profile;
  try {
    profile = decodeProfile(bytes, { maxBytes });
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    must(e.message.length > 0 && !e.message.includes('\n'), `a refusal is one line (got ${JSON.stringify(e.message.slice(0, 200))})`);
    return { accepted: false, code: e.code, message: e.message, late: false };
  }
  const totals = checkProfile(profile);
  try {
    if (profile.sampleTypes.length > 0) {
      checkTop(profile, pick % profile.sampleTypes.length, GRANULARITIES[pick % GRANULARITIES.length]);
    }
  } catch (e) {
    // Refused by the engine after decoding (e.g. a sample type it cannot use): still a clean end.
    if (!(e instanceof ProfileError)) throw e;
    return { accepted: false, code: e.code, message: e.message, late: true };
  }
  return { accepted: true, profile, totals };
}
