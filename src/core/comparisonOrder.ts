// Which of two profiles is the base: the one taken first. Pure, unit-tested.

/** ComparisonOrder is a decided base/new pair and why it was decided that way. */
export interface ComparisonOrder<T> {
  base: T;
  target: T;
  /** 'time': both profiles carry a time and the earlier one is the base; 'selection': first selected is the base; 'given': the caller named base and target. */
  reason: 'time' | 'selection' | 'given';
}

/**
 * orderComparison makes the profile with the earlier time the base. Legacy text profiles (and some
 * tools) write no time (0); then, or when both times are equal, the first selected file is the base.
 * `given`: the caller named them (heaplens.compare's base, target arguments), so `first` is the base.
 */
export function orderComparison<T>(first: T, second: T, timeNanos: (p: T) => number, given = false): ComparisonOrder<T> {
  if (given) return { base: first, target: second, reason: 'given' };
  const a = timeNanos(first);
  const b = timeNanos(second);
  if (a > 0 && b > 0 && a !== b) {
    return a < b ? { base: first, target: second, reason: 'time' } : { base: second, target: first, reason: 'time' };
  }
  return { base: first, target: second, reason: 'selection' };
}
