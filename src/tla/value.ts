/**
 * TLA+ values as both engines print them, for people: read (`{…}`, `<<…>>`, `[a |-> 1]`,
 * `(k :> v @@ …)`, strings, integers, TRUE/FALSE or true/false, model values), compared across
 * engines (one canonical key whatever the printing order), printed short (messages as
 * `s1→s2 Type k=v`, functions with one value for every key as `[k \in {…} |-> v]`), and
 * diffed down to the keys that changed (`nextIndex[s2][s3]: 1 → 2`).
 *
 * Unlike src/trace/tla-text.ts (values for traces, where servers are strings), this keeps
 * model values apart from strings, so that a value prints back as the spec wrote it.
 */

export type TlaValue =
  | { readonly k: "int"; readonly v: string }
  | { readonly k: "bool"; readonly v: boolean }
  | { readonly k: "str"; readonly v: string }
  /** A model value (a bare identifier, e.g. `s1`, `Nil`). */
  | { readonly k: "model"; readonly v: string }
  | { readonly k: "set"; readonly elems: readonly TlaValue[] }
  | { readonly k: "seq"; readonly elems: readonly TlaValue[] }
  | { readonly k: "rec"; readonly fields: readonly (readonly [string, TlaValue])[] }
  | { readonly k: "fun"; readonly pairs: readonly (readonly [TlaValue, TlaValue])[] };

/**
 * A protocol's short text for a record (a message, a ballot, a log entry), or undefined for
 * the generic form. `show` prints any value (the fields) in the same short style.
 */
export type ValueFormatter = (
  fields: Readonly<Record<string, TlaValue>>,
  show: (v: TlaValue) => string,
) => string | undefined;

export class TlaValueError extends Error {
  override name = "TlaValueError";
}

/** Parse one printed value; throws TlaValueError on text that is not one. */
export function parseValue(text: string): TlaValue {
  const p = new Reader(text);
  const v = p.value();
  p.ws();
  if (!p.done()) p.fail("unexpected text after the value");
  return v;
}

/** The value, or undefined when the text is not one this reader knows. */
export function tryParseValue(text: string): TlaValue | undefined {
  try {
    return parseValue(text);
  } catch (e) {
    if (e instanceof TlaValueError) return undefined;
    throw e;
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}
  done = () => this.pos >= this.text.length;
  fail(what: string): never {
    throw new TlaValueError(`${what} at offset ${this.pos}`);
  }
  ws() {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }
  private eat(tok: string): boolean {
    this.ws();
    if (!this.text.startsWith(tok, this.pos)) return false;
    this.pos += tok.length;
    return true;
  }
  private expect(tok: string) {
    if (!this.eat(tok)) this.fail(`expected "${tok}"`);
  }
  private rest = () => this.text.slice(this.pos);

  value(): TlaValue {
    this.ws();
    const c = this.text[this.pos];
    if (c === undefined) this.fail("unexpected end");
    if (this.eat("<<")) return { k: "seq", elems: this.list(">>") };
    if (this.eat("{")) return { k: "set", elems: this.list("}") };
    if (c === "[") return this.record();
    if (c === "(") {
      const neg = /^\(\s*0\s*-\s*(\d+)\s*\)/.exec(this.rest());
      if (neg) {
        this.pos += neg[0].length;
        return { k: "int", v: `-${neg[1]}` };
      }
      return this.func();
    }
    if (c === '"') return { k: "str", v: this.string() };
    const num = /^-?\d+/.exec(this.rest());
    if (num) {
      this.pos += num[0].length;
      return { k: "int", v: String(BigInt(num[0])) };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.rest());
    if (id) {
      this.pos += id[0].length;
      if (id[0] === "TRUE" || id[0] === "true") return { k: "bool", v: true };
      if (id[0] === "FALSE" || id[0] === "false") return { k: "bool", v: false };
      return { k: "model", v: id[0] };
    }
    return this.fail("expected a value");
  }

  private list(close: string): TlaValue[] {
    const out: TlaValue[] = [];
    if (this.eat(close)) return out;
    for (;;) {
      out.push(this.value());
      if (this.eat(close)) return out;
      this.expect(",");
    }
  }

  private record(): TlaValue {
    this.expect("[");
    const empty = /^\s*[A-Za-z_]\w*\s*\\in\s*\{\s*\}\s*\|->/.exec(this.rest());
    if (empty) {
      this.pos += empty[0].length;
      this.value();
      this.expect("]");
      return { k: "fun", pairs: [] };
    }
    const fields: [string, TlaValue][] = [];
    for (;;) {
      this.ws();
      const id = /^[A-Za-z0-9_]+/.exec(this.rest());
      if (!id) this.fail("expected a field name");
      this.pos += id[0].length;
      this.expect("|->");
      fields.push([id[0], this.value()]);
      if (this.eat("]")) return { k: "rec", fields };
      this.expect(",");
    }
  }

  private func(): TlaValue {
    this.expect("(");
    const pairs: [TlaValue, TlaValue][] = [];
    for (;;) {
      const key = this.value();
      this.expect(":>");
      pairs.push([key, this.value()]);
      if (this.eat(")")) return { k: "fun", pairs };
      this.expect("@@");
    }
  }

  private string(): string {
    let out = "";
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] as string;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const n = this.text[this.pos + 1] ?? "";
        out += n === "n" ? "\n" : n === "t" ? "\t" : n;
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
    return this.fail("unterminated string");
  }
}

// ---------------------------------------------------------------------------------------------
// Canonical form: equal values have equal keys, whichever engine printed them

/** Sequences and records are functions (on 1..n, on strings); engines print them either way. */
function entries(v: TlaValue): (readonly [TlaValue, TlaValue])[] | undefined {
  if (v.k === "fun") return [...v.pairs];
  if (v.k === "seq") return v.elems.map((e, i) => [{ k: "int", v: String(i + 1) }, e] as const);
  if (v.k === "rec") return v.fields.map(([f, e]) => [{ k: "str", v: f }, e] as const);
  return undefined;
}

const keyCache = new WeakMap<TlaValue, string>();

/** A string equal for equal values: sets sorted, functions by key, records = functions. */
export function canonicalKey(v: TlaValue): string {
  const known = keyCache.get(v);
  if (known !== undefined) return known;
  let key: string;
  switch (v.k) {
    case "int":
      key = v.v;
      break;
    case "bool":
      key = v.v ? "T" : "F";
      break;
    case "str":
      key = JSON.stringify(v.v);
      break;
    case "model":
      key = `'${v.v}`;
      break;
    case "set":
      key = `{${[...new Set(v.elems.map(canonicalKey))].sort().join(",")}}`;
      break;
    default: {
      const pairs = (entries(v) ?? []).map(([a, b]) => `${canonicalKey(a)}:${canonicalKey(b)}`);
      key = `(${pairs.sort().join(",")})`;
    }
  }
  keyCache.set(v, key);
  return key;
}

export const sameValue = (a: TlaValue, b: TlaValue) => canonicalKey(a) === canonicalKey(b);

// ---------------------------------------------------------------------------------------------
// Printing

export interface ShowOptions {
  /** A protocol's short form for records it knows (src/protocol.ts). */
  format?: ValueFormatter | undefined;
}

const isMessage = (fields: Readonly<Record<string, TlaValue>>) =>
  fields.mtype !== undefined && fields.msource !== undefined && fields.mdest !== undefined;

const fieldsOf = (v: TlaValue & { k: "rec" }) => Object.fromEntries(v.fields);

/**
 * The generic short form of a message (a record with mtype, msource and mdest):
 * `src→dest type field=value …`, fields without their `m` prefix.
 */
function genericMessage(
  fields: Readonly<Record<string, TlaValue>>,
  show: (v: TlaValue) => string,
): string {
  const type = fields.mtype as TlaValue;
  const head = `${show(fields.msource as TlaValue)}→${show(fields.mdest as TlaValue)} ${
    type.k === "str" ? type.v : show(type)
  }`;
  // The fields lose the `m` every field of a message has (mterm → term).
  const strip = Object.keys(fields).every((f) => /^m[A-Za-z]/.test(f));
  const name = (f: string) => (strip ? (f[1] as string).toLowerCase() + f.slice(2) : f);
  const rest = Object.entries(fields)
    .filter(([f]) => f !== "mtype" && f !== "msource" && f !== "mdest")
    .map(([f, x]) => `${name(f)}=${show(x)}`);
  return [head, ...rest].join(" ");
}

/** The short form of a record, if it has one (the protocol's, else a message's). */
export function shortRecord(v: TlaValue, opts: ShowOptions = {}): string | undefined {
  if (v.k !== "rec") return undefined;
  const show = (x: TlaValue) => showValue(x, opts);
  const fields = fieldsOf(v);
  const own = opts.format?.(fields, show);
  if (own !== undefined) return own;
  return isMessage(fields) ? genericMessage(fields, show) : undefined;
}

/** Bound names of nested constant functions: x, y, z, x4, x5, … */
const boundName = (depth: number) => ["x", "y", "z"][depth] ?? `x${depth + 1}`;

/** Short TLA+-like text of a value. */
export function showValue(v: TlaValue, opts: ShowOptions = {}, depth = 0): string {
  const show = (x: TlaValue) => showValue(x, opts, depth);
  switch (v.k) {
    case "int":
      return v.v;
    case "bool":
      return v.v ? "TRUE" : "FALSE";
    case "str":
      return JSON.stringify(v.v);
    case "model":
      return v.v;
    case "set":
      return `{${v.elems.map(show).join(", ")}}`;
    case "seq":
      return `<<${v.elems.map(show).join(", ")}>>`;
    case "rec":
      return (
        shortRecord(v, opts) ?? `[${v.fields.map(([f, x]) => `${f} |-> ${show(x)}`).join(", ")}]`
      );
    case "fun": {
      if (v.pairs.length === 0) return "<<>>";
      const [first, ...more] = v.pairs;
      if (first && more.length > 0 && more.every(([, x]) => sameValue(x, first[1])))
        return `[${boundName(depth)} \\in {${v.pairs.map(([k]) => show(k)).join(", ")}} |-> ${showValue(first[1], opts, depth + 1)}]`;
      return `(${v.pairs.map(([k, x]) => `${show(k)} :> ${show(x)}`).join(" @@ ")})`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Differences

/** One changed place: `nextIndex[s2][s3]`, `1` → `2` (no `from`: added; no `to`: removed). */
export interface Change {
  path: string;
  from?: string;
  to?: string;
}

const isBag = (pairs: readonly (readonly [TlaValue, TlaValue])[]) =>
  pairs.length > 0 &&
  pairs.every(([key, n]) => key.k === "rec" && n.k === "int" && BigInt(n.v) > 0n);

/**
 * Where `before` and `after` differ, as paths into the value: functions, sequences and records
 * key by key (a record with a short form, e.g. a message, counts as one value); sets and bags of
 * messages as elements added and removed; anything else (or values of different shapes) whole.
 */
export function diffValues(
  path: string,
  before: TlaValue,
  after: TlaValue,
  opts: ShowOptions = {},
): Change[] {
  if (sameValue(before, after)) return [];
  const show = (x: TlaValue) => showValue(x, opts);
  const whole = (): Change[] => [{ path, from: show(before), to: show(after) }];
  if (before.k === "set" && after.k === "set") {
    const from = show(before);
    const to = show(after);
    if (from.length + to.length <= 60) return whole();
    const had = new Set(before.elems.map(canonicalKey));
    const has = new Set(after.elems.map(canonicalKey));
    return [
      ...before.elems
        .filter((e) => !has.has(canonicalKey(e)))
        .map((e) => ({ path, from: show(e) })),
      ...after.elems.filter((e) => !had.has(canonicalKey(e))).map((e) => ({ path, to: show(e) })),
    ];
  }
  if (shortRecord(before, opts) !== undefined || shortRecord(after, opts) !== undefined)
    return whole();
  const a = entries(before);
  const b = entries(after);
  if (!a || !b) return whole();
  // A sequence and a function print alike only when both are functions; an empty function is
  // printed as <<>> by both engines.
  const kinds = new Set([before.k, after.k]);
  if (kinds.has("rec") && kinds.size > 1 && a.length > 0 && b.length > 0) return whole();
  const bag = isBag(a.length > 0 ? a : b) && (b.length === 0 || isBag(b));
  const at = (key: TlaValue) =>
    before.k === "rec" || after.k === "rec"
      ? `${path}.${key.k === "str" ? key.v : show(key)}`
      : `${path}[${show(key)}]`;
  const index = new Map(b.map(([key, x]) => [canonicalKey(key), x]));
  const seen = new Set<string>();
  const out: Change[] = [];
  for (const [key, x] of a) {
    const ck = canonicalKey(key);
    seen.add(ck);
    const y = index.get(ck);
    if (bag) {
      const label = show(key);
      if (y === undefined) out.push({ path, from: label });
      else if (!sameValue(x, y))
        out.push({ path: `${path}[${label}]`, from: show(x), to: show(y) });
    } else if (y === undefined) out.push({ path: at(key), from: show(x) });
    else out.push(...diffValues(at(key), x, y, opts));
  }
  for (const [key, y] of b) {
    if (seen.has(canonicalKey(key))) continue;
    if (bag) out.push({ path, to: show(key) + (y.k === "int" && y.v !== "1" ? ` ×${y.v}` : "") });
    else out.push({ path: at(key), to: show(y) });
  }
  return out;
}

/** Full TLA+ text of a value, as TLC prints it (records as records, functions with :> and @@). */
export function printValue(v: TlaValue): string {
  switch (v.k) {
    case "int":
    case "model":
      return v.v;
    case "bool":
      return v.v ? "TRUE" : "FALSE";
    case "str":
      return JSON.stringify(v.v);
    case "set":
      return `{${v.elems.map(printValue).join(", ")}}`;
    case "seq":
      return `<<${v.elems.map(printValue).join(", ")}>>`;
    case "rec":
      return `[${v.fields.map(([f, x]) => `${f} |-> ${printValue(x)}`).join(", ")}]`;
    case "fun":
      return v.pairs.length === 0
        ? "<<>>"
        : `(${v.pairs.map(([k, x]) => `${printValue(k)} :> ${printValue(x)}`).join(" @@ ")})`;
  }
}

/** The value with each model value renamed by `rename` (e.g. a permutation of servers). */
export function renameModelValues(v: TlaValue, rename: ReadonlyMap<string, string>): TlaValue {
  const r = (x: TlaValue) => renameModelValues(x, rename);
  switch (v.k) {
    case "model":
      return { k: "model", v: rename.get(v.v) ?? v.v };
    case "set":
      return { k: "set", elems: v.elems.map(r) };
    case "seq":
      return { k: "seq", elems: v.elems.map(r) };
    case "rec":
      return { k: "rec", fields: v.fields.map(([f, x]) => [f, r(x)] as const) };
    case "fun":
      return { k: "fun", pairs: v.pairs.map(([a, b]) => [r(a), r(b)] as const) };
    default:
      return v;
  }
}
