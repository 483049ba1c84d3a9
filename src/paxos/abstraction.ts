/**
 * The abstraction from a cluster to the spec's nineteen variables, and from an action to the
 * spec action with its parameters: tables the trace encoder, the validator and the tests share
 * (traces/FORMAT.md describes the values). Per-process variables are functions keyed by id; the
 * commanders of every leader are the spec's one set `commanders`; the bag has copy counts.
 */
import * as V from "../core/spec-value.js";
import {
  type ActionParams,
  gathered,
  perProcess,
  type Variable,
  whole,
} from "../core/variables.js";
import { messages } from "./bag.js";
import type { Action, Cluster } from "./cluster.js";
import type { AcceptorState, Commander, LeaderState, ReplicaState } from "./types.js";
import { ballot, command, id, idSet, leaderCommander, message, pvalue, slotCmd } from "./values.js";

const replicas = (c: Cluster): ReadonlyMap<string, ReplicaState> => c.replicas;
const leaders = (c: Cluster): ReadonlyMap<string, LeaderState> => c.leaders;
const acceptors = (c: Cluster): ReadonlyMap<string, AcceptorState> => c.acceptors;
const slotCmdSet = V.set(slotCmd);
const pvalueSet = V.set(pvalue);

/** The spec's variables, in the order of its VARIABLES line. */
export const variables: ReadonlyArray<Variable<Cluster>> = [
  perProcess("slotIn", replicas, (r) => r.slotIn, V.int),
  perProcess("slotOut", replicas, (r) => r.slotOut, V.int),
  perProcess("requests", replicas, (r) => r.requests, V.set(command)),
  perProcess("proposals", replicas, (r) => r.proposals, slotCmdSet),
  perProcess("decisions", replicas, (r) => r.decisions, slotCmdSet),
  perProcess("replicaLeaders", replicas, (r) => r.leaders, idSet),
  perProcess("executed", replicas, (r) => r.executed, V.seq(command)),
  perProcess("ballotNum", leaders, (l) => l.persistent.ballotNum, ballot),
  perProcess("active", leaders, (l) => l.volatile.active, V.bool),
  perProcess("leaderProposals", leaders, (l) => l.volatile.proposals, slotCmdSet),
  perProcess("leaderCollected", leaders, (l) => l.volatile.collected, V.int),
  perProcess("scouting", leaders, (l) => l.volatile.scouting, V.bool),
  perProcess("scoutWaitFor", leaders, (l) => l.volatile.scoutWaitFor, idSet),
  perProcess("scoutPvalues", leaders, (l) => l.volatile.scoutPvalues, pvalueSet),
  gathered(
    "commanders",
    leaders,
    (l) => l.volatile.commanders,
    (leader, ks: ReadonlyArray<Commander>) => ks.map((k) => ({ ...k, leader })),
    leaderCommander,
  ),
  perProcess("acceptorBallot", acceptors, (a) => a.persistent.acceptorBallot, ballot),
  perProcess("accepted", acceptors, (a) => a.persistent.accepted, pvalueSet),
  perProcess(
    "reported",
    acceptors,
    (a) => a.persistent.reported,
    V.via((rep: Readonly<Record<string, number>>) => new Map(Object.entries(rep)), V.fn(id, V.int)),
  ),
  whole("messages", (c) => c.messages, messages),
];

/** Each action's parameters, named and ordered as the spec operator takes them. */
export const actions: ActionParams<Action> = {
  ClientRequest: { r: id, c: command },
  Propose: { r: id, c: command },
  ResendPropose: { r: id, p: slotCmd },
  HandleDecision: { r: id, m: message },
  Perform: { r: id },
  ReportExecuted: { r: id },
  HandleCollected: { r: id, m: message },
  LeaderTimeout: { l: id },
  HandlePropose: { l: id, m: message },
  HandleP1b: { l: id, m: message },
  HandleP2b: { l: id, m: message },
  RestartLeader: { l: id },
  HandleP1a: { a: id, m: message },
  HandleP2a: { a: id, m: message },
  HandleExecuted: { a: id, m: message },
  DropMessage: { m: message },
  DuplicateMessage: { m: message },
};
