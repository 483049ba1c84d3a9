/**
 * Updates (trace format version 3, traces/FORMAT.md): what an event changed in a variable, as a
 * list of operations on its previous value rather than the new value whole, in the manner of the
 * trace operators of Cirstea, Kuppe, Loillier and Merz ("Validating Traces of Distributed
 * Programs Against TLA+ Specifications"):
 *
 *   {"op":"set","path":[k…],"value":v}        the value at path becomes v (a new key of a function
 *                                              is added; path [] is the whole variable)
 *   {"op":"unset","path":[k…,k]}              the function at the path's prefix loses key k
 *   {"op":"add","path":[k…],"elems":[x…]}     the set at path gains the elements
 *   {"op":"remove","path":[k…],"elems":[x…]}  the set at path loses the elements (each present)
 *   {"op":"append","path":[k…],"elems":[x…]}  the sequence at path is extended
 *   {"op":"truncate","path":[k…],"length":n}  the sequence at path keeps its first n elements
 *
 * A path steps into a function by a key (an ITF value), a record by a field name, a sequence by
 * a 1-based index. Both directions are generic, driven by the variable's schema: `diffText`
 * derives the operations from two canonical JSON texts of a value (what the trace encoder
 * prints), `applyUpdates` applies them to a decoded value.
 */
import type { Schema } from "../core/schema.js";
import { compare, fromItf, printTla, type Value } from "./itf.js";
import { arrayElements, objectMembers, skipValue } from "./json-scan.js";
import { checkSchema } from "./schema.js";

export const UPDATE_OPS = ["set", "unset", "add", "remove", "append", "truncate"] as const;
export type UpdateOp = (typeof UPDATE_OPS)[number];

// ---------------------------------------------------------------------------------------------
// Writing: operations from two canonical texts

const pathText = (path: readonly string[]) => `[${path.join(",")}]`;
const setOp = (path: readonly string[], value: string) =>
  `{"op":"set","path":${pathText(path)},"value":${value}}`;

/**
 * The element spans of the array in the one-member object `{"tag":[…]}` that is `text`, or null.
 * Canonical text has no spaces, so the array starts right after `{"tag":`.
 */
function taggedElements(text: string, tag: string): [number, number][] | null {
  const open = `{"${tag}":`;
  if (text.startsWith(open) && text.endsWith("]}")) {
    const spans = arrayElements(text, open.length);
    const last = spans?.at(-1);
    if (spans && (last ? last[1] : open.length + 1) === text.length - 2) return spans;
    if (spans && spans.length === 0 && text === `${open}[]}`) return spans;
  }
  const members = objectMembers(text, 0);
  const span = members?.size === 1 ? members.get(tag) : undefined;
  return span ? arrayElements(text, span[0]) : null;
}

const slices = (text: string, spans: readonly [number, number][]) =>
  spans.map(([a, b]) => text.slice(a, b));

/** Whether texts are in strictly increasing code-unit order (as canonical JSON keeps them). */
const increasing = (xs: readonly string[]) => {
  for (let k = 1; k < xs.length; k++)
    if (!((xs[k - 1] as string) < (xs[k] as string))) return false;
  return true;
};

/** [key, value] texts of a canonical `{"#map":[[k,v],…]}`, or null. */
function mapPairs(text: string): [string, string][] | null {
  const spans = taggedElements(text, "#map");
  if (!spans) return null;
  const out: [string, string][] = [];
  for (const [a, b] of spans) {
    // A canonical pair is `[key,value]`: only the key needs scanning.
    if (text.charCodeAt(a) !== 91) return null;
    const keyEnd = skipValue(text, a + 1);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== 44 || text.charCodeAt(b - 1) !== 93) return null;
    out.push([text.slice(a + 1, keyEnd), text.slice(keyEnd + 1, b - 1)]);
  }
  return increasing(out.map(([k]) => k)) ? out : null;
}

/** The parse of the last text diffed as `b`, reused when it comes back as `a`. */
const lastParse: { text: string; pairs: [string, string][] | null } = { text: "", pairs: null };

function mapPairsCached(text: string): [string, string][] | null {
  if (lastParse.text === text && lastParse.pairs) return lastParse.pairs;
  return mapPairs(text);
}

/** Operations for the change from `a` to `b` at `path`; false when the texts do not split. */
function diffMap(
  s: Extract<Schema, { t: "fun" }>,
  a: string,
  b: string,
  path: string[],
  ops: string[],
): boolean {
  const pa = mapPairsCached(a);
  const pb = mapPairs(b);
  if (!pa || !pb) return false;
  if (b.length > 1000) {
    lastParse.text = b;
    lastParse.pairs = pb;
  }
  let i = 0;
  let j = 0;
  while (i < pa.length || j < pb.length) {
    const x = pa[i];
    const y = pb[j];
    if (x && (!y || x[0] < y[0])) {
      ops.push(`{"op":"unset","path":${pathText([...path, x[0]])}}`);
      i++;
    } else if (y && (!x || y[0] < x[0])) {
      ops.push(setOp([...path, y[0]], y[1]));
      j++;
    } else if (x && y) {
      diffAt(s.val, x[1], y[1], [...path, x[0]], ops);
      i++;
      j++;
    }
  }
  return true;
}

function diffSet(a: string, b: string, path: string[], ops: string[]): boolean {
  const sa = taggedElements(a, "#set");
  const sb = taggedElements(b, "#set");
  if (!sa || !sb) return false;
  const xs = slices(a, sa);
  const ys = slices(b, sb);
  if (!increasing(xs) || !increasing(ys)) return false;
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < xs.length || j < ys.length) {
    const x = xs[i];
    const y = ys[j];
    if (x !== undefined && (y === undefined || x < y)) {
      removed.push(x);
      i++;
    } else if (y !== undefined && (x === undefined || y < x)) {
      added.push(y);
      j++;
    } else {
      i++;
      j++;
    }
  }
  const p = pathText(path);
  if (removed.length > 0) ops.push(`{"op":"remove","path":${p},"elems":[${removed.join(",")}]}`);
  if (added.length > 0) ops.push(`{"op":"add","path":${p},"elems":[${added.join(",")}]}`);
  return true;
}

function diffSeq(a: string, b: string, path: string[], ops: string[]): boolean {
  // The common case, entries appended: b is a's elements, a comma, then the new ones (canonical
  // text has no spaces), so the new elements' text is what follows a's.
  const grown = a === "[]" ? b.length > 2 && b.startsWith("[") : b.startsWith(`${a.slice(0, -1)},`);
  if (grown && b.endsWith("]")) {
    const added = b.slice(a === "[]" ? 1 : a.length, -1);
    ops.push(`{"op":"append","path":${pathText(path)},"elems":[${added}]}`);
    return true;
  }
  const sa = arrayElements(a, 0);
  const sb = arrayElements(b, 0);
  if (!sa || !sb) return false;
  const xs = slices(a, sa);
  const ys = slices(b, sb);
  let keep = 0;
  while (keep < xs.length && keep < ys.length && xs[keep] === ys[keep]) keep++;
  const p = pathText(path);
  if (keep < xs.length) ops.push(`{"op":"truncate","path":${p},"length":${keep}}`);
  if (keep < ys.length)
    ops.push(`{"op":"append","path":${p},"elems":[${ys.slice(keep).join(",")}]}`);
  return true;
}

function diffRec(
  s: Extract<Schema, { t: "rec" }>,
  a: string,
  b: string,
  path: string[],
  ops: string[],
): boolean {
  const ma = objectMembers(a, 0);
  const mb = objectMembers(b, 0);
  if (!ma || !mb || ma.size !== mb.size) return false;
  for (const [k, [b0, b1]] of mb) {
    const sa = ma.get(k);
    const fs = s.fields[k];
    if (!sa || !fs) return false;
    const x = a.slice(sa[0], sa[1]);
    const y = b.slice(b0, b1);
    if (x !== y) diffAt(fs, x, y, [...path, JSON.stringify(k)], ops);
  }
  return true;
}

const opsLength = (ops: readonly string[]) => ops.reduce((n, o) => n + o.length + 1, 0);

/** Appends the operations turning `a` into `b` (canonical texts of schema `s`) at `path`. */
function diffAt(s: Schema, a: string, b: string, path: string[], out: string[]): void {
  if (a === b) return;
  const whole = setOp(path, b);
  const ops: string[] = [];
  const split =
    s.t === "fun"
      ? diffMap(s, a, b, path, ops)
      : s.t === "set"
        ? diffSet(a, b, path, ops)
        : s.t === "seq"
          ? diffSeq(a, b, path, ops)
          : s.t === "rec"
            ? diffRec(s, a, b, path, ops)
            : false;
  if (split && opsLength(ops) < whole.length) out.push(...ops);
  else out.push(whole);
}

/**
 * The operations (each an op's JSON text) turning the part printed `a` into the part printed
 * `b` at `path` (the JSON texts of the keys leading to it), appended to `out`.
 */
export function diffPart(s: Schema, a: string, b: string, path: string[], out: string[]): void {
  diffAt(s, a, b, path, out);
}

/**
 * The JSON text of the operations for a function's changed entries (each key's JSON and its
 * new scalar value's, or undefined for a key gone), as diffText would give for the function's
 * texts before and `b` after; "" when none changed.
 */
export function entryUpdates(
  changes: ReadonlyArray<{ readonly key: string; readonly value: string | undefined }>,
  b: string,
): string {
  if (changes.length === 0) return "";
  const ops = changes.map(({ key, value }) =>
    value === undefined ? `{"op":"unset","path":[${key}]}` : setOp([key], value),
  );
  const whole = setOp([], b);
  return `[${(opsLength(ops) < whole.length ? ops : [whole]).join(",")}]`;
}

/**
 * The JSON text of the operations (an array) turning the value printed `a` into the value
 * printed `b`, both canonical JSON (core/itf.ts) of a value of schema `s`; "" when equal. Each
 * part is described by whichever is shorter: its operations or its new value.
 */
export function diffText(s: Schema, a: string, b: string): string {
  if (a === b) return "";
  const ops: string[] = [];
  diffAt(s, a, b, [], ops);
  return `[${ops.join(",")}]`;
}

// ---------------------------------------------------------------------------------------------
// Reading: operations applied to a value

/** What a failed operation says: where (under the op's own path) and what is wrong. */
class Bad {
  constructor(readonly message: string) {}
}

const REMOVE = Symbol("remove");
type Leaf = (v: Value | undefined, s: Schema) => Value | typeof REMOVE | Bad;

const shortValue = (v: Value) => {
  const t = printTla(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
};

/** Index of key k in sorted pairs, or -(insertion point) - 1. */
function findKey(pairs: readonly (readonly [Value, Value])[], k: Value): number {
  let lo = 0;
  let hi = pairs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compare((pairs[mid] as readonly [Value, Value])[0], k);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** The option of a oneOf that value v has (the first), for stepping into it. */
const optionOf = (v: Value | undefined, s: Schema): Schema => {
  if (s.t !== "oneOf" || !v) return s;
  return s.options.find((o) => checkSchema(v, o, "") === null) ?? s;
};

/** v with leaf applied at path[k…]; Bad names what went wrong, `at` is where. */
function update(
  v: Value | undefined,
  schema: Schema,
  path: readonly unknown[],
  k: number,
  at: string,
  leaf: Leaf,
): Value | typeof REMOVE | Bad {
  if (k === path.length) return leaf(v, schema);
  const s = optionOf(v, schema);
  const step = path[k];
  const here = `${at}.path[${k}]`;
  if (v === undefined) return new Bad(`${here}: there is no value to step into here`);
  switch (s.t) {
    case "fun": {
      if (v.kind !== "fun") return new Bad(`${here}: the value here is not a function`);
      const key = fromItf(step, here);
      if ("path" in key) return new Bad(`${key.path}: ${key.message}`);
      const badKey = checkSchema(key, s.key, here);
      if (badKey) return new Bad(badKey);
      const pos = findKey(v.pairs, key);
      const old = pos >= 0 ? (v.pairs[pos] as readonly [Value, Value])[1] : undefined;
      const r = update(old, s.val, path, k + 1, at, leaf);
      if (r instanceof Bad) return r;
      const pairs = v.pairs.slice();
      if (r === REMOVE) {
        if (pos < 0) return new Bad(`${here}: ${shortValue(key)} is not in the function's domain`);
        pairs.splice(pos, 1);
      } else if (pos >= 0) pairs[pos] = [key, r];
      else pairs.splice(-pos - 1, 0, [key, r]);
      return { kind: "fun", pairs };
    }
    case "rec": {
      if (v.kind !== "rec") return new Bad(`${here}: the value here is not a record`);
      const f = typeof step === "string" ? s.fields[step] : undefined;
      const pos = v.fields.findIndex(([name]) => name === step);
      if (f === undefined || pos < 0)
        return new Bad(
          `${here}: expected a field name (${Object.keys(s.fields).join(", ")}), got ${JSON.stringify(step)}`,
        );
      const r = update((v.fields[pos] as readonly [string, Value])[1], f, path, k + 1, at, leaf);
      if (r instanceof Bad) return r;
      if (r === REMOVE) return new Bad(`${at}: a record field cannot be removed`);
      const fields = v.fields.slice();
      fields[pos] = [step as string, r];
      return { kind: "rec", fields };
    }
    case "seq": {
      if (v.kind !== "seq") return new Bad(`${here}: the value here is not a sequence`);
      if (typeof step !== "number" || !Number.isInteger(step) || step < 1 || step > v.elems.length)
        return new Bad(
          `${here}: expected an index from 1 to ${v.elems.length}, got ${JSON.stringify(step)}`,
        );
      const r = update(v.elems[step - 1], s.of, path, k + 1, at, leaf);
      if (r instanceof Bad) return r;
      if (r === REMOVE) return new Bad(`${at}: use "truncate" to shorten a sequence`);
      const elems = v.elems.slice();
      elems[step - 1] = r;
      return { kind: "seq", elems };
    }
    default:
      return new Bad(`${here}: the value here (${shortValue(v)}) has no parts to step into`);
  }
}

/** The elements of an op's "elems", decoded and checked against schema `of`. */
function elemsOf(o: Record<string, unknown>, of: Schema, at: string): Value[] | Bad {
  const raw = o.elems;
  if (!Array.isArray(raw)) return new Bad(`${at}.elems: expected an array of values`);
  const out: Value[] = [];
  for (let k = 0; k < raw.length; k++) {
    const x = fromItf(raw[k], `${at}.elems[${k}]`);
    if ("path" in x) return new Bad(`${x.path}: ${x.message}`);
    const bad = checkSchema(x, of, `${at}.elems[${k}]`);
    if (bad) return new Bad(bad);
    out.push(x);
  }
  return out;
}

/** Sorted unique values (the canonical element order of a set). */
function sortedUnique(xs: Value[]): Value[] {
  xs.sort(compare);
  return xs.filter((x, k) => k === 0 || compare(xs[k - 1] as Value, x) !== 0);
}

function leafOf(o: Record<string, unknown>, at: string): Leaf | Bad {
  const op = o.op;
  const needs = (v: Value | undefined, s: Schema, kind: "set" | "seq"): Bad | null => {
    if (s.t !== kind)
      return new Bad(`${at}: "${op}" applies to a ${kind === "set" ? "set" : "sequence"} only`);
    if (v?.kind !== kind)
      return new Bad(`${at}: the value at path is not a ${kind === "set" ? "set" : "sequence"}`);
    return null;
  };
  switch (op) {
    case "set":
      return (_v, s) => {
        if (!("value" in o)) return new Bad(`${at}: "set" needs "value"`);
        const x = fromItf(o.value, `${at}.value`);
        if ("path" in x) return new Bad(`${x.path}: ${x.message}`);
        const bad = checkSchema(x, s, `${at}.value`);
        return bad ? new Bad(bad) : x;
      };
    case "unset":
      return () => REMOVE;
    case "add":
    case "remove":
      return (v, s) => {
        const wrong = needs(v, s, "set");
        if (wrong) return wrong;
        const xs = elemsOf(o, (s as Extract<Schema, { t: "set" }>).of, at);
        if (xs instanceof Bad) return xs;
        const old = (v as Extract<Value, { kind: "set" }>).elems;
        const ys = sortedUnique(xs);
        const out: Value[] = [];
        let i = 0;
        let j = 0;
        while (i < old.length || j < ys.length) {
          const x = old[i];
          const y = ys[j];
          const c = x === undefined ? 1 : y === undefined ? -1 : compare(x, y);
          if (c < 0) {
            out.push(x as Value);
            i++;
          } else if (c > 0) {
            if (op === "remove")
              return new Bad(`${at}.elems: ${shortValue(y as Value)} is not in the set`);
            out.push(y as Value);
            j++;
          } else {
            if (op === "add") out.push(x as Value);
            i++;
            j++;
          }
        }
        return { kind: "set", elems: out };
      };
    case "append":
      return (v, s) => {
        const wrong = needs(v, s, "seq");
        if (wrong) return wrong;
        const xs = elemsOf(o, (s as Extract<Schema, { t: "seq" }>).of, at);
        if (xs instanceof Bad) return xs;
        return { kind: "seq", elems: [...(v as Extract<Value, { kind: "seq" }>).elems, ...xs] };
      };
    case "truncate":
      return (v, s) => {
        const wrong = needs(v, s, "seq");
        if (wrong) return wrong;
        const elems = (v as Extract<Value, { kind: "seq" }>).elems;
        const n = o.length;
        if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > elems.length)
          return new Bad(
            `${at}.length: expected an integer from 0 to ${elems.length} (the sequence's length), got ${JSON.stringify(n)}`,
          );
        return { kind: "seq", elems: elems.slice(0, n) };
      };
    default:
      return new Bad(
        `${at}.op: expected one of ${UPDATE_OPS.map((x) => `"${x}"`).join(", ")}, got ${JSON.stringify(op)}`,
      );
  }
}

/**
 * `prev` with the operations `ops` (the parsed JSON of one variable's updates) applied in
 * order, each checked against the schema; a string "where: what is wrong" when one does not
 * apply. `at` names the variable's updates, e.g. `updates.log`.
 */
export function applyUpdates(prev: Value, s: Schema, ops: unknown, at: string): Value | string {
  if (!Array.isArray(ops))
    return `${at}: expected an array of operations ({"op":"set","path":[…],"value":…}, …)`;
  let v = prev;
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k] as unknown;
    const here = `${at}[${k}]`;
    if (typeof o !== "object" || o === null || Array.isArray(o))
      return `${here}: expected an operation object {"op":…,"path":[…],…}`;
    const rec = o as Record<string, unknown>;
    const path = rec.path ?? [];
    if (!Array.isArray(path)) return `${here}.path: expected an array of keys`;
    const leaf = leafOf(rec, here);
    if (leaf instanceof Bad) return leaf.message;
    if (rec.op === "unset" && path.length === 0)
      return `${here}: "unset" needs a path ending in the key to remove`;
    const r = update(v, s, path, 0, here, leaf);
    if (r instanceof Bad) return r.message;
    if (r === REMOVE) return `${here}: "unset" needs a path ending in the key to remove`;
    v = r;
  }
  return v;
}
