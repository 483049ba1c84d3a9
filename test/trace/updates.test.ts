/**
 * Update operations (trace format version 3): derived from two canonical texts by the value's
 * schema, applied to decoded values, and every malformed operation rejected with the place.
 */
import { describe, expect, it } from "vitest";
import { canonicalJson, type ItfValue } from "../../src/core/itf.js";
import { S } from "../../src/core/schema.js";
import { protocols } from "../../src/registry.js";
import { faultNames } from "../../src/sim/faults.js";
import { parseTrace } from "../../src/trace/codec.js";
import { equals, fromItf, toItf, type Value } from "../../src/trace/itf.js";
import { applyUpdates, diffText } from "../../src/trace/updates.js";

const message = S.rec({ mtype: S.str, mterm: S.int, mdest: S.str });
const entry = S.rec({ term: S.int, value: S.str });
const schemas = {
  bag: S.fun(message, S.int),
  log: S.fun(S.str, S.seq(entry)),
  votes: S.fun(S.str, S.set(S.str)),
  term: S.fun(S.str, S.int),
};

const value = (j: unknown): Value => {
  const v = fromItf(j);
  if ("path" in v) throw new Error(v.message);
  return v;
};
const text = (v: Value) => canonicalJson(toItf(v) as ItfValue);
const m = (t: number, d: string) => ({ mdest: d, mterm: t, mtype: "Vote" });
const e = (t: number) => ({ term: t, value: "v1" });
const map = (...pairs: [unknown, unknown][]) => ({ "#map": pairs });

/** The operations from a to b, checked to turn a into b. */
function ops(s: keyof typeof schemas, a: unknown, b: unknown): unknown[] {
  const [x, y] = [value(a), value(b)];
  const t = diffText(schemas[s], text(x), text(y));
  const parsed = t === "" ? [] : (JSON.parse(t) as unknown[]);
  const back = applyUpdates(x, schemas[s], parsed, `updates.${s}`);
  expect(typeof back === "string" ? back : equals(back, y)).toBe(true);
  return parsed;
}

describe("update operations", () => {
  it("say what changed: a message added or removed, a log appended or truncated, one key set", () => {
    const bag = map([m(1, "s1"), 1], [m(1, "s2"), 2]);
    expect(ops("bag", bag, map([m(1, "s1"), 1], [m(1, "s2"), 2], [m(2, "s3"), 1]))).toEqual([
      { op: "set", path: [m(2, "s3")], value: 1 },
    ]);
    const four = map([m(1, "s1"), 1], [m(1, "s2"), 2], [m(1, "s3"), 1], [m(2, "s1"), 1]);
    expect(ops("bag", four, map([m(1, "s2"), 1], [m(1, "s3"), 1], [m(2, "s1"), 1]))).toEqual([
      { op: "unset", path: [m(1, "s1")] },
      { op: "set", path: [m(1, "s2")], value: 1 },
    ]);
    // Whichever is shorter: here the new bag whole.
    expect(ops("bag", bag, map([m(1, "s2"), 1]))).toEqual([
      { op: "set", path: [], value: map([m(1, "s2"), 1]) },
    ]);
    const log = map(["s1", [e(1), e(1), e(1), e(2)]], ["s2", []]);
    expect(ops("log", log, map(["s1", [e(1), e(1), e(1), e(2), e(2)]], ["s2", []]))).toEqual([
      { op: "append", path: ["s1"], elems: [e(2)] },
    ]);
    expect(ops("log", log, map(["s1", [e(1), e(1), e(1), e(3)]], ["s2", []]))).toEqual([
      { op: "truncate", path: ["s1"], length: 3 },
      { op: "append", path: ["s1"], elems: [e(3)] },
    ]);
    expect(ops("term", map(["s1", 1], ["s2", 1]), map(["s1", 1], ["s2", 2]))).toEqual([
      { op: "set", path: ["s2"], value: 2 },
    ]);
    const many = ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"].map((x) => `server-${x}`);
    expect(
      ops(
        "votes",
        map(["s1", { "#set": [...many, "s1", "s2"] }]),
        map(["s1", { "#set": [...many, "s2", "s3"] }]),
      ),
    ).toEqual([
      { op: "remove", path: ["s1"], elems: ["s1"] },
      { op: "add", path: ["s1"], elems: ["s3"] },
    ]);
    expect(ops("term", map(["s1", 1]), map(["s1", 1]))).toEqual([]);
  });

  it("give back every state of simulated runs, for every protocol", () => {
    for (const p of protocols()) {
      const parts: Buffer[] = [];
      const r = p.sim.prepare({ steps: 300, faults: faultNames, traceVersion: 1 })(7, (x) =>
        parts.push(...x),
      );
      const t = parseTrace(`${r.header}\n${Buffer.concat(parts).toString()}`, "t.ndjson");
      for (const { name, schema } of t.header.protocol.variables)
        for (let k = 1; k < t.events.length; k++) {
          const [a, b] = [t.events[k - 1]?.state[name], t.events[k]?.state[name]] as Value[];
          const d = diffText(schema, text(a as Value), text(b as Value));
          const back = applyUpdates(a as Value, schema, d === "" ? [] : JSON.parse(d), name);
          expect(typeof back !== "string" && equals(back, b as Value), `${name} event ${k}`).toBe(
            true,
          );
        }
    }
  });

  it("reject what does not apply, naming the operation and field", () => {
    const bag = value(map([m(1, "s1"), 1]));
    const log = value(map(["s1", [e(1)]]));
    const votes = value(map(["s1", { "#set": ["s1"] }]));
    const bad = (v: Value, s: keyof typeof schemas, o: unknown) =>
      applyUpdates(v, schemas[s], o, `updates.${s}`);
    expect(bad(bag, "bag", { op: "set" })).toMatch(
      /^updates\.bag: expected an array of operations/,
    );
    expect(bad(bag, "bag", [{ op: "move", path: [] }])).toMatch(
      /^updates\.bag\[0\]\.op: expected one of "set", "unset", "add", "remove", "append", "truncate", got "move"$/,
    );
    expect(bad(bag, "bag", [{ op: "unset", path: [m(2, "s1")] }])).toMatch(
      /^updates\.bag\[0\]\.path\[0\]: .* is not in the function's domain$/,
    );
    expect(bad(bag, "bag", [{ op: "set", path: [m(1, "s1")], value: "two" }])).toMatch(
      /^updates\.bag\[0\]\.value: expected an integer, got a string "two"$/,
    );
    expect(bad(bag, "bag", [{ op: "set", path: [{ mtype: "Vote" }], value: 1 }])).toMatch(
      /^updates\.bag\[0\]\.path\[0\]: expected fields .*; missing/,
    );
    expect(bad(log, "log", [{ op: "truncate", path: ["s1"], length: 3 }])).toMatch(
      /^updates\.log\[0\]\.length: expected an integer from 0 to 1 \(the sequence's length\), got 3$/,
    );
    expect(bad(log, "log", [{ op: "append", path: ["s1"], elems: [{ term: 1 }] }])).toMatch(
      /^updates\.log\[0\]\.elems\[0\]: expected fields term, value; missing value$/,
    );
    expect(bad(log, "log", [{ op: "add", path: ["s1"], elems: [] }])).toMatch(
      /^updates\.log\[0\]: "add" applies to a set only$/,
    );
    expect(bad(votes, "votes", [{ op: "remove", path: ["s1"], elems: ["s9"] }])).toMatch(
      /^updates\.votes\[0\]\.elems: "s9" is not in the set$/,
    );
    expect(bad(votes, "votes", [{ op: "set", path: ["s1", "s1"], value: 1 }])).toMatch(
      /^updates\.votes\[0\]\.path\[1\]: the value here .* has no parts to step into$/,
    );
    expect(bad(votes, "votes", [{ op: "unset", path: [] }])).toMatch(
      /^updates\.votes\[0\]: "unset" needs a path ending in the key to remove$/,
    );
  });
});
