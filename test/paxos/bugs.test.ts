/**
 * Each test-only bug switch, on, reaches a state that breaks one of the spec's invariants in a
 * scripted run; the same script with the switch off keeps every invariant.
 */
import { describe, expect, it } from "vitest";
import type { Cluster } from "../../src/paxos/cluster.js";
import { violatedInvariants } from "../../src/paxos/invariants.js";
import type { Bugs, Message } from "../../src/paxos/types.js";
import {
  deliver,
  elect,
  env,
  exec,
  fresh,
  leaderAt,
  ofType,
  replicaAt,
  request,
  to,
  v1,
  v2,
} from "./helpers.js";

type Script = (bugs: Partial<Bugs>) => Cluster;

/** r2's proposal only: r1's, for the same slot, is in flight to l2 as well. */
const fromR2ToL2 = (m: { msource: string; mdest: string; mtype: string }) =>
  m.mtype === "propose" && m.msource === "r2" && m.mdest === "l2";

const fromL = (l: string, mtype: "p2a" | "p1a") => (m: { msource: string; mtype: string }) =>
  m.msource === l && m.mtype === mtype;

/** l1 gets v1 accepted by a1, a2 at (0, l1); the decision is still in flight. */
const v1ChosenByL1 = (bugs: Partial<Bugs>): Cluster => {
  let c = elect(fresh(env({ bugs })), "l1", ["a1", "a2", "a3"]);
  c = deliver(request(c, "r1", v1), to("l1", "propose"));
  c = deliver(c, (m) => m.mtype === "p2a" && m.mdest !== "a3");
  return deliver(c, to("l1", "p2b"));
};

const scripts: Record<keyof Bugs, Script> = {
  // l2 is adopted by a3 alone, which never saw v1, and gets v2 decided in slot 1 too.
  minorityAdoption: (bugs) => {
    let c = v1ChosenByL1(bugs);
    c = exec(c, { name: "LeaderTimeout", l: "l2" });
    c = deliver(c, (m) => fromL("l2", "p1a")(m) && m.mdest === "a3");
    c = deliver(c, to("l2", "p1b"));
    c = deliver(request(c, "r2", v2), fromR2ToL2);
    c = deliver(c, fromL("l2", "p2a"));
    return deliver(c, to("l2", "p2b"));
  },
  // l2 already holds r2's v2 for slot 1; adopted by a1, a2 (which accepted v1) it keeps v2.
  ignorePvalues: (bugs) => {
    let c = v1ChosenByL1(bugs);
    c = deliver(request(c, "r2", v2), fromR2ToL2);
    c = exec(c, { name: "LeaderTimeout", l: "l2" });
    c = deliver(c, (m) => fromL("l2", "p1a")(m) && m.mdest !== "a3");
    c = deliver(c, to("l2", "p1b"));
    c = deliver(c, fromL("l2", "p2a"));
    return deliver(c, to("l2", "p2b"));
  },
  // Acceptors at (0, l2) still accept l1's v1 at (0, l1): chosen below a ballot proposing v2.
  acceptLowerBallot: (bugs) => {
    let c = elect(fresh(env({ bugs })), "l1", ["a1", "a2", "a3"]);
    c = elect(c, "l2", ["a1", "a2", "a3"]);
    c = deliver(request(c, "r1", v1), to("l1", "propose"));
    c = deliver(c, fromL("l1", "p2a"));
    return deliver(request(c, "r2", v2), fromR2ToL2);
  },
  // l1's commander at (0, l1) is outrun by l1's own ballot (1, l1): a1, a2, promised to it,
  // reject the old P2a, and l1's commander at (1, l1) counts the rejections as votes, so v1 is
  // decided with nothing accepted. l2, preempted into round 2, then gets r2's v2 decided in slot 1.
  p2bForAnyCommander: (bugs) => {
    let c = elect(fresh(env({ bugs })), "l1", ["a1", "a2", "a3"]);
    c = deliver(request(c, "r2", v2), fromR2ToL2);
    c = deliver(request(c, "r1", v1), to("l1", "propose"));
    c = exec(c, { name: "LeaderTimeout", l: "l1" });
    c = deliver(c, fromL("l1", "p1a"));
    c = deliver(c, to("l1", "p1b"));
    const old = (m: Message) => m.mtype === "p2a" && m.mballot.round === 0 && m.mdest !== "a3";
    c = deliver(c, old);
    c = deliver(c, to("l1", "p2b"));
    c = exec(c, { name: "LeaderTimeout", l: "l2" });
    c = deliver(c, (m) => fromL("l2", "p1a")(m) && m.mdest === "a1");
    c = deliver(c, to("l2", "p1b"));
    c = elect(c, "l2", ["a1", "a2", "a3"]);
    c = deliver(c, fromL("l2", "p2a"));
    return deliver(c, to("l2", "p2b"));
  },
  // a1 accepted v1 at (0, l1); l2, adopted by a2 and a3, proposes v2 at (0, l2), and a1 says
  // yes but keeps v1: v2 is decided on a1's and a2's votes while only a2 holds it.
  keepLowerPvalue: (bugs) => {
    let c = elect(fresh(env({ bugs })), "l1", ["a1", "a2", "a3"]);
    c = deliver(request(c, "r2", v2), fromR2ToL2);
    c = deliver(request(c, "r1", v1), to("l1", "propose"));
    c = deliver(c, (m) => fromL("l1", "p2a")(m) && m.mdest === "a1");
    c = elect(c, "l2", ["a2", "a3"]);
    c = deliver(c, (m) => fromL("l2", "p2a")(m) && m.mdest !== "a3");
    return deliver(c, to("l2", "p2b"));
  },
  // r1 performs slot 1 and reports it; r2 has not: a1 collects slot 1 under the bug.
  collectUnexecuted: (bugs) => {
    let c = elect(fresh(env({ bugs })), "l1", ["a1", "a2", "a3"]);
    c = deliver(request(c, "r1", v1), to("l1", "propose"));
    c = deliver(deliver(c, ofType("p2a")), to("l1", "p2b"));
    c = deliver(c, (m) => m.mtype === "decision" && m.mdest === "r1");
    c = exec(c, { name: "Perform", r: "r1" });
    c = exec(c, { name: "ReportExecuted", r: "r1" });
    return deliver(c, (m) => m.mtype === "executed" && m.mdest === "a1");
  },
  // With a window of 2, r1 learns slot 2 first and performs it before slot 1.
  executeOutOfOrder: (bugs) => {
    let c = elect(fresh(env({ bugs, window: 2 })), "l1", ["a1", "a2", "a3"]);
    c = request(request(c, "r1", v1), "r1", v2);
    c = deliver(c, to("l1", "propose"));
    c = deliver(deliver(c, ofType("p2a")), to("l1", "p2b"));
    c = deliver(c, (m) => m.mtype === "decision" && m.mslot === 2 && m.mdest === "r1");
    c = exec(c, { name: "Perform", r: "r1" });
    c = deliver(c, ofType("decision"));
    return exec(c, { name: "Perform", r: "r2" });
  },
};

const expected: Record<keyof Bugs, ReadonlyArray<string>> = {
  // v1, chosen at (0, l1), is overwritten at a2 by v2 (one pvalue per slot): by the end no
  // majority holds v1, so DecidedWasAccepted breaks where ChosenIsProposed did (while the P2a
  // for v2 was in flight).
  minorityAdoption: ["OneValuePerSlot", "DecidedWasAccepted"],
  ignorePvalues: ["OneValuePerSlot", "DecidedWasAccepted"],
  acceptLowerBallot: ["ChosenIsProposed"],
  executeOutOfOrder: ["ExecutedPrefixAgree"],
  p2bForAnyCommander: ["OneValuePerSlot", "DecidedWasAccepted"],
  keepLowerPvalue: ["DecidedWasAccepted"],
  collectUnexecuted: ["CollectedWasExecuted"],
};

describe("bug switches", () => {
  for (const bug of Object.keys(scripts) as Array<keyof Bugs>) {
    it(`${bug}: the script breaks ${expected[bug].join(", ")} only with the switch on`, () => {
      const bad = scripts[bug]({ [bug]: true });
      for (const name of expected[bug]) expect(violatedInvariants(bad)).toContain(name);
      let good: Cluster | undefined;
      try {
        good = scripts[bug]({});
      } catch {
        // Without the bug some step of the script is simply not enabled.
        good = undefined;
      }
      if (good !== undefined) expect(violatedInvariants(good)).toEqual([]);
    });
  }

  it("executeOutOfOrder: r1 applied v2 before slot 1 was even decided", () => {
    const c = scripts.executeOutOfOrder({ executeOutOfOrder: true });
    expect(replicaAt(c, "r1").executed).toEqual([v2]);
    expect(replicaAt(c, "r2").executed).toEqual([v1]);
  });

  it("minorityAdoption: one P1b makes a leader active", () => {
    let c = exec(fresh(env({ bugs: { minorityAdoption: true } })), {
      name: "LeaderTimeout",
      l: "l1",
    });
    c = deliver(deliver(c, to("a1", "p1a")), to("l1", "p1b"));
    expect(leaderAt(c, "l1").volatile.active).toBe(true);
    let ok = exec(fresh(), { name: "LeaderTimeout", l: "l1" });
    ok = deliver(deliver(ok, to("a1", "p1a")), to("l1", "p1b"));
    expect(leaderAt(ok, "l1").volatile.active).toBe(false);
  });
});
