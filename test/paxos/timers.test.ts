/** The leaders' timers (src/paxos/timers.ts): pure tick handling over a leader's own knowledge. */
import { describe, expect, it } from "vitest";
import type { Action } from "../../src/paxos/cluster.js";
import { initialLeader } from "../../src/paxos/leader.js";
import {
  allows,
  initTimers,
  observe,
  type TimerConfig,
  type Timers,
  wakeAt,
} from "../../src/paxos/timers.js";
import type { Effect, LeaderState, Message } from "../../src/paxos/types.js";

const cfg: TimerConfig = {
  boot: [8, 12],
  backoff: [10, 30],
  stall: [40, 60],
  maxBackoff: 3,
  window: 2,
  replicas: ["r1", "r2"],
  perMessage: 3,
  rttFactor: 0,
};
const timeout: Action = { name: "LeaderTimeout", l: "l2" };
const propose = (slot: number, r: string): Action => ({
  name: "HandlePropose",
  l: "l2",
  m: {
    mtype: "propose",
    mslot: slot,
    mcmd: { op: `v${slot}`, leaders: [] },
    msource: r,
    mdest: "l2",
  },
});
const l2 = initialLeader("l2");
const passive: LeaderState = {
  ...l2,
  volatile: { ...l2.volatile, proposals: [{ slot: 1, cmd: { op: "v1", leaders: [] } }] },
};

/** The first tick from `from` at which LeaderTimeout is let through, up to `to`. */
const firesAt = (t: Timers, l: LeaderState, from: number, to = 10_000): number | undefined => {
  for (let now = from; now <= to; now++) if (allows(cfg, t, l, timeout, now)) return now;
  return undefined;
};

describe("the leaders' timers", () => {
  it("at Init the lowest rank scouts at once; another leader waits for proposals", () => {
    expect(firesAt(initTimers(cfg, 7, 1, 0), l2, 0)).toBe(1);
    const t = initTimers(cfg, 7, 2, 0);
    expect(firesAt(t, l2, 0)).toBeUndefined();
    expect(wakeAt(cfg, t, l2, timeout)).toBe(Number.POSITIVE_INFINITY);
  });

  it("a passive leader takes over a stall after the proposals stop, and each new one pushes that back", () => {
    let t = observe(cfg, initTimers(cfg, 7, 2, 0), l2, passive, propose(1, "r1"), [], 100);
    const first = firesAt(t, passive, 100) as number;
    expect(first).toBeGreaterThanOrEqual(140);
    expect(first).toBeLessThanOrEqual(160);
    t = observe(cfg, t, passive, passive, propose(2, "r2"), [], 130);
    expect(firesAt(t, passive, 100)).toBeGreaterThanOrEqual(170);
    // A proposal for a slot it heard already is no news.
    const again = observe(cfg, t, passive, passive, propose(2, "r1"), [], 150);
    expect(again.deadline).toBe(t.deadline);
  });

  it("the same seed draws the same timers; another seed may not", () => {
    const run = (seed: number) =>
      observe(cfg, initTimers(cfg, seed, 2, 0), l2, passive, propose(1, "r1"), [], 100).deadline;
    expect(run(7)).toBe(run(7));
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map(run)).size).toBeGreaterThan(1);
  });

  it("a preemption backs off for a time that doubles per preemption", () => {
    const preempted = (failures: number) => {
      const t: Timers = { ...initTimers(cfg, 3, 2, 0), failures };
      const after: LeaderState = {
        ...passive,
        persistent: { ballotNum: { round: 5, leader: "l2" } },
      };
      const m: Message = {
        mtype: "p1b",
        mballot: { round: 4, leader: "l1" },
        maccepted: [],
        mcollected: 1,
        msource: "a1",
        mdest: "l2",
      };
      return observe(cfg, t, passive, after, { name: "HandleP1b", l: "l2", m }, [], 0);
    };
    expect(preempted(0).failures).toBe(1);
    expect(preempted(0).deadline).toBeGreaterThanOrEqual(20);
    expect(preempted(0).deadline).toBeLessThanOrEqual(60);
    expect(preempted(2).deadline).toBeGreaterThanOrEqual(80);
    expect(preempted(2).deadline).toBeLessThanOrEqual(240);
  });

  it("an adoption uses up `fresh`: a leader whose decisions were all confirmed stays quiet", () => {
    const heard = observe(cfg, initTimers(cfg, 7, 2, 0), l2, passive, propose(1, "r1"), [], 0);
    const scouting: LeaderState = { ...passive, volatile: { ...passive.volatile, scouting: true } };
    const active: LeaderState = {
      ...passive,
      volatile: { ...passive.volatile, active: true, scouting: false },
    };
    const m: Message = {
      mtype: "p1b",
      mballot: l2.persistent.ballotNum,
      maccepted: [],
      mcollected: 1,
      msource: "a1",
      mdest: "l2",
    };
    const adopted = observe(
      cfg,
      heard,
      scouting,
      active,
      { name: "HandleP1b", l: "l2", m },
      [],
      60,
    );
    expect(adopted.fresh).toBe(false);
    // Slot 1 decided by its own commander: not yet confirmed, so the leader would look again …
    const decision: Effect = {
      type: "send",
      message: {
        mtype: "decision",
        mslot: 1,
        mcmd: { op: "v1", leaders: [] },
        msource: "l2",
        mdest: "r1",
      },
    };
    const decided = observe(
      cfg,
      adopted,
      active,
      active,
      { name: "HandleP2b", l: "l2", m },
      [decision],
      70,
    );
    expect(firesAt(decided, active, 70)).toBeDefined();
    // … until both replicas proposed slot 1 + Window: then nothing is left to look for.
    let t = observe(cfg, decided, active, active, propose(3, "r1"), [], 80);
    t = observe(cfg, t, active, active, propose(3, "r2"), [], 81);
    expect(t.decided).toEqual([]);
    expect(firesAt(t, active, 81)).toBeUndefined();
  });
});
