/**
 * TLA+ values as data: the value kinds a trace carries (integers, booleans, strings, sets,
 * sequences, records, functions), their ITF JSON encoding (traces/FORMAT.md, the Informal Trace
 * Format of Apalache/Quint), a canonical order, and printing as TLA+ text for the generated
 * trace modules.
 *
 * Values are built only through the constructors below, which keep them canonical: set elements
 * sorted and unique, record fields and function keys sorted. Two values are equal iff their
 * canonical forms are, so `equals` and `compare` are plain structural walks.
 */
import { isLeft } from "fp-ts/lib/Either.js";
import * as t from "io-ts";

export type Value =
  | { readonly kind: "int"; readonly value: bigint }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "set"; readonly elems: readonly Value[] }
  | { readonly kind: "seq"; readonly elems: readonly Value[] }
  | { readonly kind: "rec"; readonly fields: readonly (readonly [string, Value])[] }
  | { readonly kind: "fun"; readonly pairs: readonly (readonly [Value, Value])[] };

export type Kind = Value["kind"];

// ---------------------------------------------------------------------------------------------
// Order and equality

const KIND_ORDER: Record<Kind, number> = {
  bool: 0,
  int: 1,
  str: 2,
  set: 3,
  seq: 4,
  rec: 5,
  fun: 6,
};

const cmpPrim = <T extends bigint | string | boolean>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

function cmpList<T>(a: readonly T[], b: readonly T[], cmp: (x: T, y: T) => number): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const c = cmp(a[k] as T, b[k] as T);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * A total order on canonical values: by kind, then integers numerically, strings by code unit,
 * collections lexicographically. TLA+ itself orders nothing; this order only makes printing and
 * encoding deterministic.
 */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  switch (a.kind) {
    case "int":
    case "bool":
    case "str":
      return cmpPrim(a.value, (b as typeof a).value);
    case "set":
    case "seq":
      return cmpList(a.elems, (b as typeof a).elems, compare);
    case "rec":
      return cmpList(a.fields, (b as typeof a).fields, ([ka, va], [kb, vb]) =>
        ka !== kb ? cmpPrim(ka, kb) : compare(va, vb),
      );
    case "fun":
      return cmpList(a.pairs, (b as typeof a).pairs, ([ka, va], [kb, vb]) => {
        const c = compare(ka, kb);
        return c !== 0 ? c : compare(va, vb);
      });
  }
}

export const equals = (a: Value, b: Value): boolean => compare(a, b) === 0;

// ---------------------------------------------------------------------------------------------
// Constructors (canonicalising)

export const int = (n: number | bigint): Value => ({ kind: "int", value: BigInt(n) });
export const bool = (b: boolean): Value => ({ kind: "bool", value: b });
export const str = (s: string): Value => ({ kind: "str", value: s });
export const seq = (elems: readonly Value[]): Value => ({ kind: "seq", elems });

export function set(elems: readonly Value[]): Value {
  const sorted = [...elems].sort(compare);
  const unique = sorted.filter((x, k) => k === 0 || compare(sorted[k - 1] as Value, x) !== 0);
  return { kind: "set", elems: unique };
}

/** A record; throws on a repeated field name. */
export function rec(fields: Iterable<readonly [string, Value]> | Record<string, Value>): Value {
  const list = Symbol.iterator in fields ? [...fields] : Object.entries(fields);
  list.sort(([a], [b]) => cmpPrim(a, b));
  list.forEach(([k], i) => {
    if (i > 0 && list[i - 1]?.[0] === k) throw new Error(`record field ${k} given twice`);
  });
  return { kind: "rec", fields: list };
}

/** A function from its (key, value) pairs; throws when one key maps to two different values. */
export function fun(pairs: readonly (readonly [Value, Value])[]): Value {
  const sorted = [...pairs].sort(([a], [b]) => compare(a, b));
  const out: (readonly [Value, Value])[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && equals(last[0], p[0])) {
      if (!equals(last[1], p[1]))
        throw new Error(`function maps ${printTla(p[0])} to two different values`);
      continue;
    }
    out.push(p);
  }
  return { kind: "fun", pairs: out };
}

// ---------------------------------------------------------------------------------------------
// Access

/** Field of a record, or value of a function at a string key. */
export function field(v: Value, name: string): Value | undefined {
  if (v.kind === "rec") return v.fields.find(([k]) => k === name)?.[1];
  if (v.kind === "fun") return apply(v, str(name));
  return undefined;
}

/** f[k] for functions, records (string keys) and sequences (1-based integer keys). */
export function apply(v: Value, k: Value): Value | undefined {
  switch (v.kind) {
    case "fun": {
      // Binary search: pairs are sorted by key.
      let lo = 0;
      let hi = v.pairs.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const [key, val] = v.pairs[mid] as readonly [Value, Value];
        const c = compare(key, k);
        if (c === 0) return val;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    }
    case "rec":
      return k.kind === "str" ? field(v, k.value) : undefined;
    case "seq":
      return k.kind === "int" && k.value >= 1n && k.value <= BigInt(v.elems.length)
        ? v.elems[Number(k.value) - 1]
        : undefined;
    default:
      return undefined;
  }
}

/** A string or integer value as a plain JS value, for messages. */
export const asString = (v: Value | undefined): string | undefined =>
  v?.kind === "str" ? v.value : undefined;

// ---------------------------------------------------------------------------------------------
// TLA+ text

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words that cannot be record field names in TLA+ (keywords and built-ins TLC reserves). */
const RESERVED = new Set(
  (
    "ASSUME ASSUMPTION AXIOM BOOLEAN CASE CHOOSE CONSTANT CONSTANTS DOMAIN ELSE ENABLED EXCEPT " +
    "EXTENDS IF IN INSTANCE LET LOCAL MODULE OTHER SF_ STRING SUBSET THEN THEOREM UNCHANGED UNION " +
    "VARIABLE VARIABLES WF_ WITH TRUE FALSE LAMBDA"
  ).split(" "),
);

/** Whether `name` can be written as a record field, `[name |-> …]`. */
export const isFieldName = (name: string): boolean =>
  IDENT.test(name) && !RESERVED.has(name) && !/^[0-9_]+$/.test(name);

/** A TLA+ string literal. */
export function tlaString(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\f") out += "\\f";
    else out += ch;
  }
  return `${out}"`;
}

/** The empty function, which TLA+ has no literal for. */
export const EMPTY_FUNCTION = "[x \\in {} |-> 0]";

/**
 * TLA+ text of a value: sets `{…}`, sequences `<<…>>`, records `[a |-> 1]`, functions
 * `(k1 :> v1 @@ k2 :> v2)` (operators of the standard module TLC), the empty function
 * `[x \in {} |-> 0]`, strings quoted. Negative integers are written `(0 - n)` so that modules
 * extending only Naturals can read them. A record whose field names are not identifiers is
 * written as a function of strings, which TLA+ considers the same value.
 */
export function printTla(v: Value): string {
  switch (v.kind) {
    case "int":
      return v.value < 0n ? `(0 - ${-v.value})` : String(v.value);
    case "bool":
      return v.value ? "TRUE" : "FALSE";
    case "str":
      return tlaString(v.value);
    case "set":
      return `{${v.elems.map(printTla).join(", ")}}`;
    case "seq":
      return `<<${v.elems.map(printTla).join(", ")}>>`;
    case "rec":
      if (v.fields.length === 0) return EMPTY_FUNCTION;
      if (!v.fields.every(([k]) => isFieldName(k)))
        return printTla(fun(v.fields.map(([k, x]) => [str(k), x] as const)));
      return `[${v.fields.map(([k, x]) => `${k} |-> ${printTla(x)}`).join(", ")}]`;
    case "fun":
      if (v.pairs.length === 0) return EMPTY_FUNCTION;
      return `(${v.pairs.map(([k, x]) => `${printTla(k)} :> ${printTla(x)}`).join(" @@ ")})`;
  }
}

// ---------------------------------------------------------------------------------------------
// ITF JSON

/** The JSON of an ITF value (what JSON.parse gives). */
export type ItfJson =
  | number
  | string
  | boolean
  | ItfJson[]
  | { "#bigint": string }
  | { "#set": ItfJson[] }
  | { "#tup": ItfJson[] }
  | { "#map": [ItfJson, ItfJson][] }
  | { [field: string]: ItfJson };

export interface EncodeOptions {
  /** Integers as `{"#bigint":"n"}` (ITF files) instead of JSON numbers (NDJSON traces). */
  bigint?: boolean;
}

/** ITF JSON of a value. Records whose fields start with "#" cannot be written and throw. */
export function toItf(v: Value, opts: EncodeOptions = {}): ItfJson {
  const go = (x: Value): ItfJson => {
    switch (x.kind) {
      case "int":
        if (
          opts.bigint ||
          x.value > BigInt(Number.MAX_SAFE_INTEGER) ||
          x.value < -BigInt(Number.MAX_SAFE_INTEGER)
        )
          return { "#bigint": String(x.value) };
        return Number(x.value);
      case "bool":
        return x.value;
      case "str":
        return x.value;
      case "set":
        return { "#set": x.elems.map(go) };
      case "seq":
        return x.elems.map(go);
      case "rec": {
        const o: Record<string, ItfJson> = {};
        for (const [k, f] of x.fields) {
          if (k.startsWith("#")) throw new Error(`record field ${k} cannot be written as ITF`);
          o[k] = go(f);
        }
        return o;
      }
      case "fun":
        return { "#map": x.pairs.map(([k, f]) => [go(k), go(f)] as [ItfJson, ItfJson]) };
    }
  };
  return go(v);
}

/** Where in a JSON document a decoding problem is, e.g. `state.log.#map[0][1]`. */
export interface ItfProblem {
  path: string;
  message: string;
}

const problem = (at: string, message: string): ItfProblem => ({ path: at || "(value)", message });
const joinPath = (p: string, k: string | number) =>
  typeof k === "number" ? `${p}[${k}]` : p ? `${p}.${k}` : k;

/** The values of a JSON array, or the first problem. */
function itfList(xs: unknown[], at: string): Value[] | ItfProblem {
  const out: Value[] = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const r = fromItf(xs[i], joinPath(at, i));
    if ("path" in r) return r;
    out[i] = r;
  }
  return out;
}

/** Decode ITF JSON; on failure, the path and what is wrong. */
export function fromItf(u: unknown, path = ""): Value | ItfProblem {
  if (typeof u === "number") {
    if (!Number.isSafeInteger(u))
      return problem(path, `${u} is not an integer TLA+ can hold exactly (write {"#bigint":"…"})`);
    return int(u);
  }
  if (typeof u === "string") return str(u);
  if (typeof u === "boolean") return bool(u);
  if (Array.isArray(u)) {
    const r = itfList(u, path);
    return "path" in r ? r : seq(r);
  }
  if (u === null || typeof u !== "object") return problem(path, `null is not a TLA+ value`);
  const o = u as Record<string, unknown>;
  const keys = Object.keys(o);
  const tag = keys.find((k) => k.startsWith("#"));
  if (tag !== undefined) {
    if (keys.length !== 1)
      return problem(
        path,
        `an object with "${tag}" must have no other keys (got ${keys.join(", ")})`,
      );
    const body = o[tag];
    const at = joinPath(path, tag);
    switch (tag) {
      case "#bigint":
        if (typeof body !== "string" || !/^-?\d+$/.test(body))
          return problem(at, `"#bigint" expects a string of digits`);
        return int(BigInt(body));
      case "#set":
      case "#tup": {
        if (!Array.isArray(body)) return problem(at, `"${tag}" expects an array`);
        const r = itfList(body, at);
        if ("path" in r) return r;
        return tag === "#set" ? set(r) : seq(r);
      }
      case "#map": {
        if (!Array.isArray(body))
          return problem(at, `"#map" expects an array of [key, value] pairs`);
        const pairs: [Value, Value][] = [];
        for (let i = 0; i < body.length; i++) {
          const p = body[i] as unknown;
          const here = joinPath(at, i);
          if (!Array.isArray(p) || p.length !== 2)
            return problem(here, `"#map" entries must be [key, value] pairs`);
          const k = fromItf(p[0], joinPath(here, 0));
          if ("path" in k) return k;
          const x = fromItf(p[1], joinPath(here, 1));
          if ("path" in x) return x;
          pairs.push([k, x]);
        }
        try {
          return fun(pairs);
        } catch (e) {
          return problem(at, (e as Error).message);
        }
      }
      case "#unserializable":
        return problem(at, `an "#unserializable" value cannot be checked`);
      default:
        return problem(at, `unknown ITF tag "${tag}" (expected #set, #map, #tup or #bigint)`);
    }
  }
  const fields: [string, Value][] = [];
  for (const k of keys) {
    const r = fromItf(o[k], joinPath(path, k));
    if ("path" in r) return r;
    fields.push([k, r]);
  }
  return rec(fields);
}

/** io-ts codec between ITF JSON and values (encoding writes integers as JSON numbers). */
export const ValueC = new t.Type<Value, ItfJson, unknown>(
  "ItfValue",
  (u): u is Value => typeof u === "object" && u !== null && "kind" in u,
  (u, c) => {
    const r = fromItf(u);
    return "path" in r ? t.failure(u, c, `${r.path}: ${r.message}`) : t.success(r);
  },
  (v) => toItf(v),
);

/** Decode or throw (for data the program itself produced). */
export function mustFromItf(u: unknown): Value {
  const r = ValueC.decode(u);
  if (isLeft(r)) throw new Error(r.left[0]?.message ?? "not an ITF value");
  return r.right;
}
