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

/**
 * Time allowed for a test that waits on an embedded run: MCMultiPaxos takes about 9 minutes on
 * an idle 2-core machine, and a busy one can triple that.
 */
const EMBEDDED_TIMEOUT = 1_800_000;

/**
 * Each model's embedded run, started once and shared by the embedded tests and the TLC tests
 * that compare counts with it (the embedded engine is the slow one).
 */
const embeddedRuns = new Map<string, Promise<CheckResult>>();
const embeddedRun = (name: string): Promise<CheckResult> => {
  let run = embeddedRuns.get(name);
  if (!run) {
    run = checkModel(byName(name), embedded);
    embeddedRuns.set(name, run);
  }
  return run;
};

/** The one bug-off control small enough to run on the embedded engine too. */
let embeddedControlRun: Promise<CheckResult> | undefined;
const embeddedControl = () => {
  embeddedControlRun ??= checkModel(
    control("MCMultiPaxosBugExecuteOutOfOrder", "BugExecuteOutOfOrder"),
    embedded,
  );
  return embeddedControlRun;
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

  it("runs every ci model on both engines, without symmetry, so their counts can be compared", () => {
    for (const m of models.filter((x) => x.tier === "ci")) {
      expect(m.engines, m.name).toEqual(["tlc", "embedded"]);
      expect(readFileSync(m.cfgPath, "utf8"), m.name).not.toMatch(/^SYMMETRY/m);
    }
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

describe("Multi-Paxos models (embedded engine)", { timeout: EMBEDDED_TIMEOUT }, () => {
  it("MCMultiPaxos passes every invariant and AcceptorBallotsGrow", async () => {
    const r = await embeddedRun("MCMultiPaxos");
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe("pass");
    expect(r.distinctStates ?? 0).toBeGreaterThan(1000);
  });

  for (const [name, inv] of WITNESSES)
    it(`reaches ${inv}'s negation in ${name}`, async () => {
      const r = await embeddedRun(name);
      expectRefuted(r, inv);
      const decisions = r.counterexample?.at(-1)?.vars.decisions ?? "";
      expect(entries(decisions).length).toBeGreaterThan(0);
    });

  for (const [name, inv] of BUGS)
    it(`refutes ${name} with ${inv}`, async () => {
      expectRefuted(await embeddedRun(name), inv);
    });

  it("passes MCMultiPaxosBugExecuteOutOfOrder's bounds once slots are executed in order", async () => {
    const r = await embeddedControl();
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe("pass");
  });
});

describe.skipIf(!tlcAvailable)("Multi-Paxos models (TLC)", { timeout: EMBEDDED_TIMEOUT }, () => {
  const opts = { workers: 2 };

  it("MCMultiPaxos: TLC passes and counts the same distinct states as the embedded engine", async () => {
    const [t, e] = [
      await checkModel(byName("MCMultiPaxos"), tlc(), opts),
      await embeddedRun("MCMultiPaxos"),
    ];
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

  it("MCMultiPaxosBugExecuteOutOfOrder with the bug off: both engines pass with equal counts", async () => {
    const t = await checkModel(
      control("MCMultiPaxosBugExecuteOutOfOrder", "BugExecuteOutOfOrder"),
      tlc(),
      opts,
    );
    const e = await embeddedControl();
    expect(t.outcome).toBe("pass");
    expect(e.outcome).toBe("pass");
    expect(t.distinctStates).toBe(e.distinctStates);
  });

  tlcBugTests(BUGS, byName, control, opts);
});
