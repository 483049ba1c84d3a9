/**
 * How a protocol's TypeScript values appear in its spec. A `SpecValue<T>` says, for one kind of
 * value (an id, a term, a log entry, a message, a set of them, a function over servers), what
 * the spec's value of an x of type T is (its ITF value, traces/FORMAT.md), the schema of that
 * value, and its canonical JSON. A protocol describes its values once with these combinators;
 * the trace encoder, the validator's schemas, canonical sets and message bags are all derived
 * from that description, so none of them is written by hand per protocol.
 *
 * The canonical JSON (core/itf.ts: keys sorted, set elements and map keys sorted by their own
 * canonical JSON) is also a value's identity and its canonical order: two values are equal iff
 * their canonical JSON is, and sets are kept in that order. Protocol values are immutable, so
 * the JSON of a record (an entry, a message: shared by logs, bags and traces) is memoised per
 * object here, once, for every user.
 */
import * as O from "fp-ts/lib/Option.js";
import { canonicalJson, type ItfValue, itfMap, itfSet } from "./itf.js";
import { S, type Schema } from "./schema.js";

export interface SpecValue<T> {
  readonly schema: Schema;
  /** The spec's value of x, as ITF. */
  readonly itf: (x: T) => ItfValue;
  /** canonicalJson(itf(x)). */
  readonly json: (x: T) => string;
  /**
   * json(x), given json(prev) of a value x is likely to share much with (e.g. a log that grew
   * by one entry); equal to json(x) in every case.
   */
  readonly jsonFrom?: (prev: T, prevJson: string, x: T) => string;
  /**
   * For a function whose values are scalars: the entries that differ between prev and x, in
   * key order, each its key's JSON and its new value's JSON (undefined: the key is gone). Lets
   * a trace writer say what changed without comparing the two texts.
   */
  readonly entryChanges?: (prev: T, x: T) => ReadonlyArray<EntryChange>;
}

/** A key of a function that gained, changed or lost its value (`value` undefined). */
export interface EntryChange {
  readonly key: string;
  readonly value: string | undefined;
}

/** The text of a canonical set or sorted map: unique entries in code-unit order. */
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** json(x) memoised per object x (the memo lives as long as x). */
function memoised<T extends object>(print: (x: T) => string): (x: T) => string {
  const memo = new WeakMap<T, string>();
  return (x) => {
    let s = memo.get(x);
    if (s === undefined) {
      s = print(x);
      memo.set(x, s);
    }
    return s;
  };
}

const scalar = <T extends number | string | boolean>(schema: Schema): SpecValue<T> => ({
  schema,
  itf: (x) => x,
  json: (x) => JSON.stringify(x),
});

/** Naturals: terms, indexes, counts. */
export const int: SpecValue<number> = scalar(S.int);
/** Ids and other strings (model values are printed as their names). */
export const str: SpecValue<string> = scalar(S.str);
export const bool: SpecValue<boolean> = scalar(S.bool);
/** A string drawn from a fixed set, e.g. a role. */
export const literal = <L extends string>(): SpecValue<L> => scalar(S.str);

/** `null` as the spec's model value `nil` (e.g. Nil), any other x as `of` has it. */
export const nilOr = <T>(of: SpecValue<T>, nil = "Nil"): SpecValue<T | null> => ({
  schema: of.schema,
  itf: (x) => (x === null ? nil : of.itf(x)),
  json: (x) => (x === null ? JSON.stringify(nil) : of.json(x)),
});

/** An fp-ts Option: None as the model value `nil`. */
export const option = <T>(of: SpecValue<T>, nil = "Nil"): SpecValue<O.Option<T>> => ({
  schema: of.schema,
  itf: (x) => (O.isSome(x) ? of.itf(x.value) : nil),
  json: (x) => (O.isSome(x) ? of.json(x.value) : JSON.stringify(nil)),
});

/** A finite set, kept as an array (duplicates and order do not matter). */
export const set = <T>(of: SpecValue<T>): SpecValue<ReadonlyArray<T>> => ({
  schema: S.set(of.schema),
  itf: (xs) => itfSet(xs.map(of.itf)),
  json: (xs) => `{"#set":[${[...new Set(xs.map(of.json))].sort(byString).join(",")}]}`,
});

/** A sequence. */
export const seq = <T>(of: SpecValue<T>): SpecValue<ReadonlyArray<T>> => {
  const json = (xs: ReadonlyArray<T>) => `[${xs.map(of.json).join(",")}]`;
  return {
    schema: S.seq(of.schema),
    itf: (xs) => xs.map(of.itf),
    json,
    // A sequence that extends prev (the same elements, then more) extends its text.
    jsonFrom(prev, prevJson, xs) {
      if (prev.length === 0 || xs.length <= prev.length) return json(xs);
      for (let k = prev.length - 1; k >= 0; k--) if (xs[k] !== prev[k]) return json(xs);
      let s = prevJson.slice(0, -1);
      for (let k = prev.length; k < xs.length; k++) s += `,${of.json(xs[k] as T)}`;
      return `${s}]`;
    },
  };
};

type Fields<T> = { readonly [K in keyof T]: SpecValue<T[K]> };

/** A record whose spec fields are the object's own fields of the same names. */
export function record<T extends object>(fields: Fields<T>): SpecValue<T> {
  const names = (Object.keys(fields) as (keyof T & string)[]).sort(byString);
  const keys = names.map((n, k) => `${k === 0 ? "{" : ","}${JSON.stringify(n)}:`);
  const field = (n: keyof T & string) => fields[n] as SpecValue<T[keyof T]>;
  return {
    schema: S.rec(Object.fromEntries(names.map((n) => [n, field(n).schema]))),
    itf: (x) => Object.fromEntries(names.map((n) => [n, field(n).itf(x[n])])),
    json: memoised((x) => {
      let s = "";
      for (let k = 0; k < names.length; k++) {
        const n = names[k] as keyof T & string;
        s += `${keys[k] as string}${field(n).json(x[n])}`;
      }
      return `${s}}`;
    }),
  };
}

/**
 * A union of records told apart by the string field `tag` (e.g. a message's mtype): each case
 * is the record of that variant.
 */
export function tagged<T extends object, K extends keyof T & string>(
  tag: K,
  cases: { readonly [C in T[K] & string]: SpecValue<Extract<T, Record<K, C>>> },
): SpecValue<T> {
  const all = Object.values(cases) as SpecValue<T>[];
  const caseOf = (x: T) => cases[x[tag] as T[K] & string] as unknown as SpecValue<T>;
  return {
    schema: S.oneOf(...all.map((c) => c.schema)),
    itf: (x) => caseOf(x).itf(x),
    json: (x) => caseOf(x).json(x),
  };
}

/** A function with a finite domain, kept as a map. */
export const fn = <K, V>(key: SpecValue<K>, val: SpecValue<V>): SpecValue<ReadonlyMap<K, V>> => ({
  schema: S.fun(key.schema, val.schema),
  itf: (m) => itfMap([...m].map(([k, v]) => [key.itf(k), val.itf(v)] as const)),
  json: (m) => mapJson([...m].map(([k, v]) => [key.json(k), val.json(v)] as const)),
});

/** The spec value of f(x): for values whose spec form is computed from the TS form. */
export const via = <T, U>(f: (x: T) => U, of: SpecValue<U>): SpecValue<T> => ({
  schema: of.schema,
  itf: (x) => of.itf(f(x)),
  json: (x) => of.json(f(x)),
});

/** `{"#map":[…]}` from [key JSON, value JSON] pairs, sorted by key. */
export function mapJson(pairs: ReadonlyArray<readonly [string, string]>): string {
  let sorted = true;
  for (let k = 1; k < pairs.length && sorted; k++)
    sorted =
      (pairs[k - 1] as readonly [string, string])[0] < (pairs[k] as readonly [string, string])[0];
  const ordered = sorted ? pairs : [...pairs].sort((a, b) => byString(a[0], b[0]));
  let s = "";
  for (const [k, v] of ordered) s += `${s === "" ? "" : ","}[${k},${v}]`;
  return `{"#map":[${s}]}`;
}

/** x = y as spec values. */
export const equals = <T>(v: SpecValue<T>, x: T, y: T): boolean =>
  x === y || v.json(x) === v.json(y);

/** For tests: the memoised printer agrees with printing the ITF value from scratch. */
export const jsonFromItf = <T>(v: SpecValue<T>, x: T): string => canonicalJson(v.itf(x));
