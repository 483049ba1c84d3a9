/**
 * The committed Multi-Paxos traces: each good one (a genuine behaviour found by TLC) validates on
 * both engines, and each bad one is its good trace with one documented corruption, rejected at
 * exactly that event with exactly the corrupted variables named.
 */
import { describe, expect, it } from "vitest";
import { paxosFixtures } from "../../src/paxos/fixtures.js";
import { readTrace } from "../../src/trace/codec.js";
import { validateFiles } from "../../src/trace/validate.js";
import {
  engines,
  expectAllAccepted,
  expectOneCorruption,
  expectRejectedAt,
  traceFixtures,
} from "../trace/helpers.js";

const { good, bad } = traceFixtures("paxos");
const { corruptions } = paxosFixtures;
const goods = [...new Set(corruptions.map((c) => c.from))];

describe("the committed Paxos fixtures", () => {
  it("covers the five corruptions the issue names, and a reconfiguration taking effect early", () => {
    expect(corruptions.map((c) => c.name).sort()).toEqual([
      "accepted-below-ballot",
      "acceptor-ballot-down",
      "adopted-on-minority",
      "executed-before-decided",
      "leaders-switched-early",
      "two-commands-decided",
    ]);
  });

  it("has a committed trace for every good fixture", () => {
    expect([...goods].sort()).toEqual(paxosFixtures.good.map((f) => f.name).sort());
  });

  it("each bad trace is its good trace with exactly the one documented corruption", () => {
    for (const c of corruptions) {
      const g = readTrace(good(c.from));
      expect(g.header.protocol.name).toBe("paxos");
      expectOneCorruption(g, readTrace(bad(c.name)), c);
    }
  });
});

for (const { engine, skip } of engines) {
  describe.skipIf(skip)(`Paxos trace validation with ${engine}`, () => {
    it("accepts every good trace", async () => {
      const files = goods.map(good);
      const validated = await validateFiles(files, { engine });
      expect(validated.results.length).toBe(goods.length);
      expectAllAccepted(validated, files, engine);
    });

    it("rejects each bad trace at the corrupted event, naming the corrupted variables", async () => {
      const { results } = await validateFiles(
        corruptions.map((c) => bad(c.name)),
        { engine },
      );
      corruptions.forEach((c, k) => {
        expectRejectedAt(results[k], c, engine);
      });
    });
  });
}
