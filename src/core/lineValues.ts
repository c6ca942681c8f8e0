import type { Aggregate } from './aggregate';
import { normalizeProfilePath } from './sourceResolution';

// Source lines with a value, grouped by file, from a lines aggregate: what the source annotations
// paint. A line shows its cum value: a user line such as `buf.ReadFrom(r.Body)` allocates nothing
// itself (flat 0) but everything allocated below it is what it costs — what `pprof list` calls cum.

/** LineValue is one source line's numbers for one sample type (new − base when comparing). */
export interface LineValue {
  line: number;
  /** Functions that have this line (more than one when a closure or inlined call shares it). */
  functions: string[];
  flat: number;
  cum: number;
  baseFlat: number;
  baseCum: number;
}

/** FileLines maps a profile file name to its lines with values. */
export type FileLines = Map<string, Map<number, LineValue>>;

/**
 * linesByFile groups a lines aggregate by file and line. Where several nodes share a line, the
 * numbers of the one with the largest |cum| are kept (summing would count a stack twice when a
 * function and its closure both sit on that line).
 */
export function linesByFile(agg: Aggregate): FileLines {
  const out: FileLines = new Map();
  const N = agg.nodes;
  for (let n = 0; n < N.count; n++) {
    if (agg.cum[n] === 0 && agg.flat[n] === 0 && (agg.baseCum?.[n] ?? 0) === 0) continue;
    if (N.file[n] === '' || N.line[n] <= 0) continue;
    const file = normalizeProfilePath(N.file[n]);
    let lines = out.get(file);
    if (!lines) { lines = new Map(); out.set(file, lines); }
    const entry: LineValue = {
      line: N.line[n],
      functions: [N.name[n]],
      flat: agg.flat[n],
      cum: agg.cum[n],
      baseFlat: agg.baseFlat?.[n] ?? 0,
      baseCum: agg.baseCum?.[n] ?? 0,
    };
    const prev = lines.get(entry.line);
    if (!prev) { lines.set(entry.line, entry); continue; }
    const names = [...prev.functions, ...entry.functions.filter((f) => !prev.functions.includes(f))];
    lines.set(entry.line, Math.abs(entry.cum) > Math.abs(prev.cum) ? { ...entry, functions: names } : { ...prev, functions: names });
  }
  return out;
}

