import type { Aggregate } from './aggregate';
import type { NodeTable } from './nodes';
import { type PackedText, packText, unpackText } from './text/packedText';

// The top table as columns for the panel: one entry per node that has a value (pprof drops nodes
// with flat = cum = 0), numbers in typed arrays and strings deduplicated, so a 100k-row comparison
// crosses the webview boundary as a few arrays instead of 100k objects. Rows are in node order;
// the panel sorts them itself (an index sort over these arrays).

/** TopColumns is every live node of an aggregation, column by column. */
export interface TopColumns {
  count: number;
  sampleType: string;
  unit: string;
  granularity: string;
  isDiff: boolean;
  /** pprof's total (Σ|base| when comparing): the denominator of flat% / cum%. */
  total: number;
  newTotal: number;
  baseTotal: number;
  /** The aggregate's node id of each row (what peek and call-graph focus refer to). */
  node: Int32Array;
  /** names[nameIndex[i]] is row i's function name ('' at file granularity). */
  nameIndex: Uint32Array;
  names: string[];
  /** files[fileIndex[i]] is row i's file ('' at function granularity). */
  fileIndex: Uint32Array;
  files: string[];
  line: Float64Array;
  /** Instruction addresses, only at address granularity. */
  address?: Float64Array;
  /** Signed: new − base when comparing. */
  flat: Float64Array;
  cum: Float64Array;
  /** The base's own values (comparisons only). */
  baseFlat?: Float64Array;
  baseCum?: Float64Array;
  /**
   * Each row's position in printable-name order among all nodes (pprof breaks ties by name). Sent
   * so the panel never sorts 100k strings itself; the host computes it once per node table.
   */
  labelRank?: Uint32Array;
  /**
   * In transit from the analysis worker to the panel, `names` and `files` are empty and travel
   * here as buffers (see packedText.ts); the panel restores them (packTopStrings / unpackTopStrings).
   */
  packed?: { names: PackedText; files: PackedText };
}

/** packTopStrings moves a table's names and files into buffers for the trip to the panel. */
export function packTopStrings(top: TopColumns): TopColumns {
  return { ...top, names: [], files: [], packed: { names: packText(top.names), files: packText(top.files) } };
}

/** unpackTopStrings restores names and files that packTopStrings packed (a table without them is returned as is). */
export function unpackTopStrings(top: TopColumns): TopColumns {
  if (!top.packed) return top;
  const { packed, ...rest } = top;
  return { ...rest, names: unpackText(packed.names), files: unpackText(packed.files) };
}

/**
 * NodeStrings is a node table's strings, deduplicated once, and its name ranks. Node ids are the same
 * for every sample type of the same profiles, granularity and filters, so the host builds this once
 * and each view only gathers indexes: switching the sample type then costs no string work at all.
 */
export interface NodeStrings {
  names: string[];
  files: string[];
  /** Per node id. */
  nameIndex: Uint32Array;
  fileIndex: Uint32Array;
  rank: Uint32Array;
}

/** nodeStrings deduplicates a node table's names and files and ranks its nodes by printable name. */
export function nodeStrings(nodes: NodeTable): NodeStrings {
  const names = new StringIndex();
  const files = new StringIndex();
  const nameIndex = new Uint32Array(nodes.count);
  const fileIndex = new Uint32Array(nodes.count);
  for (let n = 0; n < nodes.count; n++) {
    nameIndex[n] = names.add(nodes.name[n]);
    fileIndex[n] = files.add(nodes.file[n]);
  }
  return { names: names.values, files: files.values, nameIndex, fileIndex, rank: nodeLabelRanks(nodes) };
}

/** topColumns extracts the live rows of an aggregate as columns; with `strings` (nodeStrings of its node table) it adds labelRank and skips string work. */
export function topColumns(agg: Aggregate, strings?: NodeStrings): TopColumns {
  const { nodes, flat, cum } = agg;
  let count = 0;
  for (let n = 0; n < nodes.count; n++) if (flat[n] !== 0 || cum[n] !== 0) count++;
  const node = new Int32Array(count);
  const nameIndex = new Uint32Array(count);
  const fileIndex = new Uint32Array(count);
  const line = new Float64Array(count);
  const outFlat = new Float64Array(count);
  const outCum = new Float64Array(count);
  const baseFlat = agg.baseFlat ? new Float64Array(count) : undefined;
  const baseCum = agg.baseCum ? new Float64Array(count) : undefined;
  const address = nodes.granularity === 'addresses' ? new Float64Array(count) : undefined;
  const shared = strings && strings.rank.length === nodes.count ? strings : undefined;
  const labelRank = shared ? new Uint32Array(count) : undefined;
  const names = new StringIndex();
  const files = new StringIndex();
  let i = 0;
  for (let n = 0; n < nodes.count; n++) {
    if (flat[n] === 0 && cum[n] === 0) continue;
    node[i] = n;
    if (shared) {
      nameIndex[i] = shared.nameIndex[n];
      fileIndex[i] = shared.fileIndex[n];
    } else {
      nameIndex[i] = names.add(nodes.name[n]);
      fileIndex[i] = files.add(nodes.file[n]);
    }
    line[i] = nodes.line[n];
    outFlat[i] = flat[n];
    outCum[i] = cum[n];
    if (baseFlat && agg.baseFlat) baseFlat[i] = agg.baseFlat[n];
    if (baseCum && agg.baseCum) baseCum[i] = agg.baseCum[n];
    if (address) address[i] = nodes.address[n];
    if (labelRank && shared) labelRank[i] = shared.rank[n];
    i++;
  }
  const columns: TopColumns = {
    count,
    sampleType: agg.sampleType.type,
    unit: agg.sampleType.unit,
    granularity: nodes.granularity,
    isDiff: agg.isDiff,
    total: agg.total,
    newTotal: agg.newTotal,
    baseTotal: agg.baseTotal,
    node,
    nameIndex,
    names: shared ? shared.names : names.values,
    fileIndex,
    files: shared ? shared.files : files.values,
    line,
    flat: outFlat,
    cum: outCum,
  };
  if (address) columns.address = address;
  if (labelRank) columns.labelRank = labelRank;
  if (baseFlat && baseCum) {
    columns.baseFlat = baseFlat;
    columns.baseCum = baseCum;
  }
  return columns;
}

/**
 * nodeLabelRanks ranks every node of a table by printable name (UTF-16 code-unit order, which is
 * Go's byte order for the names profiles hold). Ids are stable for the same profiles, granularity
 * and filters, so one ranking serves every sample type.
 */
export function nodeLabelRanks(nodes: NodeTable): Uint32Array {
  const labels = new Array<string>(nodes.count);
  for (let n = 0; n < nodes.count; n++) labels[n] = nodes.printableName(n);
  const order = Array.from({ length: nodes.count }, (_, n) => n);
  order.sort((a, b) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : a - b));
  const rank = new Uint32Array(nodes.count);
  order.forEach((n, r) => { rank[n] = r; });
  return rank;
}

/** StringIndex interns strings into a list, returning each one's position. */
export class StringIndex {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  /** add returns the position of `s`, appending it the first time. */
  add(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
