/**
 * Mencius simulator options: what a run explores. A seed plus these options names one run.
 * The servers sit at sites of a wide-area network: every link between two sites has latency
 * `latency` ticks, except those of the last server, which is far away (`far` ticks).
 */
import { serverIds } from "../../core/ids.js";
import {
  type FaultKnobs,
  parseBugSwitches,
  parseInvariantNames,
  type SimOptionsBase,
  withDefaultsFrom,
} from "../../sim/options.js";
import {
  type InvariantName,
  invariantNames,
  type StepPropertyName,
  stepPropertyNames,
} from "../invariants.js";
import { type BugName, type Bugs, bugNames, type Env, noBugs } from "../types.js";

/** What `invariants` may name: the state invariants and the step properties. */
export type CheckName = InvariantName | StepPropertyName;
export const checkNames: ReadonlyArray<CheckName> = [...invariantNames, ...stepPropertyNames];

export interface SimOptions extends SimOptionsBase<Bugs, Knobs, CheckName> {
  /** |Server|: servers s1…sN, in that round-robin order. */
  readonly servers: number;
  /** Ticks on a link between two near sites. */
  readonly latency: number;
  /** Ticks on a link to or from the last server, the far one. */
  readonly far: number;
  /**
   * A server suspects the owner of an instance that has blocked its execution this long
   * (ticks) and revokes it; a revocation that has not decided after this long is retried.
   */
  readonly suspect: number;
}

/** Client and fault rates, in ticks. */
export interface Knobs extends FaultKnobs {
  /** Ticks between two commands of a site's client (drawn each time; none while the backlog
   * is full). */
  readonly arrival: readonly [number, number];
  /**
   * An idle server skips its next instance now and then when it knows of a higher instance in
   * use (besides Rule 2's skips on SUGGEST): lost SKIPs and SUGGESTs are then made good.
   */
  readonly idleSkip: number;
  /**
   * Clients sit at the first this many sites (all sites when it is at least the number of
   * servers); the servers of the other sites are idle and only skip.
   */
  readonly clientSites: number;
}

export const defaultKnobs: Knobs = {
  arrival: [4, 16],
  idleSkip: 0.5,
  clientSites: 9,
  maxBacklog: 2,
  crashPerTick: 0.004,
  downtime: [10, 60],
  partitionPerTick: 0.004,
  partitionLength: [20, 80],
};

export const defaultOptions: SimOptions = {
  seed: 1,
  servers: 3,
  latency: 2,
  far: 6,
  suspect: 30,
  steps: 500,
  faults: [],
  bugs: noBugs,
  maxMessages: 30,
  knobs: defaultKnobs,
  invariants: checkNames,
};

/**
 * The defaults for a system of these sizes (the same as `defaultOptions` at 3 servers and the
 * default latencies). Every SUGGEST goes to all other servers and each of them may answer
 * with an ACCEPT and a SKIP to everyone, so the messages in one instance grow with N^2: with
 * the fixed cap of 30, seeds of 9 servers had their broadcasts cut and executed nothing in 500
 * steps. The cap grows by (N/3)^2. The failure detector must wait for more than an instance
 * takes: the simulator performs one event per tick, so an instance takes more ticks with more
 * servers, and a round trip to the far server takes two of its links (with links of 1,000 and
 * 10,000 ticks and the fixed 30, no seed executed anything; at 9 servers and 30, owners were
 * revoked while their instances were on their way and revokers duelled). `suspect` defaults to
 * 30 · (N/3)^2, and to at least five times the slowest link.
 */
export function defaultsFor(
  sizes: Partial<Pick<SimOptions, "servers" | "latency" | "far" | "suspect">>,
): SimOptions {
  const o = { ...defaultOptions, ...sizes };
  const grow = Math.max(1, o.servers / 3) ** 2;
  return {
    ...o,
    maxMessages: Math.round(defaultOptions.maxMessages * grow),
    suspect:
      sizes.suspect ??
      Math.round(Math.max(defaultOptions.suspect * grow, 5 * Math.max(o.latency, o.far))),
  };
}

/** Options with defaults filled in (those of the system's sizes); `knobs` may be partial. */
export const withDefaults = (
  o: Partial<Omit<SimOptions, "knobs">> & { readonly knobs?: Partial<Knobs> },
): SimOptions => {
  const sizes = {
    ...(o.servers === undefined ? {} : { servers: o.servers }),
    ...(o.latency === undefined ? {} : { latency: o.latency }),
    ...(o.far === undefined ? {} : { far: o.far }),
    ...(o.suspect === undefined ? {} : { suspect: o.suspect }),
  };
  return withDefaultsFrom<Knobs, SimOptions>(defaultsFor(sizes))(o);
};

/** Parse bug names (camelCase, or the spec's BugXxx constant names), comma-separated. */
export const parseBugs = (s: string): Bugs => parseBugSwitches<BugName>(s, bugNames, noBugs);

/** Parse "A,B" into check names; throws a one-line Error naming an unknown one. */
export const parseChecks = (s: string): ReadonlyArray<CheckName> =>
  parseInvariantNames(s, checkNames);

/** The spec's constants a run instantiates: servers s1…sN in round-robin order. */
export const topology = (o: SimOptions): Env => ({ servers: serverIds(o.servers), bugs: o.bugs });

/** The latency classes: near links `latency`, links of the last server `far`, a site to itself 0. */
export const linkLatency =
  (o: Pick<SimOptions, "latency" | "far">, servers: ReadonlyArray<string>) =>
  (a: string, b: string): number => {
    if (a === b) return 0;
    const last = servers[servers.length - 1];
    return a === last || b === last ? o.far : o.latency;
  };
