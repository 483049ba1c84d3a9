/**
 * The Multi-Paxos models: the correct model passes on both engines with equal state counts, each
 * bug variant is refuted with the invariant it names, the witnesses are reachable (so passes are
 * not vacuous), and every bug model passes once its bug is switched off (so the violation is the
 * bug's doing, not the bounds').
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/tla/engine.js";
import type { CheckResult } from "../../src/tla/types.js";
import { tlcAvailable } from "../tla/helpers.js";
import { embedded, expectRefuted, protocolModels, tlc, tlcBugTests } from "./helpers.js";

const { models, byName, control } = protocolModels("paxos", (cfg) =>
  expect(cfg).not.toMatch(/Bug\w+ = TRUE/),
);

const BUGS = [
  ["MCMultiPaxosBugIgnorePvalues", "ChosenIsProposed", "BugIgnorePvalues"],
  ["MCMultiPaxosBugAcceptLowerBallot", "ChosenIsProposed", "BugAcceptLowerBallot"],
  ["MCMultiPaxosBugExecuteOutOfOrder", "ExecutedPrefixAgree", "BugExecuteOutOfOrder"],
  ["MCMultiPaxosBugMinorityAdoption", "ChosenIsProposed", "BugMinorityAdoption"],
] as const;

const WITNESSES = [
  ["MCMultiPaxosPreemptReachable", "NoDecisionAfterPreemption"],
  ["MCMultiPaxosReconfigReachable", "ReconfigNeverTakesEffect"],
] as const;

/** The embedded engine's run of MCMultiPaxos, shared by the embedded and the TLC tests. */
let embeddedMainRun: Promise<CheckResult> | undefined;
const embeddedMain = () => {
  embeddedMainRun ??= checkModel(byName("MCMultiPaxos"), embedded);
  return embeddedMainRun;
};

/** The [slot, cmd] entries of a printed decisions/proposals set, as "slot:op" strings. */
const entries = (text: string): string[] =>
  [...text.matchAll(/slot \|-> (\d+)/g)].map((m) => m[1] ?? "?");

describe("Multi-Paxos models (discovery)", () => {
  it("has the f=1 model, two witnesses and all four bug variants in the default set", () => {
    const ci = models.filter((m) => m.tier === "ci").map((m) => m.name);
    expect(ci).toEqual(
      expect.arrayContaining([
        "MCMultiPaxos",
        ...WITNESSES.map(([n]) => n),
        ...BUGS.map(([n]) => n),
      ]),
    );
    for (const [name, inv] of [...BUGS, ...WITNESSES]) expect(byName(name).expect).toBe(inv);
    expect(byName("MCMultiPaxos").expect).toBe("pass");
    expect(byName("MCMultiPaxosDeep").tier).toBe("deep");
  });

  it("checks the f=1 model without symmetry, so both engines must count alike", () => {
    const cfg = readFileSync(byName("MCMultiPaxos").cfgPath, "utf8");
    expect(cfg).not.toMatch(/^SYMMETRY/m);
    expect(cfg).toMatch(/Acceptor = \{a1, a2, a3\}/);
    expect(cfg).toMatch(/Leader = \{l1, l2\}/);
    expect(cfg).toMatch(/Replica = \{r1, r2\}/);
    expect(cfg).toMatch(/^PROPERTY AcceptorBallotsGrow$/m);
  });
});

describe("Multi-Paxos models (embedded engine)", () => {
  it("MCMultiPaxos passes every invariant and AcceptorBallotsGrow", async () => {
    const r = await embeddedMain();
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe("pass");
    expect(r.distinctStates ?? 0).toBeGreaterThan(1000);
  });

  // The witness and bug models need SYMMETRY to stay small, and tla-checker 0.9.0 is far too
  // slow under it on this spec; they say so in their metadata and run under TLC only. The
  // embedded engine still refutes every bug through trace validation (test/trace) and still
  // checks the f=1 model above.
  for (const [name] of [...WITNESSES, ...BUGS])
    it(`${name} is declared TLC-only, with the reason, and skipped here`, async () => {
      const m = byName(name);
      expect(m.engines).toEqual(["tlc"]);
      expect(m.why ?? "").toMatch(/SYMMETRY/);
      const r = await checkModel(m, embedded);
      expect(r.outcome).toBe("skipped");
      expect(r.skipped ?? "").toContain("SYMMETRY");
    });
});

describe.skipIf(!tlcAvailable)("Multi-Paxos models (TLC)", () => {
  const opts = { workers: 2 };

  it("MCMultiPaxos: TLC passes and counts the same distinct states as the embedded engine", async () => {
    const [t, e] = [await checkModel(byName("MCMultiPaxos"), tlc(), opts), await embeddedMain()];
    expect(t.outcome).toBe("pass");
    expect(e.outcome).toBe("pass");
    expect(t.distinctStates).toBe(e.distinctStates);
    expect(t.depth ?? 0).toBeGreaterThan(10);
  });

  for (const [name, inv] of WITNESSES)
    it(`reaches ${inv}'s negation in ${name}`, async () => {
      const r = await checkModel(byName(name), tlc(), opts);
      expectRefuted(r, inv);
      // Some replica holds decisions in the last state.
      const decisions = r.counterexample?.at(-1)?.vars.decisions ?? "";
      expect(entries(decisions).length).toBeGreaterThan(0);
    });

  tlcBugTests(BUGS, byName, control, opts);
});
