/**
 * PMMC's Leader with its Scout (phase 1: P1a/P1b, the view change) and its Commanders
 * (phase 2: P2a/P2b, replication). One pure transition per spec action,
 * `(env, leader, input) → Option<Step>`, `None` when the guard is false. Scout and commanders
 * are part of the leader's volatile state: a restart loses them with it.
 */

import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import { match } from "ts-pattern";
import type {
  Ballot,
  Commander,
  Effect,
  Env,
  LeaderId,
  LeaderState,
  LeaderVolatile,
  Message,
  P1bMsg,
  P2bMsg,
  SlotCmd,
  Step,
} from "./types.js";
import {
  ballotEquals,
  commanderSet,
  compareBallots,
  decidedAt,
  ids,
  isMajorityLeft,
  override,
  pmax,
  pvalues,
  slotCmds,
} from "./values.js";

const passive: LeaderVolatile = {
  active: false,
  proposals: [],
  scouting: false,
  scoutWaitFor: [],
  scoutPvalues: [],
  commanders: [],
};

/** A leader in the spec's Init: ballot [round |-> 0, leader |-> l], passive. */
export const initialLeader = (id: LeaderId): LeaderState => ({
  id,
  persistent: { ballotNum: { round: 0, leader: id } },
  volatile: passive,
});

const send = (message: Message): Effect => ({ type: "send", message });
const discard = (message: Message): Effect => ({ type: "discard", message });

const withBallot = (l: LeaderState, ballotNum: Ballot, effects: Effect[]): LeaderState => {
  if (ballotEquals(ballotNum, l.persistent.ballotNum)) return l;
  const persistent = { ballotNum };
  effects.push({ type: "persistLeader", state: persistent });
  return { ...l, persistent };
};

/** Spawn a scout for the leader's ballot: "p1a" to every acceptor. */
function spawnScout(env: Env, l: LeaderState, effects: Effect[]): LeaderState {
  const b = l.persistent.ballotNum;
  for (const a of env.acceptors)
    effects.push(send({ mtype: "p1a", mballot: b, msource: l.id, mdest: a }));
  return {
    ...l,
    volatile: {
      ...l.volatile,
      active: false,
      scouting: true,
      scoutWaitFor: env.acceptors,
      scoutPvalues: [],
    },
  };
}

/** Spawn a commander for a proposal at the leader's ballot: "p2a" to every acceptor. */
function spawnCommander(
  env: Env,
  l: LeaderId,
  ballot: Ballot,
  d: SlotCmd,
  commanders: ReadonlyArray<Commander>,
  effects: Effect[],
): ReadonlyArray<Commander> {
  for (const a of env.acceptors)
    effects.push(
      send({ mtype: "p2a", mballot: ballot, mslot: d.slot, mcmd: d.cmd, msource: l, mdest: a }),
    );
  return commanderSet.add(commanders, { ballot, slot: d.slot, cmd: d.cmd, waitFor: env.acceptors });
}

/**
 * Preempted (inside HandleP1b/HandleP2b): a higher ballot exists, so the leader becomes
 * passive with a ballot above it; it scouts again only on LeaderTimeout (backoff).
 */
function preempt(l: LeaderState, by: Ballot, effects: Effect[]): LeaderState {
  const next = withBallot(l, { round: by.round + 1, leader: l.id }, effects);
  return {
    ...next,
    volatile: {
      ...next.volatile,
      active: false,
      scouting: false,
      scoutWaitFor: [],
      scoutPvalues: [],
    },
  };
}

/**
 * LeaderTimeout(l): the failure detector fires (the active leader stopped answering pings,
 * l's own ballot stalled, or the backoff after preemption elapsed). A passive leader scouts
 * at its ballot; otherwise it abandons the ballot for the next round and scouts for that.
 */
export function leaderTimeout(env: Env, l: LeaderState): O.Option<Step<LeaderState>> {
  const effects: Effect[] = [];
  const { active, scouting } = l.volatile;
  const b = l.persistent.ballotNum;
  const next =
    active || scouting ? withBallot(l, { round: b.round + 1, leader: l.id }, effects) : l;
  return O.some({ state: spawnScout(env, next, effects), effects });
}

/**
 * HandlePropose(l, m): a replica's "propose". A slot the leader has no proposal for gets
 * this one, and an active leader spawns a commander for it.
 */
export function handlePropose(env: Env, l: LeaderState, m: Message): O.Option<Step<LeaderState>> {
  if (m.mtype !== "propose" || m.mdest !== l.id) return O.none;
  const v = l.volatile;
  const effects: Effect[] = [];
  if (decidedAt(v.proposals, m.mslot).length > 0)
    return O.some({ state: l, effects: [discard(m)] });
  const d = { slot: m.mslot, cmd: m.mcmd };
  const commanders = v.active
    ? spawnCommander(env, l.id, l.persistent.ballotNum, d, v.commanders, effects)
    : v.commanders;
  effects.push(discard(m));
  return O.some({
    state: { ...l, volatile: { ...v, proposals: slotCmds.add(v.proposals, d), commanders } },
    effects,
  });
}

/** Adopted: the scout's quorum answered (any one answer under BugMinorityAdoption). */
const adopted = (env: Env, waitFor: ReadonlyArray<string>): boolean =>
  env.bugs.minorityAdoption ? waitFor.length < env.acceptors.length : isMajorityLeft(env, waitFor);

/** The scout's share of HandleP1b: collect, and on adoption turn active. */
function scoutCollects(env: Env, l: LeaderState, m: P1bMsg, effects: Effect[]): LeaderState {
  const v = l.volatile;
  const scoutWaitFor = ids.remove(v.scoutWaitFor, m.msource);
  const scoutPvalues = pvalues.union(v.scoutPvalues, m.maccepted);
  if (!adopted(env, scoutWaitFor)) return { ...l, volatile: { ...v, scoutWaitFor, scoutPvalues } };
  const b = l.persistent.ballotNum;
  const proposals = env.bugs.ignorePvalues
    ? v.proposals
    : override(v.proposals, pmax(env, scoutPvalues));
  const commanders = RA.reduce(v.commanders, (acc, d: SlotCmd) =>
    spawnCommander(env, l.id, b, d, acc, effects),
  )(proposals);
  return {
    ...l,
    volatile: {
      active: true,
      proposals,
      scouting: false,
      scoutWaitFor: [],
      scoutPvalues: [],
      commanders,
    },
  };
}

/**
 * HandleP1b(l, m): an acceptor's "p1b" reaches the leader's scout. For the ballot being
 * scouted it is collected, and a majority adopts the ballot: the leader re-proposes the
 * highest-ballot pvalue of every slot (pmax, ◁) and spawns a commander per proposal. A
 * higher ballot preempts the leader; anything else is stale.
 */
export function handleP1b(env: Env, l: LeaderState, m: Message): O.Option<Step<LeaderState>> {
  if (m.mtype !== "p1b" || m.mdest !== l.id) return O.none;
  const effects: Effect[] = [];
  const b = l.persistent.ballotNum;
  const v = l.volatile;
  const next = match({
    ours: v.scouting && ballotEquals(m.mballot, b) && v.scoutWaitFor.includes(m.msource),
    higher: compareBallots(env, m.mballot, b) > 0,
  })
    .with({ ours: true }, () => scoutCollects(env, l, m, effects))
    .with({ ours: false, higher: true }, () => preempt(l, m.mballot, effects))
    .with({ ours: false, higher: false }, () => l)
    .exhaustive();
  effects.push(discard(m));
  return O.some({ state: next, effects });
}

/**
 * HandleP2b(l, m): an acceptor's "p2b" reaches l's commanders for m.mslot. The commander of
 * ballot m.mballot still waiting for that acceptor counts it; on a majority it sends
 * "decision" to every replica and ends. With no such commander, a higher ballot ends l's
 * commanders of that slot below it and, if above l's own ballot, preempts l.
 */
export function handleP2b(env: Env, l: LeaderState, m: Message): O.Option<Step<LeaderState>> {
  if (m.mtype !== "p2b" || m.mdest !== l.id) return O.none;
  const effects: Effect[] = [];
  const v = l.volatile;
  const next = pipe(
    v.commanders,
    // The spec CHOOSEs among several; there is at most one unless OneValuePerSlot is broken.
    RA.findFirst(
      (k) =>
        k.slot === m.mslot && ballotEquals(k.ballot, m.mballot) && k.waitFor.includes(m.msource),
    ),
    O.match(
      () => beaten(env, l, m, effects),
      (k) => ({
        ...l,
        volatile: { ...v, commanders: counted(env, l.id, k, m, v.commanders, effects) },
      }),
    ),
  );
  effects.push(discard(m));
  return O.some({ state: next, effects });
}

/** Commander k counts m's acceptor; with a majority it decides and ends. */
function counted(
  env: Env,
  l: LeaderId,
  k: Commander,
  m: P2bMsg,
  commanders: ReadonlyArray<Commander>,
  effects: Effect[],
): ReadonlyArray<Commander> {
  const waitFor = ids.remove(k.waitFor, m.msource);
  const rest = commanderSet.remove(commanders, k);
  if (!isMajorityLeft(env, waitFor)) return commanderSet.add(rest, { ...k, waitFor });
  for (const r of env.replicas)
    effects.push(send({ mtype: "decision", mslot: k.slot, mcmd: k.cmd, msource: l, mdest: r }));
  return rest;
}

/** No commander counts m: those of its slot below m.mballot end; l may be preempted. */
function beaten(env: Env, l: LeaderState, m: P2bMsg, effects: Effect[]): LeaderState {
  const commanders = l.volatile.commanders.filter(
    (k) => !(k.slot === m.mslot && compareBallots(env, k.ballot, m.mballot) < 0),
  );
  const next =
    commanders.length === l.volatile.commanders.length
      ? l
      : { ...l, volatile: { ...l.volatile, commanders } };
  return compareBallots(env, l.persistent.ballotNum, m.mballot) < 0
    ? preempt(next, m.mballot, effects)
    : next;
}

/**
 * RestartLeader(l): the leader crashes and restarts. Activity, proposals, scout and
 * commanders are lost; the ballot survives on disk and moves to the next round, because the
 * old commanders' P2a may still be in flight and must not meet new proposals at their ballot.
 */
export function restartLeader(_env: Env, l: LeaderState): O.Option<Step<LeaderState>> {
  const effects: Effect[] = [];
  const b = l.persistent.ballotNum;
  const next = withBallot(l, { round: b.round + 1, leader: l.id }, effects);
  return O.some({ state: { ...next, volatile: passive }, effects });
}
