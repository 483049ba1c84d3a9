import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bool,
  compare,
  equals,
  fromItf,
  fun,
  int,
  printTla,
  rec,
  seq,
  set,
  str,
  toItf,
  type Value,
  ValueC,
} from "../../src/trace/itf.js";
import { parseTlaValue } from "../../src/trace/tla-text.js";

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer({ min: -1000, max: 1000 }).map(int),
    fc.boolean().map(bool),
    fc.string({ maxLength: 6 }).map(str),
    fc.array(tie("v"), { maxLength: 4 }).map(set),
    fc.array(tie("v"), { maxLength: 4 }).map(seq),
    fc
      .uniqueArray(fc.tuple(fc.constantFrom("a", "b", "mterm", "log"), tie("v")), {
        minLength: 1,
        maxLength: 3,
        selector: ([k]) => k,
      })
      .map((fs) => rec(fs)),
    fc
      .uniqueArray(fc.tuple(tie("v"), tie("v")), { maxLength: 3, selector: ([k]) => printTla(k) })
      .map((ps) => fun(ps)),
  ),
})).v;

describe("ITF values", () => {
  it("keep sets canonical: sorted, without duplicates", () => {
    const s = set([str("b"), str("a"), str("b"), int(10), int(9)]);
    expect(printTla(s)).toBe('{9, 10, "a", "b"}');
    expect(equals(s, set([str("a"), int(9), str("b"), int(10)]))).toBe(true);
  });

  it("print TLA+ text for every kind", () => {
    expect(printTla(seq([int(1), bool(true), str('say "hi"\\')]))).toBe(
      '<<1, TRUE, "say \\"hi\\"\\\\">>',
    );
    expect(printTla(rec({ term: int(1), old: set([]) }))).toBe("[old |-> {}, term |-> 1]");
    expect(
      printTla(
        fun([
          [str("s2"), int(0)],
          [str("s1"), int(3)],
        ]),
      ),
    ).toBe('("s1" :> 3 @@ "s2" :> 0)');
    expect(printTla(fun([]))).toBe("[x \\in {} |-> 0]");
    expect(printTla(int(-4))).toBe("(0 - 4)");
    // A field that is no identifier makes the record a function of strings (the same value).
    expect(printTla(rec({ "a b": int(1) }))).toBe('("a b" :> 1)');
  });

  it("decode the ITF encoding, including #bigint and #tup, and encode it back", () => {
    const json = {
      "#map": [
        ["s1", { "#set": [1, 2, { "#bigint": "3" }] }],
        ["s2", { "#tup": [true, "x"] }],
      ],
    };
    const v = fromItf(json);
    expect("path" in v).toBe(false);
    expect(printTla(v as Value)).toBe('("s1" :> {1, 2, 3} @@ "s2" :> <<TRUE, "x">>)');
    expect(toItf(v as Value)).toEqual({
      "#map": [
        ["s1", { "#set": [1, 2, 3] }],
        ["s2", [true, "x"]],
      ],
    });
    expect(toItf(int(7), { bigint: true })).toEqual({ "#bigint": "7" });
  });

  it("say where a value is malformed", () => {
    expect(fromItf({ log: { "#map": [["s1", [1, 2.5]]] } })).toEqual({
      path: "log.#map[0][1][1]",
      message: '2.5 is not an integer TLA+ can hold exactly (write {"#bigint":"…"})',
    });
    expect(fromItf({ "#set": [1], extra: 2 })).toMatchObject({ message: /no other keys/ });
    expect(
      fromItf({
        "#map": [
          ["a", 1],
          ["a", 2],
        ],
      }),
    ).toMatchObject({ message: /two different values/ });
    expect(fromItf(null)).toMatchObject({ message: /null/ });
    expect(ValueC.decode({ "#frob": 1 })._tag).toBe("Left");
  });

  it("round-trip through ITF JSON and through printed TLA+ text", () => {
    fc.assert(
      fc.property(value, (v) => {
        const back = fromItf(JSON.parse(JSON.stringify(toItf(v))));
        expect("path" in back ? back : printTla(back)).toBe(printTla(v));
        const parsed = parseTlaValue(printTla(v));
        // Printing forgets only what TLA+ does not distinguish (e.g. <<>> vs the empty function).
        expect(printTla(parsed)).toBe(printTla(v));
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it("order values totally", () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(Math.sign(compare(a, b)) + Math.sign(compare(b, a))).toBe(0);
        expect(compare(a, b) === 0).toBe(printTla(a) === printTla(b));
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});

describe("reading printed TLA+ values", () => {
  it("reads TLC's and tla-checker's output, model values as strings", () => {
    expect(printTla(parseTlaValue("(s1 :> [a |-> <<>>, b |-> {s2}] @@ s2 :> FALSE)"))).toBe(
      '("s1" :> [a |-> <<>>, b |-> {"s2"}] @@ "s2" :> FALSE)',
    );
    expect(parseTlaValue("true")).toEqual(bool(true));
    expect(parseTlaValue("[x \\in {} |-> 0]")).toEqual(fun([]));
  });
});
