import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/tla/engine.js";
import { labelModule, labelSteps, symmetries } from "../../src/tla/label.js";
import { discoverModels, type Model } from "../../src/tla/models.js";
import { findJar, findJava } from "../../src/tla/tlc.js";
import type { Step } from "../../src/tla/types.js";
import { specRoot, tlcAvailable } from "./helpers.js";

const models = discoverModels(specRoot);
const model = (name: string) => models.find((m) => m.name === name) as Model;
const target = (m: Model) => ({
  dir: m.dir,
  module: m.module,
  cfgText: readFileSync(m.cfgPath, "utf8"),
});

const ping = (i: string, j: string) =>
  `[mtype |-> "ping", mterm |-> 1, msource |-> ${i}, mdest |-> ${j}]`;

describe("labelModule", () => {
  it("adds a variable recording each disjunct of the model's relation and its arguments", () => {
    const mod = labelModule(target(model("MCRelay")));
    expect(mod?.source).toMatch(/^VARIABLES __act, msgs, got, dropped$/m);
    expect(mod?.source).toContain(
      "  \\/ \\E m \\in DOMAIN msgs : (FaultDrop(m)) /\\ __act' = <<2, <<m>>>>",
    );
    expect(mod?.cfg).toMatch(/INIT __LabelInit\nNEXT __LabelNext\nCHECK_DEADLOCK FALSE/);
    expect(mod?.cfg).not.toMatch(/INVARIANT/);
    // Each disjunct's spec action (wrappers followed) and its parameter names.
    expect(mod?.disjuncts).toEqual([
      { action: "Send", operator: "Send", params: ["i", "j"] },
      { action: "Deliver", operator: "Deliver", params: ["m"] },
      { action: "Drop", operator: "FaultDrop", params: ["m"] },
    ]);
  });

  it("gives up on a relation that is no disjunction of actions", () => {
    expect(labelModule(target(model("MCCounterAssert")))).toBeUndefined();
  });
});

describe("labelSteps", () => {
  // As TLC prints them: its own order of variables and of a record's fields, its own labels.
  const tlcSteps = (): Step[] => [
    { vars: { dropped: "0", msgs: "<<>>", got: "(n1 :> {} @@ n2 :> {})" } },
    {
      action: "Send(n2,n1)",
      vars: { dropped: "0", msgs: `(${ping("n2", "n1")} :> 1)`, got: "(n1 :> {} @@ n2 :> {})" },
    },
    { action: "MCNext", vars: { dropped: "1", msgs: "<<>>", got: "(n1 :> {} @@ n2 :> {})" } },
  ];

  it("names the spec action, its arguments and the wrapper taken, across printings", async () => {
    const steps = tlcSteps();
    expect(await labelSteps(target(model("MCRelay")), steps)).toBe(2);
    expect(steps[1]).toMatchObject({
      action: "Send",
      args: [
        { name: "i", value: "n2" },
        { name: "j", value: "n1" },
      ],
    });
    expect(steps[1]?.via).toBeUndefined();
    expect(steps[2]).toMatchObject({
      action: "Drop",
      via: "FaultDrop",
      args: [{ name: "m", value: '[mdest |-> n1, msource |-> n2, mterm |-> 1, mtype |-> "ping"]' }],
    });
  });

  it("stops at a step that is no successor, keeping the engine's labels from there", async () => {
    const steps = tlcSteps();
    (steps[2] as Step).vars.dropped = "7";
    expect(await labelSteps(target(model("MCRelay")), steps)).toBe(1);
    expect(steps[1]?.action).toBe("Send");
    expect(steps[2]?.action).toBe("MCNext");
  });
});

describe("labelSteps under SYMMETRY", () => {
  const relay = target(model("MCRelay"));
  const symmetric = { ...relay, cfgText: `${relay.cfgText}SYMMETRY NodeSymmetry\n` };

  it("reads the renamings of the cfg's SYMMETRY", () => {
    const mod = labelModule(symmetric);
    expect(symmetries(symmetric.cfgText, mod?.source ?? "").map((r) => [...r])).toEqual([
      [
        ["n1", "n1"],
        ["n2", "n2"],
      ],
      [
        ["n1", "n2"],
        ["n2", "n1"],
      ],
    ]);
    expect(symmetries(relay.cfgText, mod?.source ?? "")).toEqual([new Map()]);
  });

  it("turns a trace of representatives into the behaviour they stand for", async () => {
    // The engine's third state is a permutation of the real one: n1 got the ping n2 was sent.
    const steps: Step[] = [
      { vars: { msgs: "<<>>", got: "(n1 :> {} @@ n2 :> {})", dropped: "0" } },
      { vars: { msgs: `(${ping("n1", "n2")} :> 1)`, got: "(n1 :> {} @@ n2 :> {})", dropped: "0" } },
      { vars: { msgs: "<<>>", got: "(n1 :> {n2} @@ n2 :> {})", dropped: "0" } },
    ];
    expect(
      await labelSteps(
        relay,
        steps.map((s) => ({ vars: { ...s.vars } })),
      ),
    ).toBe(1);
    expect(await labelSteps(symmetric, steps)).toBe(2);
    expect(steps[2]).toMatchObject({
      action: "Deliver",
      args: [{ name: "m", value: '[mdest |-> n2, msource |-> n1, mterm |-> 1, mtype |-> "ping"]' }],
    });
    expect(steps[2]?.vars.got).toBe("(n1 :> {} @@ n2 :> {n1})");
  });
});

describe("checkModel names every step on both engines", () => {
  it("embedded", async () => {
    const r = await checkModel(model("MCRelay"), { engine: "embedded" });
    expect(r.outcome).toBe("NeverDropped");
    expect(r.counterexample?.slice(1).map((s) => [s.action, s.args?.map((a) => a.name)])).toEqual([
      ["Send", ["i", "j"]],
      ["Drop", ["m"]],
    ]);
  });

  it.skipIf(!tlcAvailable)("TLC", async () => {
    const tlc = { jar: findJar() as string, java: findJava() as string };
    const r = await checkModel(model("MCRelay"), { engine: "tlc", tlc }, { workers: 1 });
    expect(r.outcome).toBe("NeverDropped");
    expect(r.counterexample?.slice(1).map((s) => [s.action, s.args?.map((a) => a.name)])).toEqual([
      ["Send", ["i", "j"]],
      ["Drop", ["m"]],
    ]);
    // Variables in the module's order, not TLC's.
    expect(Object.keys(r.counterexample?.[0]?.vars ?? {})).toEqual(["msgs", "got", "dropped"]);
  });

  it("falls back to the engine's own names for a relation next.ts cannot read", async () => {
    const r = await checkModel(model("MCCounterAssert"), { engine: "embedded" });
    expect(r.outcome).toBe("XMonotone");
    expect(r.counterexample?.slice(1).every((s) => s.args === undefined)).toBe(true);
  });
});
