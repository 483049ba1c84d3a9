/**
 * Reading TLA+ values as TLC and tla-checker print them (`{…}`, `<<…>>`, `[a |-> 1]`,
 * `(k :> v @@ …)`, strings, integers, TRUE/FALSE, model values). Used to turn the spec's own
 * behaviours into traces and to show allowed values in a divergence report; validation itself
 * never depends on it.
 *
 * Model values (bare identifiers such as `s1`) are read as strings: in a trace, servers and
 * client values are strings (traces/FORMAT.md). Printed functions lose their kind (TLC prints a
 * function with domain 1..n as a sequence and the empty function as `<<>>`); `coerce` in
 * schema.ts restores it where the protocol's variable types are known.
 */
import { bool, fun, int, rec, seq, set, str, type Value } from "./itf.js";

export class TlaTextError extends Error {
  override name = "TlaTextError";
}

export function parseTlaValue(text: string): Value {
  const p = new Parser(text);
  const v = p.value();
  p.skipWs();
  if (!p.done()) p.fail("unexpected text after the value");
  return v;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  done() {
    return this.pos >= this.text.length;
  }

  fail(what: string): never {
    const near = this.text.slice(this.pos, this.pos + 30);
    throw new TlaTextError(`${what} at offset ${this.pos} (near "${near}")`);
  }

  skipWs() {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  private eat(tok: string): boolean {
    this.skipWs();
    if (this.text.startsWith(tok, this.pos)) {
      this.pos += tok.length;
      return true;
    }
    return false;
  }

  private expect(tok: string) {
    if (!this.eat(tok)) this.fail(`expected "${tok}"`);
  }

  value(): Value {
    this.skipWs();
    const c = this.text[this.pos];
    if (c === undefined) this.fail("unexpected end of text");
    if (this.text.startsWith("<<", this.pos)) {
      this.pos += 2;
      return seq(this.list(">>"));
    }
    if (c === "{") {
      this.pos++;
      return set(this.list("}"));
    }
    if (c === "[") return this.record();
    if (c === "(") {
      // A negative integer as printTla writes it: (0 - n).
      const neg = /^\(\s*0\s*-\s*(\d+)\s*\)/.exec(this.text.slice(this.pos));
      if (neg) {
        this.pos += neg[0].length;
        return int(-BigInt(neg[1] ?? "0"));
      }
      return this.func();
    }
    if (c === '"') return str(this.string());
    const num = /^-?\d+/.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return int(BigInt(num[0]));
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (id) {
      this.pos += id[0].length;
      // tla-checker prints booleans in lower case.
      if (id[0] === "TRUE" || id[0] === "true") return bool(true);
      if (id[0] === "FALSE" || id[0] === "false") return bool(false);
      return str(id[0]);
    }
    return this.fail("expected a value");
  }

  private list(close: string): Value[] {
    const out: Value[] = [];
    if (this.eat(close)) return out;
    for (;;) {
      out.push(this.value());
      if (this.eat(close)) return out;
      this.expect(",");
    }
  }

  private record(): Value {
    this.expect("[");
    // The empty function: [x \in {} |-> …].
    const empty = /^\[\s*[A-Za-z_]\w*\s*\\in\s*\{\s*\}\s*\|->/.exec(this.text.slice(this.pos - 1));
    if (empty) {
      this.pos += empty[0].length - 1;
      this.value();
      this.expect("]");
      return fun([]);
    }
    const fields: [string, Value][] = [];
    for (;;) {
      this.skipWs();
      const id = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.pos));
      if (!id) this.fail("expected a field name");
      this.pos += id[0].length;
      this.expect("|->");
      fields.push([id[0], this.value()]);
      if (this.eat("]")) return rec(fields);
      this.expect(",");
    }
  }

  private func(): Value {
    this.expect("(");
    const pairs: [Value, Value][] = [];
    for (;;) {
      const k = this.value();
      this.expect(":>");
      pairs.push([k, this.value()]);
      if (this.eat(")")) return fun(pairs);
      this.expect("@@");
    }
  }

  private string(): string {
    let out = "";
    this.pos++; // opening quote
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] as string;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        const n = this.text[this.pos + 1];
        out +=
          n === "n" ? "\n" : n === "t" ? "\t" : n === "r" ? "\r" : n === "f" ? "\f" : (n ?? "");
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
    return this.fail("unterminated string");
  }
}
