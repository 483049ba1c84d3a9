/**
 * Node-level Raft: one spec action per export, same name in camelCase. Each is a `NodeAction`:
 * `enabled` is the action's guard (its conjuncts that read the pre-state), `next` what the node
 * does when the guard holds — its new state and its effects (persist, send, discard, apply),
 * performed by whoever runs the node. A node only sees its own state and the message it is
 * handed; the cluster (cluster.ts) checks that the message is in flight and applies the
 * network's share of the effects.
 */
import * as O from "fp-ts/lib/Option.js";
import { always, type GuardedAction, handlerOf, run } from "../core/action.js";
import type { ServerId, ValueId } from "../core/ids.js";
import { idSet, sameIdSet } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import {
  configEntry,
  configOf,
  isJoint,
  isMember,
  isQuorum,
  lastConfigIndex,
  lastTerm,
  mayStandForElection,
  valueEntry,
  withId,
} from "./log.js";
import type {
  AppendEntriesRequest,
  AppendEntriesResponse,
  Config,
  Effect,
  Entry,
  Env,
  Message,
  NodeStep,
  PersistentState,
  RaftNode,
  RequestVoteRequest,
  RequestVoteResponse,
  VolatileState,
} from "./types.js";

/** A spec action of one node, with the arguments it takes besides the node. */
export type NodeAction<Args extends ReadonlyArray<unknown>> = GuardedAction<
  Env,
  RaftNode,
  Args,
  NodeStep
>;

export { run };

/** A handler of one message type at its receiver, as an action on any message. */
const handler = handlerOf<Env, RaftNode, Message, NodeStep>();

const constMap = (keys: ReadonlyArray<ServerId>, v: number): ReadonlyMap<ServerId, number> =>
  new Map(keys.map((k) => [k, v]));

/** Volatile state after boot: a follower that knows nothing (Init and Restart). */
export const initialVolatile = (env: Env): VolatileState => ({
  state: "Follower",
  commitIndex: 0,
  votesGranted: [],
  nextIndex: constMap(env.servers, 1),
  matchIndex: constMap(env.servers, 0),
  lastApplied: 0,
});

export const initialPersistent: PersistentState = { currentTerm: 0, votedFor: O.none, log: [] };

/** A server in the spec's Init. */
export const initialNode = (env: Env, id: ServerId): RaftNode => ({
  id,
  persistent: initialPersistent,
  volatile: initialVolatile(env),
});

/** Config(i). */
export const config = (env: Env, node: RaftNode): Config =>
  configOf(env.initConfig, node.persistent.log);

/** LastConfigIndex(log[i]) <= commitIndex[i]: the configuration in force is committed. */
const configCommitted = (node: RaftNode): boolean =>
  lastConfigIndex(node.persistent.log) <= node.volatile.commitIndex;

const persist = (state: PersistentState): Effect => ({ type: "persist", state });
const send = (message: Message): Effect => ({ type: "send", message });
const discard = (message: Message): Effect => ({ type: "discard", message });

/**
 * Raising commitIndex: the volatile state, and the newly committed entries handed to the state
 * machine in index order (lastApplied is the implementation's, not a spec variable).
 */
function commit(
  log: ReadonlyArray<Entry>,
  v: VolatileState,
  commitIndex: number,
): { readonly volatile: VolatileState; readonly applied: ReadonlyArray<Effect> } {
  const upTo = Math.min(commitIndex, log.length);
  const applied: Effect[] = [];
  for (let k = v.lastApplied + 1; k <= upTo; k++)
    applied.push({ type: "apply", index: k, entry: log[k - 1] as Entry });
  return {
    volatile: { ...v, commitIndex, lastApplied: Math.max(v.lastApplied, upTo) },
    applied,
  };
}

/** Restart(i): persistent state survives (minus the vote under BugForgetVote), volatile is rebuilt. */
export const restart: NodeAction<[]> = {
  enabled: always,
  next: (env, node) => {
    const p = node.persistent;
    const forget = env.bugs.forgetVote && O.isSome(p.votedFor);
    const persistent: PersistentState = forget ? { ...p, votedFor: O.none } : p;
    return {
      node: { id: node.id, persistent, volatile: initialVolatile(env) },
      effects: forget ? [persist(persistent), { type: "reset" }] : [{ type: "reset" }],
    };
  },
};

/**
 * Timeout(i): a follower or candidate that may stand for election (a member, or one its
 * uncommitted configuration removes) starts an election in the next term.
 */
export const timeout: NodeAction<[]> = {
  enabled: (env, node) =>
    node.volatile.state !== "Leader" &&
    mayStandForElection(config(env, node), node.id, node.persistent.log, node.volatile.commitIndex),
  next: (_env, node) => {
    const p = node.persistent;
    const persistent: PersistentState = {
      ...p,
      currentTerm: p.currentTerm + 1,
      votedFor: O.some(node.id),
    };
    const volatile: VolatileState = {
      ...node.volatile,
      state: "Candidate",
      votesGranted: [node.id],
    };
    return { node: { id: node.id, persistent, volatile }, effects: [persist(persistent)] };
  },
};

/** RequestVote(i, j): a candidate asks a member that has not granted its vote yet. */
export const requestVote: NodeAction<[j: ServerId]> = {
  enabled: (env, node, j) =>
    node.volatile.state === "Candidate" &&
    isMember(config(env, node), j) &&
    !node.volatile.votesGranted.includes(j),
  next: (_env, node, j) => {
    const p = node.persistent;
    return {
      node,
      effects: [
        send({
          mtype: "RequestVoteRequest",
          mterm: p.currentTerm,
          mlastLogTerm: lastTerm(p.log),
          mlastLogIndex: p.log.length,
          msource: node.id,
          mdest: j,
        }),
      ],
    };
  },
};

/** BecomeLeader(i): a candidate with a quorum of its configuration (both halves if joint). */
export const becomeLeader: NodeAction<[]> = {
  enabled: (env, node) =>
    node.volatile.state === "Candidate" && isQuorum(config(env, node), node.volatile.votesGranted),
  next: (env, node) => {
    const volatile: VolatileState = {
      ...node.volatile,
      state: "Leader",
      nextIndex: constMap(env.servers, node.persistent.log.length + 1),
      matchIndex: constMap(env.servers, 0),
    };
    return { node: { ...node, volatile }, effects: [] };
  },
};

/** A leader appends an entry to its log. */
function append(node: RaftNode, entry: Entry): NodeStep {
  const persistent: PersistentState = {
    ...node.persistent,
    log: [...node.persistent.log, entry],
  };
  return { node: { ...node, persistent }, effects: [persist(persistent)] };
}

/** ClientRequest(i, v): a leader appends a client value. */
export const clientRequest: NodeAction<[v: ValueId]> = {
  enabled: (_env, node) => node.volatile.state === "Leader",
  next: (_env, node, v) => append(node, valueEntry(node.persistent.currentTerm, v)),
};

/**
 * Reconfigure(i, newSet): a leader whose simple configuration is committed appends C(old,new)
 * (or, under BugOneStepReconfig, C(new) directly).
 */
export const reconfigure: NodeAction<[newSet: ReadonlyArray<ServerId>]> = {
  enabled: (env, node, newSet) => {
    const c = config(env, node);
    return (
      node.volatile.state === "Leader" &&
      !isJoint(c) &&
      configCommitted(node) &&
      !sameIdSet(idSet(newSet), c.new)
    );
  },
  next: (env, node, newSet) => {
    const target = idSet(newSet);
    const old = env.bugs.oneStepReconfig ? target : config(env, node).new;
    return append(node, configEntry(node.persistent.currentTerm, old, target));
  },
};

/** AppendNewConfig(i): a leader whose joint configuration is committed appends C(new). */
export const appendNewConfig: NodeAction<[]> = {
  enabled: (env, node) =>
    node.volatile.state === "Leader" && isJoint(config(env, node)) && configCommitted(node),
  next: (env, node) => {
    const c = config(env, node);
    return append(node, configEntry(node.persistent.currentTerm, c.new, c.new));
  },
};

/** AppendEntries(i, j): a leader sends a member at most one entry (none: a heartbeat). */
export const appendEntries: NodeAction<[j: ServerId]> = {
  enabled: (env, node, j) =>
    node.id !== j && node.volatile.state === "Leader" && isMember(config(env, node), j),
  next: (_env, node, j) => {
    const { persistent: p, volatile: v } = node;
    const next = v.nextIndex.get(j) ?? 1;
    const prevLogIndex = next - 1;
    const lastEntry = Math.min(p.log.length, next);
    return {
      node,
      effects: [
        send({
          mtype: "AppendEntriesRequest",
          mterm: p.currentTerm,
          mprevLogIndex: prevLogIndex,
          mprevLogTerm: prevLogIndex > 0 ? (p.log[prevLogIndex - 1]?.term ?? 0) : 0,
          mentries: p.log.slice(next - 1, lastEntry),
          mcommitIndex: Math.min(v.commitIndex, lastEntry),
          msource: node.id,
          mdest: j,
        }),
      ],
    };
  },
};

/** MaxOf(CommittableIndexes(i)), or 0 when there is none. */
export function maxCommittable(env: Env, node: RaftNode): number {
  const { persistent: p, volatile: v } = node;
  const c = config(env, node);
  for (let k = p.log.length; k > v.commitIndex; k--) {
    const agree = [node.id, ...env.servers.filter((j) => (v.matchIndex.get(j) ?? 0) >= k)];
    const ownTerm = (p.log[k - 1] as Entry).term === p.currentTerm;
    if ((env.bugs.oldTermCommit || ownTerm) && isQuorum(c, agree)) return k;
  }
  return 0;
}

/**
 * AdvanceCommitIndex(i): a leader commits the highest index a quorum holds (of its own term,
 * unless BugOldTermCommit); it steps down if that commits a C(new) that excludes it.
 */
export const advanceCommitIndex: NodeAction<[]> = {
  enabled: (env, node) => node.volatile.state === "Leader" && maxCommittable(env, node) > 0,
  next: (env, node) => {
    const newCommit = maxCommittable(env, node);
    const log = node.persistent.log;
    const c = config(env, node);
    const removed = !isJoint(c) && !c.new.includes(node.id) && lastConfigIndex(log) <= newCommit;
    const { volatile, applied } = commit(log, node.volatile, newCommit);
    return {
      node: { ...node, volatile: removed ? { ...volatile, state: "Follower" } : volatile },
      effects: applied,
    };
  },
};

/** UpdateTerm(m): a message with a newer term makes the receiver a follower in it (m stays). */
export const updateTerm: NodeAction<[Message]> = {
  enabled: (_env, node, m) => m.mdest === node.id && m.mterm > node.persistent.currentTerm,
  next: (_env, node, m) => {
    const persistent: PersistentState = {
      ...node.persistent,
      currentTerm: m.mterm,
      votedFor: O.none,
    };
    const volatile: VolatileState = { ...node.volatile, state: "Follower" };
    return { node: { id: node.id, persistent, volatile }, effects: [persist(persistent)] };
  },
};

/** HandleRequestVoteRequest(m): grant iff same term, log up to date and no other vote. */
export const handleRequestVoteRequest = handler("RequestVoteRequest", {
  enabled: (_env, node, m: RequestVoteRequest) => m.mterm <= node.persistent.currentTerm,
  next: (env, node, m: RequestVoteRequest) => {
    const p = node.persistent;
    const j = m.msource;
    const logOk =
      m.mlastLogTerm > lastTerm(p.log) ||
      (m.mlastLogTerm === lastTerm(p.log) && m.mlastLogIndex >= p.log.length);
    const votedForJ = O.isSome(p.votedFor) && p.votedFor.value === j;
    const grant =
      m.mterm === p.currentTerm &&
      (env.bugs.noLogCheck || logOk) &&
      (O.isNone(p.votedFor) || votedForJ);
    const reply = send({
      mtype: "RequestVoteResponse",
      mterm: p.currentTerm,
      mvoteGranted: grant,
      msource: node.id,
      mdest: j,
    });
    if (!grant || votedForJ) return { node, effects: [reply, discard(m)] };
    const persistent: PersistentState = { ...p, votedFor: O.some(j) };
    return { node: { ...node, persistent }, effects: [persist(persistent), reply, discard(m)] };
  },
});

/** HandleRequestVoteResponse(m): a candidate counts a granted vote of its current term. */
export const handleRequestVoteResponse = handler("RequestVoteResponse", {
  enabled: (_env, node, m: RequestVoteResponse) => m.mterm === node.persistent.currentTerm,
  next: (_env, node, m: RequestVoteResponse) => {
    const v = node.volatile;
    if (v.state !== "Candidate" || !m.mvoteGranted) return { node, effects: [discard(m)] };
    const volatile: VolatileState = { ...v, votesGranted: withId(v.votesGranted, m.msource) };
    return { node: { ...node, volatile }, effects: [discard(m)] };
  },
});

/**
 * HandleAppendEntriesRequest(m): reject a stale term or a failed consistency check; otherwise
 * cut the log at a conflicting entry, append the new one and learn the commit index. Any
 * server hearing from the leader of its own term becomes (or stays) a follower.
 */
export const handleAppendEntriesRequest = handler("AppendEntriesRequest", {
  enabled: (_env, node, m: AppendEntriesRequest) =>
    m.mterm <= node.persistent.currentTerm &&
    !(m.mterm === node.persistent.currentTerm && node.volatile.state === "Leader"),
  next: (_env, node, m: AppendEntriesRequest) => {
    const { persistent: p, volatile: v } = node;
    const prev = m.mprevLogIndex;
    const log = p.log;
    const logOk = prev === 0 || (prev <= log.length && log[prev - 1]?.term === m.mprevLogTerm);
    const accept = m.mterm === p.currentTerm && logOk;
    const state = m.mterm === p.currentTerm ? "Follower" : v.state;
    const reply = send({
      mtype: "AppendEntriesResponse",
      mterm: p.currentTerm,
      msuccess: accept,
      mmatchIndex: accept ? prev + m.mentries.length : 0,
      msource: node.id,
      mdest: m.msource,
    });
    if (!accept) {
      const volatile = state === v.state ? v : { ...v, state };
      return { node: volatile === v ? node : { ...node, volatile }, effects: [reply, discard(m)] };
    }
    const first = m.mentries[0];
    const holds = first === undefined || (log.length > prev && log[prev]?.term === first.term);
    const persistent = holds ? p : { ...p, log: [...log.slice(0, prev), ...m.mentries] };
    const { volatile, applied } = commit(
      persistent.log,
      v,
      Math.max(v.commitIndex, m.mcommitIndex),
    );
    return {
      node: { id: node.id, persistent, volatile: { ...volatile, state } },
      effects: [...(holds ? [] : [persist(persistent)]), reply, discard(m), ...applied],
    };
  },
});

/**
 * HandleAppendEntriesResponse(m): a leader records j's match on success and backs nextIndex up
 * by one on failure; a non-leader just consumes the response.
 */
export const handleAppendEntriesResponse = handler("AppendEntriesResponse", {
  enabled: (_env, node, m: AppendEntriesResponse) => m.mterm === node.persistent.currentTerm,
  next: (_env, node, m: AppendEntriesResponse) => {
    const v = node.volatile;
    if (v.state !== "Leader") return { node, effects: [discard(m)] };
    const j = m.msource;
    const volatile: VolatileState = m.msuccess
      ? {
          ...v,
          nextIndex: mapWith(v.nextIndex, j, m.mmatchIndex + 1),
          matchIndex: mapWith(v.matchIndex, j, m.mmatchIndex),
        }
      : { ...v, nextIndex: mapWith(v.nextIndex, j, Math.max((v.nextIndex.get(j) ?? 1) - 1, 1)) };
    return { node: { ...node, volatile }, effects: [discard(m)] };
  },
});

/** DropStaleResponse(m): a response from an older term is ignored. */
export const dropStaleResponse: NodeAction<[Message]> = {
  enabled: (_env, node, m) =>
    (m.mtype === "RequestVoteResponse" || m.mtype === "AppendEntriesResponse") &&
    m.mdest === node.id &&
    m.mterm < node.persistent.currentTerm,
  next: (_env, node, m) => ({ node, effects: [discard(m)] }),
};
