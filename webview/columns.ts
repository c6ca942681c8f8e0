import type { FlameTree } from '../src/core/flamegraph';
import type { PackedText } from '../src/core/text/packedText';
import { type TopColumns, unpackTopStrings } from '../src/core/topColumns';

// Typed arrays cross VS Code's postMessage intact (they are transferred as buffers), but a
// transport that falls back to JSON turns them into arrays or index-keyed objects. The panel
// normalises what it receives so its index sorts and canvas loops always run on typed arrays.

type TypedArrayConstructor<T> = { new (length: number): T; from(source: ArrayLike<number>): T };

/** toTyped returns `value` as a typed array of the given kind, whatever shape it arrived in. */
export function toTyped<T>(ctor: TypedArrayConstructor<T>, value: unknown): T {
  if (value instanceof (ctor as unknown as typeof Float64Array)) return value as unknown as T;
  if (ArrayBuffer.isView(value)) return ctor.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return ctor.from(value);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, number>);
    const out = new ctor(entries.length) as unknown as Record<number, number>;
    for (const [k, v] of entries) out[Number(k)] = v;
    return out as unknown as T;
  }
  return new ctor(0);
}

/** normalizeTop makes every numeric column of a received TopColumns a typed array. */
export function normalizeTop(received: TopColumns): TopColumns {
  const top = received.packed ? unpackTopStrings({ ...received, packed: { names: normalizePacked(received.packed.names), files: normalizePacked(received.packed.files) } }) : received;
  const out: TopColumns = {
    ...top,
    node: toTyped(Int32Array, top.node),
    nameIndex: toTyped(Uint32Array, top.nameIndex),
    fileIndex: toTyped(Uint32Array, top.fileIndex),
    line: toTyped(Float64Array, top.line),
    flat: toTyped(Float64Array, top.flat),
    cum: toTyped(Float64Array, top.cum),
  };
  if (top.address) out.address = toTyped(Float64Array, top.address);
  if (top.baseFlat) out.baseFlat = toTyped(Float64Array, top.baseFlat);
  if (top.baseCum) out.baseCum = toTyped(Float64Array, top.baseCum);
  return out;
}

function normalizePacked(p: PackedText): PackedText {
  return { bytes: toTyped(Uint8Array, p.bytes), ends: toTyped(Uint32Array, p.ends) };
}

/** normalizeTree makes every column of a received FlameTree a typed array. */
export function normalizeTree(tree: FlameTree): FlameTree {
  return {
    ...tree,
    parent: toTyped(Int32Array, tree.parent),
    node: toTyped(Int32Array, tree.node),
    newCum: toTyped(Float64Array, tree.newCum),
    newSelf: toTyped(Float64Array, tree.newSelf),
    baseCum: toTyped(Float64Array, tree.baseCum),
    baseSelf: toTyped(Float64Array, tree.baseSelf),
    inlined: toTyped(Uint8Array, tree.inlined),
    trimmed: tree.trimmed ? toTyped(Float64Array, tree.trimmed) : new Float64Array(toTyped(Int32Array, tree.parent).length),
    trim: tree.trim ?? { minFraction: 0, zoom: 0, dropped: 0 },
    ...(tree.nodeRank ? { nodeRank: toTyped(Uint32Array, tree.nodeRank) } : {}),
  };
}
