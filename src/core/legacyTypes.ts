import * as l10n from '@vscode/l10n';
import type { Profile } from './model';

// pprof reads a legacy heap text profile as the old two-type form (objects/space) when its header's
// in-use and allocation figures are equal (profile/legacy_profile.go parseHeapHeader), and then
// refuses to compare it with a four-type one ("inconsistent samples type count: 4 != 2"). Go writes
// such a header whenever nothing it sampled has been freed yet — a profile taken before the first
// GC. Every record's allocation figures are at least its in-use ones, so equal totals mean equal
// figures in every record: objects/space then are inuse_* and alloc_* at once, and the pair
// compares exactly. A Go-written profile is recognised by its runtime.MemStats block (Go always
// writes all four figures); a header with zero allocation figures (C++ heapprofile) gives no alloc.

/** FOUR_TYPES are Go's heap sample types in Go's order. */
const FOUR_TYPES = [
  { type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' },
  { type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: 'bytes' },
];

/** isTwoTypeGoHeapText tells whether a profile is Go's debug=1 heap text read as objects/space. */
export function isTwoTypeGoHeapText(p: Profile): boolean {
  return p.format === 'legacy-heap-text' && p.memStats !== undefined && p.sampleTypes.length === 2
    && p.sampleTypes[0].type === 'objects' && p.sampleTypes[1].type === 'space';
}

/** expandTwoTypeHeap returns the profile with objects/space written as all four Go heap types. */
export function expandTwoTypeHeap(p: Profile): Profile {
  const n = p.samples.count;
  const values = new Float64Array(n * 4);
  for (let s = 0; s < n; s++) {
    const objects = p.samples.values[s * 2];
    const space = p.samples.values[s * 2 + 1];
    values[s * 4] = objects;
    values[s * 4 + 1] = space;
    values[s * 4 + 2] = objects;
    values[s * 4 + 3] = space;
  }
  return { ...p, sampleTypes: FOUR_TYPES.map((t) => ({ ...t })), samples: { ...p.samples, values } };
}

/** alignHeapSampleTypes lets a two-type Go heap text compare with a four-type profile; note says what was done. */
export function alignHeapSampleTypes(base: Profile, target: Profile, names: { base: string; new: string }): { base: Profile; target: Profile; note?: string } {
  const four = (p: Profile) => p.sampleTypes.some((t) => t.type === 'alloc_space') && p.sampleTypes.some((t) => t.type === 'inuse_space');
  const expand = (p: Profile, other: Profile) => isTwoTypeGoHeapText(p) && four(other);
  if (!expand(base, target) && !expand(target, base)) return { base, target };
  const which = expand(base, target) ? names.base : names.new;
  const note = l10n.t('{0} was written before anything it sampled was freed (in-use equals allocated), so it carries only objects/space and pprof refuses this pair ("inconsistent samples type count: 4 != 2"); here its values count as both inuse_* and alloc_*.', which);
  return { base: expand(base, target) ? expandTwoTypeHeap(base) : base, target: expand(target, base) ? expandTwoTypeHeap(target) : target, note };
}
