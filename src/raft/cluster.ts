/**
 * Cluster-level Raft: the spec's whole state (every node plus the message bag) and one pure
 * transition per spec action, same name in camelCase, each returning `None` when the action's
 * guard is false. A transition runs the node-level action (node.ts) on the node it concerns and
 * applies the network effects (send/discard) to the bag; the other effects (persist, apply,
 * reset) are passed on for the runtime to perform.
 */

import * as O from "fp-ts/lib/Option.js";
import { match, P } from "ts-pattern";
import { byTag, narrowed } from "../core/dispatch.js";
import type { ServerId, ValueId } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import type { Step } from "../core/step.js";
import { type Bag, emptyBag, has, withMessage, withoutMessage } from "./bag.js";
import * as N from "./node.js";
import type { Effect, Env, Message, NodeStep, RaftNode } from "./types.js";

export interface Cluster {
  readonly env: Env;
  /** One node per server of env.servers. */
  readonly nodes: ReadonlyMap<ServerId, RaftNode>;
  readonly messages: Bag;
}

/** A cluster transition's result: the next cluster and its effects. */
export type ClusterStep = Step<Cluster, Effect>;

/** The spec's Init. */
export const initCluster = (env: Env): Cluster => ({
  env,
  nodes: new Map(env.servers.map((id) => [id, N.initialNode(env, id)])),
  messages: emptyBag,
});

/** The node of server i; throws for a server outside env.servers (a caller bug, not a guard). */
export const nodeOf = (c: Cluster, i: ServerId): RaftNode => {
  const n = c.nodes.get(i);
  if (n === undefined) throw new RangeError(`unknown server ${i}`);
  return n;
};

// The matches below run on every simulated step: byTag (core/dispatch.ts) runs each
// exhaustive ts-pattern match once per tag and reuses the handler it chose.

const onEffect = narrowed<Effect>();

/** The network's share of an effect. */
const networkShare = byTag(
  (e: Effect) => e.type,
  (e) =>
    match(e)
      .returnType<(e: Effect, bag: Bag) => Bag>()
      .with({ type: "send" }, (x) => onEffect(x, (s, bag: Bag) => withMessage(bag, s.message)))
      .with({ type: "discard" }, (x) =>
        onEffect(x, (d, bag: Bag) => withoutMessage(bag, d.message)),
      )
      .with({ type: P.union("persist", "apply", "reset") }, (x) =>
        onEffect(x, (_, bag: Bag) => bag),
      )
      .exhaustive(),
);

const applyNetwork = (bag: Bag, e: Effect): Bag => networkShare(e)(e, bag);

const applyNodeStep = (c: Cluster, s: NodeStep): ClusterStep => {
  const old = c.nodes.get(s.node.id);
  const nodes = old === s.node ? c.nodes : mapWith(c.nodes, s.node.id, s.node);
  let messages = c.messages;
  for (const e of s.effects) messages = applyNetwork(messages, e);
  return { next: { env: c.env, nodes, messages }, effects: s.effects };
};

const onNode = (
  c: Cluster,
  i: ServerId,
  f: (env: Env, node: RaftNode) => O.Option<NodeStep>,
): O.Option<ClusterStep> => {
  const node = c.nodes.get(i);
  if (node === undefined) return O.none;
  const s = f(c.env, node);
  return O.isSome(s) ? O.some(applyNodeStep(c, s.value)) : O.none;
};

/** A handler runs only on a message in flight (`m \in DOMAIN messages`), at its receiver. */
const onMessage = (
  c: Cluster,
  m: Message,
  f: (env: Env, node: RaftNode, m: Message) => O.Option<NodeStep>,
): O.Option<ClusterStep> => {
  // Written out rather than through onNode: no closure per delivered message.
  if (!has(c.messages, m)) return O.none;
  const node = c.nodes.get(m.mdest);
  if (node === undefined) return O.none;
  const s = f(c.env, node, m);
  return O.isSome(s) ? O.some(applyNodeStep(c, s.value)) : O.none;
};

/** Restart(i). */
export const restart = (c: Cluster, i: ServerId) => onNode(c, i, N.restart);
/** Timeout(i). */
export const timeout = (c: Cluster, i: ServerId) => onNode(c, i, N.timeout);
/** RequestVote(i, j). */
export const requestVote = (c: Cluster, i: ServerId, j: ServerId) =>
  onNode(c, i, (env, n) => N.requestVote(env, n, j));
/** BecomeLeader(i). */
export const becomeLeader = (c: Cluster, i: ServerId) => onNode(c, i, N.becomeLeader);
/** ClientRequest(i, v). */
export const clientRequest = (c: Cluster, i: ServerId, v: ValueId) =>
  onNode(c, i, (env, n) => N.clientRequest(env, n, v));
/** Reconfigure(i, newSet). */
export const reconfigure = (c: Cluster, i: ServerId, newSet: ReadonlyArray<ServerId>) =>
  onNode(c, i, (env, n) => N.reconfigure(env, n, newSet));
/** AppendNewConfig(i). */
export const appendNewConfig = (c: Cluster, i: ServerId) => onNode(c, i, N.appendNewConfig);
/** AppendEntries(i, j). */
export const appendEntries = (c: Cluster, i: ServerId, j: ServerId) =>
  onNode(c, i, (env, n) => N.appendEntries(env, n, j));
/** AdvanceCommitIndex(i). */
export const advanceCommitIndex = (c: Cluster, i: ServerId) => onNode(c, i, N.advanceCommitIndex);
/** UpdateTerm(m). */
export const updateTerm = (c: Cluster, m: Message) => onMessage(c, m, N.updateTerm);
/** HandleRequestVoteRequest(m). */
export const handleRequestVoteRequest = (c: Cluster, m: Message) =>
  onMessage(c, m, N.handleRequestVoteRequest);
/** HandleRequestVoteResponse(m). */
export const handleRequestVoteResponse = (c: Cluster, m: Message) =>
  onMessage(c, m, N.handleRequestVoteResponse);
/** HandleAppendEntriesRequest(m). */
export const handleAppendEntriesRequest = (c: Cluster, m: Message) =>
  onMessage(c, m, N.handleAppendEntriesRequest);
/** HandleAppendEntriesResponse(m). */
export const handleAppendEntriesResponse = (c: Cluster, m: Message) =>
  onMessage(c, m, N.handleAppendEntriesResponse);
/** DropStaleResponse(m). */
export const dropStaleResponse = (c: Cluster, m: Message) => onMessage(c, m, N.dropStaleResponse);

const network = (c: Cluster, m: Message, e: Effect): O.Option<ClusterStep> =>
  has(c.messages, m)
    ? O.some({
        next: { env: c.env, nodes: c.nodes, messages: applyNetwork(c.messages, e) },
        effects: [e],
      })
    : O.none;

/** DropMessage(m): the network loses one copy. */
export const dropMessage = (c: Cluster, m: Message) =>
  network(c, m, { type: "discard", message: m });
/** DuplicateMessage(m): the network delivers one more copy. */
export const duplicateMessage = (c: Cluster, m: Message) =>
  network(c, m, { type: "send", message: m });

/** A spec action with its parameters, as data: what the simulator chooses and a trace names. */
export type Action =
  | { readonly name: "Restart"; readonly i: ServerId }
  | { readonly name: "Timeout"; readonly i: ServerId }
  | { readonly name: "RequestVote"; readonly i: ServerId; readonly j: ServerId }
  | { readonly name: "BecomeLeader"; readonly i: ServerId }
  | { readonly name: "ClientRequest"; readonly i: ServerId; readonly v: ValueId }
  | {
      readonly name: "Reconfigure";
      readonly i: ServerId;
      readonly newSet: ReadonlyArray<ServerId>;
    }
  | { readonly name: "AppendNewConfig"; readonly i: ServerId }
  | { readonly name: "AppendEntries"; readonly i: ServerId; readonly j: ServerId }
  | { readonly name: "AdvanceCommitIndex"; readonly i: ServerId }
  | { readonly name: MessageActionName; readonly m: Message };

export type MessageActionName =
  | "UpdateTerm"
  | "HandleRequestVoteRequest"
  | "HandleRequestVoteResponse"
  | "HandleAppendEntriesRequest"
  | "HandleAppendEntriesResponse"
  | "DropStaleResponse"
  | "DropMessage"
  | "DuplicateMessage";

export type ActionName = Action["name"];

type Transition = (a: Action, c: Cluster) => O.Option<ClusterStep>;
const onAction = narrowed<Action>();

const transitionOf = byTag(
  (a: Action) => a.name,
  (a) =>
    match(a)
      .returnType<Transition>()
      .with({ name: "Restart" }, (x) => onAction(x, (a, c: Cluster) => restart(c, a.i)))
      .with({ name: "Timeout" }, (x) => onAction(x, (a, c: Cluster) => timeout(c, a.i)))
      .with({ name: "RequestVote" }, (x) =>
        onAction(x, (a, c: Cluster) => requestVote(c, a.i, a.j)),
      )
      .with({ name: "BecomeLeader" }, (x) => onAction(x, (a, c: Cluster) => becomeLeader(c, a.i)))
      .with({ name: "ClientRequest" }, (x) =>
        onAction(x, (a, c: Cluster) => clientRequest(c, a.i, a.v)),
      )
      .with({ name: "Reconfigure" }, (x) =>
        onAction(x, (a, c: Cluster) => reconfigure(c, a.i, a.newSet)),
      )
      .with({ name: "AppendNewConfig" }, (x) =>
        onAction(x, (a, c: Cluster) => appendNewConfig(c, a.i)),
      )
      .with({ name: "AppendEntries" }, (x) =>
        onAction(x, (a, c: Cluster) => appendEntries(c, a.i, a.j)),
      )
      .with({ name: "AdvanceCommitIndex" }, (x) =>
        onAction(x, (a, c: Cluster) => advanceCommitIndex(c, a.i)),
      )
      .with({ name: "UpdateTerm" }, (x) => onAction(x, (a, c: Cluster) => updateTerm(c, a.m)))
      .with({ name: "HandleRequestVoteRequest" }, (x) =>
        onAction(x, (a, c: Cluster) => handleRequestVoteRequest(c, a.m)),
      )
      .with({ name: "HandleRequestVoteResponse" }, (x) =>
        onAction(x, (a, c: Cluster) => handleRequestVoteResponse(c, a.m)),
      )
      .with({ name: "HandleAppendEntriesRequest" }, (x) =>
        onAction(x, (a, c: Cluster) => handleAppendEntriesRequest(c, a.m)),
      )
      .with({ name: "HandleAppendEntriesResponse" }, (x) =>
        onAction(x, (a, c: Cluster) => handleAppendEntriesResponse(c, a.m)),
      )
      .with({ name: "DropStaleResponse" }, (x) =>
        onAction(x, (a, c: Cluster) => dropStaleResponse(c, a.m)),
      )
      .with({ name: "DropMessage" }, (x) => onAction(x, (a, c: Cluster) => dropMessage(c, a.m)))
      .with({ name: "DuplicateMessage" }, (x) =>
        onAction(x, (a, c: Cluster) => duplicateMessage(c, a.m)),
      )
      .exhaustive(),
);

/** Perform an action given as data; None when its guard is false. */
export const perform = (c: Cluster, a: Action): O.Option<ClusterStep> => transitionOf(a)(a, c);

type Receiver = (m: Message, term: number, leader: boolean) => O.Option<MessageActionName>;
const onMsg = narrowed<Message>();

const receiverOf = byTag(
  (m: Message) => m.mtype,
  (m) =>
    match(m)
      .returnType<Receiver>()
      .with({ mtype: "RequestVoteRequest" }, (x) =>
        onMsg(x, () => O.some("HandleRequestVoteRequest")),
      )
      .with({ mtype: "RequestVoteResponse" }, (x) =>
        onMsg(x, (m, term: number) =>
          O.some(m.mterm === term ? "HandleRequestVoteResponse" : "DropStaleResponse"),
        ),
      )
      .with({ mtype: "AppendEntriesRequest" }, (x) =>
        onMsg(x, (m, term: number, leader: boolean) =>
          m.mterm === term && leader ? O.none : O.some("HandleAppendEntriesRequest"),
        ),
      )
      .with({ mtype: "AppendEntriesResponse" }, (x) =>
        onMsg(x, (m, term: number) =>
          O.some(m.mterm === term ? "HandleAppendEntriesResponse" : "DropStaleResponse"),
        ),
      )
      .exhaustive(),
);

/**
 * What the receiver of an in-flight message does when it is delivered: first adopt a newer term
 * (UpdateTerm leaves the message in flight), then the handler its type and term select. None
 * when no handler is enabled — only an AppendEntries of a leader's own term to that leader,
 * which happens only when ElectionSafety is broken; the network can then only drop it.
 */
export function receive(c: Cluster, m: Message): O.Option<MessageActionName> {
  const node = c.nodes.get(m.mdest);
  if (node === undefined || !has(c.messages, m)) return O.none;
  const term = node.persistent.currentTerm;
  if (m.mterm > term) return O.some("UpdateTerm");
  return receiverOf(m)(m, term, node.volatile.state === "Leader");
}
