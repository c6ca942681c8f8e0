import type { Profile } from '../model';
import { resolveSampleIndex } from '../sampleIndex';
import { inferWaitReason } from './waitReason';

// Goroutines grouped by where they wait. The site is the first frame of the user's own code from
// the leaf — the line that blocked (`for u := range f.updates`), not runtime.gopark — or, when the
// whole stack is someone else's code (net/http's connection goroutines), the goroutine's entry
// function. In dumps the `created by` frame (the `go` statement) also splits groups.

/** Frame is one stack frame: function, file and line as the profile names them. */
export interface Frame {
  function: string;
  file: string;
  line: number;
}

/** WaitMinutes counts goroutines by how long a dump says they have been blocked. */
export interface WaitMinutes {
  /** Under a minute, or not yet seen blocked by a GC (Go prints no minutes then). */
  under1: number;
  from1to9: number;
  from10to59: number;
  atLeast60: number;
  /** The longest wait printed, in minutes (0 when none). */
  longest: number;
}

/** GoroutineGroup is the goroutines of one profile that wait at one site. */
export interface GoroutineGroup {
  key: string;
  /** Where they wait: the first user frame from the leaf, else the entry function. */
  site: Frame;
  /** True when site is the user's own code. */
  siteIsUser: boolean;
  /** The stack of the group's largest member, root first. */
  path: Frame[];
  /** The most common wait reason (printed by a dump, else read off the frames), or null. */
  waitReason: string | null;
  /** True when waitReason comes from the frames rather than from a dump. */
  waitReasonInferred: boolean;
  /** The `go` statement that started them (dumps only). */
  createdBy: Frame | null;
  /** Creating goroutines (Go ≥ 1.21 dumps), most frequent first: [id, count]. */
  creators: Array<[number, number]>;
  count: number;
  /** Dumps only. */
  waitMinutes: WaitMinutes | null;
}

/** GroupOptions say which frames are the user's and whether `created by` splits groups. */
export interface GroupOptions {
  isUser: (fn: string, file: string) => boolean;
  /** Split groups by `created by` (only meaningful when both compared profiles are dumps). */
  byCreator?: boolean;
}

interface Building {
  group: GoroutineGroup;
  reasons: Map<string, number>;
  creators: Map<number, number>;
  best: number;
}

/** groupGoroutines groups one goroutine profile's goroutines by where they wait, largest first. */
export function groupGoroutines(profile: Profile, options: GroupOptions): GoroutineGroup[] {
  const vi = resolveSampleIndex(profile, 'goroutine');
  const nTypes = profile.sampleTypes.length;
  const { samples } = profile;
  const dump = profile.goroutineDump;
  const groups = new Map<string, Building>();
  for (let s = 0; s < samples.count; s++) {
    const count = samples.values[s * nTypes + vi];
    if (count === 0) continue;
    const frames = stackFrames(profile, s);
    if (frames.length === 0) continue;
    let site = frames.findIndex((f) => options.isUser(f.function, f.file));
    const siteIsUser = site >= 0;
    if (!siteIsUser) site = frames.length - 1;
    const createdBy = dump && dump.createdBy[s] >= 0 ? locationFrame(profile, dump.createdBy[s]) : null;
    const siteFrame = frames[site];
    const key = `${siteFrame.function}\u0000${siteFrame.file}\u0000${siteFrame.line}${options.byCreator && createdBy ? `\u0000${createdBy.function}\u0000${createdBy.file}\u0000${createdBy.line}` : ''}`;
    let b = groups.get(key);
    if (!b) {
      b = {
        group: {
          key, site: siteFrame, siteIsUser, path: [...frames].reverse(), waitReason: null, waitReasonInferred: !dump,
          createdBy, creators: [], count: 0, waitMinutes: dump ? { under1: 0, from1to9: 0, from10to59: 0, atLeast60: 0, longest: 0 } : null,
        },
        reasons: new Map(), creators: new Map(), best: 0,
      };
      groups.set(key, b);
    }
    b.group.count += count;
    if (count > b.best) { b.best = count; b.group.path = [...frames].reverse(); }
    const reason = dump ? dump.waitReasons[dump.waitReason[s]] : inferWaitReason(frames.map((f) => f.function));
    if (reason !== null) b.reasons.set(reason, (b.reasons.get(reason) ?? 0) + count);
    if (dump) {
      addMinutes(b.group.waitMinutes!, dump.waitMinutes[s]);
      if (dump.creator[s] >= 0) b.creators.set(dump.creator[s], (b.creators.get(dump.creator[s]) ?? 0) + 1);
    }
  }
  const out = [...groups.values()].map((b) => {
    b.group.waitReason = mostCommon(b.reasons);
    b.group.creators = [...b.creators.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    return b.group;
  });
  return out.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function addMinutes(h: WaitMinutes, minutes: number): void {
  if (minutes < 1) h.under1++;
  else if (minutes < 10) h.from1to9++;
  else if (minutes < 60) h.from10to59++;
  else h.atLeast60++;
  if (minutes > h.longest) h.longest = minutes;
}

function mostCommon(m: Map<string, number>): string | null {
  let best: string | null = null;
  let n = 0;
  for (const [k, v] of m) if (v > n || (v === n && best !== null && k < best)) { best = k; n = v; }
  return best;
}

/** stackFrames lists sample s's frames leaf first, inlined frames expanded (innermost first). */
export function stackFrames(profile: Profile, s: number): Frame[] {
  const { samples, locations } = profile;
  const out: Frame[] = [];
  for (let k = samples.locationStart[s]; k < samples.locationStart[s + 1]; k++) {
    const loc = samples.locationIndex[k];
    for (let l = locations.lineStart[loc]; l < locations.lineStart[loc + 1]; l++) out.push(lineFrame(profile, l));
  }
  return out;
}

function lineFrame(profile: Profile, l: number): Frame {
  const fn = profile.locations.lineFunction[l];
  return {
    function: fn >= 0 ? profile.functions.name[fn] : '',
    file: fn >= 0 ? profile.functions.filename[fn] : '',
    line: profile.locations.lineNumber[l],
  };
}

function locationFrame(profile: Profile, loc: number): Frame | null {
  const l = profile.locations.lineStart[loc];
  return l < profile.locations.lineStart[loc + 1] ? lineFrame(profile, l) : null;
}
