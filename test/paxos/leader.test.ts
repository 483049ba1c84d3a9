/** Leader transitions with scout and commanders: LeaderTimeout, HandlePropose, HandleP1b, HandleP2b, RestartLeader. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import * as L from "../../src/paxos/leader.js";
import type { Ballot, Commander, LeaderState, Message, Pvalue } from "../../src/paxos/types.js";
import { act, env, sent, some, v1, v2 } from "./helpers.js";

const e = env();
const b = (round: number, leader: string): Ballot => ({ round, leader });
const l0 = L.initialLeader("l1");
const leader = (o: Partial<LeaderState["volatile"]>, ballotNum = b(0, "l1")): LeaderState => ({
  id: "l1",
  persistent: { ballotNum },
  volatile: { ...l0.volatile, ...o },
});
const scouting = leader({ scouting: true, scoutWaitFor: ["a1", "a2", "a3"] });
const p1b = (src: string, mballot: Ballot, maccepted: ReadonlyArray<Pvalue> = []): Message => ({
  mtype: "p1b",
  mballot,
  maccepted,
  mcollected: 1,
  msource: src,
  mdest: "l1",
});
/** A P2b answering l1's P2a at `mcballot` (by default the acceptor's ballot: it accepted). */
const p2b = (src: string, mballot: Ballot, mslot = 1, mcballot = mballot): Message => ({
  mtype: "p2b",
  mballot,
  mcballot,
  mslot,
  msource: src,
  mdest: "l1",
});
const propose = (mslot: number, cmd = v1): Message => ({
  mtype: "propose",
  mslot,
  mcmd: cmd,
  msource: "r1",
  mdest: "l1",
});
const commander = (o: Partial<Commander> = {}): Commander => ({
  ballot: b(0, "l1"),
  slot: 1,
  cmd: v1,
  waitFor: ["a1", "a2", "a3"],
  ...o,
});

describe("LeaderTimeout", () => {
  it("a passive leader scouts at its own ballot: P1a to every acceptor", () => {
    const s = some(act(L.leaderTimeout, e, l0));
    expect(s.state.volatile).toMatchObject({ scouting: true, scoutWaitFor: ["a1", "a2", "a3"] });
    expect(s.state.persistent.ballotNum).toEqual(b(0, "l1"));
    expect(sent(s).map((m) => [m.mtype, m.mdest])).toEqual([
      ["p1a", "a1"],
      ["p1a", "a2"],
      ["p1a", "a3"],
    ]);
  });

  it("an active or scouting leader abandons its ballot for the next round", () => {
    for (const l of [leader({ active: true }), scouting]) {
      const s = some(act(L.leaderTimeout, e, l));
      expect(s.state.persistent.ballotNum).toEqual(b(1, "l1"));
      expect(s.state.volatile.active).toBe(false);
      expect(s.effects[0]).toEqual({ type: "persistLeader", state: { ballotNum: b(1, "l1") } });
    }
  });
});

describe("HandlePropose", () => {
  it("a passive leader records the first proposal of a slot only", () => {
    const s = some(act(L.handlePropose, e, l0, propose(1)));
    expect(s.state.volatile.proposals).toEqual([{ slot: 1, cmd: v1 }]);
    expect(sent(s)).toEqual([]);
    const again = some(act(L.handlePropose, e, s.state, propose(1, v2)));
    expect(again.state.volatile.proposals).toEqual([{ slot: 1, cmd: v1 }]);
    expect(again.effects).toEqual([{ type: "discard", message: propose(1, v2) }]);
  });

  it("an active leader spawns a commander: P2a to every acceptor", () => {
    const s = some(act(L.handlePropose, e, leader({ active: true }), propose(1)));
    expect(s.state.volatile.commanders).toEqual([commander()]);
    expect(sent(s).map((m) => m.mtype)).toEqual(["p2a", "p2a", "p2a"]);
  });

  it("needs a propose message addressed to the leader", () => {
    expect(act(L.handlePropose, e, l0, { ...propose(1), mdest: "l2" })).toEqual(O.none);
    expect(act(L.handlePropose, e, l0, p2b("a1", b(0, "l1")))).toEqual(O.none);
  });
});

describe("HandleP1b", () => {
  const pv = (ballot: Ballot, cmd = v1): Pvalue => ({ ballot, slot: 1, cmd });

  it("collects one answer, then adopts on a majority with the highest pvalue per slot", () => {
    const one = some(act(L.handleP1b, e, scouting, p1b("a1", b(0, "l1"), [pv(b(0, "l2"), v2)])));
    expect(one.state.volatile).toMatchObject({ scouting: true, scoutWaitFor: ["a2", "a3"] });
    const withOwn = {
      ...one.state,
      volatile: { ...one.state.volatile, proposals: [{ slot: 1, cmd: v1 }] },
    };
    const two = some(act(L.handleP1b, e, withOwn, p1b("a2", b(0, "l1"), [pv(b(0, "l1"), v1)])));
    expect(two.state.volatile).toMatchObject({
      active: true,
      scouting: false,
      scoutWaitFor: [],
      scoutPvalues: [],
      proposals: [{ slot: 1, cmd: v2 }],
    });
    expect(two.state.volatile.commanders).toEqual([commander({ cmd: v2 })]);
    expect(sent(two).map((m) => m.mtype)).toEqual(["p2a", "p2a", "p2a"]);
  });

  it("BugIgnorePvalues: adoption keeps the leader's own proposals", () => {
    const bugged = env({ bugs: { ignorePvalues: true } });
    let l = leader({ ...scouting.volatile, proposals: [{ slot: 1, cmd: v1 }] });
    l = some(act(L.handleP1b, bugged, l, p1b("a1", b(0, "l1"), [pv(b(0, "l2"), v2)]))).state;
    l = some(act(L.handleP1b, bugged, l, p1b("a2", b(0, "l1")))).state;
    expect(l.volatile.proposals).toEqual([{ slot: 1, cmd: v1 }]);
  });

  it("a higher ballot preempts: passive, scout dropped, ballot above it", () => {
    const s = some(act(L.handleP1b, e, scouting, p1b("a1", b(2, "l2"))));
    expect(s.state.persistent.ballotNum).toEqual(b(3, "l1"));
    expect(s.state.volatile).toMatchObject({ active: false, scouting: false, scoutWaitFor: [] });
  });

  it("a stale or repeated answer only consumes the message", () => {
    const l = leader({ scouting: true, scoutWaitFor: ["a2", "a3"] }, b(1, "l1"));
    for (const m of [p1b("a1", b(1, "l1")), p1b("a2", b(0, "l2"))]) {
      const s = some(act(L.handleP1b, e, l, m));
      expect(s.state).toBe(l);
      expect(s.effects).toEqual([{ type: "discard", message: m }]);
    }
  });
});

describe("HandleP2b", () => {
  const active = leader({ active: true, commanders: [commander()] });

  it("the commander counts acceptors and decides on a majority: decision to every replica", () => {
    const one = some(act(L.handleP2b, e, active, p2b("a1", b(0, "l1"))));
    expect(one.state.volatile.commanders).toEqual([commander({ waitFor: ["a2", "a3"] })]);
    expect(sent(one)).toEqual([]);
    const two = some(act(L.handleP2b, e, one.state, p2b("a3", b(0, "l1"))));
    expect(two.state.volatile.commanders).toEqual([]);
    expect(sent(two)).toEqual(
      ["r1", "r2"].map((r) => ({ mtype: "decision", mslot: 1, mcmd: v1, msource: "l1", mdest: r })),
    );
  });

  it("a higher ballot ends the commander and preempts the leader", () => {
    const s = some(act(L.handleP2b, e, active, p2b("a1", b(1, "l2"))));
    expect(s.state.volatile).toMatchObject({ active: false, commanders: [] });
    expect(s.state.persistent.ballotNum).toEqual(b(2, "l1"));
  });

  it("a rejection of an older commander's P2a is no vote for the commander at the acceptor's ballot", () => {
    const k1 = commander({ ballot: b(1, "l1") });
    const l = leader({ active: true, commanders: [k1] }, b(1, "l1"));
    // a1, promised to (1, l1), rejects the P2a of l1's commander at (0, l1).
    const s = some(act(L.handleP2b, e, l, p2b("a1", b(1, "l1"), 1, b(0, "l1"))));
    expect(s.state.volatile.commanders).toEqual([k1]);
    expect(sent(s)).toEqual([]);
    const buggy = { ...e, bugs: { ...e.bugs, p2bForAnyCommander: true } };
    const bad = some(act(L.handleP2b, buggy, l, p2b("a1", b(1, "l1"), 1, b(0, "l1"))));
    expect(bad.state.volatile.commanders).toEqual([{ ...k1, waitFor: ["a2", "a3"] }]);
  });

  it("a P2b for another slot or a repeated one changes nothing", () => {
    const s = some(act(L.handleP2b, e, active, p2b("a1", b(0, "l1"), 2)));
    expect(s.state).toBe(active);
    const counted = leader({ active: true, commanders: [commander({ waitFor: ["a2", "a3"] })] });
    expect(some(act(L.handleP2b, e, counted, p2b("a1", b(0, "l1")))).state).toBe(counted);
  });
});

describe("RestartLeader", () => {
  it("loses the volatile state, commanders included, and moves the ballot on", () => {
    const s = some(act(L.restartLeader, e, leader({ active: true, commanders: [commander()] })));
    expect(s.state.volatile).toEqual(l0.volatile);
    expect(s.state.persistent.ballotNum).toEqual(b(1, "l1"));
    expect(s.effects).toEqual([{ type: "persistLeader", state: { ballotNum: b(1, "l1") } }]);
  });
});
