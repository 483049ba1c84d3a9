/**
 * The types of a protocol's spec variables, constants and action parameters, just precise
 * enough to reject a malformed trace with a message naming the place (`state.log["s1"][2].term`)
 * and to give printed values back their kind (`coerce`).
 */
import type { Schema } from "../core/schema.js";
import { fun, int, printTla, rec, seq, str, type Value } from "./itf.js";

export { S, type Schema } from "../core/schema.js";

const describe = (s: Schema): string => {
  switch (s.t) {
    case "int":
      return "an integer";
    case "bool":
      return "a boolean";
    case "str":
      return "a string";
    case "set":
      return `a set ({"#set": […]})`;
    case "seq":
      return "a sequence (JSON array)";
    case "rec":
      return `a record with fields ${Object.keys(s.fields).join(", ")}`;
    case "fun":
      return `a function ({"#map": [[key, value], …]})`;
    case "oneOf":
      return s.options.map(describe).join(" or ");
  }
};

const kindName: Record<Value["kind"], string> = {
  int: "an integer",
  bool: "a boolean",
  str: "a string",
  set: "a set",
  seq: "a sequence",
  rec: "a record",
  fun: "a function",
};

const short = (v: Value) => {
  const text = printTla(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const wrongKind = (v: Value, s: Schema, path: string) =>
  `${path}: expected ${describe(s)}, got ${kindName[v.kind]} ${short(v)}`;

/** The first place where `v` does not have type `s`, as "path: what is wrong"; null if none. */
export function checkSchema(v: Value, s: Schema, path: string): string | null {
  switch (s.t) {
    case "int":
    case "bool":
    case "str":
      return v.kind === s.t ? null : wrongKind(v, s, path);
    case "set":
    case "seq": {
      if (v.kind !== s.t) return wrongKind(v, s, path);
      for (let k = 0; k < v.elems.length; k++) {
        const p = checkSchema(v.elems[k] as Value, s.of, `${path}[${k}]`);
        if (p) return p;
      }
      return null;
    }
    case "rec": {
      if (v.kind !== "rec") return wrongKind(v, s, path);
      const want = Object.keys(s.fields);
      const have = v.fields.map(([k]) => k);
      const missing = want.filter((k) => !have.includes(k));
      const extra = have.filter((k) => !want.includes(k));
      if (missing.length > 0 || extra.length > 0)
        return `${path}: expected fields ${want.join(", ")}${missing.length ? `; missing ${missing.join(", ")}` : ""}${extra.length ? `; unexpected ${extra.join(", ")}` : ""}`;
      for (const [k, x] of v.fields) {
        const p = checkSchema(x, s.fields[k] as Schema, `${path}.${k}`);
        if (p) return p;
      }
      return null;
    }
    case "fun": {
      if (v.kind !== "fun") return wrongKind(v, s, path);
      for (const [k, x] of v.pairs) {
        const p =
          checkSchema(k, s.key, `${path} key ${short(k)}`) ??
          checkSchema(x, s.val, `${path}[${short(k)}]`);
        if (p) return p;
      }
      return null;
    }
    case "oneOf": {
      const problems = s.options.map((o) => checkSchema(v, o, path));
      if (problems.some((p) => p === null)) return null;
      // The most specific complaint: from the option whose record type (mtype …) matches.
      return (
        problems.find((p) => p && !p.startsWith(`${path}: expected fields`)) ??
        wrongKind(v, s, path)
      );
    }
  }
}

/**
 * Give a printed value the kind its schema says. Printers lose kinds: TLC prints a function with
 * domain 1..n as a sequence, a function of strings as a record, the empty function as `<<>>`.
 * Values that fit nowhere are returned as they are.
 */
export function coerce(v: Value, s: Schema): Value {
  switch (s.t) {
    case "set":
      return v.kind === "set" ? { kind: "set", elems: v.elems.map((x) => coerce(x, s.of)) } : v;
    case "seq": {
      if (v.kind === "seq") return seq(v.elems.map((x) => coerce(x, s.of)));
      if (v.kind === "fun" || v.kind === "rec") {
        const pairs = v.kind === "fun" ? v.pairs : [];
        const ok = pairs.every(([k], i) => k.kind === "int" && k.value === BigInt(i + 1));
        if (ok) return seq(pairs.map(([, x]) => coerce(x, s.of)));
      }
      return v;
    }
    case "rec": {
      if (v.kind === "rec")
        return rec(
          v.fields.map(([k, x]) => [k, s.fields[k] ? coerce(x, s.fields[k]) : x] as const),
        );
      if (v.kind === "fun" && v.pairs.every(([k]) => k.kind === "str"))
        return coerce(
          rec(v.pairs.map(([k, x]) => [(k as { value: string }).value, x] as const)),
          s,
        );
      return v;
    }
    case "fun": {
      const pairs: readonly (readonly [Value, Value])[] =
        v.kind === "fun"
          ? v.pairs
          : v.kind === "rec"
            ? v.fields.map(([k, x]) => [str(k), x] as const)
            : v.kind === "seq"
              ? v.elems.map((x, i) => [int(i + 1), x] as const)
              : [];
      if (v.kind !== "fun" && v.kind !== "rec" && v.kind !== "seq") return v;
      return fun(pairs.map(([k, x]) => [coerce(k, s.key), coerce(x, s.val)] as const));
    }
    case "oneOf": {
      for (const o of s.options) {
        const c = coerce(v, o);
        if (checkSchema(c, o, "") === null) return c;
      }
      return v;
    }
    default:
      return v;
  }
}
