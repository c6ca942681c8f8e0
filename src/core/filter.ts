import * as l10n from '@vscode/l10n';
import { ProfileError } from './errors';
import type { Profile } from './model';

// pprof's -focus / -ignore / -hide / -show (profile.FilterSamplesByName): a frame matches when its
// function name or file name matches, or its location's mapping file does.

/** Filters are regular expressions in pprof's sense; all optional. */
export interface Filters {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
}

/** CompiledFilters holds the compiled expressions. */
export interface CompiledFilters {
  focus?: RegExp;
  ignore?: RegExp;
  hide?: RegExp;
  show?: RegExp;
}

/** compileFilters compiles filter expressions, reporting a bad one by name. */
export function compileFilters(f: Filters | undefined): CompiledFilters {
  const out: CompiledFilters = {};
  for (const key of ['focus', 'ignore', 'hide', 'show'] as const) {
    const src = f?.[key];
    if (src === undefined || src === '') continue;
    try {
      // pprof accepts "a|b" lists and RE2 syntax; JS regexes cover the common subset.
      out[key] = new RegExp(src);
    } catch (e) {
      throw new ProfileError('bad-option', l10n.t('--{0} {1} is not a valid regular expression', key, JSON.stringify(src)));
    }
  }
  return out;
}

/** hasFilters tells whether any filter is set. */
export function hasFilters(f: CompiledFilters): boolean {
  return !!(f.focus || f.ignore || f.hide || f.show);
}

/** FilteredLocations says, per location, which of its lines survive hide/show and whether focus/ignore matched. */
export interface FilteredLocations {
  /** 1 = focused, 2 = ignored, 0 = neither (pprof's focusOrIgnore map). */
  mark: Uint8Array;
  /** keepLine[j] is 0 when line j (global line index) is hidden by hide/show. */
  keepLine: Uint8Array | undefined;
  /** hidden[i] is 1 when location i has no lines left and leaves every stack. */
  hidden: Uint8Array | undefined;
}

/** filterLocations evaluates the filters once per location (not per sample). */
export function filterLocations(p: Profile, f: CompiledFilters): FilteredLocations {
  const L = p.locations;
  const fn = p.functions;
  const mark = new Uint8Array(L.count);
  const lineMatches = (j: number, re: RegExp): boolean => {
    const fi = L.lineFunction[j];
    return fi >= 0 && (re.test(fn.name[fi]) || re.test(fn.filename[fi]));
  };
  const mappingMatches = (i: number, re: RegExp): boolean => {
    const mi = L.mappingIndex[i];
    return mi >= 0 && re.test(p.mappings[mi].file);
  };
  const matches = (i: number, re: RegExp): boolean => {
    for (let j = L.lineStart[i]; j < L.lineStart[i + 1]; j++) if (lineMatches(j, re)) return true;
    return mappingMatches(i, re);
  };
  const keepLine = f.hide || f.show ? new Uint8Array(L.lineFunction.length).fill(1) : undefined;
  const hidden = keepLine ? new Uint8Array(L.count) : undefined;
  for (let i = 0; i < L.count; i++) {
    if (f.ignore && matches(i, f.ignore)) mark[i] = 2;
    else if (!f.focus || matches(i, f.focus)) mark[i] = 1;
    if (!keepLine || !hidden) continue;
    const first = L.lineStart[i];
    const last = L.lineStart[i + 1];
    if (f.hide && matches(i, f.hide)) {
      // unmatchedLines: a matching mapping hides the whole location.
      const all = mappingMatches(i, f.hide);
      for (let j = first; j < last; j++) if (all || lineMatches(j, f.hide)) keepLine[j] = 0;
      if (all || !anyKept(keepLine, first, last)) hidden[i] = 1;
    }
    if (f.show) {
      // matchedLines: a matching mapping keeps every line; lines without a function are kept.
      if (!mappingMatches(i, f.show)) {
        for (let j = first; j < last; j++) {
          if (L.lineFunction[j] >= 0 && !lineMatches(j, f.show)) keepLine[j] = 0;
        }
      }
      if (!anyKept(keepLine, first, last)) hidden[i] = 1;
    }
  }
  return { mark, keepLine, hidden };
}

function anyKept(keep: Uint8Array, first: number, last: number): boolean {
  for (let j = first; j < last; j++) if (keep[j]) return true;
  return false;
}

/** sampleSelected applies focus/ignore to one sample's stack (pprof's focusedAndNotIgnored). */
export function sampleSelected(mark: Uint8Array, stack: Uint32Array, from: number, to: number): boolean {
  let focused = false;
  for (let k = from; k < to; k++) {
    const m = mark[stack[k]];
    if (m === 2) return false;
    if (m === 1) focused = true;
  }
  return focused;
}
