import type { Aggregate } from './aggregate';
import type { FlatAggregate } from './flatAggregate';
import type { StackIndex } from './stackIndex';
import { sortedNodes } from './top';

// What the Heap Hotspots tree shows: top rows are functions in pprof's -top order (|flat|, then
// name) from a functions aggregate; a function's children are the lines inside it that contributed
// (by cum: a line that calls into the allocation counts) and the call sites that reached it, both
// from one stack walk when the function is expanded (StackIndex). Computed where the profiles live
// (the analysis worker); the tree only formats the rows.

/** HotspotKind says what a row stands for. */
export type HotspotKind = 'function' | 'line' | 'caller';

/** HotspotRow is one row of the tree: a function, a line inside it, or a call site that reached it. */
export interface HotspotRow {
  kind: HotspotKind;
  /** Function name as pprof prints it; for a caller row, the calling function. */
  name: string;
  /** File and line to open, as written in the profile ('' and 0 when the profile has none). */
  file: string;
  line: number;
  /** The number the row is ranked by: flat (function), cum (line), weight of the calls (caller); new − base when comparing. */
  value: number;
  /** The same number in the base profile (comparisons only). */
  baseValue?: number;
  /** |value| as a fraction of all change (comparison) or of the profile total (single profile). */
  share: number;
  /** The function's (or line's) flat and cum, for the tooltip. */
  flat: number;
  /** Absent from the tree's first rows, which are ranked from flat alone (firstHotspots); ask for them with the full index. */
  cum?: number;
  baseFlat?: number;
  baseCum?: number;
}

/** HotspotList is the top rows and how many non-zero functions did not fit. */
export interface HotspotList {
  rows: HotspotRow[];
  more: number;
}

/** HotspotIndex answers the tree's questions from a functions aggregate and the stacks behind it. */
export class HotspotIndex {
  readonly isDiff: boolean;
  readonly unit: string;
  readonly sampleType: string;
  /** What shares are fractions of: Σ|Δ flat| when comparing (all change), else pprof's total. */
  readonly denominator: number;
  private readonly functionNode = new Map<string, number>();

  constructor(readonly functions: Aggregate, private readonly stacks: StackIndex) {
    this.isDiff = functions.isDiff;
    this.unit = functions.sampleType.unit;
    this.sampleType = functions.sampleType.type;
    for (let n = 0; n < functions.nodes.count; n++) this.functionNode.set(functions.nodes.name[n], n);
    let changed = 0;
    if (this.isDiff) for (let n = 0; n < functions.nodes.count; n++) changed += Math.abs(functions.flat[n]);
    this.denominator = this.isDiff ? changed : functions.total;
  }

  /** topFunctions lists functions with a non-zero flat value, largest |flat| first (pprof's -top order). */
  topFunctions(limit: number): HotspotList {
    const { top, ranked } = rankedByFlat(this.functions, limit);
    return { rows: top.map((n) => this.functionRow(n)), more: Math.max(0, ranked - limit) };
  }

  /** numbersOf is the full numbers of functions by name (what the first rows leave out). */
  numbersOf(names: readonly string[]): Record<string, Pick<HotspotRow, 'flat' | 'cum' | 'baseFlat' | 'baseCum'>> {
    const out: Record<string, Pick<HotspotRow, 'flat' | 'cum' | 'baseFlat' | 'baseCum'>> = {};
    for (const name of names) out[name] = this.functionNumbers(name);
    return out;
  }

  /** functionRow builds the row of functions-aggregate node `n`, pointing at the line where it allocated most. */
  functionRow(n: number): HotspotRow {
    const f = this.functions;
    const name = f.nodes.name[n];
    const at = this.stacks.mainLine(name, this.sampleType);
    return {
      kind: 'function',
      name,
      file: at?.file ?? '',
      line: at?.line ?? 0,
      value: f.flat[n],
      baseValue: f.baseFlat?.[n],
      share: this.shareOf(f.flat[n]),
      ...this.functionNumbers(name),
    };
  }

  /** linesOf lists the lines of a function that contributed (non-zero cum), largest |cum| first. */
  linesOf(name: string): HotspotRow[] {
    const lines = this.stacks.functionDetail(name, this.sampleType).lines.filter((l) => l.cum !== 0);
    lines.sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || a.line - b.line);
    return lines.map((l) => ({
      kind: 'line',
      name,
      file: l.file,
      line: l.line,
      value: l.cum,
      baseValue: this.isDiff ? l.baseCum : undefined,
      share: this.shareOf(l.cum),
      flat: l.flat,
      cum: l.cum,
      baseFlat: this.isDiff ? l.baseFlat : undefined,
      baseCum: this.isDiff ? l.baseCum : undefined,
    }));
  }

  /**
   * callersOf lists the call sites (a line in another function) from which `name` was reached, with
   * the weight that flowed through each call, largest |weight| first. Recursive calls are left out.
   */
  callersOf(name: string): HotspotRow[] {
    const rows: HotspotRow[] = this.stacks.functionDetail(name, this.sampleType).callers
      .filter((c) => c.value !== 0 || c.baseValue !== 0)
      .map((c) => ({
        kind: 'caller',
        name: c.name,
        file: c.file,
        line: c.line,
        value: c.value,
        baseValue: this.isDiff ? c.baseValue : undefined,
        share: this.shareOf(c.value),
        ...this.functionNumbers(c.name),
      }));
    return rows.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.line - b.line));
  }

  private functionNumbers(name: string): Pick<HotspotRow, 'flat' | 'cum' | 'baseFlat' | 'baseCum'> {
    const f = this.functions;
    const n = this.functionNode.get(name);
    if (n === undefined) return { flat: 0, cum: 0 };
    return { flat: f.flat[n], cum: f.cum[n], baseFlat: f.baseFlat?.[n], baseCum: f.baseCum?.[n] };
  }

  private shareOf(value: number): number {
    return this.denominator > 0 ? Math.abs(value) / this.denominator : 0;
  }
}

/**
 * firstHotspots is HotspotIndex.topFunctions from flat alone (a FlatAggregate at functions
 * granularity): the same rows in the same order, without cum. The tree shows these while the full
 * aggregate is computed; a row's tooltip asks for the rest (HotspotIndex.numbersOf).
 */
export function firstHotspots(functions: FlatAggregate, stacks: StackIndex, limit: number): HotspotList {
  const f = functions;
  let changed = 0;
  if (f.isDiff) for (let n = 0; n < f.nodes.count; n++) changed += Math.abs(f.flat[n]);
  const denominator = f.isDiff ? changed : f.total;
  const { top, ranked } = rankedByFlat(f, limit);
  const rows = top.map((n): HotspotRow => {
    const name = f.nodes.name[n];
    const at = stacks.mainLine(name, f.sampleType.type);
    return {
      kind: 'function', name, file: at?.file ?? '', line: at?.line ?? 0,
      value: f.flat[n], baseValue: f.baseFlat?.[n], share: denominator > 0 ? Math.abs(f.flat[n]) / denominator : 0,
      flat: f.flat[n], baseFlat: f.baseFlat?.[n],
    };
  });
  return { rows, more: Math.max(0, ranked - limit) };
}

/**
 * rankedByFlat gives the first `limit` nodes with a non-zero flat value in pprof's -top order
 * (sortedNodes by flat), and how many such nodes there are. Only the nodes whose |flat| reaches
 * the limit-th largest are sorted: the order puts |flat| first, so no node below that value can
 * come before one of them, and the name comparisons of a full sort (41,000 functions on the 61 MB
 * pair, each with its printable name built) are spared.
 */
export function rankedByFlat(agg: Aggregate | FlatAggregate, limit: number): { top: number[]; ranked: number } {
  const flat = agg.flat;
  const count = agg.nodes.count;
  let ranked = 0;
  for (let n = 0; n < count; n++) if (flat[n] !== 0) ranked++;
  let threshold = 0;
  if (ranked > limit && limit > 0) {
    const sizes = new Float64Array(ranked);
    for (let n = 0, k = 0; n < count; n++) if (flat[n] !== 0) sizes[k++] = Math.abs(flat[n]);
    sizes.sort();
    threshold = sizes[ranked - limit];
  }
  const among: number[] = [];
  for (let n = 0; n < count; n++) if (flat[n] !== 0 && Math.abs(flat[n]) >= threshold) among.push(n);
  return { top: sortedNodes(agg, 'flat', among).slice(0, Math.max(0, limit)), ranked };
}
