/** The abstraction to the spec's variables as ITF, and the action parameters. */
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/itf.js";
import {
  abstractState,
  actionParamsJson,
  paxosVariables,
  stateJson,
} from "../../src/paxos/abstraction.js";
import { initCluster } from "../../src/paxos/cluster.js";
import { noBugs } from "../../src/paxos/types.js";
import { elect, exec, fresh, inFlight, ofType, request, toL2, v1 } from "./helpers.js";

describe("abstractState", () => {
  it("prints Init as the spec's seventeen variables", () => {
    const c = initCluster({
      acceptors: ["a1"],
      leaderOrder: ["l1"],
      replicas: ["r1"],
      initLeaders: ["l1"],
      window: 1,
      bugs: noBugs,
    });
    expect(Object.keys(abstractState(c)).sort()).toEqual([...paxosVariables].sort());
    expect(stateJson(c)).toBe(
      '{"accepted":{"#map":[["a1",{"#set":[]}]]},' +
        '"acceptorBallot":{"#map":[["a1",{"leader":"Nil","round":0}]]},' +
        '"active":{"#map":[["l1",false]]},' +
        '"ballotNum":{"#map":[["l1",{"leader":"l1","round":0}]]},' +
        '"commanders":{"#set":[]},' +
        '"decisions":{"#map":[["r1",{"#set":[]}]]},' +
        '"executed":{"#map":[["r1",[]]]},' +
        '"leaderProposals":{"#map":[["l1",{"#set":[]}]]},' +
        '"messages":{"#map":[]},' +
        '"proposals":{"#map":[["r1",{"#set":[]}]]},' +
        '"replicaLeaders":{"#map":[["r1",{"#set":["l1"]}]]},' +
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
    const s = abstractState(c);
    expect(canonicalJson(s.commanders)).toBe(
      '{"#set":[{"ballot":{"leader":"l1","round":0},"cmd":{"leaders":{"#set":[]},"op":"v1"},' +
        '"leader":"l1","slot":1,"waitFor":{"#set":["a1","a2","a3"]}}]}',
    );
    expect(canonicalJson(s.active)).toBe('{"#map":[["l1",true],["l2",false]]}');
    expect(canonicalJson(s.acceptorBallot)).toContain('["a3",{"leader":"Nil","round":0}]');
    const p2a = inFlight(c, ofType("p2a"))[0];
    if (p2a === undefined) throw new Error("no p2a in flight");
    const dup = exec(c, { name: "DuplicateMessage", m: p2a });
    expect(canonicalJson(abstractState(dup).messages)).toContain(
      '[{"mballot":{"leader":"l1","round":0},"mcmd":{"leaders":{"#set":[]},"op":"v1"},' +
        '"mdest":"a1","mslot":1,"msource":"l1","mtype":"p2a"},2]',
    );
  });
});

describe("actionParamsJson", () => {
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
  });
});
