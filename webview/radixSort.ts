// A stable least-significant-digit radix sort of row indexes by a float64 key: four passes over
// 16-bit digits of the key's order-preserving bit pattern. For 100k rows it takes a few
// milliseconds where a comparator sort takes 50–100 ms, which is what keeps re-sorting the top
// table under the 100 ms budget. Stable: rows with equal keys keep the order they came in
// (the panel feeds them in name order, so ties read like pprof's).


/**
 * sortByKey returns `rows` reordered by keys[row], ascending (or descending), stable. -0 sorts as 0;
 * ±Infinity sort at the ends; keys must not be NaN.
 */
export function sortByKey(keys: Float64Array, rows: Uint32Array, descending: boolean): Uint32Array {
  const n = rows.length;
  if (n < 2) return rows.slice();
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  for (let k = 0; k < n; k++) {
    f[0] = (descending ? -keys[rows[k]] : keys[rows[k]]) + 0; // + 0 turns -0 into 0
    let l = u[0];
    let h = u[1];
    // IEEE 754 → unsigned order: flip every bit of negatives, only the sign bit of positives.
    if (h & 0x80000000) { h = ~h >>> 0; l = ~l >>> 0; } else { h = (h | 0x80000000) >>> 0; }
    lo[k] = l;
    hi[k] = h;
  }
  let src = rows.slice();
  let srcLo = lo;
  let srcHi = hi;
  let dst = new Uint32Array(n);
  let dstLo = new Uint32Array(n);
  let dstHi = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? srcLo : srcHi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    let same = true;
    const first = (words[0] >>> shift) & 0xffff;
    for (let k = 0; k < n; k++) {
      const d = (words[k] >>> shift) & 0xffff;
      count[d]++;
      if (d !== first) same = false;
    }
    if (same) continue; // every key has this digit: nothing to reorder
    let sum = 0;
    for (let d = 0; d < 65536; d++) { const c = count[d]; count[d] = sum; sum += c; }
    for (let k = 0; k < n; k++) {
      const at = count[(words[k] >>> shift) & 0xffff]++;
      dst[at] = src[k];
      dstLo[at] = srcLo[k];
      dstHi[at] = srcHi[k];
    }
    [src, dst] = [dst, src];
    [srcLo, dstLo] = [dstLo, srcLo];
    [srcHi, dstHi] = [dstHi, srcHi];
  }
  return src;
}

