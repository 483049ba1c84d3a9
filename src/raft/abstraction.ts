/**
 * The abstraction from a cluster to the spec's ten variables, and from an action to the spec
 * action with its parameters: tables the trace encoder, the validator and the tests share
 * (traces/FORMAT.md describes the values).
 */
import * as V from "../core/spec-value.js";
import { type ActionParams, perProcess, type Variable, whole } from "../core/variables.js";
import { messages } from "./bag.js";
import type { Action, Cluster } from "./cluster.js";
import { snapshotOf } from "./log.js";
import type { RaftNode } from "./types.js";
import { log, message, NIL, server, serverSet, snapshot } from "./values.js";

const nodes = (c: Cluster): ReadonlyMap<string, RaftNode> => c.nodes;
/** A map defined on every server, as the spec's nextIndex[i] is a function on Server. */
const indexMap = V.fn(server, V.int);

/** The spec's variables, in the order of its VARIABLES line. */
export const variables: ReadonlyArray<Variable<Cluster>> = [
  perProcess("currentTerm", nodes, (n) => n.persistent.currentTerm, V.int),
  perProcess("state", nodes, (n) => n.volatile.state, V.str),
  perProcess("votedFor", nodes, (n) => n.persistent.votedFor, V.option(server, NIL)),
  perProcess("log", nodes, (n) => n.persistent.log, log),
  perProcess("commitIndex", nodes, (n) => n.volatile.commitIndex, V.int),
  perProcess("votesGranted", nodes, (n) => n.volatile.votesGranted, serverSet),
  perProcess("nextIndex", nodes, (n) => n.volatile.nextIndex, indexMap),
  perProcess("matchIndex", nodes, (n) => n.volatile.matchIndex, indexMap),
  whole("messages", (c) => c.messages, messages),
  perProcess("snapshot", nodes, (n) => snapshotOf(n.persistent), snapshot),
];

/** Each action's parameters, named and ordered as the spec operator takes them. */
export const actions: ActionParams<Action> = {
  Restart: { i: server },
  Timeout: { i: server },
  RequestVote: { i: server, j: server },
  BecomeLeader: { i: server },
  ClientRequest: { i: server, v: V.str },
  Reconfigure: { i: server, newSet: serverSet },
  AppendNewConfig: { i: server },
  AppendEntries: { i: server, j: server },
  InstallSnapshot: { i: server, j: server },
  CompactLog: { i: server },
  AdvanceCommitIndex: { i: server },
  UpdateTerm: { m: message },
  HandleRequestVoteRequest: { m: message },
  HandleRequestVoteResponse: { m: message },
  HandleAppendEntriesRequest: { m: message },
  HandleAppendEntriesResponse: { m: message },
  HandleInstallSnapshotRequest: { m: message },
  DropStaleResponse: { m: message },
  DropMessage: { m: message },
  DuplicateMessage: { m: message },
};
