/**
 * DiskPaxos simulator options: what a run explores. A seed plus these options names one run.
 * The default is two processors sharing three disks, the smallest system that survives the
 * loss of a disk.
 *
 * The simulator's fault kinds, as this protocol reads them:
 * - crash: a processor stops for a while and returns through Restart (phase 0); its reads in
 *   flight are lost, its writes in flight still land;
 * - reorder: disk operations take random times, some of them long (slow operations), so they
 *   complete out of the order they were issued in (without it each disk answers in order);
 * - partition: the path between a processor and a disk stalls for a while: its operations
 *   wait, and complete once the path is back;
 * - drop: a disk fails for good (DiskFail) and its operations in flight never complete; at
 *   most a minority of the disks fail.
 * Blocks are written whole: there are no torn writes, and a write to a failed disk is the only
 * one lost.
 */
import { idSet } from "../../core/ids.js";
import {
  type FaultKnobs,
  parseBugSwitches,
  parseInvariantNames,
  type SimOptionsBase,
  withDefaultsFrom,
} from "../../sim/options.js";
import { type InvariantName, invariantNames } from "../invariants.js";
import { type BugName, type Bugs, bugNames, type Env, noBugs } from "../types.js";

export interface SimOptions extends SimOptionsBase<Bugs, Knobs, InvariantName> {
  /** |Proc|: processors p1…pN, ranked in that order. */
  readonly procs: number;
  /** |Disk|: disks d1…dN. */
  readonly disks: number;
}

/** Timing and fault rates, in ticks. */
export interface Knobs extends FaultKnobs {
  /** A disk operation takes this long … */
  readonly latency: readonly [number, number];
  /** … and with reorder, this share of them this long instead (slow operations). */
  readonly slowShare: number;
  readonly slow: readonly [number, number];
  /** A phase that has not ended after this long gives up its ballot (StartBallot). */
  readonly ballotTimeout: readonly [number, number];
  /** A processor that lost its ballot to a higher one waits this long (doubled per loss since
   * its last output, up to 8×) before it writes again. */
  readonly backoff: readonly [number, number];
  /** A processor that output an instance takes the next command after this long. */
  readonly think: readonly [number, number];
  /** drop: probability per tick that a disk fails for good. */
  readonly diskFailPerTick: number;
  // maxBacklog is unused: each processor proposes one command at a time.
}

export const defaultKnobs: Knobs = {
  latency: [1, 3],
  slowShare: 0.1,
  slow: [10, 40],
  ballotTimeout: [60, 90],
  backoff: [4, 16],
  think: [1, 6],
  diskFailPerTick: 0.002,
  maxBacklog: 1,
  crashPerTick: 0.004,
  downtime: [5, 40],
  partitionPerTick: 0.01,
  partitionLength: [10, 50],
};

export const defaultOptions: SimOptions = {
  seed: 1,
  procs: 2,
  disks: 3,
  steps: 500,
  faults: [],
  bugs: noBugs,
  maxMessages: 0,
  knobs: defaultKnobs,
  invariants: invariantNames,
};

/**
 * The defaults for a system of these sizes (the same as `defaultOptions` for the default
 * sizes). A phase writes to every disk and reads every other processor's block from every
 * disk, so a ballot takes about procs × disks operations: the ballot timer grows with them.
 */
export function defaultsFor(sizes: Partial<Pick<SimOptions, "procs" | "disks">>): SimOptions {
  const o = { ...defaultOptions, ...sizes };
  const grow = Math.max(1, (o.procs * o.disks) / (defaultOptions.procs * defaultOptions.disks));
  return {
    ...o,
    knobs: { ...defaultKnobs, ballotTimeout: scaled(defaultKnobs.ballotTimeout, grow) },
  };
}

const scaled = ([lo, hi]: readonly [number, number], f: number): readonly [number, number] => [
  Math.round(lo * f),
  Math.round(hi * f),
];

/** Options with defaults filled in (those of the system's sizes); `knobs` may be partial. */
export const withDefaults = (
  o: Partial<Omit<SimOptions, "knobs">> & { readonly knobs?: Partial<Knobs> },
): SimOptions => {
  const sizes = {
    ...(o.procs === undefined ? {} : { procs: o.procs }),
    ...(o.disks === undefined ? {} : { disks: o.disks }),
  };
  return withDefaultsFrom<Knobs, SimOptions>(defaultsFor(sizes))(o);
};

/** Parse bug names (camelCase, or the spec's BugXxx constant names), comma-separated. */
export const parseBugs = (s: string): Bugs => parseBugSwitches<BugName>(s, bugNames, noBugs);

/** Parse "A,B" into invariant names; throws a one-line Error naming an unknown one. */
export const parseInvariants = (s: string): ReadonlyArray<InvariantName> =>
  parseInvariantNames(s, invariantNames);

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`);

/** The spec's constants a run instantiates. */
export function topology(o: SimOptions): Env {
  // ProcOrder ranks processors by number (p1 first), not by the canonical order "p10" < "p2".
  const procOrder = ids("p", o.procs);
  return { procs: idSet(procOrder), procOrder, disks: idSet(ids("d", o.disks)), bugs: o.bugs };
}
