import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { discoverModels, type Model, parseMetadata, selectModels } from "../../src/tla/models.js";
import { UserError } from "../../src/tla/types.js";
import { specRoot } from "./helpers.js";

describe("parseMetadata", () => {
  it("reads the leading comment block", () => {
    const meta = parseMetadata(
      [
        "\\* model: MCRaft",
        "\\* expect: ElectionSafety",
        "\\* engines: tlc",
        "\\* why: uses ACTION_CONSTRAINT",
        "\\* tier: deep",
        "\\* about: a bug variant",
        "CONSTANT N = 3",
        "\\* expect: pass",
      ].join("\n"),
      "x.cfg",
    );
    expect(meta).toEqual({
      model: "MCRaft",
      expect: "ElectionSafety",
      engines: ["tlc"],
      why: "uses ACTION_CONSTRAINT",
      tier: "deep",
      about: "a bug variant",
    });
  });

  it("stops at the first non-comment line and ignores free-form comments", () => {
    const meta = parseMetadata(
      "\n\\* A model of things\n\\* expect: pass\nINIT Init\n\\* tier: deep\n",
      "x.cfg",
    );
    expect(meta).toEqual({ expect: "pass" });
  });

  it("rejects bad values with file:line", () => {
    expect(() => parseMetadata("\\* expect: pass\n\\* tier: nightly\n", "spec/a/M.cfg")).toThrow(
      'spec/a/M.cfg:2: tier: expects "ci" or "deep", got "nightly"',
    );
    expect(() => parseMetadata("\\* engines: tlc apalache\n", "M.cfg")).toThrow(
      /M\.cfg:1: engines:/,
    );
    expect(() => parseMetadata("\\* expect: two words\n", "M.cfg")).toThrow(UserError);
  });
});

describe("discoverModels", () => {
  it("finds every cfg with an expect line, with defaults applied", () => {
    const models = discoverModels(specRoot);
    const names = models.map((m) => m.name);
    expect(names).toContain("MCCounter");
    expect(names).not.toContain("Harness"); // no expect: line, so not a model
    const mc = models.find((m) => m.name === "MCCounter") as Model;
    expect(mc).toMatchObject({
      protocol: "counter",
      module: "MCCounter",
      expect: "pass",
      tier: "ci",
    });
    expect(mc.engines).toEqual(["tlc", "embedded"]);
    const bad = models.find((m) => m.name === "MCCounterBadInv") as Model;
    expect(bad).toMatchObject({ module: "MCCounter", expect: "XSmall" });
    expect(bad.tlaPath.endsWith("MCCounter.tla")).toBe(true);
    const only = models.find((m) => m.name === "MCCounterTlcOnly") as Model;
    expect(only.engines).toEqual(["tlc"]);
    expect(only.why).toMatch(/ACTION_CONSTRAINT/);
  });

  describe("with a scratch spec directory", () => {
    let dir = "";
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const scratch = (files: Record<string, string>) => {
      dir = mkdtempSync(join(tmpdir(), "lockstep-models-"));
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(dir, f, ".."), { recursive: true });
        writeFileSync(join(dir, f), text);
      }
      return dir;
    };

    it("reports a missing module with the cfg's name", () => {
      scratch({ "p/M.cfg": "\\* model: Nope\n\\* expect: pass\n" });
      expect(() => discoverModels(dir)).toThrow(/M\.cfg:1: module Nope not found/);
    });

    it("requires a why line when an engine is excluded", () => {
      scratch({ "p/M.cfg": "\\* expect: pass\n\\* engines: tlc\n", "p/M.tla": "" });
      expect(() => discoverModels(dir)).toThrow(/needs a "\\\* why:" line/);
    });

    it("rejects a model name used by two protocols", () => {
      scratch({
        "a/M.cfg": "\\* expect: pass\n",
        "a/M.tla": "",
        "b/M.cfg": "\\* expect: pass\n",
        "b/M.tla": "",
      });
      expect(() => discoverModels(dir)).toThrow(/model name M is also used/);
    });
  });
});

describe("selectModels", () => {
  const models = discoverModels(specRoot);
  const names = (ms: Model[]) => ms.map((m) => m.name);

  it("takes the ci tier by default and everything with --deep", () => {
    expect(names(selectModels(models, undefined, false))).not.toContain("MCCounterDeep");
    expect(names(selectModels(models, undefined, true))).toContain("MCCounterDeep");
  });

  it("selects a deep model by its exact name", () => {
    expect(names(selectModels(models, "MCCounterDeep", false))).toEqual(["MCCounterDeep"]);
  });

  it("matches a regular expression, or a substring when the filter is not one", () => {
    expect(names(selectModels(models, "^MCCounterBad", false))).toEqual([
      "MCCounterBadAction",
      "MCCounterBadInv",
    ]);
    expect(names(selectModels(models, "Bad", false))).toEqual([
      "MCCounterBadAction",
      "MCCounterBadInv",
    ]);
    expect(() => selectModels(models, "Counter(", false)).toThrow(/no model matches/);
  });

  it("names the available models when nothing matches", () => {
    expect(() => selectModels(models, "Paxos", false)).toThrow(
      /^no model matches "Paxos"; available: .*MCCounter, .*MCCounterTlcOnly/,
    );
  });

  it("says when only deep models match", () => {
    expect(() => selectModels(models, "Deep$", false)).toThrow(
      /only deep-tier models match "Deep\$" \(MCCounterDeep\)/,
    );
  });
});
