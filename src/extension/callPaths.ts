import { type FrameNodes, frameNodes } from '../core/aggregate';
import { type Filters, compileFilters, sampleSelected } from '../core/filter';
import type { Profile } from '../core/model';
import { NodeTable } from '../core/nodes';
import { resolveSampleIndex } from '../core/sampleIndex';
import { normalizeProfilePath } from './sourceResolution';

// The call paths through one source line, heaviest first: which stacks made this line cost what it
// costs. Stacks are walked at lines granularity with the same frame expansion (inlined frames, hide,
// show, focus, ignore) as the aggregates, so a path's weight adds up to the line's cum.

/** CallFrame is one frame of a call path. */
export interface CallFrame {
  name: string;
  file: string;
  line: number;
}

/** CallPath is one distinct stack (root first) through a line, with its weight (new − base when comparing). */
export interface CallPath {
  frames: CallFrame[];
  /** Index in `frames` of the first frame on the line asked about. */
  at: number;
  value: number;
  baseValue: number;
}

/** CallPathIndex expands the stacks of a profile (and its base) once, to answer many line queries. */
export class CallPathIndex {
  private readonly nodes = new NodeTable('lines');
  private readonly target: ExpandedProfile;
  private readonly base: ExpandedProfile | undefined;

  constructor(target: Profile, base: Profile | undefined, filters: Filters = {}) {
    const compiled = compileFilters(filters);
    this.target = { profile: target, frames: frameNodes(target, this.nodes, compiled) };
    this.base = base ? { profile: base, frames: frameNodes(base, this.nodes, compiled) } : undefined;
  }

  /** through returns the heaviest `limit` distinct stacks passing through file:line for a sample type. */
  through(file: string, line: number, sampleType: string, limit = 3): CallPath[] {
    const wanted = normalizeProfilePath(file);
    const onLine = new Uint8Array(this.nodes.count);
    let any = false;
    for (let n = 0; n < this.nodes.count; n++) {
      if (this.nodes.line[n] === line && normalizeProfilePath(this.nodes.file[n]) === wanted) { onLine[n] = 1; any = true; }
    }
    if (!any) return [];
    const paths = new Map<string, { nodes: number[]; value: number; baseValue: number }>();
    this.collect(this.target, sampleType, onLine, paths, 1);
    if (this.base) this.collect(this.base, sampleType, onLine, paths, -1);
    return [...paths.values()]
      .filter((p) => p.value !== 0)
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || b.baseValue - a.baseValue)
      .slice(0, limit)
      .map((p) => ({
        frames: p.nodes.map((n) => ({ name: this.nodes.name[n], file: this.nodes.file[n], line: this.nodes.line[n] })),
        at: p.nodes.findIndex((n) => onLine[n] === 1),
        value: p.value,
        baseValue: p.baseValue,
      }));
  }

  private collect(x: ExpandedProfile, sampleType: string, onLine: Uint8Array, paths: Map<string, { nodes: number[]; value: number; baseValue: number }>, sign: 1 | -1): void {
    const p = x.profile;
    const ti = typeIndex(p, sampleType);
    if (ti < 0) return;
    const S = p.samples;
    const nt = p.sampleTypes.length;
    const { start, nodes, mark } = x.frames;
    for (let s = 0; s < S.count; s++) {
      const v = S.values[s * nt + ti];
      if (v === 0) continue;
      const from = S.locationStart[s];
      const to = S.locationStart[s + 1];
      if (mark && !sampleSelected(mark, S.locationIndex, from, to)) continue;
      const stack: number[] = [];
      let hit = false;
      for (let k = to - 1; k >= from; k--) {
        const loc = S.locationIndex[k];
        for (let j = start[loc]; j < start[loc + 1]; j++) {
          stack.push(nodes[j]);
          if (onLine[nodes[j]] === 1) hit = true;
        }
      }
      if (!hit) continue;
      const key = stack.join(',');
      const acc = paths.get(key) ?? { nodes: stack, value: 0, baseValue: 0 };
      acc.value += sign * v;
      if (sign < 0) acc.baseValue += v;
      paths.set(key, acc);
    }
  }
}

interface ExpandedProfile {
  profile: Profile;
  frames: FrameNodes;
}

function typeIndex(p: Profile, sampleType: string): number {
  try {
    return resolveSampleIndex(p, sampleType);
  } catch {
    return -1;
  }
}

/**
 * abridgePath keeps the frames that explain a path: up to `callers` frames leading to the line, the
 * line's own frame, and the allocating leaf; `undefined` marks an elision ("…").
 */
export function abridgePath(path: CallPath, callers = 3): Array<CallFrame | undefined> {
  const { frames, at } = path;
  const out: Array<CallFrame | undefined> = [];
  const first = Math.max(0, at - callers);
  if (first > 0) out.push(undefined);
  for (let i = first; i <= at; i++) out.push(frames[i]);
  const leaf = frames.length - 1;
  if (leaf > at) {
    if (leaf > at + 1) out.push(undefined);
    out.push(frames[leaf]);
  }
  return out;
}
