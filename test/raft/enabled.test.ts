/**
 * The enabled actions the simulator chooses among come from the protocol itself: on every state
 * of random runs, an action is in `enabled` exactly when its transition is defined (`perform`
 * gives Some), over every parameter in the actions' domains.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { domain } from "../../src/raft/bag.js";
import {
  type Action,
  type ActionName,
  type Cluster,
  enabled,
  type Inputs,
  perform,
} from "../../src/raft/cluster.js";
import { withDefaults } from "../../src/raft/sim/options.js";
import { simulate } from "../../src/raft/sim/simulate.js";
import { faultNames } from "../../src/sim/faults.js";
import { nonEmptySubsets } from "../../src/sim/options.js";

const key = (a: Action) => JSON.stringify(a);

/** Every action over the parameter domains: servers, the inputs, the messages in flight. */
function candidates(c: Cluster, inputs: Inputs): ReadonlyArray<Action> {
  const servers = c.env.servers;
  const out: Action[] = [];
  for (const i of servers) {
    for (const name of [
      "Restart",
      "Timeout",
      "BecomeLeader",
      "AppendNewConfig",
      "AdvanceCommitIndex",
    ] as const)
      out.push({ name, i });
    for (const j of servers)
      out.push({ name: "RequestVote", i, j }, { name: "AppendEntries", i, j });
    for (const v of inputs.values) out.push({ name: "ClientRequest", i, v });
    for (const newSet of inputs.newConfigs) out.push({ name: "Reconfigure", i, newSet });
  }
  const onMessage: ReadonlyArray<ActionName> = [
    "UpdateTerm",
    "HandleRequestVoteRequest",
    "HandleRequestVoteResponse",
    "HandleAppendEntriesRequest",
    "HandleAppendEntriesResponse",
    "DropStaleResponse",
    "DropMessage",
    "DuplicateMessage",
  ];
  for (const m of domain(c.messages)) for (const name of onMessage) out.push({ name, m } as Action);
  return out;
}

describe("enabled = the actions whose transition is defined", () => {
  it("on every state of random runs with every fault, 3 and 4 servers", () => {
    let checked = 0;
    for (const servers of [3, 4])
      for (let seed = 1; seed <= 6; seed++)
        simulate(withDefaults({ seed, steps: 250, servers, faults: faultNames }), (_i, _a, c) => {
          const inputs: Inputs = { values: ["v1000"], newConfigs: nonEmptySubsets(c.env.servers) };
          const on = new Set(enabled(c, inputs).map(key));
          for (const a of candidates(c, inputs)) {
            expect(on.has(key(a)), `${a.name} ${key(a)}`).toBe(O.isSome(perform(c, a)));
            checked++;
          }
        });
    expect(checked).toBeGreaterThan(10_000);
  });

  it("lists nothing for a message that is not in flight", () => {
    let c: Cluster | undefined;
    simulate(withDefaults({ seed: 3, steps: 80 }), (_i, _a, s) => {
      if (c === undefined && s.messages.size > 0) c = s;
    });
    const m = c === undefined ? undefined : domain(c.messages)[0];
    if (c === undefined || m === undefined) throw new Error("no message in flight to test with");
    const gone = { ...c, messages: { items: [], size: 0 } };
    expect(enabled(gone, { values: [], newConfigs: [] }).filter((a) => "m" in a)).toEqual([]);
    expect(O.isNone(perform(gone, { name: "DropMessage", m }))).toBe(true);
  });
});
