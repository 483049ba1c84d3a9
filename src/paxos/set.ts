/**
 * Finite sets of records as the spec has them (requests, proposals, decisions, pvalues,
 * commanders): immutable arrays kept sorted by a key (the element's canonical JSON) without
 * duplicates, so equal sets are equal arrays and print in one order.
 */

export type KeyOf<T> = (x: T) => string;

/** Position of `k`, or -(insertion point) - 1. */
function search<T>(xs: ReadonlyArray<T>, key: KeyOf<T>, k: string): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const km = key(xs[mid] as T);
    if (km < k) lo = mid + 1;
    else if (km > k) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** The canonical set of `xs`. */
export const setOf =
  <T>(key: KeyOf<T>) =>
  (xs: Iterable<T>): ReadonlyArray<T> => {
    const byKey = new Map<string, T>();
    for (const x of xs) byKey.set(key(x), x);
    return [...byKey.keys()].sort().map((k) => byKey.get(k) as T);
  };

/** x ∈ s. */
export const member =
  <T>(key: KeyOf<T>) =>
  (s: ReadonlyArray<T>, x: T): boolean =>
    search(s, key, key(x)) >= 0;

/** s ∪ {x}. */
export const insert =
  <T>(key: KeyOf<T>) =>
  (s: ReadonlyArray<T>, x: T): ReadonlyArray<T> => {
    const k = search(s, key, key(x));
    if (k >= 0) return s;
    const out = s.slice();
    out.splice(-k - 1, 0, x);
    return out;
  };

/** s \ {x}. */
export const remove =
  <T>(key: KeyOf<T>) =>
  (s: ReadonlyArray<T>, x: T): ReadonlyArray<T> => {
    const k = search(s, key, key(x));
    if (k < 0) return s;
    const out = s.slice();
    out.splice(k, 1);
    return out;
  };

/** a ∪ b. */
export const union =
  <T>(key: KeyOf<T>) =>
  (a: ReadonlyArray<T>, b: ReadonlyArray<T>): ReadonlyArray<T> =>
    b.length === 0 ? a : a.length === 0 ? b : setOf(key)([...a, ...b]);
