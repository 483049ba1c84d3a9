/** Cluster-level runs: the message bag, whole PMMC scenarios and what a runtime sees. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { type KvCommand, kvStore } from "../../src/core/kv.js";
import { countOf, emptyBag } from "../../src/paxos/bag.js";
import * as C from "../../src/paxos/cluster.js";
import { violatedInvariants } from "../../src/paxos/invariants.js";
import type { Message } from "../../src/paxos/types.js";
import {
  deliver,
  elect,
  env,
  exec,
  fresh,
  inFlight,
  leaderAt,
  ofType,
  replicaAt,
  request,
  run,
  to,
  toL2,
  v1,
  v2,
} from "./helpers.js";

const p1a: Message = {
  mtype: "p1a",
  mballot: { round: 0, leader: "l1" },
  msource: "l1",
  mdest: "a1",
};

/** Everything in flight delivered, repeatedly, until the network is quiet. */
function settle(c: C.Cluster): C.Cluster {
  let x = c;
  for (let k = 0; k < 50 && x.messages.size > 0; k++) x = deliver(x, () => true);
  return x;
}

/** Every replica performs every decided slot it can. */
function performAll(c: C.Cluster): C.Cluster {
  let x = c;
  for (const r of x.env.replicas)
    for (
      let s = C.perform(x, { name: "Perform", r });
      O.isSome(s);
      s = C.perform(x, { name: "Perform", r })
    )
      x = s.value.next;
  return x;
}

describe("the network", () => {
  it("DropMessage and DuplicateMessage need the message in flight and change one copy", () => {
    expect(C.perform(fresh(), { name: "DropMessage", m: p1a })).toEqual(O.none);
    const c = exec(fresh(), { name: "LeaderTimeout", l: "l1" });
    expect(countOf(c.messages, p1a)).toBe(1);
    const dup = exec(c, { name: "DuplicateMessage", m: { ...p1a } });
    expect(countOf(dup.messages, p1a)).toBe(2);
    const dropped = exec(exec(dup, { name: "DropMessage", m: p1a }), {
      name: "DropMessage",
      m: p1a,
    });
    expect(countOf(dropped.messages, p1a)).toBe(0);
    expect(dropped.messages.size).toBe(2);
  });

  it("a handler needs its message in flight and addressed to the process it names", () => {
    expect(C.perform(fresh(), { name: "HandleP1a", a: "a1", m: p1a })).toEqual(O.none);
    const c = exec(fresh(), { name: "LeaderTimeout", l: "l1" });
    expect(O.isSome(C.perform(c, { name: "HandleP1a", a: "a1", m: p1a }))).toBe(true);
    expect(C.perform(c, { name: "HandleP1a", a: "a2", m: p1a })).toEqual(O.none);
    expect(C.perform(c, { name: "HandleP1b", l: "l1", m: p1a })).toEqual(O.none);
  });

  it("receive names the one handler of each message type", () => {
    const c = exec(fresh(), { name: "LeaderTimeout", l: "l1" });
    expect(C.receive(c, p1a)).toEqual(O.some({ name: "HandleP1a", a: "a1", m: p1a }));
    expect(C.receive(c, { ...p1a, mdest: "zz" })).toEqual(O.none);
  });
});

describe("a run", () => {
  it("elects l1, decides two commands, and every replica performs them in slot order", () => {
    let c = elect(fresh(), "l1", ["a1", "a2"]);
    expect(leaderAt(c, "l1").volatile.active).toBe(true);
    c = performAll(settle(request(c, "r1", v1)));
    c = performAll(settle(request(c, "r2", v2)));
    for (const r of ["r1", "r2"]) {
      expect(replicaAt(c, r).executed).toEqual([v1, v2]);
      expect(replicaAt(c, r).slotOut).toBe(3);
    }
    expect(violatedInvariants(c)).toEqual([]);
  });

  it("hands performed client operations to the state machine in slot order", () => {
    const kv = new Map<string, KvCommand>([
      ["v1", { op: "put", key: "k", value: "1" }],
      ["v2", { op: "put", key: "k", value: "2" }],
    ]);
    let c = elect(fresh(env({ window: 2 })), "l1", ["a1", "a2", "a3"]);
    c = settle(request(request(c, "r1", v1), "r1", v2));
    const applied: string[] = [];
    let state = kvStore.initial;
    for (
      let s = C.perform(c, { name: "Perform", r: "r2" });
      O.isSome(s);
      s = C.perform(c, { name: "Perform", r: "r2" })
    ) {
      for (const e of s.value.effects)
        if (e.type === "apply") {
          applied.push(e.op);
          state = kvStore.apply(state, kv.get(e.op) as KvCommand)[0];
        }
      c = s.value.next;
    }
    expect(applied).toEqual(["v1", "v2"]);
    expect(state.get("k")).toBe("2");
  });

  it("a preempted proposal goes back to the replica's requests and is proposed again", () => {
    // r1 and r2 both propose for slot 1; l1 decides r2's v2 there, so r1 re-queues v1.
    let c = elect(fresh(), "l1", ["a1", "a2", "a3"]);
    c = request(c, "r2", v2);
    c = deliver(c, to("l1", "propose"));
    c = request(c, "r1", v1);
    c = settle(c);
    c = exec(c, { name: "Perform", r: "r1" });
    expect(replicaAt(c, "r1").executed).toEqual([v2]);
    expect(replicaAt(c, "r1").requests).toEqual([v1]);
    c = performAll(settle(exec(c, { name: "Propose", r: "r1", c: v1 })));
    expect(replicaAt(c, "r1").executed).toEqual([v2, v1]);
    expect(replicaAt(c, "r2").executed).toEqual([v2, v1]);
  });

  it("a new leader re-proposes what a majority accepted (P1b adoption, pmax)", () => {
    let c = elect(fresh(), "l1", ["a1", "a2", "a3"]);
    c = request(c, "r1", v1);
    c = deliver(c, to("l1", "propose"));
    // v1 is accepted by a1 and a2 only; no decision is delivered.
    c = deliver(c, (m) => m.mtype === "p2a" && m.mdest !== "a3");
    c = exec(c, { name: "RestartLeader", l: "l1" });
    c = deliver(c, ofType("p2a"));
    c = elect(c, "l2", ["a2", "a3"]);
    const l2 = leaderAt(c, "l2");
    expect(l2.volatile.active).toBe(true);
    expect(l2.volatile.proposals).toEqual([{ slot: 1, cmd: v1 }]);
    expect(inFlight(c, (m) => m.mtype === "p2a" && m.msource === "l2")).toHaveLength(3);
    c = performAll(settle(c));
    expect(replicaAt(c, "r2").executed).toEqual([v1]);
    expect(violatedInvariants(c)).toEqual([]);
  });

  it("a reconfiguration decided in slot s sends the proposals of slot s + Window elsewhere", () => {
    let c = elect(fresh(env({ initLeaders: ["l1"] })), "l1", ["a1", "a2", "a3"]);
    c = performAll(settle(request(c, "r1", toL2)));
    expect(replicaAt(c, "r1").executed).toEqual([]);
    expect(replicaAt(c, "r1").slotOut).toBe(2);
    c = request(c, "r1", v1);
    expect(replicaAt(c, "r1").leaders).toEqual(["l2"]);
    expect(inFlight(c, ofType("propose")).map((m) => m.mdest)).toEqual(["l2"]);
  });

  it("effects: acceptors persist before replying, leaders persist new ballots", () => {
    const c = exec(fresh(), { name: "LeaderTimeout", l: "l1" });
    expect(run(c, { name: "HandleP1a", a: "a1", m: p1a }).effects.map((e) => e.type)).toEqual([
      "persistAcceptor",
      "send",
      "discard",
    ]);
    const again = run(c, { name: "LeaderTimeout", l: "l1" });
    expect(again.effects[0]).toEqual({
      type: "persistLeader",
      state: { ballotNum: { round: 1, leader: "l1" } },
    });
  });
});

describe("enabled", () => {
  it("lists exactly the actions whose guards hold", () => {
    let c = elect(fresh(), "l1", ["a1", "a2"]);
    c = exec(c, { name: "ClientRequest", r: "r1", c: v1 });
    const acts = C.enabled(c, { commands: [v1] });
    for (const a of acts) expect(O.isSome(C.perform(c, a)), JSON.stringify(a)).toBe(true);
    const names = new Set(acts.map((a) => a.name));
    expect(names.has("Propose")).toBe(true);
    expect(names.has("Perform")).toBe(false);
    // Every message in flight has its handler, a drop and a duplicate.
    const inflight = c.messages.items.length;
    expect(acts.filter((a) => a.name === "DropMessage")).toHaveLength(inflight);
    expect(acts.filter((a) => a.name.startsWith("Handle")).length).toBe(inflight);
    expect(C.enabled(fresh(), { commands: [] }).map((a) => a.name)).toEqual([
      "ReportExecuted",
      "ReportExecuted",
      "LeaderTimeout",
      "RestartLeader",
      "LeaderTimeout",
      "RestartLeader",
    ]);
    expect(emptyBag.size).toBe(0);
  });
});
