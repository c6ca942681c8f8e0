import type { Aggregate } from './aggregate';

// pprof's `top` rows: nodes with flat = cum = 0 are dropped (graph.selectNodesForGraph), then sorted
// by FlatNameOrder — |flat| descending, printable name, |cum| descending — or CumNameOrder for -cum;
// then optional trimming by node fraction (|cum| < fraction × total) and node count.

/** TopOptions choose order and trimming; by default nothing is trimmed. */
export interface TopOptions {
  sort?: 'flat' | 'cum';
  /** Keep at most this many rows (pprof -nodecount); 0 or undefined = all. */
  nodeCount?: number;
  /** Drop rows whose |cum| is below this fraction of the total (pprof -nodefraction); default 0. */
  nodeFraction?: number;
}

/** TopRow is one row of a top table: raw numbers, signed when comparing. */
export interface TopRow {
  node: number;
  name: string;
  file: string;
  line: number;
  /** pprof's printable name (what `go tool pprof -top` prints in its last column). */
  label: string;
  flat: number;
  cum: number;
  /** Base values (comparisons only). */
  baseFlat?: number;
  baseCum?: number;
}

/** TopTable is the rows plus what a header needs. */
export interface TopTable {
  rows: TopRow[];
  total: number;
  /** Rows dropped by trimming. */
  dropped: number;
  /** Σ flat of the rows shown (pprof's "Showing nodes accounting for"). */
  shownFlat: number;
}

/** topTable sorts and trims an aggregate into rows exactly as `go tool pprof -top` orders them. */
export function topTable(agg: Aggregate, options: TopOptions = {}): TopTable {
  const order = sortedNodes(agg, options.sort ?? 'flat');
  const cutoff = Math.abs((options.nodeFraction ?? 0) * agg.total);
  let kept = cutoff > 0 ? order.filter((n) => Math.abs(agg.cum[n]) >= cutoff) : order;
  const count = options.nodeCount ?? 0;
  if (count > 0 && kept.length > count) kept = kept.slice(0, count);
  let shownFlat = 0;
  const rows = kept.map((n) => {
    shownFlat += agg.flat[n];
    return toRow(agg, n);
  });
  return { rows, total: agg.total, dropped: order.length - kept.length, shownFlat };
}

/**
 * sortedNodes returns the non-empty nodes in pprof's order: |sort value|, then the printable name,
 * then the other value. Without cum (a flat-only aggregate, sorted by flat) the nodes with a
 * non-zero flat come in the same order wherever names are unique per node (functions granularity).
 * With `among`, only those nodes are sorted (in place), e.g. the candidates for a top-k.
 */
export function sortedNodes(agg: Aggregate, sort: 'flat' | 'cum', among?: number[]): number[];
export function sortedNodes(agg: Pick<Aggregate, 'flat' | 'nodes'>, sort: 'flat', among?: number[]): number[];
export function sortedNodes(agg: Pick<Aggregate, 'flat' | 'nodes'> & { cum?: Float64Array }, sort: 'flat' | 'cum', among?: number[]): number[] {
  const { flat, cum, nodes } = agg;
  // The overloads let only a full aggregate be sorted by cum.
  const primary = sort === 'flat' || !cum ? flat : cum;
  const secondary = sort === 'flat' ? cum : flat;
  const live: number[] = among ?? [];
  if (!among) for (let n = 0; n < nodes.count; n++) if (flat[n] !== 0 || (cum !== undefined && cum[n] !== 0)) live.push(n);
  const label = new Map<number, string>();
  for (const n of live) label.set(n, nodes.printableName(n));
  live.sort((a, b) => {
    const pa = Math.abs(primary[a]);
    const pb = Math.abs(primary[b]);
    if (pa !== pb) return pb - pa;
    const la = label.get(a)!;
    const lb = label.get(b)!;
    if (la !== lb) return la < lb ? -1 : 1;
    if (secondary) {
      const sa = Math.abs(secondary[a]);
      const sb = Math.abs(secondary[b]);
      if (sa !== sb) return sb - sa;
    }
    return a - b;
  });
  return live;
}

/** toRow builds the row for node `n`. */
export function toRow(agg: Aggregate, n: number): TopRow {
  const row: TopRow = {
    node: n,
    name: agg.nodes.name[n],
    file: agg.nodes.file[n],
    line: agg.nodes.line[n],
    label: agg.nodes.printableName(n),
    flat: agg.flat[n],
    cum: agg.cum[n],
  };
  if (agg.baseFlat && agg.baseCum) {
    row.baseFlat = agg.baseFlat[n];
    row.baseCum = agg.baseCum[n];
  }
  return row;
}
