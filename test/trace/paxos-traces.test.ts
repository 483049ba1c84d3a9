/**
 * The committed Multi-Paxos traces: each good one (a genuine behaviour found by TLC) validates on
 * both engines, and each bad one is its good trace with one documented corruption, rejected at
 * exactly that event with exactly the corrupted variables named.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { encodeTrace, readTrace } from "../../src/trace/codec.js";
import { corrupt, paxosFixtures } from "../../src/trace/fixtures.js";
import { formatNdjson } from "../../src/trace/ndjson.js";
import { validateFiles } from "../../src/trace/validate.js";
import { tlcSetup } from "./helpers.js";

const dir = fileURLToPath(new URL("../../traces/paxos", import.meta.url));
const good = (name: string) => `${dir}/good/${name}.ndjson`;
const bad = (name: string) => `${dir}/bad/${name}.ndjson`;
const { corruptions } = paxosFixtures;
const goods = [...new Set(corruptions.map((c) => c.from))];

const engines = [
  { engine: "embedded" as const, skip: false },
  { engine: "tlc" as const, skip: !tlcSetup },
];

describe("the committed Paxos fixtures", () => {
  it("covers the five corruptions the issue names", () => {
    expect(corruptions.map((c) => c.name).sort()).toEqual([
      "accepted-below-ballot",
      "acceptor-ballot-down",
      "adopted-on-minority",
      "executed-before-decided",
      "two-commands-decided",
    ]);
  });

  it("each bad trace is its good trace with exactly the one documented corruption", () => {
    for (const c of corruptions) {
      const g = readTrace(good(c.from));
      expect(g.header.protocol.name).toBe("paxos");
      const b = readTrace(bad(c.name));
      expect(formatNdjson(encodeTrace(b))).toBe(formatNdjson(encodeTrace(corrupt(g, c))));
      const changed = b.events.filter(
        (e, k) =>
          JSON.stringify(encodeTrace({ header: b.header, events: [e] })) !==
          JSON.stringify(encodeTrace({ header: g.header, events: [g.events[k] as typeof e] })),
      );
      expect(changed.map((e) => e.i)).toEqual([c.event]);
    }
  });
});

for (const { engine, skip } of engines) {
  describe.skipIf(skip)(`Paxos trace validation with ${engine}`, () => {
    it("accepts every good trace", async () => {
      const { results, problems } = await validateFiles(goods.map(good), { engine });
      expect(problems).toEqual([]);
      expect(results.length).toBe(goods.length);
      for (const r of results) {
        expect(r, r.file).toMatchObject({ ok: true, engine });
        expect(r.failedAt).toBeUndefined();
      }
      expect(results.map((r) => r.events)).toEqual(
        goods.map((g) => readTrace(good(g)).events.length),
      );
    });

    it("rejects each bad trace at the corrupted event, naming the corrupted variables", async () => {
      const { results } = await validateFiles(
        corruptions.map((c) => bad(c.name)),
        { engine },
      );
      corruptions.forEach((c, k) => {
        const r = results[k];
        expect(r, c.name).toMatchObject({
          ok: false,
          engine,
          failedAt: c.event,
          line: c.event + 2,
        });
        expect(r?.action, c.name).toMatch(new RegExp(`^${c.action}\\(`));
        expect(
          r?.diff?.map((d) => d.variable),
          c.name,
        ).toEqual(c.diff);
      });
    });
  });
}
