import { describe, expect, it } from "vitest";
import {
  canonicalKey,
  diffValues,
  parseValue,
  printValue,
  sameValue,
  showValue,
  tryParseValue,
  type ValueFormatter,
} from "../../src/tla/value.js";

const v = parseValue;

describe("parseValue and canonicalKey", () => {
  it("reads both engines' printing of one value as equal", () => {
    // TLC: fields as written, TRUE; tla-checker: fields sorted, true.
    const tlc = v(
      '([mtype |-> "ok", mterm |-> 1, msource |-> s1, mdest |-> s2, mgranted |-> TRUE] :> 1)',
    );
    const embedded = v(
      '([mdest |-> s2, mgranted |-> true, msource |-> s1, mterm |-> 1, mtype |-> "ok"] :> 1)',
    );
    expect(sameValue(tlc, embedded)).toBe(true);
    expect(sameValue(v("{s2, s1}"), v("{s1, s2}"))).toBe(true);
    // A function on 1..n is a sequence; the empty function prints as <<>>.
    expect(sameValue(v("<<a, b>>"), v("(1 :> a @@ 2 :> b)"))).toBe(true);
    expect(sameValue(v("<<>>"), v("[x \\in {} |-> 0]"))).toBe(true);
  });

  it("keeps model values apart from strings, and reads negative numbers", () => {
    expect(sameValue(v("s1"), v('"s1"'))).toBe(false);
    expect(canonicalKey(v("(0 - 3)"))).toBe(canonicalKey(v("-3")));
    expect(printValue(v('[a |-> s1, b |-> "s1", c |-> <<1, {}>>]'))).toBe(
      '[a |-> s1, b |-> "s1", c |-> <<1, {}>>]',
    );
  });

  it("gives undefined for text that is not a value", () => {
    expect(tryParseValue("{1, 2")).toBeUndefined();
    expect(tryParseValue("1..3")).toBeUndefined();
  });
});

describe("showValue", () => {
  it("prints a function with one value for all keys as a constant function, nested names apart", () => {
    expect(showValue(v("(s1 :> (s1 :> 1 @@ s2 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1))"))).toBe(
      "[x \\in {s1, s2} |-> [y \\in {s1, s2} |-> 1]]",
    );
    expect(showValue(v("(s1 :> 0 @@ s2 :> 1)"))).toBe("(s1 :> 0 @@ s2 :> 1)");
    expect(showValue(v("(s1 :> 0)"))).toBe("(s1 :> 0)");
  });

  it("prints a message as src→dest type field=value, without the fields' m", () => {
    expect(showValue(v('[mtype |-> "Ping", mterm |-> 2, msource |-> a, mdest |-> b]'))).toBe(
      "a→b Ping term=2",
    );
    // A field without the m prefix keeps every field's name as it is.
    expect(showValue(v('[mtype |-> "Ping", n |-> 2, msource |-> a, mdest |-> b]'))).toBe(
      "a→b Ping n=2",
    );
  });

  it("uses a protocol's formatter, and falls back where it gives none", () => {
    const format: ValueFormatter = (f, show) =>
      f.round && f.leader ? `(${show(f.round)},${show(f.leader)})` : undefined;
    expect(showValue(v("{[round |-> 1, leader |-> l1], [x |-> 1]}"), { format })).toBe(
      "{(1,l1), [x |-> 1]}",
    );
  });
});

describe("diffValues", () => {
  const lines = (before: string, after: string, path = "f") =>
    diffValues(path, v(before), v(after)).map(
      (c) => `${c.path}: ${c.from ?? "+"} → ${c.to ?? "−"}`,
    );

  it("names only the changed keys of functions and fields of records", () => {
    expect(
      lines(
        "(s1 :> (s1 :> 1 @@ s2 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1))",
        "(s1 :> (s1 :> 1 @@ s2 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 2))",
        "nextIndex",
      ),
    ).toEqual(["nextIndex[s2][s2]: 1 → 2"]);
    expect(
      lines("(l1 :> [round |-> 0, leader |-> l1])", "(l1 :> [round |-> 1, leader |-> l1])"),
    ).toEqual(["f[l1].round: 0 → 1"]);
    expect(lines("(s1 :> <<>>)", "(s1 :> <<[term |-> 1]>>)")).toEqual([
      "f[s1][1]: + → [term |-> 1]",
    ]);
    expect(lines("5", "5")).toEqual([]);
  });

  it("shows small sets whole and large ones as elements added and removed", () => {
    expect(lines("{s2}", "{s1, s2}")).toEqual(["f: {s2} → {s1, s2}"]);
    const many = (xs: number[]) =>
      `{${xs.map((x) => `[slot |-> ${x}, cmd |-> "a long command"]`).join(", ")}}`;
    expect(lines(many([1, 2]), many([2, 3]))).toEqual([
      'f: [slot |-> 1, cmd |-> "a long command"] → −',
      'f: + → [slot |-> 3, cmd |-> "a long command"]',
    ]);
  });

  it("shows a bag of messages as messages sent, received and copied", () => {
    const m1 = '[mtype |-> "Ping", msource |-> a, mdest |-> b]';
    const m2 = '[mtype |-> "Pong", msource |-> b, mdest |-> a]';
    expect(lines(`(${m1} :> 1)`, `(${m2} :> 1)`, "messages")).toEqual([
      "messages: a→b Ping → −",
      "messages: + → b→a Pong",
    ]);
    expect(lines("<<>>", `(${m1} :> 2)`, "messages")).toEqual(["messages: + → a→b Ping ×2"]);
    expect(lines(`(${m1} :> 1)`, `(${m1} :> 2)`, "messages")).toEqual([
      "messages[a→b Ping]: 1 → 2",
    ]);
  });
});
