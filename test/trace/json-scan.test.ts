import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { decodeTrace, parseTrace } from "../../src/trace/codec.js";
import { arrayElements, objectMembers } from "../../src/trace/json-scan.js";
import { parseNdjson } from "../../src/trace/ndjson.js";
import { traceFixtures } from "./helpers.js";

describe("scanning JSON by position", () => {
  it("finds members and elements whatever their strings contain", () => {
    const text = '{"a": [1, "x]}\\"", {"b": {}}], "k\\"ey" :true, "c":-1.5e3}';
    const m = objectMembers(text, 0);
    const texts = Object.fromEntries([...(m ?? [])].map(([k, [a, b]]) => [k, text.slice(a, b)]));
    expect(texts).toEqual({ a: '[1, "x]}\\"", {"b": {}}]', 'k"ey': "true", c: "-1.5e3" });
    const span = m?.get("a") as [number, number];
    expect(arrayElements(text, span[0])?.map(([a, b]) => text.slice(a, b))).toEqual([
      "1",
      '"x]}\\""',
      '{"b": {}}',
    ]);
  });

  it("agrees with JSON.parse on any object", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const text = JSON.stringify(o, null, Math.random() < 0.5 ? 1 : 0);
        const m = objectMembers(text, 0);
        expect(m).not.toBeNull();
        const back = Object.fromEntries(
          [...(m ?? [])].map(([k, [a, b]]) => [k, JSON.parse(text.slice(a, b))]),
        );
        expect(back).toEqual(JSON.parse(text));
      }),
    );
  });

  it("returns null for what is not an object", () => {
    expect(objectMembers('{"a" 1}', 0)).toBeNull();
    expect(objectMembers("[1]", 0)).toBeNull();
    expect(objectMembers('{"a": "unterminated}', 0)).toBeNull();
  });

  it("reads a trace the same as parsing every line whole", () => {
    for (const p of protocols())
      for (const f of p.fixtures.good) {
        const text = readFileSync(traceFixtures(p.name).good(f.name), "utf8");
        expect(parseTrace(text, "t").events).toEqual(
          decodeTrace(parseNdjson(text, "t"), "t").events,
        );
      }
  });
});
