/**
 * The protocol's enabled actions against its transitions: on states along simulated runs, an
 * action is listed by `enabled` exactly when `perform` takes it, for every candidate over the
 * actions' parameter domains; and the simulator, which only weights the enabled actions,
 * reaches every action of the module's action table.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { domain } from "../../src/paxos/bag.js";
import {
  type Action,
  type ActionName,
  type Cluster,
  enabled,
  type Inputs,
  perform,
} from "../../src/paxos/cluster.js";
import { paxos } from "../../src/paxos/module.js";
import { clientCommand, reconfigCommand } from "../../src/paxos/operators.js";
import { withDefaults } from "../../src/paxos/sim/options.js";
import { simulate } from "../../src/paxos/sim/simulate.js";
import { paxosTrace } from "../../src/paxos/sim/trace.js";
import type { Command, Message } from "../../src/paxos/types.js";
import { faultNames } from "../../src/sim/faults.js";

/** An action's identity: its name and its parameters as the trace prints them. */
const key = (a: Action): string => `${a.name}${paxosTrace.paramsJson(a)}`;

/**
 * Every action over the parameter domains that could matter in c: each process id (and one
 * outside the cluster), the inputs' commands and those any replica holds, every message in
 * flight, and messages that are not in flight (`gone`).
 */
function candidates(c: Cluster, inputs: Inputs, gone: ReadonlyArray<Message>): Action[] {
  const { env } = c;
  const rs = [...env.replicas, "r0"];
  const ls = [...env.leaderOrder, "l0"];
  const as = [...env.acceptors, "a0"];
  const cmds: Command[] = [
    ...inputs.commands,
    ...[...c.replicas.values()].flatMap((r) => r.requests),
  ];
  const ms = [...domain(c.messages), ...gone];
  const out: Action[] = [];
  for (const r of rs) {
    out.push({ name: "Perform", r }, { name: "ReportExecuted", r });
    // The inputs are the commands clients may request (the spec's Commands): ClientRequest's domain.
    for (const cmd of inputs.commands) out.push({ name: "ClientRequest", r, c: cmd });
    for (const cmd of cmds) out.push({ name: "Propose", r, c: cmd });
    // Every replica's proposals and decisions, and one slot nobody proposed.
    for (const p of [
      ...[...c.replicas.values()].flatMap((x) => [...x.proposals, ...x.decisions]),
      { slot: 99, cmd: inputs.commands[0] as Command },
    ])
      out.push({ name: "ResendPropose", r, p });
    for (const m of ms)
      out.push({ name: "HandleDecision", r, m }, { name: "HandleCollected", r, m });
  }
  for (const l of ls) {
    out.push({ name: "LeaderTimeout", l }, { name: "RestartLeader", l });
    for (const m of ms)
      out.push(
        { name: "HandlePropose", l, m },
        { name: "HandleP1b", l, m },
        { name: "HandleP2b", l, m },
      );
  }
  for (const a of as)
    for (const m of ms)
      out.push(
        { name: "HandleP1a", a, m },
        { name: "HandleP2a", a, m },
        { name: "HandleExecuted", a, m },
      );
  for (const m of ms) out.push({ name: "DropMessage", m }, { name: "DuplicateMessage", m });
  return out;
}

describe("enabled agrees with perform", () => {
  it("on states along simulated runs, for every candidate action", () => {
    const inputs: Inputs = {
      commands: [clientCommand("v1"), clientCommand("v99"), reconfigCommand(["l2"])],
    };
    const kinds = new Set<ActionName>();
    let states = 0;
    for (const [seed, bugs, steps] of [
      // Long enough for replicas to report their slotOut and slots to be collected.
      [1, {}, 900],
      [2, {}, 150],
      [3, { executeOutOfOrder: true }, 150],
      [5, { minorityAdoption: true, acceptLowerBallot: true }, 150],
    ] as const) {
      let before: Cluster | undefined;
      simulate(
        withDefaults({
          seed,
          steps,
          faults: faultNames,
          bugs: { ...withDefaults({}).bugs, ...bugs },
        }),
        (i, _a, c) => {
          const gone =
            before === undefined
              ? []
              : domain(before.messages).filter((m) => !domain(c.messages).includes(m));
          before = c;
          if (i % 3 !== 0) return;
          states++;
          const listed = enabled(c, inputs);
          const keys = new Set(listed.map(key));
          expect(keys.size, "no action is listed twice").toBe(listed.length);
          for (const a of listed) expect(O.isSome(perform(c, a)), `listed: ${key(a)}`).toBe(true);
          for (const a of candidates(c, inputs, gone)) {
            const taken = O.isSome(perform(c, a));
            expect(keys.has(key(a)), `${key(a)} performs: ${taken}`).toBe(taken);
            if (taken) kinds.add(a.name);
          }
        },
      );
    }
    expect(states).toBeGreaterThan(150);
    // The states are varied enough that every kind of action was enabled in some of them.
    expect([...kinds].sort()).toEqual(Object.keys(paxos.trace.actions).sort());
  });
});

describe("the simulator reaches every action of the action table", () => {
  it("with every fault on and every bug switch off", () => {
    const counts: Record<string, number> = {};
    for (let seed = 1; seed <= 20; seed++) {
      const r = simulate(withDefaults({ seed, steps: 300, faults: faultNames }));
      expect(r.violation, `seed ${seed}`).toEqual(O.none);
      for (const [name, n] of Object.entries(r.stats.actions))
        counts[name] = (counts[name] ?? 0) + (n ?? 0);
    }
    for (const name of Object.keys(paxos.trace.actions))
      expect(counts[name] ?? 0, `${name} never happened`).toBeGreaterThan(0);
    expect(Object.keys(counts).sort()).toEqual(Object.keys(paxos.trace.actions).sort());
  });
});
