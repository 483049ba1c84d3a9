/**
 * The ready batch and the simulated disks of leaders and acceptors: persist, then send, then
 * apply; restarts read the disk, and a transition that forgets its persist is caught.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { AcceptorPersistent, LeaderPersistent } from "../../src/paxos/codec.js";
import { concatReady, readyOf } from "../../src/paxos/ready.js";
import { withDefaults } from "../../src/paxos/sim/options.js";
import { simulate } from "../../src/paxos/sim/simulate.js";
import type { Message } from "../../src/paxos/types.js";
import { type Fault, faultNames } from "../../src/sim/faults.js";

const b1 = { round: 1, leader: "l1" };
const p1b: Message = {
  mtype: "p1b",
  mballot: b1,
  maccepted: [],
  mcollected: 1,
  msource: "a1",
  mdest: "l1",
};
const p1a: Message = { mtype: "p1a", mballot: b1, msource: "l1", mdest: "a1" };

describe("the ready batch", () => {
  it("keeps the latest persist, the sends in order and the applies; a discard needs no work", () => {
    const r = readyOf([
      {
        type: "persistAcceptor",
        state: { acceptorBallot: { round: 0, leader: "l1" }, accepted: [], reported: {} },
      },
      { type: "persistAcceptor", state: { acceptorBallot: b1, accepted: [], reported: {} } },
      { type: "send", message: p1b },
      { type: "discard", message: p1a },
      { type: "apply", slot: 1, op: "v1" },
    ]);
    expect(r.persist).toEqual(
      O.some({ role: "acceptor", state: { acceptorBallot: b1, accepted: [], reported: {} } }),
    );
    expect(r.messages).toEqual([p1b]);
    expect(r.apply).toEqual([{ slot: 1, op: "v1" }]);
    const both = concatReady(
      readyOf([{ type: "persistLeader", state: { ballotNum: b1 } }]),
      readyOf([{ type: "send", message: p1a }]),
    );
    expect(both.persist).toEqual(O.some({ role: "leader", state: { ballotNum: b1 } }));
    expect(both.messages).toEqual([p1a]);
  });
});

describe("the simulated disks", () => {
  const run = (
    seed: number,
    forgetPersist?: "HandleP1a" | "HandleP2a",
    faults: ReadonlyArray<Fault> = faultNames,
  ) =>
    simulate(
      withDefaults({
        seed,
        steps: 400,
        faults,
        ...(forgetPersist === undefined ? {} : { forgetPersist }),
      }),
    );

  it("hold each leader's and acceptor's state through the codec; nothing is sent unpersisted", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = run(seed);
      expect(r.violation, `seed ${seed}`).toEqual(O.none);
      expect(r.unpersistedSends, `seed ${seed}`).toEqual([]);
      expect(r.regressions, `seed ${seed}`).toEqual([]);
      for (const l of r.cluster.leaders.values())
        expect(r.disks.get(l.id)).toBe(JSON.stringify(LeaderPersistent.encode(l.persistent)));
      for (const a of r.cluster.acceptors.values())
        expect(r.disks.get(a.id)).toBe(JSON.stringify(AcceptorPersistent.encode(a.persistent)));
    }
  });

  it("catch an acceptor that forgets to persist its promise: it sends unbacked P1b, and a restart from its disk breaks AcceptorBallotsGrow", () => {
    const runs = Array.from({ length: 30 }, (_, k) => run(k + 1, "HandleP1a", ["crash"]));
    expect(runs.every((r) => r.unpersistedSends.some((u) => u.action === "HandleP1a"))).toBe(true);
    const broken = runs.filter((r) => O.isSome(r.violation));
    expect(broken.length).toBeGreaterThan(0);
    for (const r of broken) {
      expect(r.regressions.length).toBeGreaterThan(0);
      expect(O.isSome(r.violation) && r.violation.value.invariants).toEqual([
        "AcceptorBallotsGrow",
      ]);
    }
  });

  it("catch an acceptor that forgets to persist what it accepted: a decided value is lost", () => {
    const caught = Array.from({ length: 30 }, (_, k) => run(k + 1, "HandleP2a", ["crash"])).flatMap(
      (r) => (O.isSome(r.violation) ? r.violation.value.invariants : []),
    );
    expect(caught).toContain("DecidedWasAccepted");
  });
});
