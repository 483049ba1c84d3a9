/** The abstraction to the spec's variables as ITF, and its incremental printer. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/itf.js";
import { abstractState as abstractStateOf } from "../../src/core/variables.js";
import { actions, variables } from "../../src/raft/abstraction.js";
import type { Action, Cluster } from "../../src/raft/cluster.js";
import { withDefaults } from "../../src/raft/sim/options.js";
import { simulate } from "../../src/raft/sim/simulate.js";
import { raftTrace } from "../../src/raft/sim/trace.js";
import { faultNames } from "../../src/sim/faults.js";
import { stateEncoder, stateJson as stateJsonOf } from "../../src/trace/encoder.js";
import { checkedEncoder } from "../sim/encoder-check.js";
import { elect, env, exec, fresh } from "./helpers.js";

type Itf = Parameters<typeof canonicalJson>[0];
const abstractState = (c: Cluster) =>
  abstractStateOf(variables, c) as { readonly [k: string]: Itf } & {
    readonly log: Itf;
    readonly votedFor: Itf;
    readonly messages: Itf;
  };
const stateJson = (c: Cluster) => stateJsonOf(variables, c);
const raftVariables = variables.map((v) => v.name);
/** An action's parameters as ITF values, from the action table. */
const actionParams = (a: Action) =>
  Object.fromEntries(
    Object.entries(actions[a.name]).map(([k, v]) => [
      k,
      (v as { itf: (x: unknown) => unknown }).itf((a as unknown as Record<string, unknown>)[k]),
    ]),
  ) as Parameters<typeof canonicalJson>[0];

describe("abstractState", () => {
  it("prints Init as the spec's ten variables", () => {
    const c = fresh(env({ servers: ["s1", "s2"] }));
    expect(Object.keys(abstractState(c)).sort()).toEqual([...raftVariables].sort());
    expect(stateJson(c)).toBe(
      '{"commitIndex":{"#map":[["s1",0],["s2",0]]},"currentTerm":{"#map":[["s1",0],["s2",0]]},' +
        '"log":{"#map":[["s1",[]],["s2",[]]]},' +
        '"matchIndex":{"#map":[["s1",{"#map":[["s1",0],["s2",0]]}],["s2",{"#map":[["s1",0],["s2",0]]}]]},' +
        '"messages":{"#map":[]},' +
        '"nextIndex":{"#map":[["s1",{"#map":[["s1",1],["s2",1]]}],["s2",{"#map":[["s1",1],["s2",1]]}]]},' +
        '"snapshot":{"#map":[["s1",{"index":0,"new":{"#set":[]},"old":{"#set":[]},"term":0,"value":[]}],["s2",{"index":0,"new":{"#set":[]},"old":{"#set":[]},"term":0,"value":[]}]]},' +
        '"state":{"#map":[["s1","Follower"],["s2","Follower"]]},' +
        '"votedFor":{"#map":[["s1","Nil"],["s2","Nil"]]},' +
        '"votesGranted":{"#map":[["s1",{"#set":[]}],["s2",{"#set":[]}]]}}',
    );
  });

  it("prints entries and messages as the spec's records, the bag with copy counts", () => {
    let c = elect(fresh(), "s1", ["s2"]);
    c = exec(c, { name: "ClientRequest", i: "s1", v: "v1" });
    c = exec(c, { name: "AppendEntries", i: "s1", j: "s3" });
    c = exec(c, { name: "DuplicateMessage", m: [...c.messages.items][0]?.message as never });
    const s = abstractState(c);
    expect(canonicalJson(s.log)).toContain(
      '["s1",[{"new":{"#set":[]},"old":{"#set":[]},"term":1,"value":"v1"}]]',
    );
    expect(canonicalJson(s.votedFor)).toBe('{"#map":[["s1","s1"],["s2","s1"],["s3","Nil"]]}');
    expect(canonicalJson(s.messages)).toBe(
      '{"#map":[[{"mcommitIndex":0,"mdest":"s3","mentries":[{"new":{"#set":[]},"old":{"#set":[]},"term":1,"value":"v1"}],' +
        '"mprevLogIndex":0,"mprevLogTerm":0,"msource":"s1","mterm":1,"mtype":"AppendEntriesRequest"},2]]}',
    );
  });
});

describe("the trace encoder on Raft states", () => {
  it("prints canonical JSON with ten or more servers too (s10 sorts before s2)", () => {
    const enc = checkedEncoder(stateEncoder(variables));
    const r = simulate(
      withDefaults({ seed: 1, steps: 300, servers: 11, faults: ["crash", "reorder"] }),
      (_i, _a, c) => expect(enc(c)).toBe(canonicalJson(abstractState(c))),
    );
    expect(r.cluster.env.servers.slice(0, 3)).toEqual(["s1", "s10", "s11"]);
  });

  it("prints canonicalJson(abstractState(c)) on every state of random runs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.subarray([...faultNames]),
        fc.integer({ min: 2, max: 5 }),
        (seed, faults, servers) => {
          const enc = checkedEncoder(stateEncoder(variables));
          simulate(
            withDefaults({ seed, steps: 150, faults, servers, invariants: [] }),
            (_i, a, c) => {
              expect(enc(c)).toBe(canonicalJson(abstractState(c)));
              if (a !== undefined)
                expect(raftTrace.paramsJson(a)).toBe(canonicalJson(actionParams(a)));
            },
          );
        },
      ),
      { numRuns: 40, seed: 1 },
    );
  });
});
