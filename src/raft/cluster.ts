/**
 * Cluster-level Raft: the spec's whole state (every node plus the message bag), one transition
 * per spec action with the same name in camelCase, and the actions enabled in a state. A
 * transition runs the node-level action (node.ts) on the node it concerns and applies the
 * network's share of the effects (send, discard) to the bag; the other effects (persist, apply,
 * reset) are passed on for the runtime to perform.
 */
import { absurd } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import type { ServerId, ValueId } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import type { Step } from "../core/step.js";
import { type Bag, domain, emptyBag, has, withMessage, withoutMessage } from "./bag.js";
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

/** A spec action with its parameters, as data: what a scheduler chooses and a trace names. */
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
  | { readonly name: "InstallSnapshot"; readonly i: ServerId; readonly j: ServerId }
  | { readonly name: "CompactLog"; readonly i: ServerId }
  | { readonly name: "AdvanceCommitIndex"; readonly i: ServerId }
  | OnMessage<ReceiveActionName | "DropMessage" | "DuplicateMessage">;

/** One union member per action taking an in-flight message. */
type OnMessage<K extends string> = K extends string
  ? { readonly name: K; readonly m: Message }
  : never;

/** The actions of a message's receiver. */
export type ReceiveActionName =
  | "UpdateTerm"
  | "HandleRequestVoteRequest"
  | "HandleRequestVoteResponse"
  | "HandleAppendEntriesRequest"
  | "HandleAppendEntriesResponse"
  | "HandleInstallSnapshotRequest"
  | "DropStaleResponse";

export type ActionName = Action["name"];
export type ActionOf<K extends ActionName> = Extract<Action, { readonly name: K }>;

/** The network's share of an effect. */
function network(bag: Bag, e: Effect): Bag {
  switch (e.type) {
    case "send":
      return withMessage(bag, e.message);
    case "discard":
      return withoutMessage(bag, e.message);
    case "persist":
    case "apply":
    case "restore":
    case "reset":
      return bag;
    default:
      return absurd(e);
  }
}

const applyNodeStep = (c: Cluster, s: NodeStep): ClusterStep => ({
  next: {
    env: c.env,
    nodes: c.nodes.get(s.node.id) === s.node ? c.nodes : mapWith(c.nodes, s.node.id, s.node),
    messages: s.effects.reduce(network, c.messages),
  },
  effects: s.effects,
});

/** Run a node-level action on server i. */
function onNode<Args extends ReadonlyArray<unknown>>(
  c: Cluster,
  i: ServerId,
  action: N.NodeAction<Args>,
  ...args: Args
): O.Option<ClusterStep> {
  const node = c.nodes.get(i);
  if (node === undefined || !action.enabled(c.env, node, ...args)) return O.none;
  return O.some(applyNodeStep(c, action.next(c.env, node, ...args)));
}

/** A handler runs only on a message in flight (`m \in DOMAIN messages`), at its receiver. */
const onMessage = (c: Cluster, m: Message, action: N.NodeAction<[Message]>) =>
  has(c.messages, m) ? onNode(c, m.mdest, action, m) : O.none;

/** A fault of the network itself: one effect on the bag, no node involved. */
const fault = (c: Cluster, m: Message, e: Effect): O.Option<ClusterStep> =>
  has(c.messages, m)
    ? O.some({ next: { ...c, messages: network(c.messages, e) }, effects: [e] })
    : O.none;

/** Restart(i). */
export const restart = (c: Cluster, i: ServerId) => onNode(c, i, N.restart);
/** Timeout(i). */
export const timeout = (c: Cluster, i: ServerId) => onNode(c, i, N.timeout);
/** RequestVote(i, j). */
export const requestVote = (c: Cluster, i: ServerId, j: ServerId) => onNode(c, i, N.requestVote, j);
/** BecomeLeader(i). */
export const becomeLeader = (c: Cluster, i: ServerId) => onNode(c, i, N.becomeLeader);
/** ClientRequest(i, v). */
export const clientRequest = (c: Cluster, i: ServerId, v: ValueId) =>
  onNode(c, i, N.clientRequest, v);
/** Reconfigure(i, newSet). */
export const reconfigure = (c: Cluster, i: ServerId, newSet: ReadonlyArray<ServerId>) =>
  onNode(c, i, N.reconfigure, newSet);
/** AppendNewConfig(i). */
export const appendNewConfig = (c: Cluster, i: ServerId) => onNode(c, i, N.appendNewConfig);
/** AppendEntries(i, j). */
export const appendEntries = (c: Cluster, i: ServerId, j: ServerId) =>
  onNode(c, i, N.appendEntries, j);
/** InstallSnapshot(i, j). */
export const installSnapshot = (c: Cluster, i: ServerId, j: ServerId) =>
  onNode(c, i, N.installSnapshot, j);
/** CompactLog(i). */
export const compactLog = (c: Cluster, i: ServerId) => onNode(c, i, N.compactLog);
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
/** HandleInstallSnapshotRequest(m). */
export const handleInstallSnapshotRequest = (c: Cluster, m: Message) =>
  onMessage(c, m, N.handleInstallSnapshotRequest);
/** DropStaleResponse(m). */
export const dropStaleResponse = (c: Cluster, m: Message) => onMessage(c, m, N.dropStaleResponse);
/** DropMessage(m): the network loses one copy. */
export const dropMessage = (c: Cluster, m: Message) => fault(c, m, { type: "discard", message: m });
/** DuplicateMessage(m): the network delivers one more copy. */
export const duplicateMessage = (c: Cluster, m: Message) =>
  fault(c, m, { type: "send", message: m });

/** Each action's transition, by name: the TS side of the spec's Next. */
export const transitions: {
  readonly [K in ActionName]: (c: Cluster, a: ActionOf<K>) => O.Option<ClusterStep>;
} = {
  Restart: (c, a) => restart(c, a.i),
  Timeout: (c, a) => timeout(c, a.i),
  RequestVote: (c, a) => requestVote(c, a.i, a.j),
  BecomeLeader: (c, a) => becomeLeader(c, a.i),
  ClientRequest: (c, a) => clientRequest(c, a.i, a.v),
  Reconfigure: (c, a) => reconfigure(c, a.i, a.newSet),
  AppendNewConfig: (c, a) => appendNewConfig(c, a.i),
  AppendEntries: (c, a) => appendEntries(c, a.i, a.j),
  InstallSnapshot: (c, a) => installSnapshot(c, a.i, a.j),
  CompactLog: (c, a) => compactLog(c, a.i),
  AdvanceCommitIndex: (c, a) => advanceCommitIndex(c, a.i),
  UpdateTerm: (c, a) => updateTerm(c, a.m),
  HandleRequestVoteRequest: (c, a) => handleRequestVoteRequest(c, a.m),
  HandleRequestVoteResponse: (c, a) => handleRequestVoteResponse(c, a.m),
  HandleAppendEntriesRequest: (c, a) => handleAppendEntriesRequest(c, a.m),
  HandleAppendEntriesResponse: (c, a) => handleAppendEntriesResponse(c, a.m),
  HandleInstallSnapshotRequest: (c, a) => handleInstallSnapshotRequest(c, a.m),
  DropStaleResponse: (c, a) => dropStaleResponse(c, a.m),
  DropMessage: (c, a) => dropMessage(c, a.m),
  DuplicateMessage: (c, a) => duplicateMessage(c, a.m),
};

/** Perform an action given as data; None when its guard is false. */
export const perform = (c: Cluster, a: Action): O.Option<ClusterStep> =>
  (transitions[a.name] as (c: Cluster, a: Action) => O.Option<ClusterStep>)(c, a);

/**
 * The values the environment chooses among (the spec's constants Value and NewConfigs): what
 * clients may request and the member sets an operator may move to.
 */
export interface Inputs {
  readonly values: ReadonlyArray<ValueId>;
  readonly newConfigs: ReadonlyArray<ReadonlyArray<ServerId>>;
}

/** The receiver's actions on a message, in the order of the spec's Next. */
export const receivers: ReadonlyArray<readonly [ReceiveActionName, N.NodeAction<[Message]>]> = [
  ["UpdateTerm", N.updateTerm],
  ["HandleRequestVoteRequest", N.handleRequestVoteRequest],
  ["HandleRequestVoteResponse", N.handleRequestVoteResponse],
  ["HandleAppendEntriesRequest", N.handleAppendEntriesRequest],
  ["HandleAppendEntriesResponse", N.handleAppendEntriesResponse],
  ["HandleInstallSnapshotRequest", N.handleInstallSnapshotRequest],
  ["DropStaleResponse", N.dropStaleResponse],
];

/**
 * The enabled actions of server i, each judged by its own guard, in a fixed order: Restart,
 * Timeout, RequestVote(i, j), BecomeLeader, ClientRequest(i, v), Reconfigure(i, s),
 * AppendNewConfig, AdvanceCommitIndex, AppendEntries(i, j), InstallSnapshot(i, j), CompactLog.
 */
export function enabledAt(c: Cluster, i: ServerId, inputs: Inputs): ReadonlyArray<Action> {
  const node = c.nodes.get(i);
  if (node === undefined) return [];
  const { env } = c;
  const servers = env.servers;
  const out: Action[] = [];
  if (N.restart.enabled(env, node)) out.push({ name: "Restart", i });
  if (N.timeout.enabled(env, node)) out.push({ name: "Timeout", i });
  for (const j of servers)
    if (N.requestVote.enabled(env, node, j)) out.push({ name: "RequestVote", i, j });
  if (N.becomeLeader.enabled(env, node)) out.push({ name: "BecomeLeader", i });
  for (const v of inputs.values)
    if (N.clientRequest.enabled(env, node, v)) out.push({ name: "ClientRequest", i, v });
  for (const newSet of inputs.newConfigs)
    if (N.reconfigure.enabled(env, node, newSet)) out.push({ name: "Reconfigure", i, newSet });
  if (N.appendNewConfig.enabled(env, node)) out.push({ name: "AppendNewConfig", i });
  if (N.advanceCommitIndex.enabled(env, node)) out.push({ name: "AdvanceCommitIndex", i });
  for (const j of servers)
    if (N.appendEntries.enabled(env, node, j)) out.push({ name: "AppendEntries", i, j });
  for (const j of servers)
    if (N.installSnapshot.enabled(env, node, j)) out.push({ name: "InstallSnapshot", i, j });
  if (N.compactLog.enabled(env, node)) out.push({ name: "CompactLog", i });
  return out;
}

/**
 * What the receiver of an in-flight message may do with it: first adopt a newer term
 * (UpdateTerm leaves the message in flight), then the handler its type and term select. None
 * when no handler is enabled — only an AppendEntries of a leader's own term to that leader,
 * which happens only when ElectionSafety is broken.
 */
export const receive = (c: Cluster, m: Message): O.Option<ReceiveActionName> =>
  RA.head(receiversOf(c, m));

/** The receiver's enabled actions on m (their guards exclude each other: one at most). */
function receiversOf(c: Cluster, m: Message): ReadonlyArray<ReceiveActionName> {
  const node = c.nodes.get(m.mdest);
  if (node === undefined || !has(c.messages, m)) return [];
  const names: ReceiveActionName[] = [];
  for (const [name, action] of receivers) if (action.enabled(c.env, node, m)) names.push(name);
  return names;
}

/** The enabled actions on an in-flight message: its receiver's, then the network's faults. */
export const enabledOn = (c: Cluster, m: Message): ReadonlyArray<Action> =>
  has(c.messages, m)
    ? [
        ...receiversOf(c, m).map((name): Action => ({ name, m })),
        { name: "DropMessage", m },
        { name: "DuplicateMessage", m },
      ]
    : [];

/** Every enabled action, for the given inputs: the servers' in server order, then the bag's. */
export const enabled = (c: Cluster, inputs: Inputs): ReadonlyArray<Action> => [
  ...c.env.servers.flatMap((i) => enabledAt(c, i, inputs)),
  ...domain(c.messages).flatMap((m) => enabledOn(c, m)),
];
