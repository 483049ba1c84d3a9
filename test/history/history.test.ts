/** The history file format and the recorder real clients use. */
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import {
  decodeHistory,
  encodeHistory,
  HistoryRecorder,
  readHeader,
} from "../../src/history/history.js";
import { kv, register } from "../../src/history/models.js";

const header = '{"history":1,"model":"kv"}';
const good = [
  header,
  '{"id":0,"client":"a","input":{"op":"put","key":"x","value":"1"},"call":0,"return":2,"output":{"value":null}}',
  '{"id":1,"client":"b","input":{"op":"get","key":"x"},"call":1,"return":null}',
  "",
].join("\n");

const errorOf = (text: string): string => {
  try {
    decodeHistory(text, "h.ndjson", "kv", kv);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error("expected a UserError");
};

describe("history files", () => {
  it("round-trip: decode(encode(h)) is h", () => {
    const h = decodeHistory(good, "h.ndjson", "kv", kv);
    expect(h.ops).toHaveLength(2);
    expect(h.ops[1]?.return).toBeNull();
    expect(h.ops[1] && "output" in h.ops[1]).toBe(false);
    expect(encodeHistory(h)).toBe(good);
    expect(readHeader(good, "h.ndjson").model).toBe("kv");
  });

  it.each([
    ["not JSON", `${header}\n{oops`, /^h\.ndjson:2: not JSON/],
    ["no header", '{"id":0}', /^h\.ndjson:1: not a history header/],
    [
      "a field missing",
      `${header}\n{"id":0,"client":"a","input":{"op":"get","key":"x"},"return":1}`,
      /^h\.ndjson:2: not an operation \("call" is undefined, expected number\)/,
    ],
    [
      "a bad input",
      `${header}\n\n{"id":0,"client":"a","input":{"op":"frob"},"call":0,"return":1,"output":{"value":null}}`,
      /^h\.ndjson:3: not a kv input/,
    ],
    [
      "a completed op without output",
      `${header}\n{"id":0,"client":"a","input":{"op":"get","key":"x"},"call":0,"return":1}`,
      /h\.ndjson:2: a completed op needs an "output"/,
    ],
    [
      "a pending op with output",
      `${header}\n{"id":0,"client":"a","input":{"op":"get","key":"x"},"call":0,"return":null,"output":{"value":null}}`,
      /h\.ndjson:2: a pending op/,
    ],
    [
      "return before call",
      `${header}\n{"id":0,"client":"a","input":{"op":"get","key":"x"},"call":5,"return":1,"output":{"value":null}}`,
      /h\.ndjson:2: return 1 is before call 5/,
    ],
    [
      "a duplicate id",
      `${header}\n${good.split("\n")[1]}\n${good.split("\n")[1]}`,
      /h\.ndjson:3: id 0 is used on line 2 too/,
    ],
  ])("%s is one error naming file:line", (_, text, re) => {
    const m = errorOf(text);
    expect(m).toMatch(re);
    expect(m).not.toContain("\n");
  });
});

describe("HistoryRecorder", () => {
  it("records calls, answers and timeouts on the clock it is given", () => {
    let now = 0;
    const rec = new HistoryRecorder<unknown, unknown>("register", () => now++);
    const w = rec.invoke("a", { op: "write", value: 1 });
    const r = rec.invoke("b", { op: "read" });
    rec.ok(w, {});
    rec.pending(r);
    const open = rec.invoke("c", { op: "read" });
    expect(() => rec.ok(w, {})).toThrow(/already/);
    const h = rec.toHistory();
    expect(h.model).toBe("register");
    expect(h.ops).toEqual([
      { id: 0, client: "a", input: { op: "write", value: 1 }, call: 0, return: 2, output: {} },
      { id: 1, client: "b", input: { op: "read" }, call: 1, return: null },
      { id: open, client: "c", input: { op: "read" }, call: 3, return: null },
    ]);
    // What it records reads back as the same history.
    expect(decodeHistory(encodeHistory(h), "r", "register", register).ops).toEqual(h.ops);
  });
});
