/**
 * PMMC's Acceptor, the Synod protocol's memory: one spec action per export, same name in
 * camelCase, each a guard and a next step (role.ts). Every state change is persisted before
 * the reply goes out.
 */
import { bottom, compareBallots } from "./operators.js";
import { always, discard, handler, send } from "./role.js";
import type {
  AcceptorId,
  AcceptorPersistent,
  AcceptorState,
  Env,
  Message,
  Pvalue,
  Step,
} from "./types.js";
import { pvalues } from "./values.js";

/** An acceptor in the spec's Init: ballot Bottom, nothing accepted, every replica at slot 1. */
export const initialAcceptor = (env: Env, id: AcceptorId): AcceptorState => ({
  id,
  persistent: {
    acceptorBallot: bottom,
    accepted: [],
    reported: Object.fromEntries(env.replicas.map((r) => [r, 1])),
  },
});

/**
 * Watermark(rep): every slot below the lowest slotOut a replica reported has been executed by
 * every replica (the highest under BugCollectUnexecuted).
 */
export const watermark = (env: Env, reported: Readonly<Record<string, number>>): number => {
  const marks = env.replicas.map((r) => reported[r] ?? 1);
  return env.bugs.collectUnexecuted ? Math.max(...marks) : Math.min(...marks);
};

/** Collected(a): the acceptor's watermark. */
export const collected = (env: Env, a: AcceptorState): number =>
  watermark(env, a.persistent.reported);

/** Reply(reply, m): the new state persisted (if it changed), then the reply, m consumed. */
function reply(
  a: AcceptorState,
  persistent: AcceptorPersistent,
  response: Message,
  m: Message,
): Step<AcceptorState> {
  const changed = persistent !== a.persistent;
  return {
    state: changed ? { id: a.id, persistent } : a,
    effects: [
      ...(changed ? [{ type: "persistAcceptor" as const, state: persistent }] : []),
      send(response),
      discard(m),
    ],
  };
}

/**
 * HandleP1a(a, m): a scout's "p1a" (phase 1a). A higher ballot is adopted; the "p1b" reply
 * carries the acceptor's ballot, the pvalues it holds (at most one per slot) and its watermark.
 */
export const handleP1a = handler<AcceptorState, "p1a">("p1a", {
  enabled: always,
  next: (env, a, m) => {
    const p = a.persistent;
    const persistent =
      compareBallots(env, p.acceptorBallot, m.mballot) < 0
        ? { ...p, acceptorBallot: m.mballot }
        : p;
    return reply(
      a,
      persistent,
      {
        mtype: "p1b",
        mballot: persistent.acceptorBallot,
        maccepted: persistent.accepted,
        mcollected: collected(env, a),
        msource: a.id,
        mdest: m.msource,
      },
      m,
    );
  },
});

/**
 * The acceptor's pvalues once it accepts pv: pv replaces the one it holds for pv's slot, so it
 * keeps only the highest-ballot pvalue per slot (pv's ballot is at least the acceptor's, hence
 * above every pvalue it holds); under BugKeepLowerPvalue the old pvalue stays instead.
 */
function keep(env: Env, accepted: ReadonlyArray<Pvalue>, pv: Pvalue): ReadonlyArray<Pvalue> {
  if (pvalues.has(accepted, pv)) return accepted;
  const others = accepted.filter((q) => q.slot !== pv.slot);
  if (env.bugs.keepLowerPvalue && others.length < accepted.length) return accepted;
  return pvalues.add(others, pv);
}

/**
 * HandleP2a(a, m): a commander's "p2a" (phase 2a). The pvalue is accepted unless the acceptor
 * has adopted a higher ballot (accepted anyway under BugAcceptLowerBallot); a higher ballot is
 * adopted. The "p2b" reply carries the acceptor's ballot, so a commander sees preemption as a
 * ballot above its own, and the P2a's ballot (mcballot), which names the commander it answers.
 * A P2a for a collected slot is ignored (every replica executed that slot).
 */
export const handleP2a = handler<AcceptorState, "p2a">("p2a", {
  enabled: always,
  next: (env, a, m) => {
    if (m.mslot < collected(env, a)) return { state: a, effects: [discard(m)] };
    const p = a.persistent;
    const cmp = compareBallots(env, p.acceptorBallot, m.mballot);
    const ok = env.bugs.acceptLowerBallot || cmp <= 0;
    const accepted = ok
      ? keep(env, p.accepted, { ballot: m.mballot, slot: m.mslot, cmd: m.mcmd })
      : p.accepted;
    const acceptorBallot = cmp < 0 ? m.mballot : p.acceptorBallot;
    const persistent =
      accepted === p.accepted && acceptorBallot === p.acceptorBallot
        ? p
        : { ...p, acceptorBallot, accepted };
    return reply(
      a,
      persistent,
      {
        mtype: "p2b",
        mballot: acceptorBallot,
        mcballot: m.mballot,
        mslot: m.mslot,
        msource: a.id,
        mdest: m.msource,
      },
      m,
    );
  },
});

/**
 * HandleExecuted(a, m): a replica's report of its slotOut. The acceptor keeps each replica's
 * highest report, collects (drops the pvalues of) the slots below its watermark and tells the
 * replica the watermark ("collected").
 */
export const handleExecuted = handler<AcceptorState, "executed">("executed", {
  enabled: always,
  next: (env, a, m) => {
    const p = a.persistent;
    const old = p.reported[m.msource] ?? 1;
    const reported = m.mslot > old ? { ...p.reported, [m.msource]: m.mslot } : p.reported;
    const w = watermark(env, reported);
    const accepted = p.accepted.every((q) => q.slot >= w)
      ? p.accepted
      : p.accepted.filter((q) => q.slot >= w);
    const persistent =
      reported === p.reported && accepted === p.accepted ? p : { ...p, reported, accepted };
    return reply(
      a,
      persistent,
      { mtype: "collected", mslot: w, msource: a.id, mdest: m.msource },
      m,
    );
  },
});
