/**
 * Liveness, measured: a run with faults stops all of them at a random tick (the network no
 * longer loses messages, not even to its cap), and from then on one leader must lead — up,
 * active, with a ballot no acceptor has promised to exceed — and every client operation still
 * pending must be executed by a replica, within a bound of ticks. Safety holds in any run; this
 * is what the leaders' timers in the protocol (src/paxos/timers.ts) are for.
 *
 * Without ResendPropose (`noResend`, PMMC's replicas propose a slot once) a run can reach a
 * state no timer can leave: a hole, a slot whose proposals were all lost before the faults
 * stopped (see PaxosDriver.holes), which nothing decides and every replica waits for for good.
 * Runs with a hole when the faults stopped are counted apart; with resending there are none.
 */
import type { ValueId } from "../../core/ids.js";
import { Prng } from "../../core/prng.js";
import { Candidates } from "../../sim/candidates.js";
import type { SimContext } from "../../sim/engine.js";
import { type Fault, faultNames } from "../../sim/faults.js";
import type { Action } from "../cluster.js";
import { PaxosDriver } from "./driver.js";
import { type Knobs, withDefaults } from "./options.js";

export interface LivenessOptions {
  /** Faults stop at a tick drawn uniformly from 1…maxFaultTicks. */
  readonly maxFaultTicks: number;
  /** Ticks after the faults stop within which progress must have resumed. */
  readonly bound: number;
  /** The faults of the run until it calms down. */
  readonly faults: ReadonlyArray<Fault>;
  /** Timer knobs of the run (the rest are the defaults). */
  readonly knobs: Partial<Knobs>;
  /** Replicas never resend a proposal (PMMC's once): to show what ResendPropose is for. */
  readonly noResend?: boolean;
}

export const defaultLiveness: LivenessOptions = {
  maxFaultTicks: 1500,
  bound: 3000,
  faults: faultNames.filter((f) => f !== "reconfig"),
  // Stalls lengthened by two measured round trips: with fixed stalls, leaders that see their
  // floods of P2a (an adoption sends one per known slot) come back slowly abandon their
  // ballots and duel, which made the worst run over 1,000 seeds twice as long.
  knobs: { rttFactor: 2 },
};

export interface LivenessRun {
  readonly seed: number;
  /** The tick the faults stopped at. */
  readonly calmAt: number;
  /** Client operations no replica had executed when the faults stopped. */
  readonly pending: number;
  /** Slots lost for good when the faults stopped (see PaxosDriver.holes). */
  readonly holes: ReadonlyArray<number>;
  /** Ticks from the stop until one leader led (undefined: never within the bound). */
  readonly leaderAfter: number | undefined;
  /** Ticks from the stop until every operation pending then was executed, with a leader. */
  readonly recoveredAfter: number | undefined;
}

/** One run: faults until a random tick, then calm until progress resumes or the bound passes. */
export function livenessRun(seed: number, o: LivenessOptions = defaultLiveness): LivenessRun {
  const ctx = { rng: new Prng(seed), tick: 0 };
  const context: SimContext = ctx;
  const calmAt = 1 + new Prng(seed ^ 0x5eed).int(o.maxFaultTicks);
  const d = new PaxosDriver(
    context,
    withDefaults({
      seed,
      faults: o.faults,
      steps: Number.MAX_SAFE_INTEGER,
      knobs: o.knobs,
      ...(o.noResend ? { noResend: true } : {}),
    }),
  );
  const out = new Candidates<Action>();
  let pending: ReadonlySet<ValueId> | undefined;
  let holes: ReadonlyArray<number> = [];
  let leaderAfter: number | undefined;
  let recoveredAfter: number | undefined;
  const end = calmAt + o.bound;
  while (ctx.tick < end) {
    ctx.tick++;
    if (pending === undefined && ctx.tick >= calmAt) {
      d.calm();
      pending = d.unexecuted();
      holes = d.holes();
    }
    if (pending !== undefined) {
      const leader = d.leading() !== undefined;
      if (leader && leaderAfter === undefined) leaderAfter = ctx.tick - calmAt;
      const still = d.unexecuted();
      if (leader && [...pending].every((v) => !still.has(v))) {
        recoveredAfter = ctx.tick - calmAt;
        break;
      }
    }
    d.environment();
    let a = d.forced();
    if (a === undefined) {
      out.clear();
      d.enumerate(out);
      a = out.pick(ctx.rng);
      if (a === undefined) {
        const wake = d.nextWake();
        if (wake === Number.POSITIVE_INFINITY) break;
        // Never skip past the stop: the faults must stop at calmAt.
        ctx.tick = Math.max(ctx.tick, Math.min(wake, pending === undefined ? calmAt : wake) - 1);
        continue;
      }
    }
    d.step(a);
  }
  return { seed, calmAt, pending: pending?.size ?? 0, holes, leaderAfter, recoveredAfter };
}

export interface LivenessSummary {
  readonly runs: ReadonlyArray<LivenessRun>;
  /** Runs without a hole that did not recover within the bound. */
  readonly stuck: ReadonlyArray<LivenessRun>;
  /** Runs with a hole when the faults stopped. */
  readonly holed: ReadonlyArray<LivenessRun>;
  /** Percentiles of recoveredAfter (ticks) over the runs that recovered: p50, p90, p99, max. */
  readonly recovery: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly leader: { readonly p50: number; readonly p99: number; readonly max: number };
  /** The run that took longest to recover, of those without a hole. */
  readonly worst: LivenessRun | undefined;
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

const sortedOf = (xs: ReadonlyArray<number | undefined>): ReadonlyArray<number> =>
  xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);

/** Seeds first…first+count-1. */
export function livenessRuns(
  first: number,
  count: number,
  o: LivenessOptions = defaultLiveness,
): LivenessSummary {
  const runs = Array.from({ length: count }, (_, k) => livenessRun(first + k, o));
  const holed = runs.filter((r) => r.holes.length > 0);
  const whole = runs.filter((r) => r.holes.length === 0);
  const stuck = whole.filter((r) => r.recoveredAfter === undefined);
  const rec = sortedOf(whole.map((r) => r.recoveredAfter));
  const lead = sortedOf(whole.map((r) => r.leaderAfter));
  const worst = whole.reduce<LivenessRun | undefined>(
    (w, r) =>
      w === undefined || (r.recoveredAfter ?? Infinity) > (w.recoveredAfter ?? Infinity) ? r : w,
    undefined,
  );
  return {
    runs,
    stuck,
    holed,
    recovery: {
      p50: percentile(rec, 0.5),
      p90: percentile(rec, 0.9),
      p99: percentile(rec, 0.99),
      max: rec[rec.length - 1] ?? 0,
    },
    leader: {
      p50: percentile(lead, 0.5),
      p99: percentile(lead, 0.99),
      max: lead[lead.length - 1] ?? 0,
    },
    worst,
  };
}
