/**
 * The abstraction from a cluster to the spec's seventeen variables, as ITF values
 * (traces/FORMAT.md): per-process functions keyed by id, sets of records, the commanders of
 * every leader as one set, the bag with copy counts. `stateJson` prints its canonical JSON.
 */
import { match, P } from "ts-pattern";
import { canonicalJson, type ItfValue, itfMap, itfSet } from "../core/itf.js";
import type { Action, Cluster } from "./cluster.js";
import {
  ballotItf,
  commandItf,
  commandKey,
  messageItf,
  messageKey,
  pvalueItf,
  slotCmdItf,
} from "./itf.js";
import type { AcceptorState, Commander, LeaderId, LeaderState, ReplicaState } from "./types.js";

/** The spec's variables, in the order of its VARIABLES line. */
export const paxosVariables = [
  "slotIn",
  "slotOut",
  "requests",
  "proposals",
  "decisions",
  "replicaLeaders",
  "executed",
  "ballotNum",
  "active",
  "leaderProposals",
  "scouting",
  "scoutWaitFor",
  "scoutPvalues",
  "commanders",
  "acceptorBallot",
  "accepted",
  "messages",
] as const;
export type PaxosVariable = (typeof paxosVariables)[number];
export type PaxosVars = Readonly<Record<PaxosVariable, ItfValue>>;

/** A commander as the spec's record [leader, ballot, slot, cmd, waitFor]. */
export const commanderItf = (l: LeaderId, k: Commander): ItfValue => ({
  leader: l,
  ballot: ballotItf(k.ballot),
  slot: k.slot,
  cmd: commandItf(k.cmd),
  waitFor: itfSet(k.waitFor),
});

const fn = <S>(procs: ReadonlyMap<string, S>, f: (s: S) => ItfValue): ItfValue =>
  itfMap([...procs].map(([id, s]) => [id, f(s)]));

/** The spec's variables for this cluster state. */
export function abstractState(c: Cluster): PaxosVars {
  const rep = (f: (s: ReplicaState) => ItfValue) => fn(c.replicas, f);
  const lead = (f: (s: LeaderState) => ItfValue) => fn(c.leaders, f);
  const acc = (f: (s: AcceptorState) => ItfValue) => fn(c.acceptors, f);
  return {
    slotIn: rep((r) => r.slotIn),
    slotOut: rep((r) => r.slotOut),
    requests: rep((r) => itfSet(r.requests.map(commandItf))),
    proposals: rep((r) => itfSet(r.proposals.map(slotCmdItf))),
    decisions: rep((r) => itfSet(r.decisions.map(slotCmdItf))),
    replicaLeaders: rep((r) => itfSet(r.leaders)),
    executed: rep((r) => r.executed.map(commandItf)),
    ballotNum: lead((l) => ballotItf(l.persistent.ballotNum)),
    active: lead((l) => l.volatile.active),
    leaderProposals: lead((l) => itfSet(l.volatile.proposals.map(slotCmdItf))),
    scouting: lead((l) => l.volatile.scouting),
    scoutWaitFor: lead((l) => itfSet(l.volatile.scoutWaitFor)),
    scoutPvalues: lead((l) => itfSet(l.volatile.scoutPvalues.map(pvalueItf))),
    commanders: itfSet(
      [...c.leaders.values()].flatMap((l) =>
        l.volatile.commanders.map((k) => commanderItf(l.id, k)),
      ),
    ),
    acceptorBallot: acc((a) => ballotItf(a.persistent.acceptorBallot)),
    accepted: acc((a) => itfSet(a.persistent.accepted.map(pvalueItf))),
    messages: itfMap(c.messages.items.map((it) => [messageItf(it.message), it.count])),
  };
}

/** canonicalJson(abstractState(c)). */
export const stateJson = (c: Cluster): string => canonicalJson(abstractState(c));

/** An action's parameters as ITF values, named as in the spec. */
export const actionParams = (a: Action): Readonly<Record<string, ItfValue>> =>
  match(a)
    .returnType<Readonly<Record<string, ItfValue>>>()
    .with({ name: P.union("ClientRequest", "Propose") }, ({ r, c }) => ({ r, c: commandItf(c) }))
    .with({ name: "HandleDecision" }, ({ r, m }) => ({ r, m: messageItf(m) }))
    .with({ name: "Perform" }, ({ r }) => ({ r }))
    .with({ name: P.union("LeaderTimeout", "RestartLeader") }, ({ l }) => ({ l }))
    .with({ name: P.union("HandlePropose", "HandleP1b", "HandleP2b") }, ({ l, m }) => ({
      l,
      m: messageItf(m),
    }))
    .with({ name: P.union("HandleP1a", "HandleP2a") }, ({ a, m }) => ({ a, m: messageItf(m) }))
    .with({ name: P.union("DropMessage", "DuplicateMessage") }, ({ m }) => ({ m: messageItf(m) }))
    .exhaustive();

const q = JSON.stringify;

/**
 * canonicalJson(actionParams(a)), printed from the memoised keys of its command or message
 * (fields in canonical order: a < c < l < m < r): the simulator prints one per event.
 */
export const actionParamsJson = (a: Action): string =>
  match(a)
    .returnType<string>()
    .with(
      { name: P.union("ClientRequest", "Propose") },
      ({ r, c }) => `{"c":${commandKey(c)},"r":${q(r)}}`,
    )
    .with({ name: "HandleDecision" }, ({ r, m }) => `{"m":${messageKey(m)},"r":${q(r)}}`)
    .with({ name: "Perform" }, ({ r }) => `{"r":${q(r)}}`)
    .with({ name: P.union("LeaderTimeout", "RestartLeader") }, ({ l }) => `{"l":${q(l)}}`)
    .with(
      { name: P.union("HandlePropose", "HandleP1b", "HandleP2b") },
      ({ l, m }) => `{"l":${q(l)},"m":${messageKey(m)}}`,
    )
    .with(
      { name: P.union("HandleP1a", "HandleP2a") },
      ({ a, m }) => `{"a":${q(a)},"m":${messageKey(m)}}`,
    )
    .with({ name: P.union("DropMessage", "DuplicateMessage") }, ({ m }) => `{"m":${messageKey(m)}}`)
    .exhaustive();
