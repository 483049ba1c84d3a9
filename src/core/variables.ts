/**
 * A protocol's abstraction to its spec variables, as a table: for each spec variable, the part
 * of the TypeScript state it is read from and that part's spec value (core/spec-value.ts).
 * The trace encoder (src/trace/encoder.ts), the abstract state used by tests and the
 * validator's schemas are all derived from the table.
 *
 * Three shapes cover the specs here:
 * - `perProcess`: a function over process ids, e.g. currentTerm[i], read from each process;
 * - `whole`: one value of the whole state, e.g. the message bag;
 * - `gathered`: one set made of every process's elements, e.g. the commanders each leader
 *   runs, which the spec holds in one set.
 */
import { type ItfValue, itfMap, itfSet } from "./itf.js";
import { S, type Schema } from "./schema.js";
import { type EntryChange, mapJson, type SpecValue } from "./spec-value.js";

export interface Variable<St> {
  readonly name: string;
  readonly schema: Schema;
  /**
   * The processes whose parts the value is read from, by id; undefined for a variable read
   * from the whole state.
   */
  readonly processes: ((s: St) => ReadonlyMap<string, unknown>) | undefined;
  /** The part of a process (or of the whole state) the value is read from. */
  readonly part: (p: unknown) => unknown;
  /** A part's share of the value's canonical JSON; see `assemble`. */
  readonly partJson: (id: string, part: unknown) => string;
  /** partJson(id, part), given the share of the part `prev` it replaced. */
  readonly partJsonFrom: (id: string, prev: unknown, prevJson: string, part: unknown) => string;
  /** The value's canonical JSON from its parts' shares, given in `processes` order. */
  readonly assemble: (ids: ReadonlyArray<string>, shares: ReadonlyArray<string>) => string;
  /** The spec value as ITF. */
  readonly itf: (s: St) => ItfValue;
  /** For a variable read from the whole state: its value's entryChanges, if it has them. */
  readonly entryChanges?: (prev: unknown, part: unknown) => ReadonlyArray<EntryChange>;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A part's share is its value's JSON. */
const shareOf = <X>(value: SpecValue<X>) => ({
  partJson: (_id: string, x: unknown) => value.json(x as X),
  partJsonFrom: (_id: string, prev: unknown, prevJson: string, x: unknown) =>
    value.jsonFrom === undefined ? value.json(x as X) : value.jsonFrom(prev as X, prevJson, x as X),
});

/** `name`[id] is `value` of `part(p)` for each process p of `processes(s)`, keyed by its id. */
export function perProcess<St, P, X>(
  name: string,
  processes: (s: St) => ReadonlyMap<string, P>,
  part: (p: P) => X,
  value: SpecValue<X>,
): Variable<St> {
  return {
    name,
    schema: S.fun(S.str, value.schema),
    processes,
    part: part as (p: unknown) => unknown,
    ...shareOf(value),
    assemble: (ids, shares) =>
      mapJson(ids.map((id, k) => [JSON.stringify(id), shares[k] as string] as const)),
    itf: (s) => itfMap([...processes(s)].map(([id, p]) => [id, value.itf(part(p))] as const)),
  };
}

/** `name` is `value` of `part(s)`. */
export function whole<St, X>(name: string, part: (s: St) => X, value: SpecValue<X>): Variable<St> {
  return {
    name,
    schema: value.schema,
    processes: undefined,
    part: part as (p: unknown) => unknown,
    ...shareOf(value),
    assemble: (_ids, shares) => shares[0] as string,
    itf: (s) => value.itf(part(s)),
    ...(value.entryChanges === undefined
      ? {}
      : {
          entryChanges: (prev: unknown, x: unknown) =>
            (value.entryChanges as NonNullable<typeof value.entryChanges>)(prev as X, x as X),
        }),
  };
}

/**
 * `name` is the set of every process's elements: `items(id, part(p))` for each process p of
 * `processes(s)`, each element a `value`.
 */
export function gathered<St, P, X, Y>(
  name: string,
  processes: (s: St) => ReadonlyMap<string, P>,
  part: (p: P) => X,
  items: (id: string, x: X) => ReadonlyArray<Y>,
  value: SpecValue<Y>,
): Variable<St> {
  // A part's share is its elements' JSON, one per line (canonical JSON holds no newline).
  const share = (id: string, x: unknown) =>
    items(id, x as X)
      .map((y) => value.json(y))
      .join("\n");
  return {
    name,
    schema: S.set(value.schema),
    processes,
    part: part as (p: unknown) => unknown,
    partJson: share,
    partJsonFrom: (id, _prev, _prevJson, x) => share(id, x),
    assemble: (_ids, shares) => {
      const elems = shares.flatMap((s) => (s === "" ? [] : s.split("\n")));
      return `{"#set":[${[...new Set(elems)].sort(byString).join(",")}]}`;
    },
    itf: (s) =>
      itfSet([...processes(s)].flatMap(([id, p]) => items(id, part(p)).map((y) => value.itf(y)))),
  };
}

/** The spec variables of a state, as ITF values, in the table's order. */
export const abstractState = <St>(
  table: ReadonlyArray<Variable<St>>,
  s: St,
): Readonly<Record<string, ItfValue>> => Object.fromEntries(table.map((v) => [v.name, v.itf(s)]));

/**
 * An action table: for each action of the union A (by `name`), its parameters — the action's
 * other fields — each with its spec value, named and ordered as the spec operator takes them.
 * Typed against A, so the table and the TS union cannot list different actions.
 */
export type ActionParams<A extends { readonly name: string }> = {
  readonly [K in A["name"]]: {
    readonly [P in Exclude<keyof Extract<A, { readonly name: K }>, "name">]: SpecValue<
      Extract<A, { readonly name: K }>[P]
    >;
  };
};
