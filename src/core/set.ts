/**
 * Finite sets as the specs have them (a leader's proposals, an acceptor's pvalues, a set of
 * votes): immutable arrays kept in canonical order without duplicates, where order and
 * equality are those of the elements' spec values (core/spec-value.ts). Equal sets are then
 * equal arrays, and iterating a set visits its elements in the order the spec prints them.
 */
import type { SpecValue } from "./spec-value.js";

export interface SetOps<T> {
  readonly empty: ReadonlyArray<T>;
  /** The set of the given elements. */
  readonly of: (xs: Iterable<T>) => ReadonlyArray<T>;
  /** x ∈ s. */
  readonly has: (s: ReadonlyArray<T>, x: T) => boolean;
  /** s ∪ {x}. */
  readonly add: (s: ReadonlyArray<T>, x: T) => ReadonlyArray<T>;
  /** s \ {x}. */
  readonly remove: (s: ReadonlyArray<T>, x: T) => ReadonlyArray<T>;
  /** a ∪ b. */
  readonly union: (a: ReadonlyArray<T>, b: ReadonlyArray<T>) => ReadonlyArray<T>;
}

export function setOps<T>(value: SpecValue<T>): SetOps<T> {
  const key = value.json;
  /** Position of x's key, or -(insertion point) - 1. */
  const search = (s: ReadonlyArray<T>, k: string): number => {
    let lo = 0;
    let hi = s.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const km = key(s[mid] as T);
      if (km < k) lo = mid + 1;
      else if (km > k) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  };
  const of = (xs: Iterable<T>): ReadonlyArray<T> => {
    const byKey = new Map<string, T>();
    for (const x of xs) byKey.set(key(x), x);
    return [...byKey.keys()].sort().map((k) => byKey.get(k) as T);
  };
  return {
    empty: [],
    of,
    has: (s, x) => search(s, key(x)) >= 0,
    add(s, x) {
      const k = search(s, key(x));
      return k >= 0 ? s : [...s.slice(0, -k - 1), x, ...s.slice(-k - 1)];
    },
    remove(s, x) {
      const k = search(s, key(x));
      return k < 0 ? s : [...s.slice(0, k), ...s.slice(k + 1)];
    },
    union: (a, b) => (b.length === 0 ? a : a.length === 0 ? b : of([...a, ...b])),
  };
}
