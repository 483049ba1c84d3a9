/**
 * Liveness, measured: over 1,000 seeds, faults stop at a random tick and progress must resume
 * within a stated bound. The bound (ticks after the faults stop, 3 servers, default knobs:
 * election timeout 25–50 ticks, heartbeat 6, retry 20): a crashed server is back within 40
 * ticks, an election with backoff (up to 8× the timeout) takes at most 400 more, and a few
 * rounds of replication commit what is pending. 1,000 ticks leaves room for split votes.
 */
import { describe, expect, it } from "vitest";
import { defaultLiveness, livenessRun, livenessRuns } from "../../src/raft/sim/liveness.js";
import { faultNames } from "../../src/sim/faults.js";

const BOUND = 1000;

describe("progress resumes when faults stop", () => {
  it("1,000 seeds: a leader, and every pending command committed, within the bound", () => {
    const s = livenessRuns(1, 1000, { ...defaultLiveness, bound: BOUND });
    const worst = s.worst;
    // The report: the worst case and the distribution.
    console.log(
      `liveness over 1,000 seeds: recovery p50 ${s.recovery.p50}, p99 ${s.recovery.p99}, max ${s.recovery.max} ticks (seed ${worst?.seed}); leader max ${s.leader.max} ticks`,
    );
    expect(s.stuck.map((r) => r.seed)).toEqual([]);
    expect(s.recovery.max).toBeLessThanOrEqual(BOUND);
    expect(s.runs.some((r) => r.pending > 0)).toBe(true);
  });

  it("the check fails where progress cannot resume: a cluster whose timers never fire", () => {
    const r = livenessRun(1, { ...defaultLiveness, bound: 1, maxFaultTicks: 1 });
    expect(r.recoveredAfter).toBeUndefined();
  });

  // Once a counterexample (the spec's, not the timers'): seed 27 stopped with s2 holding an
  // uncommitted C(new) = {s1,s3} that excludes it, so s2 never timed out (Timeout needed
  // membership of its own configuration), while s1 and s3, still joint in
  // C({s1,s2},{s1,s3}), needed s2's vote, which it refused because its log was longer. With
  // MayStandForElection a removed server stands until it knows C(new) committed: 134 of the
  // first 1,000 reconfiguration seeds were stuck before, none now.
  it("with reconfiguration too: 100 seeds, seed 27 among them, recover within the bound", () => {
    const s = livenessRuns(1, 100, { ...defaultLiveness, bound: BOUND, faults: faultNames });
    console.log(
      `liveness with reconfiguration over 100 seeds: recovery p50 ${s.recovery.p50}, p99 ${s.recovery.p99}, max ${s.recovery.max} ticks (seed ${s.worst?.seed})`,
    );
    expect(s.stuck.map((r) => r.seed)).toEqual([]);
    expect(s.runs[26]?.recoveredAfter).toBeDefined();
    expect(s.recovery.max).toBeLessThanOrEqual(BOUND);
  });
});
