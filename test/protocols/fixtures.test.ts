/**
 * The committed traces of every registered protocol (traces/<p>/good, traces/<p>/bad): each good
 * one (a genuine behaviour TLC found in the spec) validates on both engines, and each bad one is
 * a good one with exactly its documented corruption, rejected at exactly that event with exactly
 * the corrupted variables named.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProtocolModule } from "../../src/protocol.js";
import { protocols } from "../../src/registry.js";
import { readTrace } from "../../src/trace/codec.js";
import { validateFiles } from "../../src/trace/validate.js";
import {
  engines,
  expectAllAccepted,
  expectOneCorruption,
  expectRejectedAt,
  traceFixtures,
} from "../trace/helpers.js";

for (const p of protocols()) {
  const { good, bad } = traceFixtures(p.name);
  const { corruptions } = p.fixtures;
  const goods = p.fixtures.good.map((f) => f.name);

  describe(`the committed ${p.title} traces`, () => {
    it("has a committed trace for every declared good fixture, and bad ones made from them", () => {
      expect(goods.filter((g) => !existsSync(good(g)))).toEqual([]);
      expect(corruptions.length).toBeGreaterThan(0);
      expect(corruptions.filter((c) => !goods.includes(c.from)).map((c) => c.name)).toEqual([]);
    });

    it("each bad trace is its good trace with exactly the one documented corruption", () => {
      for (const c of corruptions) {
        const g = readTrace(good(c.from));
        expect(g.header.protocol.name).toBe(p.name);
        expectOneCorruption(g, readTrace(bad(c.name)), c);
      }
    });
  });

  for (const { engine, skip } of engines)
    describe.skipIf(skip)(`${p.title} trace validation with ${engine}`, () => {
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
          const r = results[k];
          expectRejectedAt(r, c, engine);
          for (const d of r?.diff ?? []) {
            expect(d.allowed.length).toBeGreaterThan(0);
            expect(d.allowed).not.toContain(d.logged);
            expect(d.detail.length).toBeGreaterThan(0);
          }
        });
      });
    });
}

describe("a trace is read as the protocol its header names", () => {
  it.skipIf(protocols().length < 2)(
    "a trace labelled as another protocol is rejected",
    async () => {
      const [a, b] = protocols() as [ProtocolModule, ProtocolModule];
      const file = traceFixtures(a.name).good(a.fixtures.good[0]?.name ?? "");
      const lines = readFileSync(file, "utf8").split("\n");
      lines[0] = (lines[0] ?? "").replace(`"protocol":"${a.name}"`, `"protocol":"${b.name}"`);
      const other = join(mkdtempSync(join(tmpdir(), "lockstep-label-")), "relabelled.ndjson");
      writeFileSync(other, lines.join("\n"));
      const { problems } = await validateFiles([other], { engine: "embedded" });
      expect(problems.map((x) => x.error).join("\n")).toMatch(
        new RegExp(
          `relabelled\\.ndjson:1: header: constants\\.\\w+ is not a constant of ${b.spec.module}`,
        ),
      );
    },
  );
});
