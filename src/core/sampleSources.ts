import * as l10n from '@vscode/l10n';
import { ProfileError } from './errors';
import { type CompiledFilters, filterLocations } from './filter';
import type { Profile, ValueType } from './model';
import type { NodeTable } from './nodes';
import { resolveSampleIndex } from './sampleIndex';

// The one set-up every view of one or two profiles shares: which profiles, which value column, and
// each location expanded into nodes at a granularity. A comparison is pprof's -diff_base: the base's
// samples are negated and merged with the target's, so every view downstream handles signed values
// and none of them knows which profile is which. Sources are always target first, then base, so
// node ids are interned in the same order by every view (the table's ids match the graph's).

/** Profiles is what a view reads: the target profile, and the base it is compared with, if any. */
export interface Profiles {
  target: Profile;
  base?: Profile;
}

/** Comparison is two profiles of a diff: `base` is subtracted from `target` (pprof's -diff_base). Named so a swap cannot type-check. */
export interface Comparison extends Profiles {
  base: Profile;
}

/** FrameNodes maps each location to its nodes in root → leaf order (its lines last → first). */
export interface FrameNodes {
  start: Uint32Array;
  nodes: Int32Array;
  /** 1 when the node is an inlined callee (not the location's outermost line). */
  inlined: Uint8Array;
  /** Per-location focus/ignore marks, or undefined when no focus/ignore is set. */
  mark: Uint8Array | undefined;
  hasSelection: boolean;
}

/** SignedSource is one profile's samples as a view walks them: its frames and its sign (−1 for the base). */
export interface SignedSource {
  profile: Profile;
  frames: FrameNodes;
  sign: 1 | -1;
}

/** SampleSource is a SignedSource with the value column the view reads. */
export interface SampleSource extends SignedSource {
  valueIndex: number;
}

/** SampleSources are a view's sources (target first) and the sample type they read. */
export interface SampleSources {
  sampleType: ValueType;
  sources: SampleSource[];
}

/** signedSources expands the target (+1) and the base (−1) into `nodes`, target first. */
export function signedSources(profiles: Profiles, nodes: NodeTable, filters: CompiledFilters): SignedSource[] {
  const out: SignedSource[] = [{ profile: profiles.target, frames: frameNodes(profiles.target, nodes, filters), sign: 1 }];
  if (profiles.base) out.push({ profile: profiles.base, frames: frameNodes(profiles.base, nodes, filters), sign: -1 });
  return out;
}

/**
 * ExpandedView is a view's profiles already expanded into `nodes` (signedSources at its granularity
 * and filters): kept by the analysis worker so that each query of the view does not expand again.
 */
export interface ExpandedView {
  nodes: NodeTable;
  sources: SignedSource[];
}

/** expandView expands the profiles at a granularity with filters into a fresh node table. */
export function expandView(profiles: Profiles, nodes: NodeTable, filters: CompiledFilters): ExpandedView {
  return { nodes, sources: signedSources(profiles, nodes, filters) };
}

/** SampleColumns is the value column a view reads in the target and in the base (−1 without a base). */
export interface SampleColumns {
  sampleType: ValueType;
  target: number;
  base: number;
}

/**
 * sampleColumns resolves the value column on the target (pprof's -sample_index) and finds the same
 * type in the base; a base without that type is an error naming what it has.
 */
export function sampleColumns(profiles: Profiles, sampleIndex: string | undefined): SampleColumns {
  const { target, base } = profiles;
  const ti = resolveSampleIndex(target, sampleIndex);
  const sampleType = target.sampleTypes[ti];
  let bi = -1;
  if (base) {
    bi = base.sampleTypes.findIndex((t) => t.type === sampleType.type);
    if (bi < 0) {
      throw new ProfileError('incompatible-profiles', l10n.t('the base profile has no "{0}" values (it has {1})', sampleType.type, base.sampleTypes.map((t) => t.type).join(', ') || l10n.t('none')));
    }
  }
  return { sampleType, target: ti, base: bi };
}

/**
 * sampleSources resolves the value columns (sampleColumns) and expands both profiles (unless
 * `expanded` holds them, expanded into the same `nodes`).
 */
export function sampleSources(profiles: Profiles, sampleIndex: string | undefined, nodes: NodeTable, filters: CompiledFilters, expanded?: ExpandedView): SampleSources {
  const { sampleType, target: ti, base: bi } = sampleColumns(profiles, sampleIndex);
  // Frames are interned before any sample is walked, so the node count is known to every walk.
  const signed = expanded && expanded.nodes === nodes ? expanded.sources : signedSources(profiles, nodes, filters);
  const sources = signed.map((s): SampleSource => ({ ...s, valueIndex: s.sign < 0 ? bi : ti }));
  return { sampleType, sources };
}

/** reportTotal is pprof's computeTotal: the base's Σ|value| when comparing (unless 0), else every sample's. */
export function reportTotal(targetAbs: number, baseAbs: number, isDiff: boolean): number {
  return isDiff && baseAbs > 0 ? baseAbs : targetAbs + baseAbs;
}

/** frameNodes interns every (location, line) of a profile into `nodes`, applying hide/show. */
export function frameNodes(p: Profile, nodes: NodeTable, filters: CompiledFilters): FrameNodes {
  const L = p.locations;
  const fn = p.functions;
  const filtered = filters.focus || filters.ignore || filters.hide || filters.show ? filterLocations(p, filters) : undefined;
  const keep = filtered?.keepLine;
  const start = new Uint32Array(L.count + 1);
  const out: number[] = [];
  const inl: number[] = [];
  // Node identity above `lines` depends only on the function: intern each function once, not once
  // per location (a 50 MB profile has ~5 locations per function); at `lines` and `addresses` the
  // function's half of the key is still computed once (NodeTable.functionKey).
  const g = nodes.granularity;
  const byFunction = g === 'functions' || g === 'filefunctions' || g === 'files' ? new Int32Array(fn.count).fill(-1) : undefined;
  const keyOf = new Int32Array(fn.count).fill(-1);
  const nodeOf = (fi: number, line: number, address: number): number => {
    if (byFunction) {
      let n = byFunction[fi];
      if (n < 0) n = byFunction[fi] = nodes.intern(fn.name[fi], fn.filename[fi], line, address);
      return n;
    }
    let k = keyOf[fi];
    if (k < 0) k = keyOf[fi] = nodes.functionKey(fn.name[fi], fn.filename[fi]);
    return nodes.internAt(k, line, address);
  };
  for (let i = 0; i < L.count; i++) {
    if (!filtered?.hidden?.[i]) {
      const first = L.lineStart[i];
      const last = L.lineStart[i + 1];
      if (first === last) {
        out.push(nodes.unknown(L.address[i]));
        inl.push(0);
      } else {
        let outermost = true;
        for (let j = last - 1; j >= first; j--) {
          if (keep && !keep[j]) continue;
          const fi = L.lineFunction[j];
          out.push(fi < 0 ? nodes.unknown(L.address[i]) : nodeOf(fi, L.lineNumber[j], L.address[i]));
          inl.push(outermost ? 0 : 1);
          outermost = false;
        }
      }
    }
    start[i + 1] = out.length;
  }
  return {
    start,
    nodes: Int32Array.from(out),
    inlined: Uint8Array.from(inl),
    mark: filters.focus || filters.ignore ? filtered?.mark : undefined,
    hasSelection: !!(filters.focus || filters.ignore),
  };
}
