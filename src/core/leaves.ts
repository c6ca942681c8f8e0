import type { FlatAggregate } from './flatAggregate';
import type { Profile } from './model';
import { NodeTable, cleanPath } from './nodes';
import { type Profiles, reportTotal, sampleColumns } from './sampleSources';
import type { CallFrame } from './stackIndex';

// What the Heap Hotspots tree's first rows need, read off the samples' leaves alone. Without
// filters every location has a node, so a sample's flat goes to the first line of its first
// location: one pass sums each value column per leaf location, and both the rows' flat (per
// function) and the line each row opens at (mainLine) are read from those sums. Interning every
// location into nodes first (expandView) was half of the first hotspots query on the 61 MB pair.

/** LeafSums is one profile's values of one sample type summed at each sample's leaf location. */
export interface LeafSums {
  profile: Profile;
  /** Per location: Σ value of the samples whose first (leaf-most) location it is. */
  byLocation: Float64Array;
  /** Σ|value| over every sample (pprof's total, which counts samples without locations too). */
  total: number;
}

/** LeafSumsOf gives a profile's leaf sums for a value column (computed, or kept by a StackIndex). */
export type LeafSumsOf = (profile: Profile, valueIndex: number) => LeafSums;

/** leafSums sums one value column at each sample's leaf location: one columnar pass, no stack walk. */
export function leafSums(p: Profile, valueIndex: number, checkpoint?: () => void): LeafSums {
  const S = p.samples;
  const nt = p.sampleTypes.length;
  const values = S.values;
  const start = S.locationStart;
  const index = S.locationIndex;
  const byLocation = new Float64Array(p.locations.count);
  let total = 0;
  for (let s = 0; s < S.count; s++) {
    if (checkpoint && (s & 0xffff) === 0) checkpoint();
    const v = values[s * nt + valueIndex];
    if (v === 0) continue;
    total += v < 0 ? -v : v;
    const from = start[s];
    if (start[s + 1] > from) byLocation[index[from]] += v;
  }
  return { profile: p, byLocation, total };
}

/** leafFunction is the function of a location's first (leaf-most, innermost inlined) line, or -1 when it has none. */
export function leafFunction(p: Profile, loc: number): number {
  const L = p.locations;
  const j = L.lineStart[loc];
  return j < L.lineStart[loc + 1] ? L.lineFunction[j] : -1;
}

/**
 * leafFlat is flatAggregate at functions granularity without filters, from the leaf sums: flat and
 * the totals are the full aggregation's, node for node by name; the node table holds only the
 * functions samples end in (rows are found by name, never by a full aggregate's node id).
 */
export function leafFlat(profiles: Profiles, sampleIndex: string | undefined, sumsOf: LeafSumsOf = leafSums): FlatAggregate {
  const { sampleType, target: ti, base: bi } = sampleColumns(profiles, sampleIndex);
  const nodes = new NodeTable('functions');
  const flat: number[] = [];
  const baseFlat: number[] = [];
  const add = (sums: LeafSums, sign: number): void => {
    const p = sums.profile;
    const fn = p.functions;
    // Slot fn.count collects locations without a function: pprof's unknown node.
    const byFunction = new Float64Array(fn.count + 1);
    const seen = new Uint8Array(fn.count + 1);
    for (let loc = 0; loc < p.locations.count; loc++) {
      const v = sums.byLocation[loc];
      if (v === 0) continue;
      const fi = leafFunction(p, loc);
      const slot = fi < 0 ? fn.count : fi;
      byFunction[slot] += v;
      seen[slot] = 1;
    }
    for (let slot = 0; slot <= fn.count; slot++) {
      if (!seen[slot]) continue;
      const n = slot === fn.count ? nodes.unknown(0) : nodes.intern(fn.name[slot], '', 0, 0);
      while (flat.length <= n) { flat.push(0); baseFlat.push(0); }
      flat[n] += sign * byFunction[slot];
      if (sign < 0) baseFlat[n] += byFunction[slot];
    }
  };
  const target = sumsOf(profiles.target, ti);
  add(target, 1);
  const base = profiles.base ? sumsOf(profiles.base, bi) : undefined;
  if (base) add(base, -1);
  const isDiff = base !== undefined;
  const baseTotal = base?.total ?? 0;
  return {
    nodes, sampleType, total: reportTotal(target.total, baseTotal, isDiff), newTotal: target.total, baseTotal,
    flat: Float64Array.from(flat), isDiff, ...(isDiff ? { baseFlat: Float64Array.from(baseFlat) } : {}),
  };
}

/** LeafPart is one profile's leaf sums with its sign (−1 for the base), as mainLine reads them. */
export interface LeafPart {
  sums: LeafSums;
  sign: number;
}

/**
 * leafLines answers StackIndex.mainLine without filters: the (file, line) of a function's leaf
 * locations with the largest |flat|, ties to the first in location order (the target's, then the
 * base's). Locations are indexed by function once, so a lookup reads only that function's leaves.
 */
export function leafLines(parts: LeafPart[]): (functionName: string) => CallFrame | undefined {
  const indexes = parts.map((part) => ({ ...part, index: undefined as LeafIndex | undefined }));
  return (functionName) => {
    const lines = new Map<string, CallFrame & { flat: number }>();
    for (const part of indexes) {
      const p = part.sums.profile;
      const L = p.locations;
      part.index ??= leafIndex(part.sums);
      for (const loc of part.index.locationsOf(functionName)) {
        const fi = leafFunction(p, loc);
        const file = fi >= 0 ? cleanPath(p.functions.filename[fi]) : '';
        const line = fi >= 0 ? L.lineNumber[L.lineStart[loc]] : 0;
        const key = `${file}\u0000${line}`;
        const v = part.sign * part.sums.byLocation[loc];
        const at = lines.get(key);
        if (at) at.flat += v;
        else lines.set(key, { name: functionName, file, line, flat: v });
      }
    }
    let best: (CallFrame & { flat: number }) | undefined;
    for (const l of lines.values()) if (l.flat !== 0 && (best === undefined || Math.abs(l.flat) > Math.abs(best.flat))) best = l;
    return best && { name: best.name, file: best.file, line: best.line };
  };
}

interface LeafIndex {
  /** locationsOf lists the leaf locations (non-zero sums) of the functions with a name, in location order. */
  locationsOf(name: string): number[];
}

/** leafIndex groups a profile's leaf locations by function (counting sort), and functions by name. */
function leafIndex(sums: LeafSums): LeafIndex {
  const p = sums.profile;
  const F = p.functions.count;
  const slotOf = (loc: number): number => { const fi = leafFunction(p, loc); return fi < 0 ? F : fi; };
  const from = new Uint32Array(F + 2);
  for (let loc = 0; loc < p.locations.count; loc++) if (sums.byLocation[loc] !== 0) from[slotOf(loc) + 1]++;
  for (let k = 0; k <= F; k++) from[k + 1] += from[k];
  const locations = new Uint32Array(from[F + 1]);
  const next = from.slice(0, F + 1);
  for (let loc = 0; loc < p.locations.count; loc++) if (sums.byLocation[loc] !== 0) locations[next[slotOf(loc)]++] = loc;
  const slotsByName = new Map<string, number[]>();
  for (let slot = 0; slot <= F; slot++) {
    if (from[slot + 1] === from[slot]) continue;
    const name = slot === F ? '' : p.functions.name[slot];
    const list = slotsByName.get(name);
    if (list) list.push(slot);
    else slotsByName.set(name, [slot]);
  }
  return {
    locationsOf(name) {
      const out: number[] = [];
      for (const slot of slotsByName.get(name) ?? []) for (let k = from[slot]; k < from[slot + 1]; k++) out.push(locations[k]);
      // Several functions can share a name (other files, other ids): keep location order across them.
      if ((slotsByName.get(name)?.length ?? 0) > 1) out.sort((a, b) => a - b);
      return out;
    },
  };
}
