/** The Paxos simulator: determinism, invariants under faults, trace shape, leader stability. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { canonicalJson, type ItfValue } from "../../src/core/itf.js";
import type { SpecValue } from "../../src/core/spec-value.js";
import { abstractState } from "../../src/core/variables.js";
import { actions, variables } from "../../src/paxos/abstraction.js";
import type { Action, ActionName } from "../../src/paxos/cluster.js";
import { withDefaults } from "../../src/paxos/sim/options.js";
import { paxosSimulator } from "../../src/paxos/sim/protocol.js";
import { simulate } from "../../src/paxos/sim/simulate.js";
import { eventLine, headerLine, paxosTrace, traceWriter } from "../../src/paxos/sim/trace.js";
import { faultNames } from "../../src/sim/faults.js";
import { stateText } from "../../src/trace/encoder.js";
import { determinismTests, traceOf } from "../sim/helpers.js";

const simulator = { withDefaults, simulate, traceWriter, headerLine, eventLine };

/** The trace of a run, as NDJSON text (format version 2 unless asked for 1). */
const trace = traceOf(simulator);

/** An action's parameters as ITF values, read through the action table. */
const actionParams = (a: Action): ItfValue =>
  Object.fromEntries(
    Object.entries(actions[a.name] as Record<string, SpecValue<unknown>>).map(([p, v]) => [
      p,
      v.itf((a as unknown as Record<string, unknown>)[p]),
    ]),
  );

describe("determinism", () => {
  determinismTests(simulator);

  it("the generic encoder prints the abstraction's ITF values, state after state", () => {
    for (const seed of [1, 2, 3]) {
      const enc = paxosTrace.encoder();
      let before: ReadonlyArray<string> | undefined;
      let states = 0;
      simulate(withDefaults({ seed, steps: 300, faults: faultNames }), (_i, a, c) => {
        const vars = enc.encode(c);
        expect(stateText(enc.variables, vars)).toBe(canonicalJson(abstractState(variables, c)));
        // Everything is new in the first state; a variable reported unchanged prints as before
        // (a version-2 trace omits it and the reader keeps the previous value).
        vars.forEach((v, k) => {
          if (before === undefined) expect(v.changed).toBe(true);
          else if (!v.changed) expect(v.text).toBe(before[k]);
        });
        before = vars.map((v) => v.text);
        if (a !== undefined) expect(paxosTrace.paramsJson(a)).toBe(canonicalJson(actionParams(a)));
        states++;
      });
      expect(states).toBe(301);
    }
  });
});

describe("the trace", () => {
  const text = trace({ seed: 3, steps: 300, faults: faultNames });
  const [header, ...events] = text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

  it("has a header with the spec's constants, in MultiPaxos.tla's order", () => {
    expect(header).toMatchObject({ format: "lockstep-trace", protocol: "paxos", seed: 3 });
    expect(Object.keys(header.constants)).toEqual([
      "Acceptor",
      "Leader",
      "Replica",
      "LeaderOrder",
      "Value",
      "NewLeaderSets",
      "InitLeaders",
      "Window",
      "Nil",
      "BugIgnorePvalues",
      "BugAcceptLowerBallot",
      "BugExecuteOutOfOrder",
      "BugMinorityAdoption",
      "BugP2bForAnyCommander",
      "BugKeepLowerPvalue",
    ]);
    expect(header.constants.Acceptor).toEqual({ "#set": ["a1", "a2", "a3"] });
    // The order's prefixes, as the spec takes LeaderOrder: l1 ranks below l2.
    expect(header.constants.LeaderOrder).toEqual({
      "#set": [{ "#set": ["l1", "l2"] }, { "#set": ["l1"] }],
    });
    expect(header.constants.NewLeaderSets["#set"]).toHaveLength(3);
  });

  it("names every value a ClientRequest used in Value", () => {
    const values = new Set<string>(header.constants.Value["#set"]);
    const used = events
      .filter((e) => e.action === "ClientRequest" && e.params.c.op !== "Nil")
      .map((e) => e.params.c.op);
    expect(used.length).toBeGreaterThan(0);
    for (const v of used) expect(values).toContain(v);
  });

  it("numbers events from Init on, each with the nineteen spec variables", () => {
    expect(events[0]).toMatchObject({ i: 0, action: "Init", params: {} });
    events.forEach((e, k) => {
      expect(e.i).toBe(k);
      // Version 2: the full state at Init, then only the variables that changed.
      if (k === 0) expect(Object.keys(e.state)).toHaveLength(19);
      else {
        expect(e.state).toBeUndefined();
        expect(Object.keys(e.changed).length).toBeLessThanOrEqual(17);
      }
    });
  });
});

describe("runs with every fault keep the invariants", () => {
  const runs = Array.from({ length: 50 }, (_, k) =>
    simulate(withDefaults({ seed: k + 1, steps: 200, faults: faultNames })),
  );

  it("50 seeds × 200 steps, every state invariant and step property checked", () => {
    for (const r of runs) {
      expect(r.violation, `seed ${r.options.seed}`).toEqual(O.none);
      expect(r.steps).toBe(200);
    }
  });

  it("the runs exercise every action of the action table and decide slots", () => {
    const seen = new Set<ActionName>();
    // Replicas report their slotOut every few slots: one longer run reaches garbage collection.
    const long = simulate(withDefaults({ seed: 1, steps: 900, faults: faultNames }));
    expect(long.violation).toEqual(O.none);
    for (const r of [...runs, long])
      for (const [a, n] of Object.entries(r.stats.actions)) if (n) seen.add(a as ActionName);
    expect([...seen].sort()).toEqual(Object.keys(actions).sort());
    expect(Math.max(...runs.map((r) => r.stats.maxSlot))).toBeGreaterThanOrEqual(5);
    // Some reconfiguration took effect: a replica proposes to another leader set.
    expect(
      runs.some((r) => [...r.cluster.replicas.values()].some((x) => x.leaders.join() !== "l1,l2")),
    ).toBe(true);
  });

  it("replicas' key-value stores agree where both have performed the same slots", () => {
    for (const r of runs) {
      const replicas = [...r.cluster.replicas.values()];
      const [x, y] = replicas;
      if (x === undefined || y === undefined) continue;
      if (x.executed.length === y.executed.length)
        expect(r.stores.get(x.id)?.kv, `seed ${r.options.seed}`).toEqual(r.stores.get(y.id)?.kv);
    }
  });
});

describe("leader failure detection", () => {
  it("without faults, one leader scouts once and stays active (no duelling)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = simulate(withDefaults({ seed, steps: 300 }));
      expect(r.stats.actions.LeaderTimeout, `seed ${seed}`).toBe(1);
      expect(r.stats.maxRound).toBe(0);
      expect(r.stats.maxSlot).toBeGreaterThan(10);
    }
  });

  it("when a leader crashes, the other becomes active and slots keep being performed", () => {
    let takeovers = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const activeLeaders = new Set<string>();
      let restarted = false;
      let performedAfter = 0;
      const r = simulate(withDefaults({ seed, steps: 400, faults: ["crash"] }), (_i, a, c) => {
        for (const l of c.leaders.values()) if (l.volatile.active) activeLeaders.add(l.id);
        if (a?.name === "RestartLeader") restarted = true;
        if (restarted && a?.name === "Perform") performedAfter++;
      });
      expect(r.violation).toEqual(O.none);
      if (activeLeaders.size === 2 && performedAfter > 0) takeovers++;
    }
    expect(takeovers).toBeGreaterThan(0);
  });
});

describe("the simulator's options", () => {
  it("sizes: acceptors, leaders, replicas and window, with PMMC's f = 1 as the default, and the time model's links (off unless given)", () => {
    expect(paxosSimulator.sizes.map((f) => [f.name, f.default, f.min, f.max] as const)).toEqual([
      ["acceptors", 3, 1, 9],
      ["leaders", 2, 1, 9],
      ["replicas", 2, 1, 9],
      ["window", 2, 1, 100],
      ["latency", 50, 1, 1000],
      ["far", 250, 1, 10000],
    ]);
    const run = paxosSimulator.prepare({
      steps: 50,
      faults: [],
      sizes: { acceptors: 5, leaders: 3, window: 4 },
    });
    const header = JSON.parse(run(1).header);
    expect(header.constants.Acceptor["#set"]).toHaveLength(5);
    expect(header.constants.Leader["#set"]).toEqual(["l1", "l2", "l3"]);
    expect(header.constants.Replica["#set"]).toEqual(["r1", "r2"]);
    expect(header.constants.Window).toBe(4);
  });

  it("rejects a size outside its bounds, an unknown bug or invariant, in one line", () => {
    for (const [o, message] of [
      [{ sizes: { acceptors: 12 } }, /^--acceptors 12: expected an integer from 1 to 9$/],
      [{ sizes: { window: 0 } }, /^--window 0: expected an integer from 1 to 100$/],
      [{ bugs: "forgetVote" }, /^unknown bug "forgetVote"/],
      [{ invariants: "LeaderCompleteness" }, /^unknown invariant "LeaderCompleteness"/],
    ] as const)
      expect(() => paxosSimulator.prepare({ steps: 10, faults: [], ...o })).toThrow(message);
  });
});
