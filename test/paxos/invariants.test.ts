/** The TS mirrors of MultiPaxos.tla's invariants catch hand-built bad states. */
import { describe, expect, it } from "vitest";
import { withMessage } from "../../src/paxos/bag.js";
import type { Cluster } from "../../src/paxos/cluster.js";
import { violatedInvariants, violatedStepProperties } from "../../src/paxos/invariants.js";
import type { AcceptorState, Ballot, Pvalue, ReplicaState } from "../../src/paxos/types.js";
import { fresh, v1, v2 } from "./helpers.js";

const b = (round: number, leader: string): Ballot => ({ round, leader });
const withReplica = (c: Cluster, r: string, o: Partial<ReplicaState>): Cluster => ({
  ...c,
  replicas: new Map(c.replicas).set(r, { ...(c.replicas.get(r) as ReplicaState), ...o }),
});
const withAcceptor = (c: Cluster, a: string, ballot: Ballot, accepted: Pvalue[]): Cluster => ({
  ...c,
  acceptors: new Map(c.acceptors).set(a, {
    id: a,
    persistent: { acceptorBallot: ballot, accepted, reported: { r1: 1, r2: 1 } },
  } satisfies AcceptorState),
});

describe("each invariant catches its violation", () => {
  it("Init violates nothing", () => {
    expect(violatedInvariants(fresh())).toEqual([]);
  });

  it("OneValuePerSlot: two replicas, or a replica and a decision in flight, disagree", () => {
    const c = withReplica(withReplica(fresh(), "r1", { decisions: [{ slot: 1, cmd: v1 }] }), "r2", {
      decisions: [{ slot: 1, cmd: v2 }],
    });
    const only = ["OneValuePerSlot"] as const;
    expect(violatedInvariants(c, only)).toEqual(only);
    const one = withReplica(fresh(), "r1", { decisions: [{ slot: 1, cmd: v1 }] });
    const msg = { mtype: "decision", mslot: 1, mcmd: v2, msource: "l1", mdest: "r2" } as const;
    expect(violatedInvariants({ ...one, messages: withMessage(one.messages, msg) }, only)).toEqual(
      only,
    );
    expect(
      violatedInvariants(
        { ...one, messages: withMessage(one.messages, { ...msg, mslot: 2 }) },
        only,
      ),
    ).toEqual([]);
  });

  it("DecidedWasAccepted: a decision, at a replica or in flight, held by a minority only", () => {
    const pv = { ballot: b(0, "l1"), slot: 1, cmd: v1 };
    const decided = withReplica(fresh(), "r1", { decisions: [{ slot: 1, cmd: v1 }] });
    const byOne = withAcceptor(decided, "a1", b(0, "l1"), [pv]);
    expect(violatedInvariants(byOne)).toEqual(["DecidedWasAccepted"]);
    // a2 holds v1 for slot 1 at a later ballot: still a majority for the command.
    const byTwo = withAcceptor(byOne, "a2", b(1, "l2"), [{ ...pv, ballot: b(1, "l2") }]);
    expect(violatedInvariants(byTwo)).toEqual([]);
    const msg = { mtype: "decision", mslot: 2, mcmd: v1, msource: "l1", mdest: "r2" } as const;
    expect(violatedInvariants({ ...byTwo, messages: withMessage(byTwo.messages, msg) })).toEqual([
      "DecidedWasAccepted",
    ]);
  });

  it("CollectedWasExecuted: a watermark above a replica's slotOut; below it, a slot is collected", () => {
    const only = ["CollectedWasExecuted"] as const;
    const a1 = fresh().acceptors.get("a1") as AcceptorState;
    const reportedBy = (c: Cluster, reported: Record<string, number>): Cluster => ({
      ...c,
      acceptors: new Map(c.acceptors).set("a1", {
        ...a1,
        persistent: { ...a1.persistent, reported },
      }),
    });
    // Both replicas executed slot 1: a1 collects it, and a decision only a1 held is no violation.
    const done = withReplica(withReplica(fresh(), "r1", { slotOut: 2 }), "r2", { slotOut: 2 });
    const collected = reportedBy(
      withReplica(done, "r1", { slotOut: 2, decisions: [{ slot: 1, cmd: v1 }] }),
      { r1: 2, r2: 2 },
    );
    expect(violatedInvariants(collected)).toEqual([]);
    // r2 has not executed slot 1, yet a watermark of 2 is in flight to it.
    const early = withReplica(collected, "r2", { slotOut: 1 });
    expect(violatedInvariants(early, only)).toEqual(only);
    const msg = { mtype: "collected", mslot: 2, msource: "a1", mdest: "r2" } as const;
    const ok = reportedBy(early, { r1: 2, r2: 1 });
    expect(violatedInvariants(ok, only)).toEqual([]);
    expect(violatedInvariants({ ...ok, messages: withMessage(ok.messages, msg) }, only)).toEqual(
      only,
    );
  });

  it("ExecutedPrefixAgree and ExecutedAtMostOnce", () => {
    const c = withReplica(withReplica(fresh(), "r1", { executed: [v1] }), "r2", { executed: [v2] });
    expect(violatedInvariants(c)).toEqual(["ExecutedPrefixAgree"]);
    const prefix = withReplica(fresh(), "r1", { executed: [v1, v2] });
    expect(violatedInvariants(withReplica(prefix, "r2", { executed: [v1] }))).toEqual([]);
    const twice = withReplica(withReplica(fresh(), "r1", { executed: [v1, v1] }), "r2", {
      executed: [v1, v1],
    });
    expect(violatedInvariants(twice)).toEqual(["ExecutedAtMostOnce"]);
  });

  it("AcceptedBelowBallot: an acceptor holds a pvalue above its ballot", () => {
    const c = withAcceptor(fresh(), "a1", b(0, "l1"), [{ ballot: b(0, "l2"), slot: 1, cmd: v1 }]);
    expect(violatedInvariants(c)).toEqual(["AcceptedBelowBallot"]);
  });

  it("ChosenIsProposed: a higher accepted pvalue, commander or P2a carries another command", () => {
    const chosen = { ballot: b(0, "l1"), slot: 1, cmd: v1 };
    let c = withAcceptor(fresh(), "a1", b(0, "l1"), [chosen]);
    c = withAcceptor(c, "a2", b(0, "l1"), [chosen]);
    expect(violatedInvariants(c)).toEqual([]);
    const later = withAcceptor(c, "a3", b(0, "l2"), [{ ballot: b(0, "l2"), slot: 1, cmd: v2 }]);
    expect(violatedInvariants(later)).toEqual(["ChosenIsProposed"]);
    const p2a = {
      mtype: "p2a",
      mballot: b(1, "l1"),
      mslot: 1,
      mcmd: v2,
      msource: "l1",
      mdest: "a3",
    } as const;
    expect(violatedInvariants({ ...c, messages: withMessage(c.messages, p2a) })).toEqual([
      "ChosenIsProposed",
    ]);
    const l2 = c.leaders.get("l2");
    if (l2 === undefined) throw new Error("no l2");
    const withCommander: Cluster = {
      ...c,
      leaders: new Map(c.leaders).set("l2", {
        ...l2,
        volatile: {
          ...l2.volatile,
          commanders: [{ ballot: b(0, "l2"), slot: 1, cmd: v2, waitFor: ["a1", "a2", "a3"] }],
        },
      }),
    };
    expect(violatedInvariants(withCommander)).toEqual(["ChosenIsProposed"]);
    // Chosen needs a majority: one acceptor is not enough.
    expect(violatedInvariants(withAcceptor(later, "a2", b(0, "l2"), []))).toEqual([]);
  });

  it("OnePvaluePerSlot: an acceptor holds two pvalues for one slot", () => {
    const pv = { ballot: b(0, "l1"), slot: 1, cmd: v1 };
    const c = withAcceptor(fresh(), "a1", b(0, "l2"), [pv, { ...pv, ballot: b(0, "l2") }]);
    expect(violatedInvariants(c)).toEqual(["OnePvaluePerSlot"]);
    expect(
      violatedInvariants(withAcceptor(fresh(), "a1", b(0, "l1"), [pv, { ...pv, slot: 2 }])),
    ).toEqual([]);
  });

  it("AcceptanceHeld: a counted vote or a P2b acceptance its acceptor no longer holds", () => {
    const pv = { ballot: b(0, "l1"), slot: 1, cmd: v1 };
    const yes = {
      mtype: "p2b",
      mballot: b(0, "l1"),
      mcballot: b(0, "l1"),
      mslot: 1,
      msource: "a1",
      mdest: "l1",
    } as const;
    const c = fresh();
    expect(violatedInvariants({ ...c, messages: withMessage(c.messages, yes) })).toEqual([
      "AcceptanceHeld",
    ]);
    // A rejection reports nothing accepted; a higher pvalue of the slot holds the acceptance.
    const no = { ...yes, mballot: b(0, "l2") };
    expect(violatedInvariants({ ...c, messages: withMessage(c.messages, no) })).toEqual([]);
    const higher = withAcceptor(c, "a1", b(1, "l1"), [{ ...pv, ballot: b(1, "l1") }]);
    expect(violatedInvariants({ ...higher, messages: withMessage(higher.messages, yes) })).toEqual(
      [],
    );
    const l1 = c.leaders.get("l1");
    if (l1 === undefined) throw new Error("no l1");
    const counted: Cluster = {
      ...c,
      leaders: new Map(c.leaders).set("l1", {
        ...l1,
        volatile: { ...l1.volatile, commanders: [{ ...pv, waitFor: ["a2", "a3"] }] },
      }),
    };
    expect(violatedInvariants(counted)).toEqual(["AcceptanceHeld"]);
    expect(violatedInvariants(withAcceptor(counted, "a1", b(0, "l1"), [pv]))).toEqual([]);
  });

  it("only the requested invariants are checked", () => {
    const c = withReplica(withReplica(fresh(), "r1", { executed: [v1] }), "r2", { executed: [v2] });
    expect(violatedInvariants(c, ["OneValuePerSlot"])).toEqual([]);
  });
});

describe("step properties", () => {
  it("AcceptorBallotsGrow and LeaderBallotsGrow catch a ballot going down", () => {
    const hi = withAcceptor(fresh(), "a1", b(1, "l1"), []);
    expect(violatedStepProperties(fresh(), hi)).toEqual([]);
    expect(violatedStepProperties(hi, fresh())).toEqual(["AcceptorBallotsGrow"]);
    const l1 = fresh().leaders.get("l1");
    if (l1 === undefined) throw new Error("no l1");
    const up: Cluster = {
      ...fresh(),
      leaders: new Map(fresh().leaders).set("l1", { ...l1, persistent: { ballotNum: b(2, "l1") } }),
    };
    expect(violatedStepProperties(up, fresh())).toEqual(["LeaderBallotsGrow"]);
  });
});
