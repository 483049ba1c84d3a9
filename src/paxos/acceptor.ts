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

/** An acceptor in the spec's Init: ballot Bottom, nothing accepted. */
export const initialAcceptor = (id: AcceptorId): AcceptorState => ({
  id,
  persistent: { acceptorBallot: bottom, accepted: [] },
});

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
 * carries the acceptor's ballot and the pvalues it holds, at most one per slot.
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
 */
export const handleP2a = handler<AcceptorState, "p2a">("p2a", {
  enabled: always,
  next: (env, a, m) => {
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
        : { acceptorBallot, accepted };
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
