/** The abstraction to the spec's variables as ITF, and the action parameters. */
import { describe, expect, it } from "vitest";
import { canonicalJson, type ItfValue } from "../../src/core/itf.js";
import { jsonFromItf } from "../../src/core/spec-value.js";
import { abstractState as abstractStateOf } from "../../src/core/variables.js";
import { actions, variables } from "../../src/paxos/abstraction.js";
import { type Cluster, initCluster } from "../../src/paxos/cluster.js";
import { paxosTrace } from "../../src/paxos/sim/trace.js";
import { noBugs } from "../../src/paxos/types.js";
import { ballot, command, leaderCommander, message, pvalue } from "../../src/paxos/values.js";
import { stateJson as encoded } from "../../src/trace/encoder.js";
import {
  deliver,
  elect,
  exec,
  fresh,
  inFlight,
  leaderAt,
  ofType,
  request,
  to,
  toL2,
  v1,
} from "./helpers.js";

const abstractState = (c: Cluster) => abstractStateOf(variables, c);
/** The spec variable `name` of c, as ITF. */
const variable = (c: Cluster, name: string): ItfValue => {
  const v = abstractState(c)[name];
  if (v === undefined) throw new Error(`no variable ${name}`);
  return v;
};
const stateJson = (c: Cluster) => encoded(variables, c);
const actionParamsJson = paxosTrace.paramsJson;

describe("abstractState", () => {
  it("prints Init as the spec's nineteen variables", () => {
    const c = initCluster({
      acceptors: ["a1"],
      leaderOrder: ["l1"],
      replicas: ["r1"],
      initLeaders: ["l1"],
      window: 1,
      bugs: noBugs,
    });
    expect(variables.map((v) => v.name)).toEqual([
      "slotIn",
      "slotOut",
      "requests",
      "proposals",
      "decisions",
      "replicaLeaders",
      "executed",
      "ballotNum",
      "active",
      "leaderProposals",
      "leaderCollected",
      "scouting",
      "scoutWaitFor",
      "scoutPvalues",
      "commanders",
      "acceptorBallot",
      "accepted",
      "reported",
      "messages",
    ]);
    expect(canonicalJson(abstractState(c))).toBe(stateJson(c));
    expect(stateJson(c)).toBe(
      '{"accepted":{"#map":[["a1",{"#set":[]}]]},' +
        '"acceptorBallot":{"#map":[["a1",{"leader":"Nil","round":0}]]},' +
        '"active":{"#map":[["l1",false]]},' +
        '"ballotNum":{"#map":[["l1",{"leader":"l1","round":0}]]},' +
        '"commanders":{"#set":[]},' +
        '"decisions":{"#map":[["r1",{"#set":[]}]]},' +
        '"executed":{"#map":[["r1",[]]]},' +
        '"leaderCollected":{"#map":[["l1",1]]},' +
        '"leaderProposals":{"#map":[["l1",{"#set":[]}]]},' +
        '"messages":{"#map":[]},' +
        '"proposals":{"#map":[["r1",{"#set":[]}]]},' +
        '"replicaLeaders":{"#map":[["r1",{"#set":["l1"]}]]},' +
        '"reported":{"#map":[["a1",{"#map":[["r1",1]]}]]},' +
        '"requests":{"#map":[["r1",{"#set":[]}]]},' +
        '"scoutPvalues":{"#map":[["l1",{"#set":[]}]]},' +
        '"scoutWaitFor":{"#map":[["l1",{"#set":[]}]]},' +
        '"scouting":{"#map":[["l1",false]]},' +
        '"slotIn":{"#map":[["r1",1]]},' +
        '"slotOut":{"#map":[["r1",1]]}}',
    );
  });

  it("prints commanders as [leader, ballot, slot, cmd, waitFor] and messages with counts", () => {
    let c = elect(fresh(), "l1", ["a1", "a2"]);
    c = request(c, "r1", v1);
    const propose = inFlight(c, (m) => m.mtype === "propose" && m.mdest === "l1")[0];
    if (propose === undefined) throw new Error("no propose in flight");
    c = exec(c, { name: "HandlePropose", l: "l1", m: propose });
    expect(canonicalJson(variable(c, "commanders"))).toBe(
      '{"#set":[{"ballot":{"leader":"l1","round":0},"cmd":{"leaders":{"#set":[]},"op":"v1"},' +
        '"leader":"l1","slot":1,"waitFor":{"#set":["a1","a2","a3"]}}]}',
    );
    expect(canonicalJson(variable(c, "active"))).toBe('{"#map":[["l1",true],["l2",false]]}');
    expect(canonicalJson(variable(c, "acceptorBallot"))).toContain(
      '["a3",{"leader":"Nil","round":0}]',
    );
    const p2a = inFlight(c, ofType("p2a"))[0];
    if (p2a === undefined) throw new Error("no p2a in flight");
    const dup = exec(c, { name: "DuplicateMessage", m: p2a });
    expect(canonicalJson(variable(dup, "messages"))).toContain(
      '[{"mballot":{"leader":"l1","round":0},"mcmd":{"leaders":{"#set":[]},"op":"v1"},' +
        '"mdest":"a1","mslot":1,"msource":"l1","mtype":"p2a"},2]',
    );
    // The generic encoder prints what the abstraction's ITF values are.
    expect(stateJson(dup)).toBe(canonicalJson(abstractState(dup)));
  });

  it("each value's printer agrees with printing its ITF value from scratch", () => {
    let c = elect(fresh(), "l1", ["a1", "a2"]);
    c = request(request(c, "r1", v1), "r2", toL2);
    c = deliver(deliver(c, ofType("propose")), (m) => m.mtype === "p2a" && m.mdest === "a1");
    // l2's scout gets a P1b from a1 carrying what a1 accepted.
    c = deliver(exec(c, { name: "LeaderTimeout", l: "l2" }), to("a1", "p1a"));
    const l1 = leaderAt(c, "l1");
    const accepted = c.acceptors.get("a1")?.persistent.accepted ?? [];
    expect(l1.volatile.commanders.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(inFlight(c, (m) => m.mtype === "p1b" && m.maccepted.length > 0)).toHaveLength(1);
    for (const m of inFlight(c, () => true)) expect(message.json(m)).toBe(jsonFromItf(message, m));
    for (const x of [v1, toL2]) expect(command.json(x)).toBe(jsonFromItf(command, x));
    expect(ballot.json({ round: 0, leader: null })).toBe('{"leader":"Nil","round":0}');
    for (const k of l1.volatile.commanders) {
      const lk = { ...k, leader: "l1" };
      expect(leaderCommander.json(lk)).toBe(jsonFromItf(leaderCommander, lk));
    }
    for (const p of accepted) expect(pvalue.json(p)).toBe(jsonFromItf(pvalue, p));
    expect(stateJson(c)).toBe(canonicalJson(abstractState(c)));
  });
});

describe("the action table", () => {
  it("names the parameters as the spec does", () => {
    expect(actionParamsJson({ name: "Propose", r: "r1", c: toL2 })).toBe(
      '{"c":{"leaders":{"#set":["l2"]},"op":"Nil"},"r":"r1"}',
    );
    expect(actionParamsJson({ name: "Perform", r: "r2" })).toBe('{"r":"r2"}');
    expect(actionParamsJson({ name: "RestartLeader", l: "l1" })).toBe('{"l":"l1"}');
    const m = {
      mtype: "p1a",
      mballot: { round: 0, leader: "l1" },
      msource: "l1",
      mdest: "a1",
    } as const;
    expect(actionParamsJson({ name: "HandleP1a", a: "a1", m })).toBe(
      '{"a":"a1","m":{"mballot":{"leader":"l1","round":0},"mdest":"a1","msource":"l1","mtype":"p1a"}}',
    );
    expect(actionParamsJson({ name: "DropMessage", m })).toBe(
      '{"m":{"mballot":{"leader":"l1","round":0},"mdest":"a1","msource":"l1","mtype":"p1a"}}',
    );
    expect(Object.keys(actions)).toEqual([
      "ClientRequest",
      "Propose",
      "ResendPropose",
      "HandleDecision",
      "Perform",
      "ReportExecuted",
      "HandleCollected",
      "LeaderTimeout",
      "HandlePropose",
      "HandleP1b",
      "HandleP2b",
      "RestartLeader",
      "HandleP1a",
      "HandleP2a",
      "HandleExecuted",
      "DropMessage",
      "DuplicateMessage",
    ]);
  });
});
