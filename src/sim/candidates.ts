/** The actions enabled at a tick, with their weights, in reused typed arrays: no allocation per step. */
import type { Prng } from "../core/prng.js";

export class Candidates {
  kind = new Uint8Array(64);
  a = new Int32Array(64);
  b = new Int32Array(64);
  weight = new Float64Array(64);
  count = 0;

  clear(): void {
    this.count = 0;
  }

  /** A candidate of some kind with two small integer arguments; weight 0 means disabled. */
  add(kind: number, a: number, b: number, w: number): void {
    if (w <= 0) return;
    if (this.count === this.kind.length) this.grow();
    const c = this.count++;
    this.kind[c] = kind;
    this.a[c] = a;
    this.b[c] = b;
    this.weight[c] = w;
  }

  /** The index of a candidate drawn in proportion to its weight, -1 when there is none. */
  pick(rng: Prng): number {
    return rng.weighted(this.weight, this.count);
  }

  private grow(): void {
    const twice = <T extends Uint8Array | Int32Array | Float64Array>(x: T): T => {
      const y = new (x.constructor as new (n: number) => T)(x.length * 2);
      y.set(x);
      return y;
    };
    this.kind = twice(this.kind);
    this.a = twice(this.a);
    this.b = twice(this.b);
    this.weight = twice(this.weight);
  }
}
