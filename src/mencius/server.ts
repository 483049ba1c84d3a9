/**
 * A Mencius server: owner of its instances (Suggest, Skip), revoker of others' (Revoke and its
 * ballot round), acceptor and learner of every instance, and a replica executing in instance
 * order. One spec action per export, same name in camelCase, each a guard and a next step
 * (role.ts). What a server does for itself it does locally; every durable change is persisted
 * before anything is sent.
 */
import type { ServerId, ValueId } from "../core/ids.js";
import {
  higher,
  learn,
  learnNoOps,
  majority,
  nextOf,
  others,
  owns,
  promisedAt,
  setAt,
  unsetAt,
  voteAt,
  voteFor,
} from "./operators.js";
import { always, discard, handler, type ServerAction, send } from "./role.js";
import type {
  AcceptRound,
  Command,
  Durable,
  Effect,
  Env,
  Message,
  Rounds,
  ServerState,
  Step,
} from "./types.js";
import { ids, insts } from "./values.js";

const noRounds: Rounds = { prepares: new Map(), accepts: new Map() };

/** A server in the spec's Init: at its first instance, nothing promised, accepted or learned. */
export const initialServer = (env: Env, id: ServerId): ServerState => ({
  id,
  durable: {
    nextInst: nextOf(env, id, 0),
    skipped: [],
    promised: new Map(),
    accepted: new Map(),
    learned: new Map(),
    executedUpTo: 0,
    executed: [],
  },
  rounds: noRounds,
});

/**
 * The server with its durable state and rounds replaced (either may be the old object), the
 * durable state persisted first if it changed, then `effects`.
 */
function step(
  s: ServerState,
  durable: Durable,
  rounds: Rounds,
  effects: ReadonlyArray<Effect>,
): Step<ServerState> {
  const changed = durable !== s.durable;
  return {
    state: changed || rounds !== s.rounds ? { id: s.id, durable, rounds } : s,
    effects: changed ? [{ type: "persist", state: durable }, ...effects] : effects,
  };
}

/** The broadcast of `make(q)` to every other server. */
const toOthers = (env: Env, p: ServerId, make: (q: ServerId) => Message): ReadonlyArray<Effect> =>
  others(env, p).map((q) => send(make(q)));

// ---------------------------------------------------------------------------------------------
// The owner

/**
 * SuggestAt(p) with the guard Promised(p, i) = 0: the instance Suggest uses — the owner's
 * next one; under BugSuggestSkipped its lowest skipped one (with promise 0) if any.
 */
export function suggestInstance(env: Env, p: ServerState): number | undefined {
  const d = p.durable;
  if (env.bugs.suggestSkipped) {
    const free = d.skipped.filter((i) => promisedAt(d, i) === 0);
    if (free.length > 0) return Math.min(...free);
  }
  return promisedAt(d, d.nextInst) === 0 ? d.nextInst : undefined;
}

/**
 * Suggest(p, v), Rule 1: a client's request for v reaches the owner, which suggests v in its
 * next instance at ballot 0 — no phase 1: every acceptor has implicitly promised ballot 0 to
 * the owner — unless it promised a revoker a higher ballot there. It accepts v itself, opens
 * the round and sends SUGGEST to every other server.
 */
export const suggest: ServerAction<[v: ValueId]> = {
  enabled: (env, p) => suggestInstance(env, p) !== undefined,
  next: (env, p, v) => {
    const i = suggestInstance(env, p) as number;
    const d = p.durable;
    return step(
      p,
      {
        ...d,
        nextInst: i === d.nextInst ? nextOf(env, p.id, i) : d.nextInst,
        accepted: setAt(d.accepted, i, voteFor(0, v)),
      },
      { ...p.rounds, accepts: setAt(p.rounds.accepts, i, { bal: 0, val: v, heard: [p.id] }) },
      toOthers(env, p.id, (q) => ({
        mtype: "suggest",
        minst: i,
        mval: v,
        msource: p.id,
        mdest: q,
      })),
    );
  },
};

/**
 * Skip(p): the owner gives up its next instance. It learns the no-op there itself and sends
 * SKIP to every other server; no acceptor is asked, since only the owner could propose
 * anything but the no-op in its instance.
 */
export const skip: ServerAction<[]> = {
  enabled: always,
  next: (env, p) => {
    const d = p.durable;
    const i = d.nextInst;
    return step(
      p,
      {
        ...d,
        nextInst: nextOf(env, p.id, i),
        skipped: insts.add(d.skipped, i),
        learned: learn(d.learned, i, null),
      },
      p.rounds,
      toOthers(env, p.id, (q) => ({ mtype: "skip", minsts: [i], msource: p.id, mdest: q })),
    );
  },
};

// ---------------------------------------------------------------------------------------------
// Revocation: a full ballot round on another server's instance

/**
 * Revoke(p, i), Rule 3: p suspects the owner of instance i (its failure detector: the owner
 * stopped answering, or i has blocked p's execution too long) and revokes i, an instance it
 * has not learned below its own next one. It takes its next ballot above any it promised there,
 * promises it itself, reads its own vote and sends PREPARE to every other server; a round it
 * ran on i is abandoned. An owner may run it on its own instance, to find out what became of a
 * suggestion whose outcome it missed. Under BugRevokeWithoutRead it proposes the no-op at once,
 * without phase 1.
 */
export const revoke: ServerAction<[i: number]> = {
  enabled: (_env, p, i) => i < p.durable.nextInst && !p.durable.learned.has(i),
  next: (env, p, i) => {
    const d = p.durable;
    const b = nextOf(env, p.id, promisedAt(d, i));
    const promised = setAt(d.promised, i, b);
    if (env.bugs.revokeWithoutRead)
      return step(
        p,
        { ...d, promised, accepted: setAt(d.accepted, i, voteFor(b, null)) },
        {
          prepares: unsetAt(p.rounds.prepares, i),
          accepts: setAt(p.rounds.accepts, i, { bal: b, val: null, heard: [p.id] }),
        },
        toOthers(env, p.id, (q) => ({
          mtype: "propose",
          minst: i,
          mbal: b,
          mval: null,
          msource: p.id,
          mdest: q,
        })),
      );
    return step(
      p,
      { ...d, promised },
      {
        prepares: setAt(p.rounds.prepares, i, { bal: b, heard: [p.id], vote: voteAt(d, i) }),
        accepts: unsetAt(p.rounds.accepts, i),
      },
      toOthers(env, p.id, (q) => ({
        mtype: "prepare",
        minst: i,
        mbal: b,
        msource: p.id,
        mdest: q,
      })),
    );
  },
};

/**
 * HandlePrepare(p, m): PREPARE (phase 1a). Above its promise the acceptor promises the ballot
 * and answers PROMISE with its vote in the instance (NoVote if none); otherwise it ignores it.
 * Under BugNoPromise it answers without recording the promise.
 */
export const handlePrepare = handler("prepare", {
  enabled: always,
  next: (env, p, m) => {
    const d = p.durable;
    if (m.mbal <= promisedAt(d, m.minst)) return { state: p, effects: [discard(m)] };
    return step(
      p,
      env.bugs.noPromise ? d : { ...d, promised: setAt(d.promised, m.minst, m.mbal) },
      p.rounds,
      [
        send({
          mtype: "promise",
          minst: m.minst,
          mbal: m.mbal,
          mvote: voteAt(d, m.minst),
          msource: p.id,
          mdest: m.msource,
        }),
        discard(m),
      ],
    );
  },
});

/**
 * HandlePromise(p, m): PROMISE (phase 1b) for p's round on the instance. It keeps the highest
 * vote; with a majority it proposes that vote's value — the no-op when nobody voted — accepting
 * it itself unless it promised a higher ballot since, and sends PROPOSE to every other server.
 * Anything else is stale.
 */
export const handlePromise = handler("promise", {
  enabled: always,
  next: (env, p, m) => {
    const i = m.minst;
    const r = p.rounds.prepares.get(i);
    if (r === undefined || r.bal !== m.mbal || r.heard.includes(m.msource))
      return { state: p, effects: [discard(m)] };
    const heard = ids.add(r.heard, m.msource);
    const vote = higher(m.mvote, r.vote);
    if (!majority(env, heard))
      return step(
        p,
        p.durable,
        { ...p.rounds, prepares: setAt(p.rounds.prepares, i, { ...r, heard, vote }) },
        [discard(m)],
      );
    const d = p.durable;
    const own = promisedAt(d, i) === r.bal;
    return step(
      p,
      own ? { ...d, accepted: setAt(d.accepted, i, voteFor(r.bal, vote.val)) } : d,
      {
        prepares: unsetAt(p.rounds.prepares, i),
        accepts: setAt(p.rounds.accepts, i, {
          bal: r.bal,
          val: vote.val,
          heard: own ? [p.id] : [],
        }),
      },
      [
        ...toOthers(env, p.id, (q) => ({
          mtype: "propose",
          minst: i,
          mbal: r.bal,
          mval: vote.val,
          msource: p.id,
          mdest: q,
        })),
        discard(m),
      ],
    );
  },
});

/**
 * HandlePropose(p, m): PROPOSE (phase 2a of a revocation). At or above its promise the acceptor
 * accepts, promises the ballot and answers ACCEPT; below, it ignores it.
 */
export const handlePropose = handler("propose", {
  enabled: always,
  next: (_env, p, m) => {
    const d = p.durable;
    if (m.mbal < promisedAt(d, m.minst)) return { state: p, effects: [discard(m)] };
    return step(
      p,
      {
        ...d,
        promised: setAt(d.promised, m.minst, m.mbal),
        accepted: setAt(d.accepted, m.minst, voteFor(m.mbal, m.mval)),
      },
      p.rounds,
      [
        send({
          mtype: "accept",
          minst: m.minst,
          mbal: m.mbal,
          mskips: [],
          msource: p.id,
          mdest: m.msource,
        }),
        discard(m),
      ],
    );
  },
});

// ---------------------------------------------------------------------------------------------
// Acceptor and learner

/**
 * HandleSuggest(p, m): the owner's SUGGEST. Rule 2 first: if the instance lies beyond p's next
 * one, p skips its own instances below it and learns the no-ops, so that the fast owner does
 * not wait for p's turns. Then p accepts at ballot 0 unless it promised a revoker a higher
 * ballot there, and answers ACCEPT with its skips piggybacked; a SKIP tells the other servers
 * (and the owner too when p refused, since no ACCEPT carries them then).
 */
export const handleSuggest = handler("suggest", {
  enabled: always,
  next: (env, p, m) => {
    const d = p.durable;
    const i = m.minst;
    const q = m.msource;
    const skips: number[] = [];
    for (let k = d.nextInst; k < i; k++) if (owns(env, p.id, k)) skips.push(k);
    const ks = insts.of(skips);
    const ok = promisedAt(d, i) === 0;
    const tell = others(env, p.id).filter((r) => !ok || r !== q);
    const durable: Durable = {
      ...d,
      nextInst: i > d.nextInst ? nextOf(env, p.id, i) : d.nextInst,
      skipped: insts.union(d.skipped, ks),
      learned: learnNoOps(d.learned, ks),
      accepted: ok ? setAt(d.accepted, i, voteFor(0, m.mval)) : d.accepted,
    };
    return step(p, ks.length > 0 || ok ? durable : d, p.rounds, [
      ...(ok
        ? [send({ mtype: "accept", minst: i, mbal: 0, mskips: ks, msource: p.id, mdest: q })]
        : []),
      ...(ks.length === 0
        ? []
        : tell.map((r) => send({ mtype: "skip", minsts: ks, msource: p.id, mdest: r }))),
      discard(m),
    ]);
  },
});

/**
 * HandleAccept(p, m): ACCEPT for p's round on the instance (the owner's at ballot 0, or a
 * revoker's). p learns the skips piggybacked on it; with a majority the round's value is
 * chosen: p learns it and sends LEARN to every other server. Anything else is stale.
 */
export const handleAccept = handler("accept", {
  enabled: always,
  next: (env, p, m) => {
    const d = p.durable;
    const i = m.minst;
    const known = learnNoOps(d.learned, m.mskips);
    const withKnown = known === d.learned ? d : { ...d, learned: known };
    const r: AcceptRound | undefined = p.rounds.accepts.get(i);
    if (r === undefined || r.bal !== m.mbal || r.heard.includes(m.msource))
      return step(p, withKnown, p.rounds, [discard(m)]);
    const heard = ids.add(r.heard, m.msource);
    if (!majority(env, heard))
      return step(
        p,
        withKnown,
        { ...p.rounds, accepts: setAt(p.rounds.accepts, i, { ...r, heard }) },
        [discard(m)],
      );
    const learned = learn(known, i, r.val);
    return step(
      p,
      learned === d.learned ? d : { ...d, learned },
      { ...p.rounds, accepts: unsetAt(p.rounds.accepts, i) },
      [
        ...toOthers(env, p.id, (q) => ({
          mtype: "learn",
          minst: i,
          mval: r.val,
          msource: p.id,
          mdest: q,
        })),
        discard(m),
      ],
    );
  },
});

/** HandleLearn(p, m): LEARN — the instance is chosen. */
export const handleLearn = handler("learn", {
  enabled: always,
  next: (_env, p, m) => {
    const d = p.durable;
    const learned = learn(d.learned, m.minst, m.mval);
    return step(p, learned === d.learned ? d : { ...d, learned }, p.rounds, [discard(m)]);
  },
});

/** HandleSkip(p, m): SKIP — the owner's instances in it are no-ops. */
export const handleSkip = handler("skip", {
  enabled: always,
  next: (_env, p, m) => {
    const d = p.durable;
    const learned = learnNoOps(d.learned, m.minsts);
    return step(p, learned === d.learned ? d : { ...d, learned }, p.rounds, [discard(m)]);
  },
});

/**
 * The instance Execute runs: the next one once learned; under BugExecuteEarly the lowest
 * learned one above the last executed, unlearned ones passed over.
 */
export function executeInstance(env: Env, p: ServerState): number | undefined {
  const d = p.durable;
  if (!env.bugs.executeEarly)
    return d.learned.has(d.executedUpTo + 1) ? d.executedUpTo + 1 : undefined;
  let low: number | undefined;
  for (const i of d.learned.keys())
    if (i > d.executedUpTo && (low === undefined || i < low)) low = i;
  return low;
}

/**
 * Execute(p): p executes its next instance once it learned it (a skipped or revoked one as the
 * no-op, which changes nothing); every lower instance is executed by then.
 */
export const execute: ServerAction<[]> = {
  enabled: (env, p) => executeInstance(env, p) !== undefined,
  next: (env, p) => {
    const i = executeInstance(env, p) as number;
    const d = p.durable;
    const c = d.learned.get(i) as Command;
    return step(
      p,
      { ...d, executedUpTo: i, executed: c === null ? d.executed : [...d.executed, c] },
      p.rounds,
      c === null ? [] : [{ type: "apply", inst: i, op: c }],
    );
  },
};

/** Restart(p): the server crashes and restarts; the rounds it coordinated are lost, not its disk. */
export const restart: ServerAction<[]> = {
  enabled: always,
  next: (_env, p) => ({
    state:
      p.rounds.prepares.size === 0 && p.rounds.accepts.size === 0 ? p : { ...p, rounds: noRounds },
    effects: [],
  }),
};
