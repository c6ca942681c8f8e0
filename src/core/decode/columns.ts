// Growable typed-array columns for single-pass decoding (amortised doubling, or a caller's plan).

/** CapacityPlan picks a column's next capacity (at least `needed`) from its capacity and length. */
export type CapacityPlan = (needed: number, capacity: number, length: number) => number;

/** GrowableColumn appends numbers into a typed array, doubling its capacity (or following `plan`) as needed. */
export class GrowableColumn<T extends Float64Array | Uint32Array | Int32Array> {
  data: T;
  length = 0;
  private readonly make: (n: number) => T;
  private readonly plan: CapacityPlan | undefined;

  constructor(make: (n: number) => T, initial = 1024, plan?: CapacityPlan) {
    this.make = make;
    this.data = make(initial);
    this.plan = plan;
  }

  /** push appends one value. */
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  /** grow makes room for at least `n` values. */
  grow(n: number): void {
    if (n <= this.data.length) return;
    let cap = Math.max(1, this.data.length * 2);
    while (cap < n) cap *= 2;
    if (this.plan) cap = Math.max(n, this.plan(n, this.data.length, this.length));
    const next = this.make(cap);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }

  /** finish returns a right-sized view of the values. */
  finish(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * ColumnMemory allocates the big columns: the Node loader gives shared memory whose pages another
 * thread faults in ahead of the parser (src/node/pageToucher.ts); plain typed arrays otherwise.
 */
export interface ColumnMemory {
  uint32(n: number): Uint32Array;
  float64(n: number): Float64Array;
}

/** PLAIN_MEMORY allocates ordinary typed arrays. */
export const PLAIN_MEMORY: ColumnMemory = { uint32: (n) => new Uint32Array(n), float64: (n) => new Float64Array(n) };

/** float64Column makes a growable Float64Array column. */
export const float64Column = (initial?: number, plan?: CapacityPlan) => new GrowableColumn((n) => new Float64Array(n), initial, plan);
/** uint32Column makes a growable Uint32Array column. */
export const uint32Column = (initial?: number, plan?: CapacityPlan) => new GrowableColumn((n) => new Uint32Array(n), initial, plan);
