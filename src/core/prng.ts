/**
 * A tiny seeded PRNG (mulberry32): deterministic across platforms, so a seed names a run. It is
 * stateful on purpose — only drivers (the simulator) use it, never the pure protocol cores.
 */
export class Prng {
  private s: number;

  constructor(seed: number) {
    // Mix the seed once so that nearby seeds do not start with correlated outputs.
    this.s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniform element of a non-empty array. */
  pick<T>(xs: ReadonlyArray<T>): T {
    const x = xs[this.int(xs.length)];
    if (x === undefined) throw new RangeError("Prng.pick: empty array");
    return x;
  }

  /** An index drawn with probability proportional to weights[k] (first `n` used); -1 if all 0. */
  weighted(weights: ArrayLike<number>, n: number = weights.length): number {
    let total = 0;
    for (let k = 0; k < n; k++) total += weights[k] ?? 0;
    if (total <= 0) return -1;
    let r = this.next() * total;
    for (let k = 0; k < n; k++) {
      r -= weights[k] ?? 0;
      if (r < 0) return k;
    }
    // Rounding can leave r at 0 after the last positive weight.
    for (let k = n - 1; k >= 0; k--) if ((weights[k] ?? 0) > 0) return k;
    return -1;
  }
}
