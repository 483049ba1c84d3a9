/**
 * The runtime half of Raft that the spec leaves to the environment: when a server times out,
 * when a candidate asks for a vote again, when a leader sends a heartbeat or retries an
 * AppendEntries (etcd's tickElection / tickHeartbeat). Time is a tick count handed in by
 * whoever runs the server — the simulator's clock or a real process's interval timer — and the
 * randomized election timeout comes from a seeded generator kept in the timer state, so
 * nothing here reads a clock or a global random source.
 *
 * A server's timers are a value next to its spec state (they are not spec variables):
 * `initTimers` on boot, `allows` says whether a timer lets an enabled spec action through
 * now, `wakeAt` when it will, and `observe` updates the timers after an action was taken.
 */
import * as O from "fp-ts/lib/Option.js";
import type { ServerId } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import type { Action } from "./cluster.js";
import { lastIndex } from "./log.js";
import type { Effect, RaftNode } from "./types.js";

export interface TimerConfig {
  /** The election timeout is drawn uniformly from this range (ticks) … */
  readonly electionTimeout: readonly [number, number];
  /** … and doubles with each election started without hearing from a leader, up to 2^maxBackoff. */
  readonly maxBackoff: number;
  /** A leader sends an empty AppendEntries to a follower after this many idle ticks. */
  readonly heartbeat: number;
  /** An unanswered RequestVote or AppendEntries is sent again after this many ticks. */
  readonly retry: number;
}

/** Never: a timer that has not been set. */
const NEVER = -1e9;

export interface Timers {
  /** The seeded generator's state (mulberry32), advanced by each draw. */
  readonly seed: number;
  /** The tick from which Timeout is allowed. */
  readonly electionDeadline: number;
  /** Elections started since this server last heard from a leader or became one. */
  readonly failedElections: number;
  /** Per peer: the tick of the last RequestVote to it. */
  readonly voteSent: ReadonlyMap<ServerId, number>;
  /** Per peer: the tick of the last AppendEntries to it … */
  readonly appendSent: ReadonlyMap<ServerId, number>;
  /** … and whether it is still unanswered. */
  readonly awaiting: ReadonlySet<ServerId>;
}

/** One draw of mulberry32: a uniform 32-bit integer and the generator's next state. */
export function draw(seed: number): readonly [number, number] {
  const s = (seed + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [(t ^ (t >>> 14)) >>> 0, s];
}

/** A new election deadline after `now`: the timeout range scaled by the backoff. */
function withDeadline(cfg: TimerConfig, t: Timers, now: number): Timers {
  const scale = 2 ** Math.min(t.failedElections, cfg.maxBackoff);
  const lo = Math.round(cfg.electionTimeout[0] * scale);
  const hi = Math.round(cfg.electionTimeout[1] * scale);
  const [u, seed] = draw(t.seed);
  return { ...t, seed, electionDeadline: now + lo + Math.floor((u / 4294967296) * (hi - lo + 1)) };
}

/** The timers of a server that boots at `now`, seeded with `seed`. */
export const initTimers = (cfg: TimerConfig, seed: number, now: number): Timers =>
  withDeadline(
    cfg,
    {
      seed: seed >>> 0,
      electionDeadline: 0,
      failedElections: 0,
      voteSent: new Map(),
      appendSent: new Map(),
      awaiting: new Set(),
    },
    now,
  );

/** Why an AppendEntries to j would go now: entries to send, a retry, a heartbeat, or not at all. */
export type AppendReason = "pending" | "retry" | "heartbeat" | undefined;

export function appendReason(
  cfg: TimerConfig,
  t: Timers,
  node: RaftNode,
  j: ServerId,
  now: number,
): AppendReason {
  const since = now - (t.appendSent.get(j) ?? NEVER);
  if (t.awaiting.has(j)) return since > cfg.retry ? "retry" : undefined;
  if ((node.volatile.nextIndex.get(j) ?? 1) <= lastIndex(node.persistent)) return "pending";
  return since >= cfg.heartbeat ? "heartbeat" : undefined;
}

/**
 * Whether server `node`'s timers let its enabled action `a` through at `now`. Actions without
 * a timer (BecomeLeader, AdvanceCommitIndex, a client's request, the handlers) always pass;
 * Restart is the environment's, not a timer's.
 */
export function allows(
  cfg: TimerConfig,
  t: Timers,
  node: RaftNode,
  a: Action,
  now: number,
): boolean {
  switch (a.name) {
    case "Timeout":
      return now >= t.electionDeadline;
    case "RequestVote":
      return now - (t.voteSent.get(a.j) ?? NEVER) > cfg.retry;
    case "AppendEntries":
    case "InstallSnapshot":
      return appendReason(cfg, t, node, a.j, now) !== undefined;
    default:
      return true;
  }
}

/** The first tick at which a timer lets `a` through (Infinity for actions without a timer). */
export function wakeAt(cfg: TimerConfig, t: Timers, a: Action): number {
  switch (a.name) {
    case "Timeout":
      return t.electionDeadline;
    case "RequestVote":
      return (t.voteSent.get(a.j) ?? NEVER) + cfg.retry + 1;
    case "AppendEntries":
    case "InstallSnapshot":
      return (
        (t.appendSent.get(a.j) ?? NEVER) + (t.awaiting.has(a.j) ? cfg.retry + 1 : cfg.heartbeat)
      );
    default:
      return Number.POSITIVE_INFINITY;
  }
}

const without = (s: ReadonlySet<ServerId>, j: ServerId): ReadonlySet<ServerId> => {
  if (!s.has(j)) return s;
  const out = new Set(s);
  out.delete(j);
  return out;
};

/**
 * The timers of server `self` after action `a` (taken at `now` by `self`, or on a message to
 * it) with `effects`; `before` is self's spec state before the action. What resets what:
 * a Timeout backs the next deadline off and forgets the votes asked; a Restart starts every
 * timer afresh; hearing AppendEntries from the leader of its term, or granting a vote, resets
 * the election deadline; becoming leader ends the backoff; an AppendEntriesResponse answers
 * the AppendEntries it replies to.
 */
export function observe(
  cfg: TimerConfig,
  t: Timers,
  before: RaftNode,
  a: Action,
  effects: ReadonlyArray<Effect>,
  now: number,
): Timers {
  let out = t;
  switch (a.name) {
    case "Timeout":
      out = withDeadline(cfg, { ...t, failedElections: t.failedElections + 1 }, now);
      out = { ...out, voteSent: new Map() };
      break;
    case "Restart":
      out = withDeadline(cfg, { ...t, appendSent: new Map(), awaiting: new Set() }, now);
      break;
    case "RequestVote":
      out = { ...t, voteSent: mapWith(t.voteSent, a.j, now) };
      break;
    case "AppendEntries":
    case "InstallSnapshot":
      out = {
        ...t,
        appendSent: mapWith(t.appendSent, a.j, now),
        awaiting: new Set([...t.awaiting, a.j]),
      };
      break;
    case "HandleAppendEntriesRequest":
    case "HandleInstallSnapshotRequest":
      if (a.m.mterm === before.persistent.currentTerm)
        out = withDeadline(cfg, { ...t, failedElections: 0 }, now);
      break;
    case "BecomeLeader":
      out = { ...t, failedElections: 0 };
      break;
    case "HandleAppendEntriesResponse":
    case "DropStaleResponse":
      if (a.m.mtype === "AppendEntriesResponse")
        out = { ...t, awaiting: without(t.awaiting, a.m.msource) };
      break;
    default:
      break;
  }
  for (const e of effects)
    if (e.type === "send" && e.message.mtype === "RequestVoteResponse" && e.message.mvoteGranted)
      out = withDeadline(cfg, out, now);
  return out;
}

/** The server a follower believes leads its term: the sender of an accepted AppendEntries. */
export const leaderHint = (node: RaftNode, a: Action): O.Option<ServerId> =>
  (a.name === "HandleAppendEntriesRequest" || a.name === "HandleInstallSnapshotRequest") &&
  a.m.mterm === node.persistent.currentTerm
    ? O.some(a.m.msource)
    : O.none;
