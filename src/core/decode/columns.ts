// Growable typed-array columns for single-pass decoding (amortised doubling).

/** GrowableColumn appends numbers into a typed array, doubling its capacity as needed. */
export class GrowableColumn<T extends Float64Array | Uint32Array | Int32Array> {
  data: T;
  length = 0;
  private readonly make: (n: number) => T;

  constructor(make: (n: number) => T, initial = 1024) {
    this.make = make;
    this.data = make(initial);
  }

  /** push appends one value. */
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  /** grow makes room for at least `n` values. */
  grow(n: number): void {
    if (n <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < n) cap *= 2;
    const next = this.make(cap);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }

  /** finish returns a right-sized view of the values. */
  finish(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/** float64Column makes a growable Float64Array column. */
export const float64Column = (initial?: number) => new GrowableColumn((n) => new Float64Array(n), initial);
/** uint32Column makes a growable Uint32Array column. */
export const uint32Column = (initial?: number) => new GrowableColumn((n) => new Uint32Array(n), initial);
