/** io-ts codecs both protocols' wire and persisted shapes are built from. */
import { isRight } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { idSet } from "./ids.js";

/** Non-negative integers: terms, indexes, rounds. */
export const Nat = new t.Type<number, number, unknown>(
  "Nat",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c),
  (n) => n,
);

const isSortedUnique = (xs: ReadonlyArray<string>): boolean =>
  xs.every((x, k) => k === 0 || (xs[k - 1] as string) < x);

/** A set of ids; decodes any array of ids into the canonical sorted, duplicate-free form. */
export const ServerSet = new t.Type<ReadonlyArray<string>, ReadonlyArray<string>, unknown>(
  "ServerSet",
  (u): u is ReadonlyArray<string> =>
    Array.isArray(u) && u.every((x) => typeof x === "string") && isSortedUnique(u),
  (u, c) => {
    const r = t.readonlyArray(t.string).validate(u, c);
    return isRight(r) ? t.success(idSet(r.right)) : r;
  },
  (xs) => xs,
);

/**
 * `shape` restricted to the values `wellFormed` accepts, as a spec's record type whose fields
 * constrain each other; a value of the right shape that breaks it fails with `message`.
 */
export const refined = <C extends t.Mixed>(
  name: string,
  shape: C,
  wellFormed: (x: t.TypeOf<C>) => boolean,
  message: string,
) =>
  new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    name,
    (u): u is t.TypeOf<C> => shape.is(u) && wellFormed(u),
    (u, c) => {
      const r = shape.validate(u, c);
      if (!isRight(r)) return r;
      return wellFormed(r.right) ? r : t.failure(u, c, message);
    },
    shape.encode,
  );
