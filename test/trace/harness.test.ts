import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exploreEmbedded } from "../../src/tla/embedded.js";
import { patch, SharedPrinter, sharedModulePath } from "../../src/trace/harness.js";
import { fun, int, printTla, rec, seq, set, str, type Value } from "../../src/trace/itf.js";

const harness = readFileSync(sharedModulePath, "utf8");
/** The harness's Patch operator, as written in spec/TraceValidation.tla. */
const patchOperator = (() => {
  const start = harness.indexOf("RECURSIVE Patch(_, _)");
  const end = harness.indexOf("\n\n", start);
  return harness.slice(start, end);
})();

// Values shaped like protocols' variables: functions of ids, logs, sets, message bags.
const server = fc.constantFrom("s1", "s2", "s3").map(str);
const entry = fc
  .record({ term: fc.nat(3), value: fc.constantFrom("v1", "Nil") })
  .map((e) => rec({ term: int(e.term), value: str(e.value), old: set([]), new: set([]) }));
const log = fc.array(entry, { maxLength: 4 }).map(seq);
const byServer = <T extends Value>(v: fc.Arbitrary<T>) =>
  fc.uniqueArray(fc.tuple(server, v), { maxLength: 3, selector: ([k]) => printTla(k) }).map(fun);
const value: fc.Arbitrary<Value> = fc.oneof(
  byServer(fc.nat(5).map(int)),
  byServer(log),
  byServer(byServer(fc.nat(3).map(int))),
  byServer(fc.array(server, { maxLength: 3 }).map(set)),
  fc
    .uniqueArray(fc.tuple(entry, fc.integer({ min: 1, max: 3 }).map(int)), {
      maxLength: 3,
      selector: ([k]) => printTla(k),
    })
    .map(fun),
  log,
);
/** A value and a variation of it (often sharing most of its structure). */
const pair = value.chain((a) =>
  fc.oneof(
    fc.constant([a, a] as const),
    value.map((b) => [a, b] as const),
    fc.constant(a).map((x) => {
      if (x.kind === "seq") return [x, seq(x.elems.slice(0, -1))] as const;
      if (x.kind === "fun" && x.pairs.length > 0) return [x, fun(x.pairs.slice(1))] as const;
      return [x, x] as const;
    }),
  ),
);

describe("patches of logged values", () => {
  it("are null for equal values and prefer the shorter encoding", () => {
    const e = (t: number) => rec({ term: int(t), value: str("v1"), old: set([]), new: set([]) });
    const a = fun([
      [str("s1"), seq([e(1), e(1), e(2)])],
      [str("s2"), seq([])],
    ]);
    const b = fun([
      [str("s1"), seq([e(1), e(1), e(2), e(3)])],
      [str("s2"), seq([])],
    ]);
    // Without shared names (records printed in full) the patch is the shorter text.
    const plain = new SharedPrinter("X", Number.POSITIVE_INFINITY);
    expect(patch(a, a, plain)).toBeNull();
    expect(patch(a, b, plain)).toBe(
      '[k |-> "f", del |-> {}, upd |-> ("s1" :> [k |-> "s", keep |-> 3, tail |-> <<[new |-> {}, old |-> {}, term |-> 3, value |-> "v1"]>>])]',
    );
    expect(patch(int(1), int(2))).toBe('[k |-> "v", v |-> 2]');
  });

  it("give back the logged value under the harness's Patch (evaluated by the embedded engine)", async () => {
    const cases = fc.sample(pair, { numRuns: 60, seed: 42 });
    const pr = new SharedPrinter();
    const lines = cases.map(([a, b]) => {
      const d = patch(a, b, pr);
      // Equal values have no patch: the harness keeps the old value.
      return d === null
        ? `${pr.print(a)} = ${pr.print(b)}`
        : `Patch(${pr.print(a)}, ${d}) = ${pr.print(b)}`;
    });
    const source = [
      "---- MODULE PatchCheck ----",
      "EXTENDS Naturals, Sequences, TLC",
      "VARIABLE x",
      ...pr.take(),
      patchOperator,
      `Cases == <<${lines.join(",\n  ")}>>`,
      "Init == x = 0",
      "Next == UNCHANGED x",
      "====",
    ].join("\n");
    const [state] = await exploreEmbedded(source, "INIT Init\nNEXT Next\n", 0, "Cases");
    const results = (state?.value as { __tuple?: boolean[] } | undefined)?.__tuple ?? [];
    expect(results).toHaveLength(cases.length);
    results.forEach((ok, k) => {
      expect(ok, lines[k]).toBe(true);
    });
  });
});
