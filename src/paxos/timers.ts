/**
 * The runtime half of a PMMC leader that the spec leaves to the environment: when LeaderTimeout
 * fires (PMMC §3's failure detection and backoff). Time is a tick count handed in by whoever
 * runs the leader — the simulator's clock or a real process's interval timer — and every random
 * duration comes from a seeded generator kept in the timer state, so nothing here reads a clock
 * or a global random source, nor any state but the leader's own and the messages it handles.
 *
 * The spec has no pings, so a leader learns that the system moves from the proposals replicas
 * send it: a replica proposes slot s only once it has performed slot s - Window, so a proposal
 * for a new highest slot confirms that the slots up to Window below it were performed. A leader
 * times out, once its deadline has passed, when it has a reason to:
 * - its scout has not been adopted (the next round is tried);
 * - it heard a new highest slot since its last adoption (`fresh`): a passive leader takes over
 *   once the proposals stop for a stall, an active one scouts again, which sends every decision
 *   it can learn once more;
 * - active: a commander of its ballot for a slot not yet confirmed has decided nothing for a
 *   stall (its P2a or P2b may be lost), or a decision of its own is not yet confirmed (it may
 *   have been lost on the way to the replicas);
 * - passive: it holds a proposal not yet confirmed that its own commanders did not decide (the
 *   leader that preempted it may lack it: it restarted, or the "propose" to it was lost).
 * Every random wait doubles per preemption since the leader's last adoption and per timeout
 * since it last heard a new highest slot, so idle leaders, and dueling ones, back off
 * exponentially; a leader that hears nothing new (retired by a reconfiguration, or an idle
 * system) soon stays quiet for long. At Init the lowest rank scouts at once and the others wait
 * for proposals; a leader that restarts has lost what it heard, so it tries once, after a
 * draw from `boot`.
 *
 * A leader's timers are a value next to its spec state (they are not spec variables):
 * `initTimers` on boot, `allows` says whether they let an enabled LeaderTimeout through now,
 * `wakeAt` when they will, and `observe` updates them after an action of the leader.
 */
import type { Action } from "./cluster.js";
import { ballotEquals } from "./operators.js";
import type { Effect, LeaderState } from "./types.js";

export interface TimerConfig {
  /** A restarted leader looks again after a draw from this range. */
  readonly boot: readonly [number, number];
  /** Backoff after a preemption. */
  readonly backoff: readonly [number, number];
  /** How long a ballot, or the system as a leader hears it, may make no progress. */
  readonly stall: readonly [number, number];
  /** Waits grow at most 2^maxBackoff times. */
  readonly maxBackoff: number;
  /** The spec's Window: a proposal for slot s confirms that slot s - Window was performed. */
  readonly window: number;
  /** The spec's Replica: a slot is confirmed once every replica has proposed beyond it. */
  readonly replicas: ReadonlyArray<string>;
  /**
   * Ticks a message may take, on top of the stall, per P2a an adoption sends: an adoption spawns
   * a commander for every proposal, and its ballot must not stall before they are through.
   */
  readonly perMessage: number;
  /** A stall is lengthened by this many round trips, as the last adoptions measured them. */
  readonly rttFactor: number;
}

export interface Timers {
  /** The seeded generator's state (mulberry32), advanced by each draw. */
  readonly seed: number;
  /** The tick from which LeaderTimeout may fire. */
  readonly deadline: number;
  /** Preemptions since the last adoption. */
  readonly failures: number;
  /** Timeouts since the last new highest slot. */
  readonly idle: number;
  /** The highest slot proposed to this leader … */
  readonly maxSlot: number;
  /** … and by each replica. */
  readonly heard: ReadonlyMap<string, number>;
  /** A new highest slot was proposed since the leader's last adoption (or it restarted). */
  readonly fresh: boolean;
  /** Slots not yet confirmed (above maxSlot - Window) that the leader's commanders decided. */
  readonly decided: ReadonlyArray<number>;
  /** The tick of the last LeaderTimeout (when the current scout started) … */
  readonly scoutAt: number;
  /** … and the smoothed time from a scout's start to its adoption: a round trip, as it is now. */
  readonly rtt: number;
}

/** One draw of mulberry32: a uniform 32-bit integer and the generator's next state. */
export function draw(seed: number): readonly [number, number] {
  const s = (seed + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [(t ^ (t >>> 14)) >>> 0, s];
}

/** A duration drawn from `range`, doubled per failure and idle timeout if `scaled`. */
function drawn(
  cfg: TimerConfig,
  t: Timers,
  range: readonly [number, number],
  scaled: boolean,
): readonly [number, Timers] {
  const f = scaled ? 2 ** Math.min(t.failures + t.idle, cfg.maxBackoff) : 1;
  const [u, seed] = draw(t.seed);
  const d = range[0] + Math.floor((u / 4294967296) * (range[1] - range[0] + 1));
  return [Math.round(d * f), { ...t, seed }];
}

/** The timers with a deadline a stall (scaled or not) and `rttFactor` round trips after `now`. */
function stalled(cfg: TimerConfig, t: Timers, now: number, scaled: boolean): Timers {
  const [d, u] = drawn(cfg, t, cfg.stall, scaled);
  return { ...u, deadline: now + d + cfg.rttFactor * t.rtt };
}

/** The timers with a deadline drawn from `range` (scaled or not) after `now`. */
function after(
  cfg: TimerConfig,
  t: Timers,
  now: number,
  range: readonly [number, number],
  scaled: boolean,
): Timers {
  const [d, u] = drawn(cfg, t, range, scaled);
  return { ...u, deadline: now + d };
}

/**
 * The timers of a leader of `rank` (1 lowest) that boots at `now`, seeded with `seed`: the
 * lowest rank scouts at once, the others wait for proposals like a passive leader.
 */
export const initTimers = (_cfg: TimerConfig, seed: number, rank: number, now: number): Timers => ({
  seed: seed >>> 0,
  deadline: now + 1,
  failures: 0,
  idle: 0,
  maxSlot: 0,
  heard: new Map(),
  fresh: rank === 1,
  decided: [],
  scoutAt: now,
  rtt: 0,
});

/**
 * Slot s is not yet confirmed: some replica has not proposed slot s + Window or above to this
 * leader, so it may not have performed s (its decision may be lost).
 */
const unconfirmed = (cfg: TimerConfig, t: Timers, s: number): boolean =>
  cfg.replicas.some((r) => s > (t.heard.get(r) ?? 0) - cfg.window);

/** Commanders of the leader's ballot for slots not yet confirmed. */
export const outstanding = (cfg: TimerConfig, t: Timers, l: LeaderState): number =>
  l.volatile.commanders.filter(
    (k) => unconfirmed(cfg, t, k.slot) && ballotEquals(k.ballot, l.persistent.ballotNum),
  ).length;

/** Proposals of the leader for slots not yet confirmed that its own commanders did not decide. */
export const unsure = (cfg: TimerConfig, t: Timers, l: LeaderState): number =>
  l.volatile.proposals.filter((p) => unconfirmed(cfg, t, p.slot) && !t.decided.includes(p.slot))
    .length;

/** Whether the leader has a reason to time out, whatever the time. */
function reason(cfg: TimerConfig, t: Timers, l: LeaderState): boolean {
  const v = l.volatile;
  if (v.scouting) return true;
  return v.active
    ? outstanding(cfg, t, l) > 0 || t.decided.length > 0
    : t.fresh || unsure(cfg, t, l) > 0;
}

/**
 * Whether leader `l`'s timers let its enabled action `a` through at `now`: LeaderTimeout at the
 * deadline, with a reason; the handlers always pass; RestartLeader is the environment's.
 */
export function allows(
  cfg: TimerConfig,
  t: Timers,
  l: LeaderState,
  a: Action,
  now: number,
): boolean {
  return a.name === "LeaderTimeout" ? now >= t.deadline && reason(cfg, t, l) : true;
}

/** The first tick at which the timers let `a` through (Infinity for actions without a timer). */
export function wakeAt(cfg: TimerConfig, t: Timers, l: LeaderState, a: Action): number {
  return a.name === "LeaderTimeout" && reason(cfg, t, l) ? t.deadline : Number.POSITIVE_INFINITY;
}

/** The timers with `slots` decided by the leader's commanders, and only unconfirmed ones kept. */
const withDecided = (cfg: TimerConfig, t: Timers, slots: ReadonlyArray<number>): Timers => ({
  ...t,
  decided: [...new Set([...t.decided, ...slots])].filter((s) => unconfirmed(cfg, t, s)),
});

/**
 * The timers of a leader after its action `a` at `now` with `effects`, from its spec state
 * `before` to `next`. What resets what: a LeaderTimeout gives the new scout a stall (doubled
 * per idle timeout); a restart boots the timers again; a proposal for a new highest slot is
 * fresh, ends the idle backoff and pushes the deadline a stall away; an adoption uses `fresh`
 * up and ends one step of the preemption backoff, and its ballot gets a stall plus time for
 * the P2a it sends; a P2b that changes the commanders, or a first commander of an idle active
 * leader, gives the ballot a stall; a preemption backs off.
 */
export function observe(
  cfg: TimerConfig,
  t: Timers,
  before: LeaderState,
  next: LeaderState,
  a: Action,
  effects: ReadonlyArray<Effect>,
  now: number,
): Timers {
  const was = before.volatile;
  const is = next.volatile;
  const sent = effects.flatMap((e) => (e.type === "send" ? [e.message] : []));
  const u = withDecided(
    cfg,
    t,
    sent.flatMap((m) => (m.mtype === "decision" ? [m.mslot] : [])),
  );
  switch (a.name) {
    case "LeaderTimeout":
      return stalled(cfg, { ...u, idle: u.idle + 1, scoutAt: now }, now, true);
    case "RestartLeader":
      return after(
        cfg,
        { ...u, failures: 0, idle: 0, fresh: true, decided: [] },
        now,
        cfg.boot,
        false,
      );
    case "HandlePropose": {
      const m = a.m;
      if (m.mtype === "propose" && m.mslot > (u.heard.get(m.msource) ?? 0)) {
        const heard = new Map(u.heard).set(m.msource, m.mslot);
        if (m.mslot <= u.maxSlot) return withDecided(cfg, { ...u, heard }, []);
        const news = withDecided(cfg, { ...u, heard, maxSlot: m.mslot, fresh: true, idle: 0 }, []);
        return stalled(cfg, news, now, true);
      }
      if (is.active && was.commanders.length === 0 && is.commanders.length > 0)
        return stalled(cfg, u, now, true);
      return u;
    }
    case "HandleP1b":
    case "HandleP2b": {
      if (was.scouting && is.active) {
        const sample = now - u.scoutAt;
        const rtt = u.rtt === 0 ? sample : Math.round((3 * u.rtt + sample) / 4);
        const adopted = stalled(
          cfg,
          { ...u, failures: Math.max(0, u.failures - 1), fresh: false, rtt },
          now,
          true,
        );
        const p2a = sent.filter((m) => m.mtype === "p2a").length;
        return { ...adopted, deadline: adopted.deadline + cfg.perMessage * p2a };
      }
      if (next.persistent !== before.persistent)
        return after(cfg, { ...u, failures: u.failures + 1 }, now, cfg.backoff, true);
      if (is.active && is.commanders.length < was.commanders.length) {
        const pushed = stalled(cfg, u, now, false);
        return pushed.deadline > u.deadline ? pushed : { ...u, seed: pushed.seed };
      }
      return u;
    }
    default:
      return u;
  }
}
