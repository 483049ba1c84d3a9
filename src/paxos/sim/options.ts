/**
 * Paxos simulator options: what a run explores. A seed plus these options names one run. The
 * default is PMMC's smallest fault-tolerant system, f = 1: 2f+1 acceptors, f+1 leaders and f+1
 * replicas.
 */
import { idSet } from "../../core/ids.js";
import {
  type FaultKnobs,
  nonEmptySubsets,
  parseBugSwitches,
  parseInvariantNames,
  type SimOptionsBase,
  withDefaultsFrom,
} from "../../sim/options.js";
import type { ActionName } from "../cluster.js";
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

/** `invariants` (default: all) may name step properties as well as state invariants. */
export interface SimOptions extends SimOptionsBase<Bugs, Knobs, CheckName> {
  /** |Acceptor|, |Leader|, |Replica|: ids a1…, l1…, r1… */
  readonly acceptors: number;
  readonly leaders: number;
  readonly replicas: number;
  /** PMMC's WINDOW. */
  readonly window: number;
  /** Opt-in, a wide-area time model (see Sites); without it a run has no time model. */
  readonly sites?: Sites;
  /**
   * Test-only, a runtime mistake rather than a spec bug: this action's persist effect is lost
   * (the transition "forgets" to write its state), so the process acts on state its disk lacks.
   */
  readonly forgetPersist?: ActionName;
  /**
   * Test-only: replicas never resend a proposal (ResendPropose), as PMMC's propose a slot once;
   * a slot whose proposals were all lost then stays a hole (see PaxosDriver.holes).
   */
  readonly noResend?: boolean;
}

/**
 * The wide-area time model, opt-in: sites 1…N, N the largest of the three role counts. Site k
 * hosts replica rk, acceptor ak and leader lk (each of them that exists: with 2 leaders, sites
 * 1 and 2 host one). A link between two sites takes `latency` ticks, one to or from the last
 * site (the far one) `far`, and processes of one site talk in no time. A client sits at each of
 * the first `clientSites` sites and sends its commands to its site's replica only (not to every
 * replica as without sites), one every `arrival` ticks while the backlog allows; the driver
 * records each command's commit latency, from its arrival at that replica to that replica
 * performing it. The leaders' timers grow with the slowest link (see `defaultsFor`).
 */
export interface Sites {
  readonly latency: number;
  readonly far: number;
  readonly clientSites: number;
  readonly arrival: readonly [number, number];
}

/**
 * Timing and fault rates, in ticks. Leaders run PMMC §3's failure detection and backoff as the
 * protocol's timers (src/paxos/timers.ts): a passive leader scouts only when the proposals it
 * hears stop, a leader preempted backs off for a random, doubling time before it tries again,
 * a leader whose own ballot makes no progress abandons it.
 */
export interface Knobs extends FaultKnobs {
  /** A booting leader of rank k first looks after k-1 draws from this range (ticks). */
  readonly ping: readonly [number, number];
  /** Backoff after a preemption, doubled (up to 8×) per preemption since the last adoption. */
  readonly backoff: readonly [number, number];
  /** A scouting or active leader with work outstanding abandons its ballot after this long
   * without progress (a scout adopted, a commander decided); doubled like the backoff. */
  readonly stall: readonly [number, number];
  // maxBacklog: client commands issued but not yet executed by any replica; a crashed leader
  // returns with a RestartLeader event.
  /**
   * A leader's stall is lengthened by this many round trips, as its last adoptions measured them
   * (0: fixed timers, impatient in a slow network: runs duel and abandon ballots whose P2a are
   * still in flight more often, which is what exposes BugP2bForAnyCommander).
   */
  readonly rttFactor: number;
  /** reconfig: probability that a new client command is a reconfiguration instead. */
  readonly reconfigShare: number;
  /** crash: probability that a leader or acceptor crashes right after a disk write … */
  readonly crashAfterPersist: number;
  /** … for this many ticks. */
  readonly reboot: readonly [number, number];
}

export const defaultKnobs: Knobs = {
  ping: [8, 12],
  backoff: [10, 30],
  stall: [40, 60],
  rttFactor: 0,
  maxBacklog: 3,
  reconfigShare: 0.15,
  crashPerTick: 0.006,
  downtime: [5, 50],
  partitionPerTick: 0.006,
  partitionLength: [20, 80],
  crashAfterPersist: 0.02,
  reboot: [1, 5],
};

export const defaultOptions: SimOptions = {
  seed: 1,
  acceptors: 3,
  leaders: 2,
  replicas: 2,
  window: 2,
  steps: 500,
  faults: [],
  bugs: noBugs,
  maxMessages: 24,
  knobs: defaultKnobs,
  invariants: checkNames,
};

const scaled = ([lo, hi]: readonly [number, number], f: number): readonly [number, number] => [
  Math.round(lo * f),
  Math.round(hi * f),
];

/**
 * The defaults for a system of these sizes (the same as `defaultOptions` up to 9 processes in
 * all). A scout waits for every acceptor's P1b and a decision goes to every replica, while each
 * leader hears proposals from every replica, so with more processes a ballot takes more
 * events and more messages are in flight: with the fixed defaults, most seeds of 9 acceptors,
 * 5 leaders and 5 replicas decided nothing in 500 steps (leaders abandoned their ballots
 * first). With g = (acceptors + leaders + replicas) / 9, the messages in flight and the stall
 * timer grow by g^1.5 and the backoff by g.
 */
export function defaultsFor(
  sizes: Partial<Pick<SimOptions, "acceptors" | "leaders" | "replicas" | "sites">>,
): SimOptions {
  const o = { ...defaultOptions, ...sizes };
  const grow = Math.max(1, (o.acceptors + o.leaders + o.replicas) / 9);
  // With sites, a ballot's round trip takes two of the slowest links at most: a leader must
  // not abandon a ballot, or back off, for less than a few of them (with the plain timers and
  // links of 50 ticks, every commander would time out before its P2bs came back). Messages
  // stay in flight for a link's latency, so more of them are: with the plain cap and a far
  // link of 250 ticks, fault-free runs had decisions to the far replica dropped, which then
  // never performed again and stalled the leaders.
  const slow = o.sites === undefined ? 0 : Math.max(o.sites.latency, o.sites.far);
  const plus = ([lo, hi]: readonly [number, number], d: number) => [lo + d, hi + d] as const;
  return {
    ...o,
    maxMessages: Math.round(defaultOptions.maxMessages * grow ** 1.5 * (1 + slow / 25)),
    knobs: {
      ...defaultKnobs,
      stall: plus(scaled(defaultKnobs.stall, grow ** 1.5), 5 * slow),
      backoff: plus(scaled(defaultKnobs.backoff, grow), 2 * slow),
    },
  };
}

/** Options with defaults filled in (those of the system's sizes); `knobs` may be partial. */
export const withDefaults = (
  o: Partial<Omit<SimOptions, "knobs">> & { readonly knobs?: Partial<Knobs> },
): SimOptions => {
  const sizes = {
    ...(o.acceptors === undefined ? {} : { acceptors: o.acceptors }),
    ...(o.leaders === undefined ? {} : { leaders: o.leaders }),
    ...(o.replicas === undefined ? {} : { replicas: o.replicas }),
    ...(o.sites === undefined ? {} : { sites: o.sites }),
  };
  return withDefaultsFrom<Knobs, SimOptions>(defaultsFor(sizes))(o);
};

/** Parse bug names (camelCase, or the spec's BugXxx constant names), comma-separated. */
export const parseBugs = (s: string): Bugs => parseBugSwitches<BugName>(s, bugNames, noBugs);

/** Parse "A,B" into check names; throws a one-line Error naming an unknown one. */
export const parseChecks = (s: string): ReadonlyArray<CheckName> =>
  parseInvariantNames(s, checkNames);

const ids = (prefix: string, n: number) =>
  idSet(Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`));

/** The spec's constants a run instantiates, and every reconfiguration target (NewLeaderSets). */
export function topology(o: SimOptions): {
  env: Env;
  newLeaderSets: ReadonlyArray<ReadonlyArray<string>>;
} {
  // LeaderOrder ranks leaders by number (l1 lowest), not by the canonical order "l10" < "l2".
  const leaderOrder = Array.from({ length: o.leaders }, (_, k) => `l${k + 1}`);
  const env: Env = {
    acceptors: ids("a", o.acceptors),
    leaderOrder,
    replicas: ids("r", o.replicas),
    initLeaders: idSet(leaderOrder),
    window: o.window,
    bugs: o.bugs,
  };
  const newLeaderSets = o.faults.includes("reconfig") ? nonEmptySubsets(idSet(leaderOrder)) : [];
  return { env, newLeaderSets };
}

/** The number of a role id's site: "r2", "a2" and "l2" sit at site 2. */
export const siteOf = (id: string): number => Number(id.slice(1));

/** The sites of a run with the time model: as many as the largest role count. */
export const siteCount = (o: Pick<SimOptions, "acceptors" | "leaders" | "replicas">): number =>
  Math.max(o.acceptors, o.leaders, o.replicas);

/** The latency classes: links of the last site `far`, other links `latency`, a site to itself 0. */
export const linkLatency =
  (s: Pick<Sites, "latency" | "far">, sites: number) =>
  (a: string, b: string): number => {
    const x = siteOf(a);
    const y = siteOf(b);
    if (x === y) return 0;
    return x === sites || y === sites ? s.far : s.latency;
  };
