/** Persistent updates of the small maps the protocols keep (a few servers' entries). */

/**
 * A copy of `m` with `k` set to `v` (same key order as `new Map(m).set(k, v)`). Copied entry by
 * entry: `new Map(m)` takes the generic iterable path, about twice as slow for maps this small,
 * and the simulator copies one on most steps.
 */
export function mapWith<K, V>(m: ReadonlyMap<K, V>, k: K, v: V): ReadonlyMap<K, V> {
  const next = new Map<K, V>();
  for (const [key, value] of m) next.set(key, value);
  return next.set(k, v);
}
