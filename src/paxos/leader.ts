/**
 * PMMC's Leader with its Scout (phase 1: P1a/P1b, the view change) and its Commanders
 * (phase 2: P2a/P2b, replication): one spec action per export, same name in camelCase, each a
 * guard and a next step (role.ts). Scout and commanders are part of the leader's volatile
 * state: a restart loses them with it.
 */
import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import { match } from "ts-pattern";
import {
  ballotEquals,
  compareBallots,
  hasSlot,
  isMajorityLeft,
  override,
  pmax,
} from "./operators.js";
import { always, discard, handler, type RoleAction, send } from "./role.js";
import type {
  Ballot,
  Commander,
  Effect,
  Env,
  LeaderId,
  LeaderState,
  LeaderVolatile,
  P1bMsg,
  P2bMsg,
  SlotCmd,
  Step,
} from "./types.js";
import { commanders as commanderSet, ids, pvalues, slotCmds } from "./values.js";

const passive: LeaderVolatile = {
  active: false,
  proposals: [],
  collected: 1,
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

/** Ballot(ballotNum[l].round + 1, l). */
const nextRound = (l: LeaderState): Ballot => ({
  round: l.persistent.ballotNum.round + 1,
  leader: l.id,
});

/** The leader with ballot b, persisted first if it is new. */
function withBallot(l: LeaderState, ballotNum: Ballot): Step<LeaderState> {
  if (ballotEquals(ballotNum, l.persistent.ballotNum)) return { state: l, effects: [] };
  const persistent = { ballotNum };
  return { state: { ...l, persistent }, effects: [{ type: "persistLeader", state: persistent }] };
}

/** The step `s`, then `f` of its state: the effects of both, in order. */
const andThen = <S>(s: Step<S>, f: (x: S) => Step<S>): Step<S> => {
  const t = f(s.state);
  return { state: t.state, effects: [...s.effects, ...t.effects] };
};

/** SpawnScout(l, ballotNum[l]): a scout for the leader's ballot, P1a to every acceptor. */
const spawnScout = (env: Env, l: LeaderState): Step<LeaderState> => ({
  state: {
    ...l,
    volatile: {
      ...l.volatile,
      active: false,
      scouting: true,
      scoutWaitFor: env.acceptors,
      scoutPvalues: [],
    },
  },
  effects: env.acceptors.map((a) =>
    send({ mtype: "p1a", mballot: l.persistent.ballotNum, msource: l.id, mdest: a }),
  ),
});

/** Commanders and the P2a they send. */
interface Spawned {
  readonly commanders: ReadonlyArray<Commander>;
  readonly effects: ReadonlyArray<Effect>;
}

/** A commander for proposal d at `ballot`, P2a to every acceptor, added to `before`. */
const spawnCommander = (env: Env, l: LeaderId, ballot: Ballot, before: Spawned, d: SlotCmd) => ({
  commanders: commanderSet.add(before.commanders, {
    ballot,
    slot: d.slot,
    cmd: d.cmd,
    waitFor: env.acceptors,
  }),
  effects: [
    ...before.effects,
    ...env.acceptors.map((a) =>
      send({ mtype: "p2a", mballot: ballot, mslot: d.slot, mcmd: d.cmd, msource: l, mdest: a }),
    ),
  ],
});

/**
 * Preempt(l, b): a higher ballot b exists, so the leader becomes passive with a ballot above
 * it; it scouts again only on LeaderTimeout (backoff).
 */
const preempt = (l: LeaderState, by: Ballot): Step<LeaderState> =>
  andThen(withBallot(l, { round: by.round + 1, leader: l.id }), (x) => ({
    state: {
      ...x,
      volatile: {
        ...x.volatile,
        active: false,
        scouting: false,
        scoutWaitFor: [],
        scoutPvalues: [],
      },
    },
    effects: [],
  }));

/**
 * LeaderTimeout(l): the failure detector fires (the active leader stopped answering pings,
 * l's own ballot stalled, or the backoff after preemption elapsed). A passive leader scouts
 * at its ballot; otherwise it abandons the ballot for the next round and scouts for that.
 */
export const leaderTimeout: RoleAction<LeaderState, []> = {
  enabled: always,
  next: (env, l) =>
    andThen(
      l.volatile.active || l.volatile.scouting
        ? withBallot(l, nextRound(l))
        : { state: l, effects: [] },
      (x) => spawnScout(env, x),
    ),
};

/**
 * HandlePropose(l, m): a replica's "propose". A slot the leader has no proposal for gets
 * this one, and an active leader spawns a commander for it; a slot below the leader's
 * watermark is collected and ignored.
 */
export const handlePropose = handler<LeaderState, "propose">("propose", {
  enabled: always,
  next: (env, l, m) => {
    const v = l.volatile;
    if (hasSlot(v.proposals, m.mslot) || m.mslot < v.collected)
      return { state: l, effects: [discard(m)] };
    const d = { slot: m.mslot, cmd: m.mcmd };
    const spawned: Spawned = v.active
      ? spawnCommander(
          env,
          l.id,
          l.persistent.ballotNum,
          { commanders: v.commanders, effects: [] },
          d,
        )
      : { commanders: v.commanders, effects: [] };
    return {
      state: {
        ...l,
        volatile: { ...v, proposals: slotCmds.add(v.proposals, d), commanders: spawned.commanders },
      },
      effects: [...spawned.effects, discard(m)],
    };
  },
});

/** Adopted(waitFor): the scout's majority answered (any one answer under BugMinorityAdoption). */
const adopted = (env: Env, waitFor: ReadonlyArray<string>): boolean =>
  env.bugs.minorityAdoption ? waitFor.length < env.acceptors.length : isMajorityLeft(env, waitFor);

/**
 * The scout's share of HandleP1b: collect the answer; on adoption turn active with the
 * proposals updated by the highest pvalues (PMax, ◁) and a commander per proposal.
 */
function scoutCollects(env: Env, l: LeaderState, m: P1bMsg): Step<LeaderState> {
  const v = l.volatile;
  const scoutWaitFor = ids.remove(v.scoutWaitFor, m.msource);
  const scoutPvalues = from(v.collected, pvalues.union(v.scoutPvalues, m.maccepted));
  if (!adopted(env, scoutWaitFor))
    return { state: { ...l, volatile: { ...v, scoutWaitFor, scoutPvalues } }, effects: [] };
  const b = l.persistent.ballotNum;
  const proposals = env.bugs.ignorePvalues
    ? v.proposals
    : override(v.proposals, pmax(env, scoutPvalues));
  const spawned = pipe(
    proposals,
    RA.reduce<SlotCmd, Spawned>({ commanders: v.commanders, effects: [] }, (acc, d) =>
      spawnCommander(env, l.id, b, acc, d),
    ),
  );
  return {
    state: {
      ...l,
      volatile: {
        active: true,
        proposals,
        collected: v.collected,
        scouting: false,
        scoutWaitFor: [],
        scoutPvalues: [],
        commanders: spawned.commanders,
      },
    },
    effects: spawned.effects,
  };
}

/** From(w, entries): the entries (pvalues, commanders) of slots from w on. */
const from = <T extends { readonly slot: number }>(w: number, xs: ReadonlyArray<T>) =>
  xs.every((x) => x.slot >= w) ? xs : xs.filter((x) => x.slot >= w);

/**
 * The leader once it knows watermark w (the highest of its own and the one a P1b carries):
 * its proposals and commanders below it are dropped, every replica executed those slots.
 */
function learnCollected(l: LeaderState, mcollected: number): LeaderState {
  const v = l.volatile;
  if (mcollected <= v.collected) return l;
  return {
    ...l,
    volatile: {
      ...v,
      collected: mcollected,
      proposals: from(mcollected, v.proposals),
      commanders: from(mcollected, v.commanders),
    },
  };
}

/**
 * HandleP1b(l, m): an acceptor's "p1b" reaches the leader's scout. The leader first learns the
 * acceptor's watermark. For the ballot being scouted the answer is collected (its pvalues of
 * collected slots dropped), and a majority adopts the ballot. A higher ballot preempts the
 * leader; anything else is stale.
 */
export const handleP1b = handler<LeaderState, "p1b">("p1b", {
  enabled: always,
  next: (env, l0, m) => {
    const l = learnCollected(l0, m.mcollected);
    const b = l.persistent.ballotNum;
    const v = l.volatile;
    const s = match({
      mine: v.scouting && ballotEquals(m.mballot, b) && v.scoutWaitFor.includes(m.msource),
      higher: compareBallots(env, m.mballot, b) > 0,
    })
      .returnType<Step<LeaderState>>()
      .with({ mine: true }, () => scoutCollects(env, l, m))
      .with({ mine: false, higher: true }, () => preempt(l, m.mballot))
      .with({ mine: false, higher: false }, () => ({ state: l, effects: [] }))
      .exhaustive();
    return { state: s.state, effects: [...s.effects, discard(m)] };
  },
});

/** Commander k counts m's acceptor; with a majority it sends "decision" to every replica and ends. */
function counted(env: Env, l: LeaderState, k: Commander, m: P2bMsg): Step<LeaderState> {
  const v = l.volatile;
  const waitFor = ids.remove(k.waitFor, m.msource);
  const rest = commanderSet.remove(v.commanders, k);
  const decided = isMajorityLeft(env, waitFor);
  return {
    state: {
      ...l,
      volatile: { ...v, commanders: decided ? rest : commanderSet.add(rest, { ...k, waitFor }) },
    },
    effects: decided
      ? env.replicas.map((r) =>
          send({ mtype: "decision", mslot: k.slot, mcmd: k.cmd, msource: l.id, mdest: r }),
        )
      : [],
  };
}

/** No commander counts m: l's commanders of its slot below m.mballot end; l may be preempted. */
function beaten(env: Env, l: LeaderState, m: P2bMsg): Step<LeaderState> {
  const commanders = l.volatile.commanders.filter(
    (k) => !(k.slot === m.mslot && compareBallots(env, k.ballot, m.mballot) < 0),
  );
  const next =
    commanders.length === l.volatile.commanders.length
      ? l
      : { ...l, volatile: { ...l.volatile, commanders } };
  return compareBallots(env, l.persistent.ballotNum, m.mballot) < 0
    ? preempt(next, m.mballot)
    : { state: next, effects: [] };
}

/**
 * HandleP2b(l, m): an acceptor's "p2b" reaches l's commanders for m.mslot. It answers the
 * commander of ballot m.mcballot, which counts the acceptor if it still waits for it and the
 * acceptor's ballot m.mballot is its own (the acceptor accepted its pvalue); under
 * BugP2bForAnyCommander the commander of ballot m.mballot counts it whichever P2a it answers.
 * (The spec CHOOSEs among several; there is at most one.) With no such commander, a higher
 * ballot ends l's commanders of that slot below it and, if above l's own ballot, preempts l.
 */
export const handleP2b = handler<LeaderState, "p2b">("p2b", {
  enabled: always,
  next: (env, l, m) => {
    const s = pipe(
      l.volatile.commanders,
      RA.findFirst(
        (k) =>
          k.slot === m.mslot &&
          ballotEquals(k.ballot, m.mballot) &&
          (env.bugs.p2bForAnyCommander || ballotEquals(k.ballot, m.mcballot)) &&
          k.waitFor.includes(m.msource),
      ),
      O.match(
        () => beaten(env, l, m),
        (k) => counted(env, l, k, m),
      ),
    );
    return { state: s.state, effects: [...s.effects, discard(m)] };
  },
});

/**
 * RestartLeader(l): the leader crashes and restarts. Activity, proposals, scout and
 * commanders are lost; the ballot survives on disk and moves to the next round, because the
 * old commanders' P2a may still be in flight and must not meet new proposals at their ballot.
 */
export const restartLeader: RoleAction<LeaderState, []> = {
  enabled: always,
  next: (_env, l) =>
    andThen(withBallot(l, nextRound(l)), (x) => ({
      state: { ...x, volatile: passive },
      effects: [],
    })),
};
