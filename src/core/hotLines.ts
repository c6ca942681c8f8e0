import type { Aggregate } from './aggregate';

// Which line to open for a row that has no line (function or file granularity): the line of that
// function (or file) whose value changed the most — |cum| of a line-granularity aggregate, which
// for a caller is the call that led to the growth and for an allocation site the allocation.

/** SourceLine is a place to open. */
export interface SourceLine {
  file: string;
  line: number;
}

/** hottestLine finds, in a line-granularity aggregate, the line of `name` (or of `file` when name is '') with the largest |cum|. */
export function hottestLine(lines: Aggregate, name: string, file = ''): SourceLine | undefined {
  const { nodes, cum, flat } = lines;
  let best = -1;
  let first = -1; // with no value on any line (unchanged under this sample type): its first line
  for (let n = 0; n < nodes.count; n++) {
    if (name !== '' ? nodes.name[n] !== name : nodes.file[n] !== file) continue;
    if (first < 0 || nodes.line[n] < nodes.line[first]) first = n;
    if (cum[n] === 0 && flat[n] === 0 && !lines.baseCum?.[n]) continue;
    if (best < 0 || better(lines, n, best)) best = n;
  }
  const n = best >= 0 ? best : first;
  return n < 0 ? undefined : { file: nodes.file[n], line: nodes.line[n] };
}

function better(agg: Aggregate, a: number, b: number): boolean {
  const ca = Math.abs(agg.cum[a]);
  const cb = Math.abs(agg.cum[b]);
  if (ca !== cb) return ca > cb;
  const ba = agg.baseCum?.[a] ?? 0;
  const bb = agg.baseCum?.[b] ?? 0;
  if (ba !== bb) return ba > bb; // unchanged in a comparison: the line that held the most
  const fa = Math.abs(agg.flat[a]);
  const fb = Math.abs(agg.flat[b]);
  if (fa !== fb) return fa > fb;
  return agg.nodes.line[a] < agg.nodes.line[b];
}
