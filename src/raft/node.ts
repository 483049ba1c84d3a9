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
  commandsOf,
  configEntry,
  configOf,
  entryAt,
  isJoint,
  isMember,
  isQuorum,
  lastConfigIndex,
  lastIndex,
  lastTerm,
  mayStandForElection,
  snapshotConfigIn,
  snapshotOf,
  termAt,
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
  InstallSnapshotRequest,
  Message,
  NodeStep,
  PersistentState,
  RaftNode,
  RequestVoteRequest,
  RequestVoteResponse,
  Snapshot,
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

/**
 * Volatile state after boot: a follower that knows only what its snapshot holds (committed,
 * and in its state machine already); index 0 at Init.
 */
export const initialVolatile = (env: Env, snapshotIndex = 0): VolatileState => ({
  state: "Follower",
  commitIndex: snapshotIndex,
  votesGranted: [],
  nextIndex: constMap(env.servers, 1),
  matchIndex: constMap(env.servers, 0),
  lastApplied: snapshotIndex,
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
  configOf(env.initConfig, node.persistent);

/** LastConfigIndex(i) <= commitIndex[i]: the configuration in force is committed. */
const configCommitted = (node: RaftNode): boolean =>
  lastConfigIndex(node.persistent) <= node.volatile.commitIndex;

const persist = (state: PersistentState): Effect => ({ type: "persist", state });
const send = (message: Message): Effect => ({ type: "send", message });
const discard = (message: Message): Effect => ({ type: "discard", message });

/**
 * Raising commitIndex: the volatile state, and the newly committed entries handed to the state
 * machine in index order (lastApplied is the implementation's, not a spec variable).
 */
function commit(
  p: PersistentState,
  v: VolatileState,
  commitIndex: number,
): { readonly volatile: VolatileState; readonly applied: ReadonlyArray<Effect> } {
  const upTo = Math.min(commitIndex, lastIndex(p));
  const applied: Effect[] = [];
  for (let k = v.lastApplied + 1; k <= upTo; k++)
    applied.push({ type: "apply", index: k, entry: entryAt(p, k) as Entry });
  return {
    volatile: { ...v, commitIndex, lastApplied: Math.max(v.lastApplied, upTo) },
    applied,
  };
}

const restore = (snapshot: Snapshot): Effect => ({ type: "restore", snapshot });

/**
 * Restart(i): persistent state survives (minus the vote under BugForgetVote), volatile is
 * rebuilt; the state machine starts again from the snapshot, committed up to its index.
 */
export const restart: NodeAction<[]> = {
  enabled: always,
  next: (env, node) => {
    const p = node.persistent;
    const forget = env.bugs.forgetVote && O.isSome(p.votedFor);
    const persistent: PersistentState = forget ? { ...p, votedFor: O.none } : p;
    const sn = snapshotOf(p);
    const boot: ReadonlyArray<Effect> =
      sn.index > 0 ? [{ type: "reset" }, restore(sn)] : [{ type: "reset" }];
    return {
      node: { id: node.id, persistent, volatile: initialVolatile(env, sn.index) },
      effects: forget ? [persist(persistent), ...boot] : boot,
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
    mayStandForElection(config(env, node), node.id, node.persistent, node.volatile.commitIndex),
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
          mlastLogTerm: lastTerm(p),
          mlastLogIndex: lastIndex(p),
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
      nextIndex: constMap(env.servers, lastIndex(node.persistent) + 1),
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

/** A leader's nextIndex for j is past its snapshot: it still holds the entry before it. */
const holdsPrev = (node: RaftNode, j: ServerId): boolean =>
  (node.volatile.nextIndex.get(j) ?? 1) > snapshotOf(node.persistent).index;

/** A leader may send to j: another member of its configuration. */
const leaderTo = (env: Env, node: RaftNode, j: ServerId): boolean =>
  node.id !== j && node.volatile.state === "Leader" && isMember(config(env, node), j);

/**
 * AppendEntries(i, j): a leader sends a member at most one entry (none: a heartbeat), if it
 * still holds the entry before nextIndex (or that index is its snapshot's).
 */
export const appendEntries: NodeAction<[j: ServerId]> = {
  enabled: (env, node, j) => leaderTo(env, node, j) && holdsPrev(node, j),
  next: (_env, node, j) => {
    const { persistent: p, volatile: v } = node;
    const base = snapshotOf(p).index;
    const next = v.nextIndex.get(j) ?? 1;
    const prevLogIndex = next - 1;
    const lastEntry = Math.min(lastIndex(p), next);
    return {
      node,
      effects: [
        send({
          mtype: "AppendEntriesRequest",
          mterm: p.currentTerm,
          mprevLogIndex: prevLogIndex,
          mprevLogTerm: termAt(p, prevLogIndex) ?? 0,
          mentries: p.log.slice(next - base - 1, lastEntry - base),
          mcommitIndex: Math.min(v.commitIndex, lastEntry),
          msource: node.id,
          mdest: j,
        }),
      ],
    };
  },
};

/** InstallSnapshot(i, j): a leader whose snapshot covers nextIndex[i][j] - 1 sends it to j. */
export const installSnapshot: NodeAction<[j: ServerId]> = {
  enabled: (env, node, j) => leaderTo(env, node, j) && !holdsPrev(node, j),
  next: (_env, node, j) => ({
    node,
    effects: [
      send({
        mtype: "InstallSnapshotRequest",
        mterm: node.persistent.currentTerm,
        msnapshot: snapshotOf(node.persistent),
        msource: node.id,
        mdest: j,
      }),
    ],
  }),
};

/**
 * CompactLog(i): the committed prefix up to commitIndex becomes the snapshot (its last term,
 * the configuration in force there, the commands applied), and the log keeps what follows.
 */
export const compactLog: NodeAction<[]> = {
  enabled: (_env, node) => node.volatile.commitIndex > snapshotOf(node.persistent).index,
  next: (_env, node) => {
    const p = node.persistent;
    const sn = snapshotOf(p);
    const c = node.volatile.commitIndex;
    const n = c - sn.index;
    const cfg = snapshotConfigIn(sn, p.log.slice(0, n));
    const snapshot: Snapshot = {
      index: c,
      term: termAt(p, c) ?? 0,
      old: cfg.old,
      new: cfg.new,
      value: commandsOf(sn, p.log, c),
    };
    const persistent: PersistentState = { ...p, snapshot, log: p.log.slice(n) };
    return { node: { ...node, persistent }, effects: [persist(persistent)] };
  },
};

/** MaxOf(CommittableIndexes(i)), or 0 when there is none. */
export function maxCommittable(env: Env, node: RaftNode): number {
  const { persistent: p, volatile: v } = node;
  const c = config(env, node);
  for (let k = lastIndex(p); k > v.commitIndex; k--) {
    const agree = [node.id, ...env.servers.filter((j) => (v.matchIndex.get(j) ?? 0) >= k)];
    const ownTerm = (entryAt(p, k) as Entry).term === p.currentTerm;
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
    const p = node.persistent;
    const c = config(env, node);
    const removed = !isJoint(c) && !c.new.includes(node.id) && lastConfigIndex(p) <= newCommit;
    const { volatile, applied } = commit(p, node.volatile, newCommit);
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
      m.mlastLogTerm > lastTerm(p) ||
      (m.mlastLogTerm === lastTerm(p) && m.mlastLogIndex >= lastIndex(p));
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
 * server hearing from the leader of its own term becomes (or stays) a follower. A previous
 * index before the snapshot's is committed here, so it matches: accepted as it is, answered
 * with the snapshot's index.
 */
export const handleAppendEntriesRequest = handler("AppendEntriesRequest", {
  enabled: (_env, node, m: AppendEntriesRequest) =>
    m.mterm <= node.persistent.currentTerm &&
    !(m.mterm === node.persistent.currentTerm && node.volatile.state === "Leader"),
  next: (_env, node, m: AppendEntriesRequest) => {
    const { persistent: p, volatile: v } = node;
    const prev = m.mprevLogIndex;
    const log = p.log;
    const base = snapshotOf(p).index;
    const compacted = prev < base;
    const logOk =
      prev === 0 || compacted || (prev <= lastIndex(p) && termAt(p, prev) === m.mprevLogTerm);
    const accept = m.mterm === p.currentTerm && logOk;
    const state = m.mterm === p.currentTerm ? "Follower" : v.state;
    const reply = send({
      mtype: "AppendEntriesResponse",
      mterm: p.currentTerm,
      msuccess: accept,
      mmatchIndex: accept ? (compacted ? base : prev + m.mentries.length) : 0,
      msource: node.id,
      mdest: m.msource,
    });
    if (!accept) {
      const volatile = state === v.state ? v : { ...v, state };
      return { node: volatile === v ? node : { ...node, volatile }, effects: [reply, discard(m)] };
    }
    const first = m.mentries[0];
    const holds =
      compacted ||
      first === undefined ||
      (lastIndex(p) > prev && entryAt(p, prev + 1)?.term === first.term);
    const persistent = holds ? p : { ...p, log: [...log.slice(0, prev - base), ...m.mentries] };
    const { volatile, applied } = commit(persistent, v, Math.max(v.commitIndex, m.mcommitIndex));
    return {
      node: { id: node.id, persistent, volatile: { ...volatile, state } },
      effects: [...(holds ? [] : [persist(persistent)]), reply, discard(m), ...applied],
    };
  },
});

/**
 * HandleInstallSnapshotRequest(m): reject a stale term; otherwise become a follower and, if the
 * snapshot goes past what is committed here (or under BugInstallOldSnapshot, always), install
 * it: keep the entries after its index if this log holds that index with its term, else drop
 * the log, commit up to the snapshot and restore the state machine from it. The answer is an
 * AppendEntries response matched up to the snapshot.
 */
export const handleInstallSnapshotRequest = handler("InstallSnapshotRequest", {
  enabled: (_env, node, m: InstallSnapshotRequest) =>
    m.mterm <= node.persistent.currentTerm &&
    !(m.mterm === node.persistent.currentTerm && node.volatile.state === "Leader"),
  next: (env, node, m: InstallSnapshotRequest) => {
    const { persistent: p, volatile: v } = node;
    const sn = m.msnapshot;
    const own = snapshotOf(p);
    const accept = m.mterm === p.currentTerm;
    const install = accept && (env.bugs.installOldSnapshot || sn.index > v.commitIndex);
    const reply = send({
      mtype: "AppendEntriesResponse",
      mterm: p.currentTerm,
      msuccess: accept,
      mmatchIndex: accept ? sn.index : 0,
      msource: node.id,
      mdest: m.msource,
    });
    const state = accept ? "Follower" : v.state;
    if (!install) {
      const volatile = state === v.state ? v : { ...v, state };
      return { node: volatile === v ? node : { ...node, volatile }, effects: [reply, discard(m)] };
    }
    const keep =
      sn.index >= own.index && sn.index < lastIndex(p) && termAt(p, sn.index) === sn.term;
    const persistent: PersistentState = {
      ...p,
      snapshot: sn,
      log: keep ? p.log.slice(sn.index - own.index) : [],
    };
    const volatile: VolatileState = {
      ...v,
      state,
      commitIndex: sn.index,
      lastApplied: sn.index,
    };
    return {
      node: { id: node.id, persistent, volatile },
      effects: [persist(persistent), reply, discard(m), restore(sn)],
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
