/** Replica transitions: guards and effects of ClientRequest, Propose, HandleDecision, Perform. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import * as R from "../../src/paxos/replica.js";
import type { DecisionMsg, ReplicaState } from "../../src/paxos/types.js";
import { act, env, sent, some, toL2, v1, v2 } from "./helpers.js";

const e = env();
const r0 = R.initialReplica(e, "r1");
const replica = (o: Partial<ReplicaState>): ReplicaState => ({ ...r0, ...o });
const decision = (mslot: number, cmd = v1): DecisionMsg => ({
  mtype: "decision",
  mslot,
  mcmd: cmd,
  msource: "l1",
  mdest: "r1",
});

describe("ClientRequest", () => {
  it("adds the command to requests once", () => {
    const s = some(act(R.clientRequest, e, r0, v1));
    expect(s.state.requests).toEqual([v1]);
    expect(some(act(R.clientRequest, e, s.state, { ...v1 })).state.requests).toEqual([v1]);
    expect(s.effects).toEqual([]);
  });
});

describe("Propose", () => {
  it("needs the command in requests and a slot within the window", () => {
    expect(act(R.propose, e, r0, v1)).toEqual(O.none);
    expect(act(R.propose, e, replica({ requests: [v1], slotIn: 2 }), v1)).toEqual(O.none);
  });

  it("proposes a free slot to every leader and advances slotIn", () => {
    const s = some(act(R.propose, e, replica({ requests: [v1, v2] }), v1));
    expect(s.state).toMatchObject({ slotIn: 2, requests: [v2], proposals: [{ slot: 1, cmd: v1 }] });
    expect(sent(s)).toEqual(
      ["l1", "l2"].map((l) => ({ mtype: "propose", mslot: 1, mcmd: v1, msource: "r1", mdest: l })),
    );
  });

  it("skips a decided slot, keeping the request", () => {
    const s = some(
      act(R.propose, e, replica({ requests: [v1], decisions: [{ slot: 1, cmd: v2 }] }), v1),
    );
    expect(s.state).toMatchObject({ slotIn: 2, requests: [v1], proposals: [] });
    expect(s.effects).toEqual([]);
  });

  it("adopts the leaders of a reconfiguration decided Window slots back", () => {
    const r = replica({
      requests: [v1],
      slotIn: 2,
      slotOut: 2,
      decisions: [{ slot: 1, cmd: toL2 }],
    });
    const s = some(act(R.propose, e, r, v1));
    expect(s.state.leaders).toEqual(["l2"]);
    expect(sent(s).map((m) => m.mdest)).toEqual(["l2"]);
  });
});

describe("HandleDecision", () => {
  it("records a decision addressed to the replica and consumes it", () => {
    const s = some(act(R.handleDecision, e, r0, decision(1)));
    expect(s.state.decisions).toEqual([{ slot: 1, cmd: v1 }]);
    expect(s.effects).toEqual([{ type: "discard", message: decision(1) }]);
    expect(act(R.handleDecision, e, r0, { ...decision(1), mdest: "r2" })).toEqual(O.none);
    expect(act(R.handleDecision, e, r0, { ...decision(1), mtype: "propose" })).toEqual(O.none);
  });
});

describe("Perform", () => {
  it("needs a decision for slotOut", () => {
    expect(act(R.perform, e, r0)).toEqual(O.none);
    expect(act(R.perform, e, replica({ decisions: [{ slot: 2, cmd: v1 }] }))).toEqual(O.none);
  });

  it("applies the decided command and advances slotOut", () => {
    const s = some(act(R.perform, e, replica({ decisions: [{ slot: 1, cmd: v1 }] })));
    expect(s.state).toMatchObject({ slotOut: 2, executed: [v1] });
    expect(s.effects).toEqual([{ type: "apply", slot: 1, op: "v1" }]);
  });

  it("re-queues its own different proposal for the slot", () => {
    const r = replica({ proposals: [{ slot: 1, cmd: v2 }], decisions: [{ slot: 1, cmd: v1 }] });
    const s = some(act(R.perform, e, r));
    expect(s.state).toMatchObject({ requests: [v2], proposals: [], executed: [v1] });
  });

  it("does not apply a reconfiguration or a command decided in an earlier slot", () => {
    const twice = replica({
      slotOut: 2,
      executed: [v1],
      decisions: [
        { slot: 1, cmd: v1 },
        { slot: 2, cmd: v1 },
      ],
    });
    const s = some(act(R.perform, e, twice));
    expect(s.state).toMatchObject({ slotOut: 3, executed: [v1] });
    expect(s.effects).toEqual([]);
    const cfg = some(act(R.perform, e, replica({ decisions: [{ slot: 1, cmd: toL2 }] })));
    expect(cfg.state).toMatchObject({ slotOut: 2, executed: [] });
  });

  it("BugExecuteOutOfOrder: performs the lowest decided slot after a gap", () => {
    const r = replica({ decisions: [{ slot: 3, cmd: v2 }] });
    const bugged = env({ bugs: { executeOutOfOrder: true } });
    const s = some(act(R.perform, bugged, r));
    expect(s.state).toMatchObject({ slotOut: 4, executed: [v2] });
  });
});
