/**
 * Exhaustive ts-pattern matches on hot paths. A ts-pattern match costs about a microsecond
 * here (every `.with` allocates), as much as a whole simulated step, so a hot match is run
 * once per tag rather than once per value: `byTag(tagOf, choose)` calls `choose` — an
 * exhaustive match whose patterns look at the tag only — for the first value of each tag, and
 * reuses the handler it returned for every later value with that tag.
 *
 * The handlers are written with `narrowed(witness, f)`: `witness` is the value ts-pattern
 * narrowed for that branch, so `f`'s parameter has the branch's member type by inference (it
 * cannot be annotated wrongly); the handler is then usable on the whole union, which is sound
 * because byTag applies it only to values with the same tag.
 */
export function byTag<U, T, H>(tagOf: (u: U) => T, choose: (u: U) => H): (u: U) => H {
  const cache = new Map<T, H>();
  return (u) => {
    const t = tagOf(u);
    let h = cache.get(t);
    if (h === undefined) {
      h = choose(u);
      cache.set(t, h);
    }
    return h;
  };
}

/** The handler `f` of a branch whose value ts-pattern narrowed to `witness`'s type (see above). */
export const narrowed =
  <U>() =>
  <V extends U, Args extends unknown[], R>(
    _witness: V,
    f: (v: V, ...args: Args) => R,
  ): ((v: U, ...args: Args) => R) =>
    f as (v: U, ...args: Args) => R;
