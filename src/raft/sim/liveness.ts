/**
 * Liveness, measured: a run with every fault stops all faults at a random tick, and from then
 * on a leader must be elected and every client command still pending committed (clients resend
 * what a deposed leader lost) within a bound of ticks. Safety holds in any run; this is what
 * the timers in the protocol (src/raft/timers.ts) are for.
 */
import type { ValueId } from "../../core/ids.js";
import { Prng } from "../../core/prng.js";
import { Candidates } from "../../sim/candidates.js";
import type { SimContext } from "../../sim/engine.js";
import { type Fault, faultNames } from "../../sim/faults.js";
import type { Action } from "../cluster.js";
import { RaftDriver } from "./driver.js";
import { withDefaults } from "./options.js";

export interface LivenessOptions {
  readonly servers: number;
  /** Faults stop at a tick drawn uniformly from 1…maxFaultTicks. */
  readonly maxFaultTicks: number;
  /** Ticks after the faults stop within which progress must have resumed. */
  readonly bound: number;
  /** The faults of the run until it calms down. */
  readonly faults: ReadonlyArray<Fault>;
}

export const defaultLiveness: LivenessOptions = {
  servers: 3,
  maxFaultTicks: 1500,
  bound: 3000,
  faults: faultNames.filter((f) => f !== "reconfig"),
};

export interface LivenessRun {
  readonly seed: number;
  /** The tick the faults stopped at. */
  readonly calmAt: number;
  /** Client commands not committed anywhere when the faults stopped. */
  readonly pending: number;
  /** Ticks from the stop until a live leader of the highest term existed (undefined: never). */
  readonly leaderAfter: number | undefined;
  /** Ticks from the stop until every command pending then was committed, with a leader. */
  readonly recoveredAfter: number | undefined;
}

/** One run: faults until a random tick, then calm until progress resumes or the bound passes. */
export function livenessRun(seed: number, o: LivenessOptions = defaultLiveness): LivenessRun {
  const ctx = { rng: new Prng(seed), tick: 0 };
  const context: SimContext = ctx;
  const calmAt = 1 + new Prng(seed ^ 0x5eed).int(o.maxFaultTicks);
  const d = new RaftDriver(
    context,
    withDefaults({ seed, servers: o.servers, faults: o.faults, steps: Number.MAX_SAFE_INTEGER }),
  );
  const out = new Candidates<Action>();
  let pending: ReadonlySet<ValueId> | undefined;
  let leaderAfter: number | undefined;
  let recoveredAfter: number | undefined;
  const end = calmAt + o.bound;
  while (ctx.tick < end) {
    ctx.tick++;
    if (pending === undefined && ctx.tick >= calmAt) {
      d.calm();
      pending = d.uncommitted();
    }
    if (pending !== undefined) {
      const leader = d.leader() !== undefined;
      if (leader && leaderAfter === undefined) leaderAfter = ctx.tick - calmAt;
      const still = d.uncommitted();
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
  return { seed, calmAt, pending: pending?.size ?? 0, leaderAfter, recoveredAfter };
}

export interface LivenessSummary {
  readonly runs: ReadonlyArray<LivenessRun>;
  /** Runs that did not recover within the bound. */
  readonly stuck: ReadonlyArray<LivenessRun>;
  /** Percentiles of recoveredAfter (ticks) over the runs that recovered: p50, p90, p99, max. */
  readonly recovery: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly leader: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly worst: LivenessRun | undefined;
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** Seeds first…first+count-1. */
export function livenessRuns(
  first: number,
  count: number,
  o: LivenessOptions = defaultLiveness,
): LivenessSummary {
  const runs = Array.from({ length: count }, (_, k) => livenessRun(first + k, o));
  const stuck = runs.filter((r) => r.recoveredAfter === undefined);
  const rec = runs
    .map((r) => r.recoveredAfter)
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);
  const lead = runs
    .map((r) => r.leaderAfter)
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);
  const worst = runs.reduce<LivenessRun | undefined>(
    (w, r) =>
      w === undefined || (r.recoveredAfter ?? Infinity) > (w.recoveredAfter ?? Infinity) ? r : w,
    undefined,
  );
  return {
    runs,
    stuck,
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
