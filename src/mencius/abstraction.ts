/**
 * The abstraction from a cluster to the spec's ten variables, and from an action to the spec
 * action with its parameters: tables the trace encoder, the validator and the tests share
 * (traces/FORMAT.md describes the values). Per-server variables are functions keyed by id; the
 * per-instance ones are functions over the instances a server has something for; the bag has
 * copy counts.
 */
import * as V from "../core/spec-value.js";
import { type ActionParams, perProcess, type Variable, whole } from "../core/variables.js";
import { messages } from "./bag.js";
import type { Action, Cluster } from "./cluster.js";
import type { ServerState } from "./types.js";
import { acceptRound, command, id, instSet, message, prepareRound, vote } from "./values.js";

const servers = (c: Cluster): ReadonlyMap<string, ServerState> => c.servers;

/** The spec's variables, in the order of its VARIABLES line. */
export const variables: ReadonlyArray<Variable<Cluster>> = [
  perProcess("nextInst", servers, (s) => s.durable.nextInst, V.int),
  perProcess("skipped", servers, (s) => s.durable.skipped, instSet),
  perProcess("promised", servers, (s) => s.durable.promised, V.fn(V.int, V.int)),
  perProcess("accepted", servers, (s) => s.durable.accepted, V.fn(V.int, vote)),
  perProcess("learned", servers, (s) => s.durable.learned, V.fn(V.int, command)),
  perProcess("executedUpTo", servers, (s) => s.durable.executedUpTo, V.int),
  perProcess("executed", servers, (s) => s.durable.executed, V.seq(V.str)),
  perProcess("prepares", servers, (s) => s.rounds.prepares, V.fn(V.int, prepareRound)),
  perProcess("accepts", servers, (s) => s.rounds.accepts, V.fn(V.int, acceptRound)),
  whole("messages", (c) => c.messages, messages),
];

/** Each action's parameters, named and ordered as the spec operator takes them. */
export const actions: ActionParams<Action> = {
  Suggest: { p: id, v: V.str },
  Skip: { p: id },
  Revoke: { p: id, i: V.int },
  HandlePrepare: { p: id, m: message },
  HandlePromise: { p: id, m: message },
  HandlePropose: { p: id, m: message },
  HandleSuggest: { p: id, m: message },
  HandleAccept: { p: id, m: message },
  HandleLearn: { p: id, m: message },
  HandleSkip: { p: id, m: message },
  Execute: { p: id },
  Restart: { p: id },
  DropMessage: { m: message },
  DuplicateMessage: { m: message },
};
