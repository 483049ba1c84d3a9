/**
 * PMMC's Acceptor: the Synod protocol's memory. One pure transition per spec action,
 * `(env, acceptor, message) → Option<Step>`, `None` when the guard is false. Every state
 * change is persisted before the reply goes out.
 */
import * as O from "fp-ts/lib/Option.js";
import type {
  AcceptorId,
  AcceptorPersistent,
  AcceptorState,
  Effect,
  Env,
  Message,
  Step,
} from "./types.js";
import { bottom, compareBallots, pvalues } from "./values.js";

/** An acceptor in the spec's Init: ballot Bottom, nothing accepted. */
export const initialAcceptor = (id: AcceptorId): AcceptorState => ({
  id,
  persistent: { acceptorBallot: bottom, accepted: [] },
});

const step = (
  a: AcceptorState,
  persistent: AcceptorPersistent,
  reply: Message,
  m: Message,
): O.Option<Step<AcceptorState>> => {
  const changed = persistent !== a.persistent;
  const effects: Effect[] = changed ? [{ type: "persistAcceptor", state: persistent }] : [];
  effects.push({ type: "send", message: reply }, { type: "discard", message: m });
  return O.some({ state: changed ? { id: a.id, persistent } : a, effects });
};

/**
 * HandleP1a(a, m): a scout's "p1a" (phase 1a). A higher ballot is adopted; the "p1b" reply
 * carries the acceptor's ballot and everything it has accepted.
 */
export function handleP1a(env: Env, a: AcceptorState, m: Message): O.Option<Step<AcceptorState>> {
  if (m.mtype !== "p1a" || m.mdest !== a.id) return O.none;
  const p = a.persistent;
  const persistent =
    compareBallots(env, m.mballot, p.acceptorBallot) > 0 ? { ...p, acceptorBallot: m.mballot } : p;
  return step(
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
}

/**
 * HandleP2a(a, m): a commander's "p2a" (phase 2a). The pvalue is accepted unless the
 * acceptor has adopted a higher ballot (accepted anyway under BugAcceptLowerBallot); a higher
 * ballot is adopted. The "p2b" reply carries the acceptor's ballot, so a commander sees
 * preemption as a ballot above its own.
 */
export function handleP2a(env: Env, a: AcceptorState, m: Message): O.Option<Step<AcceptorState>> {
  if (m.mtype !== "p2a" || m.mdest !== a.id) return O.none;
  const p = a.persistent;
  const cmp = compareBallots(env, p.acceptorBallot, m.mballot);
  const ok = env.bugs.acceptLowerBallot || cmp <= 0;
  const accepted = ok
    ? pvalues.add(p.accepted, { ballot: m.mballot, slot: m.mslot, cmd: m.mcmd })
    : p.accepted;
  const acceptorBallot = cmp < 0 ? m.mballot : p.acceptorBallot;
  const persistent =
    accepted === p.accepted && acceptorBallot === p.acceptorBallot
      ? p
      : { acceptorBallot, accepted };
  return step(
    a,
    persistent,
    { mtype: "p2b", mballot: acceptorBallot, mslot: m.mslot, msource: a.id, mdest: m.msource },
    m,
  );
}
