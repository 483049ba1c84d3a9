/**
 * States by fingerprint: a 64-bit hash of a state's canonical JSON (core/spec-value.ts gives
 * every abstract state one text), kept in an open-addressing table of 32-bit halves, so that a
 * state costs about 20 bytes however large its text is.
 *
 * The hash is two 32-bit lanes (MurmurHash3's mixing on each pair of UTF-16 code units, with
 * different seeds, each finished by its avalanche step), read as one 64-bit value. Two distinct
 * states share a fingerprint with probability about 2^-64, so among n states the chance that
 * any two collide is about n^2 / 2^65: 2.7e-8 for a million states, 2.7e-6 for ten million. A
 * collision would merge two states (undercounting by one); graph equality compares the spec's
 * states through the same fingerprints, so it would have to hit both sides alike to hide a
 * difference.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

const fmix = (h0: number): number => {
  let h = h0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** The fingerprint of the last `fingerprint` call: its high and low halves. */
export const fp = { hi: 0, lo: 0 };

/** Hash `s` into `fp` (no allocation). */
export function fingerprint(s: string): void {
  let h1 = 0x9747b28c;
  let h2 = 0x3c6ef372;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    let k = Math.imul(w, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(w ^ 0x5bd1e995, C2);
    j = (j << 17) | (j >>> 15);
    j = Math.imul(j, C1);
    h2 ^= j;
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x7f4a7c15) | 0;
  }
  if (i < n) {
    const w = s.charCodeAt(i);
    h1 ^= Math.imul(w, C1);
    h2 ^= Math.imul(w ^ 0x68e31da4, C2);
  }
  fp.hi = fmix(h1 ^ n);
  fp.lo = fmix(h2 ^ Math.imul(n, 0x27d4eb2d));
}

/** The fingerprint of `s` as 16 hex digits (for reports and tests). */
export function fingerprintHex(s: string): string {
  fingerprint(s);
  return fp.hi.toString(16).padStart(8, "0") + fp.lo.toString(16).padStart(8, "0");
}

/**
 * A set of fingerprints, each given the index of its insertion (0, 1, 2, …): the explorer's
 * state numbers. Grows by doubling; the slots hold index + 1 (0: empty).
 */
export class FingerprintSet {
  private slots: Uint32Array;
  private mask: number;
  private his: Uint32Array;
  private los: Uint32Array;
  size = 0;

  constructor(capacity = 1 << 12) {
    let c = 1 << 4;
    while (c < capacity * 2) c *= 2;
    this.slots = new Uint32Array(c);
    this.mask = c - 1;
    this.his = new Uint32Array(capacity);
    this.los = new Uint32Array(capacity);
  }

  /** The index of the fingerprint now in `fp`, or -1 when it is not in the set. */
  find(): number {
    const { hi, lo } = fp;
    const slots = this.slots;
    for (let s = (lo ^ hi) & this.mask; ; s = (s + 1) & this.mask) {
      const v = slots[s] as number;
      if (v === 0) return -1;
      if (this.his[v - 1] === hi && this.los[v - 1] === lo) return v - 1;
    }
  }

  /** Add the fingerprint now in `fp`: its new index, or -(index + 1) when it was there. */
  add(): number {
    const { hi, lo } = fp;
    const slots = this.slots;
    let s = (lo ^ hi) & this.mask;
    for (; ; s = (s + 1) & this.mask) {
      const v = slots[s] as number;
      if (v === 0) break;
      if (this.his[v - 1] === hi && this.los[v - 1] === lo) return -v;
    }
    const k = this.size++;
    if (k >= this.his.length) {
      this.his = grown(this.his, this.his.length * 2);
      this.los = grown(this.los, this.los.length * 2);
    }
    this.his[k] = hi;
    this.los[k] = lo;
    slots[s] = k + 1;
    if (this.size * 2 > slots.length) this.rehash();
    return k;
  }

  /** Put fingerprint k into `fp`. */
  load(k: number): void {
    fp.hi = this.his[k] as number;
    fp.lo = this.los[k] as number;
  }

  /** Fingerprint k as 16 hex digits. */
  hex(k: number): string {
    return (
      (this.his[k] as number).toString(16).padStart(8, "0") +
      (this.los[k] as number).toString(16).padStart(8, "0")
    );
  }

  /** Bytes held (slots and fingerprints). */
  get bytes(): number {
    return this.slots.byteLength + this.his.byteLength + this.los.byteLength;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.size; k++) {
      let s = ((this.los[k] as number) ^ (this.his[k] as number)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A copy of `a` with room for `n` elements. */
export function grown<T extends Uint32Array | Int32Array | Uint16Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
