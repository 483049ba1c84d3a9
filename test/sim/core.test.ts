/** src/core: the seeded PRNG and the key-value state machine. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { idSet, sameIdSet, serverIds } from "../../src/core/ids.js";
import { canonicalJson } from "../../src/core/itf.js";
import { kvStore } from "../../src/core/kv.js";
import { Prng } from "../../src/core/prng.js";
import { applyAll } from "../../src/core/rsm.js";

describe("Prng", () => {
  it("is a function of its seed", () => {
    const draw = (seed: number) => {
      const r = new Prng(seed);
      return Array.from({ length: 5 }, () => r.nextU32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("draws in range and roughly uniformly", () => {
    const r = new Prng(1);
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 40_000; k++) {
      const x = r.int(4);
      counts[x] = (counts[x] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(9_000);
    for (let k = 0; k < 1000; k++) expect(r.range(3, 5)).toBeGreaterThanOrEqual(3);
  });

  it("weighted picks follow the weights and never pick a zero weight", () => {
    const r = new Prng(2);
    const w = [0, 1, 3, 0];
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 8000; k++) {
      const x = r.weighted(w);
      counts[x] = (counts[x] ?? 0) + 1;
    }
    expect(counts[0]).toBe(0);
    expect(counts[3]).toBe(0);
    expect((counts[2] as number) / (counts[1] as number)).toBeGreaterThan(2.5);
    expect(r.weighted([0, 0])).toBe(-1);
  });
});

describe("kvStore", () => {
  it("applies put/get/delete deterministically, returning the previous value", () => {
    const [s, results] = applyAll(kvStore, kvStore.initial, [
      { op: "put", key: "a", value: "1" },
      { op: "put", key: "a", value: "2" },
      { op: "get", key: "a" },
      { op: "delete", key: "a" },
      { op: "get", key: "a" },
    ]);
    expect(results).toEqual([O.none, O.some("1"), O.some("2"), O.some("2"), O.none]);
    expect(s.size).toBe(0);
    expect(kvStore.initial.size).toBe(0);
  });
});

describe("ids and ITF", () => {
  it("keeps id sets canonical", () => {
    expect(serverIds(3)).toEqual(["s1", "s2", "s3"]);
    expect(idSet(["s3", "s1", "s3"])).toEqual(["s1", "s3"]);
    expect(sameIdSet(["s1"], ["s1"])).toBe(true);
  });

  it("prints canonical JSON: sorted keys, sets and map keys", () => {
    expect(
      canonicalJson({
        b: 1,
        a: { "#set": ["y", "x", "x"] },
        c: {
          "#map": [
            ["k2", 2],
            ["k1", [true]],
          ],
        },
      }),
    ).toBe('{"a":{"#set":["x","y"]},"b":1,"c":{"#map":[["k1",[true]],["k2",2]]}}');
  });
});
