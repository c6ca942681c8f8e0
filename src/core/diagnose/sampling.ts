// How much of a heap delta could be sampling noise.
//
// Go records an allocation of `a` bytes in the heap profile with probability p = 1 − exp(−a/R),
// R = MemProfileRate (the profile's `period`, 512 KiB by default), and writes each record's count
// and bytes scaled by 1/p, truncated to integers (runtime/pprof scaleHeapSample). So a record whose
// scaled count is C stands for k = C·p allocations that were really sampled. Sampled allocations
// are (nearly) Poisson, so an estimate V built from k of them has variance V²·(1 − p)/k: small
// objects (p ≪ 1) are as noisy as 1/√k, objects much larger than R (p ≈ 1) are exact.
//
// A site's delta is new − base; its variance is the sum of both sides' (sampling of the two
// profiles is treated as independent, which is exact for two processes and conservative for two
// snapshots of one process, whose common samples cancel exactly).

/** SIGNIFICANCE_Z is how many standard deviations a delta must reach to be reported as real. */
export const SIGNIFICANCE_Z = 2;

/** samplingProbability is the chance that one allocation of `avgSize` bytes is recorded at `rate`. */
export function samplingProbability(avgSize: number, rate: number): number {
  if (!(rate > 1) || !(avgSize > 0)) return 1; // unsampled profile (heapprofile, MemProfileRate=1)
  return -Math.expm1(-avgSize / rate);
}

/** recordVariance is the sampling variance of one record's value `value` whose scaled object count is `count`. */
export function recordVariance(value: number, count: number, avgSize: number, rate: number): number {
  if (value === 0) return 0;
  const p = samplingProbability(avgSize, rate);
  if (p >= 1) return 0;
  // k = count·p sampled allocations; a record too small to count (count truncated to 0) is one sample.
  const k = Math.max(count * p, 1);
  return (value * value * (1 - p)) / k;
}

/** rawObjectSize recovers a record's true average object size from its scaled (count, bytes) and the rate. */
export function rawObjectSize(count: number, bytes: number, rate: number): number {
  if (count <= 0 || bytes <= 0) return 0;
  const naive = bytes / count;
  // Truncating the scaled count costs at most 1/count of accuracy: only tiny counts need solving
  // (and they matter: single large objects are what the map-growth signature reads).
  if (!(rate > 1) || count > 4) return naive;
  // bytes = n·a/p(a) and count = trunc(n/p(a)) for n sampled allocations of size a: try small n.
  for (let n = 1; n <= count; n++) {
    if (bytes / n <= rate) break; // a/p(a) > rate for every size: no solution with more samples
    const a = solveScaledSize(bytes / n, rate);
    if (Math.trunc(n / samplingProbability(a, rate) + 1e-9) === count) return Math.ceil(a - 1e-6); // Go truncates bytes, so the true size is just above
  }
  return naive;
}

/** solveScaledSize finds a with a/p(a) = target (a/p(a) grows from R to ∞ as a does). */
function solveScaledSize(target: number, rate: number): number {
  if (target <= rate) return 0;
  let lo = 0;
  let hi = target;
  for (let i = 0; i < 48; i++) {
    const mid = (lo + hi) / 2;
    if (mid / samplingProbability(mid, rate) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** zScore is |delta| in standard deviations of its sampling noise (Infinity when the delta is exact). */
export function zScore(delta: number, variance: number): number {
  if (delta === 0) return 0;
  return variance > 0 ? Math.abs(delta) / Math.sqrt(variance) : Infinity;
}
