import { describe, expect, it } from "vitest";
import { resolveEngine, withCountCheck } from "../../src/tla/engine.js";
import { discoverModels, type Model } from "../../src/tla/models.js";
import { runChecks, workersPerCheck } from "../../src/tla/run.js";
import type { CheckResult } from "../../src/tla/types.js";
import { specRoot } from "./helpers.js";

const models = discoverModels(specRoot);
const model = (name: string) => models.find((m) => m.name === name) as Model;

const result = (r: Partial<CheckResult>): CheckResult => ({
  model: "M",
  protocol: "p",
  engine: "tlc",
  expected: "Inv",
  outcome: "Inv",
  distinctStates: 7,
  generatedStates: null,
  depth: null,
  seconds: 1,
  ...r,
});

describe("withCountCheck", () => {
  const m: Model = { ...model("SwitchBug"), states: { embedded: 5, tlc: 5, at: "M.cfg:3" } };

  it("compares a pass always, and a violation only when the count is deterministic", () => {
    const pass = { ...m, expect: "pass" };
    expect(
      withCountCheck(pass, result({ expected: "pass", outcome: "pass" }), 2).countMismatch,
    ).toBe("M.cfg:3: states: expected tlc 5, got 7");
    // TLC with two workers: the count at a violation depends on which worker gets there first.
    expect(withCountCheck(m, result({}), 2).countMismatch).toBeUndefined();
    expect(withCountCheck(m, result({}), 1).countMismatch).toBe(
      "M.cfg:3: states: expected tlc 5, got 7",
    );
    expect(withCountCheck(m, result({ engine: "embedded" }), 1).countMismatch).toBe(
      "M.cfg:3: states: expected embedded 5, got 7",
    );
    expect(withCountCheck(m, result({ distinctStates: 5 }), 1).countMismatch).toBeUndefined();
  });

  it("leaves a wrong outcome, and an engine the header does not count, alone", () => {
    expect(withCountCheck(m, result({ outcome: "pass" }), 1).countMismatch).toBeUndefined();
    const tlcOnly: Model = { ...m, states: { tlc: 5, at: "M.cfg:3" } };
    expect(
      withCountCheck(tlcOnly, result({ engine: "embedded" }), 1).countMismatch,
    ).toBeUndefined();
  });

  it("says so when the engine gave no count", () => {
    expect(withCountCheck(m, result({ distinctStates: null }), 1).countMismatch).toBe(
      "M.cfg:3: states: expected tlc 5, got no count",
    );
  });
});

describe("runChecks", () => {
  it("starts the biggest checks first and returns results in the given order", async () => {
    const chosen = ["SwitchBug", "SwitchBug/control", "SwitchTlcTier", "SwitchWrongCount"].map(
      model,
    );
    const started: string[] = [];
    const finished: number[] = [];
    const results = await runChecks(chosen, resolveEngine("embedded"), {
      jobs: 1,
      onStart: (_, m) => started.push(m.name),
      onResult: (i) => finished.push(i),
    });
    // Header counts: SwitchTlcTier 7, SwitchBug 5, SwitchWrongCount 5, SwitchBug/control 4.
    expect(started).toEqual([
      "SwitchTlcTier",
      "SwitchBug",
      "SwitchWrongCount",
      "SwitchBug/control",
    ]);
    expect(finished).toEqual([2, 0, 3, 1]);
    expect(results.map((r) => r.model)).toEqual(chosen.map((m) => m.name));
    expect(results.map((r) => r.outcome)).toEqual(["Inv", "pass", "pass", "pass"]);
  });

  it("gives TLC one worker per check when checks run side by side", () => {
    expect(workersPerCheck(5, 2)).toBe(1);
    expect(workersPerCheck(5, 2, 3)).toBe(3);
    expect(workersPerCheck(1, 2)).toBeGreaterThanOrEqual(1);
    expect(workersPerCheck(5, 1)).toBe(workersPerCheck(1, 2));
  });

  it("stops starting checks once aborted", async () => {
    const ac = new AbortController();
    ac.abort();
    const results = await runChecks([model("SwitchBug")], resolveEngine("embedded"), {
      signal: ac.signal,
    });
    expect(results).toEqual([]);
  });
});
