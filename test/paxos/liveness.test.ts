/**
 * Liveness, measured: over 1,000 seeds, faults stop at a random tick in 1–300 and progress must
 * resume within a stated bound: one leader leads (up, active, no acceptor promised a higher
 * ballot) and every client operation pending then is executed by a replica. The bound (ticks
 * after the faults stop, f = 1, default knobs with stalls lengthened by two measured round
 * trips): a crashed leader is back within 50 ticks and scouts; a leader that hears proposals
 * stop takes over after a stall (40–60 ticks, doubled per preemption or idle timeout, up to
 * 8×); an adoption re-sends a commander per known slot (P2a, P2b and decisions: about 8 events
 * a slot, one event a tick), and a duel of two leaders costs a few backoffs more. 1,500 ticks
 * leaves room for a couple of such rounds over the ~40 slots a run reaches by tick 300.
 *
 * A hole is a slot whose proposals were all lost before the faults stopped, known to no leader
 * and to no majority of acceptors. PMMC's replicas propose a slot once, so no timer could get
 * such a slot decided (23 of these 1,000 seeds); the replicas' ResendPropose gets it decided,
 * and no run may be left with one.
 */
import { describe, expect, it } from "vitest";
import { defaultLiveness, livenessRun, livenessRuns } from "../../src/paxos/sim/liveness.js";

const BOUND = 1500;
const options = { ...defaultLiveness, maxFaultTicks: 300, bound: BOUND };

describe("progress resumes when faults stop", () => {
  it("1,000 seeds: one leader, and every pending operation executed, within the bound", () => {
    const s = livenessRuns(1, 1000, options);
    const worst = s.worst;
    // The report: the worst case and the distribution.
    console.log(
      `paxos liveness over 1,000 seeds: recovery p50 ${s.recovery.p50}, p99 ${s.recovery.p99}, max ${s.recovery.max} ticks (seed ${worst?.seed}); leader max ${s.leader.max} ticks; ${s.holed.length} runs with a hole`,
    );
    expect(s.stuck.map((r) => r.seed)).toEqual([]);
    expect(s.recovery.max).toBeLessThanOrEqual(BOUND);
    expect(s.runs.filter((r) => r.pending > 0).length).toBeGreaterThan(500);
    // A replica resends what it proposed: nothing is lost for good.
    expect(s.holed.map((r) => r.seed)).toEqual([]);
  });

  it("the check fails where progress cannot resume in time", () => {
    const r = livenessRun(1, { ...options, bound: 1, maxFaultTicks: 1 });
    expect(r.recoveredAfter).toBeUndefined();
  });

  // Kept counterexample: seed 17 loses every proposal for slot 3 before tick 716. Replicas that
  // propose a slot once (PMMC's) wait for it for good; with ResendPropose the slot is decided.
  it("seed 17 (faults until tick 716) recovers only because replicas resend what they proposed", () => {
    const once = livenessRun(17, { ...defaultLiveness, noResend: true });
    expect(once.calmAt).toBe(716);
    expect(once.holes).toEqual([3]);
    expect(once.recoveredAfter).toBeUndefined();
    const resent = livenessRun(17, defaultLiveness);
    expect(resent.holes).toEqual([]);
    expect(resent.recoveredAfter).toBeDefined();
  });
});
