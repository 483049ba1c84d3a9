/** Raft simulator options: what a run explores. A seed plus these options names one run. */
import type { ServerId } from "../../core/ids.js";
import { idSet, serverIds } from "../../core/ids.js";
import {
  type FaultKnobs,
  nonEmptySubsets,
  parseBugSwitches,
  parseInvariantNames,
  type SimOptionsBase,
  withDefaultsFrom,
} from "../../sim/options.js";
import type { ActionName } from "../cluster.js";
import { type InvariantName, invariantNames } from "../invariants.js";
import { type BugName, type Bugs, bugNames, noBugs } from "../types.js";

export interface SimOptions extends SimOptionsBase<Bugs, Knobs, InvariantName> {
  /** |Server|: servers s1…sN (default 3). */
  readonly servers: number;
  /**
   * InitConfig. Default: every server, or with the reconfig fault every server but the last,
   * which reconfiguration can then add.
   */
  readonly initConfig?: ReadonlyArray<ServerId>;
  /**
   * Test-only, a runtime mistake rather than a spec bug: this action's persist effect is lost
   * (the transition "forgets" to write its state), so the server acts on state its disk lacks.
   */
  readonly forgetPersist?: ActionName;
}

/**
 * Simulated time is counted in ticks; a tick with an enabled action emits one event. The
 * defaults keep elections rare next to replication (terms stay small, entries commit) while
 * faults still interleave with every phase of the protocol.
 */
export interface Knobs extends FaultKnobs {
  /**
   * Election timeout range for 3 servers; the driver scales it by N/3 for N servers. The
   * default (`defaultsFor`) grows by a further (N/3)^2 above 3 servers.
   */
  readonly electionTimeout: readonly [number, number];
  /** A leader sends an empty AppendEntries after this many idle ticks. */
  readonly heartbeat: number;
  /** An unanswered RequestVote or AppendEntries is sent again after this many ticks. */
  readonly retry: number;
  // maxBacklog: clients wait while a leader holds this many uncommitted entries of its term;
  // a crashed server returns with a Restart event.
  /** Clients stop after this many requests in a run: keeps logs, and long traces, bounded. */
  readonly maxClientRequests: number;
  /** crash: probability that a server reboots right after a disk write (Jepsen-style) … */
  readonly crashAfterPersist: number;
  /** … for this many ticks. */
  readonly reboot: readonly [number, number];
  /**
   * A server compacts its log (CompactLog) once this many committed entries follow its
   * snapshot; Infinity: never.
   */
  readonly snapshotEvery: number;
}

export const defaultKnobs: Knobs = {
  electionTimeout: [25, 50],
  heartbeat: 6,
  retry: 20,
  maxBacklog: 3,
  maxClientRequests: Number.POSITIVE_INFINITY,
  crashPerTick: 0.004,
  downtime: [1, 40],
  crashAfterPersist: 0.1,
  reboot: [1, 5],
  snapshotEvery: 4,
  partitionPerTick: 0.006,
  partitionLength: [20, 100],
};

export const defaultOptions: SimOptions = {
  seed: 1,
  servers: 3,
  steps: 500,
  faults: [],
  bugs: noBugs,
  maxMessages: 10,
  knobs: defaultKnobs,
  invariants: invariantNames,
};

const scaled = ([lo, hi]: readonly [number, number], f: number): readonly [number, number] => [
  Math.round(lo * f),
  Math.round(hi * f),
];

/**
 * The defaults for a cluster of `servers` (the same as `defaultOptions` up to 3 servers). An
 * election needs about 3(N-1) events (requests, votes, replies) while N election timers share
 * the timeout range, so a range that grows only like N (the driver's scaling) lets candidates
 * split the vote ever more often: most seeds of 7 servers elected nobody in 500 steps. The
 * range grows by (N/3)^2 more, and the messages in flight (a round of RequestVote alone is
 * N-1) by 3 per server.
 */
export function defaultsFor(servers: number): SimOptions {
  const grow = Math.max(1, servers / 3);
  return {
    ...defaultOptions,
    servers,
    maxMessages: Math.max(defaultOptions.maxMessages, 3 * servers),
    knobs: {
      ...defaultKnobs,
      electionTimeout: scaled(defaultKnobs.electionTimeout, grow * grow),
    },
  };
}

/** Options with defaults filled in (those of the cluster's size); `knobs` may be partial. */
export const withDefaults = (
  o: Partial<Omit<SimOptions, "knobs">> & { readonly knobs?: Partial<Knobs> },
): SimOptions =>
  withDefaultsFrom<Knobs, SimOptions>(defaultsFor(o.servers ?? defaultOptions.servers))(o);

/** Parse bug names (camelCase, or the spec's BugXxx constant names), comma-separated. */
export const parseBugs = (s: string): Bugs => parseBugSwitches<BugName>(s, bugNames, noBugs);

/** Parse "A,B" into invariant names; throws a one-line Error naming an unknown one. */
export const parseInvariants = (s: string): ReadonlyArray<InvariantName> =>
  parseInvariantNames(s, invariantNames);

/** Server, InitConfig and NewConfigs of a run. */
export function topology(o: SimOptions): {
  servers: ReadonlyArray<ServerId>;
  initConfig: ReadonlyArray<ServerId>;
  newConfigs: ReadonlyArray<ReadonlyArray<ServerId>>;
} {
  // Canonical order ("s10" sorts before "s2"): the abstraction prints maps in this order.
  const servers = idSet(serverIds(o.servers));
  const reconfig = o.faults.includes("reconfig");
  const initConfig =
    o.initConfig !== undefined
      ? idSet(o.initConfig)
      : reconfig && servers.length >= 3
        ? servers.slice(0, -1)
        : servers;
  // Every non-empty subset, each sorted; any of them is a safe target under joint consensus.
  return { servers, initConfig, newConfigs: reconfig ? nonEmptySubsets(servers) : [] };
}
