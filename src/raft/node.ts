/**
 * Node-level Raft: one pure transition per spec action, `(env, node, input) → Option<NodeStep>`.
 * `None` means the action's guard is false. A node only ever sees its own state and the message
 * it is handed; the cluster layer (cluster.ts) checks that the message is in flight and applies
 * the send/discard effects to the network.
 */
import * as O from "fp-ts/lib/Option.js";
import type { ServerId, Term, ValueId } from "../core/ids.js";
import { idSet, sameIdSet } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import {
  configEntry,
  configIndexOf,
  configOf,
  isJoint,
  isMember,
  isQuorum,
  isQuorumBy,
  lastTerm,
  valueEntry,
  withId,
} from "./log.js";
import type {
  Config,
  Effect,
  Entry,
  Env,
  Message,
  NodeStep,
  PersistentState,
  RaftNode,
  VolatileState,
} from "./types.js";

const constMap = (keys: ReadonlyArray<ServerId>, v: number): ReadonlyMap<ServerId, number> =>
  new Map(keys.map((k) => [k, v]));

// The states below are copied field by field, not with `{ ...v, x }`: V8 takes its generic
// slow path for spreads of these objects (several times a literal's cost, and a step makes a
// few), and one construction site keeps them all one object shape.

/** v with the fields of u replaced. */
const withVolatile = (v: VolatileState, u: Partial<VolatileState>): VolatileState => ({
  state: u.state ?? v.state,
  commitIndex: u.commitIndex ?? v.commitIndex,
  votesGranted: u.votesGranted ?? v.votesGranted,
  nextIndex: u.nextIndex ?? v.nextIndex,
  matchIndex: u.matchIndex ?? v.matchIndex,
  lastApplied: u.lastApplied ?? v.lastApplied,
});

/** p with the fields of u replaced. */
const withPersistent = (p: PersistentState, u: Partial<PersistentState>): PersistentState => ({
  currentTerm: u.currentTerm ?? p.currentTerm,
  votedFor: u.votedFor ?? p.votedFor,
  log: u.log ?? p.log,
});

/** A node with new volatile and/or persistent state. */
const nodeWith = (
  n: RaftNode,
  volatile: VolatileState,
  persistent: PersistentState = n.persistent,
): RaftNode => ({ id: n.id, persistent, volatile });

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

const step = (node: RaftNode, effects: ReadonlyArray<Effect>): O.Option<NodeStep> =>
  O.some({ node, effects });

const persist = (state: PersistentState): Effect => ({ type: "persist", state });
const send = (message: Message): Effect => ({ type: "send", message });
const discard = (message: Message): Effect => ({ type: "discard", message });

/**
 * The volatile state and effects of raising commitIndex: newly committed entries go to the
 * state machine in index order (lastApplied is implementation-only, not a spec variable).
 */
function commit(
  log: ReadonlyArray<Entry>,
  v: VolatileState,
  commitIndex: number,
  effects: Effect[],
): VolatileState {
  const upTo = Math.min(commitIndex, log.length);
  for (let k = v.lastApplied + 1; k <= upTo; k++)
    effects.push({ type: "apply", index: k, entry: log[k - 1] as Entry });
  return withVolatile(v, { commitIndex, lastApplied: Math.max(v.lastApplied, upTo) });
}

/** Restart(i): persistent state survives (minus the vote under BugForgetVote), volatile is rebuilt. */
export function restart(env: Env, node: RaftNode): O.Option<NodeStep> {
  const p = node.persistent;
  const forget = env.bugs.forgetVote && O.isSome(p.votedFor);
  const persistent: PersistentState = forget ? withPersistent(p, { votedFor: O.none }) : p;
  const next = { id: node.id, persistent, volatile: initialVolatile(env) };
  return step(next, forget ? [persist(persistent), { type: "reset" }] : [{ type: "reset" }]);
}

/** Timeout(i): a member follower or candidate starts an election in the next term. */
export function timeout(env: Env, node: RaftNode): O.Option<NodeStep> {
  const { persistent: p, volatile: v } = node;
  if (v.state === "Leader" || !isMember(config(env, node), node.id)) return O.none;
  const persistent: PersistentState = {
    currentTerm: p.currentTerm + 1,
    votedFor: O.some(node.id),
    log: p.log,
  };
  const volatile = withVolatile(v, { state: "Candidate", votesGranted: [node.id] });
  return step({ id: node.id, persistent, volatile }, [persist(persistent)]);
}

/** RequestVote(i, j): a candidate asks a member that has not granted its vote yet. */
export function requestVote(env: Env, node: RaftNode, j: ServerId): O.Option<NodeStep> {
  const { persistent: p, volatile: v } = node;
  if (v.state !== "Candidate" || !isMember(config(env, node), j) || v.votesGranted.includes(j))
    return O.none;
  return step(node, [
    send({
      mtype: "RequestVoteRequest",
      mterm: p.currentTerm,
      mlastLogTerm: lastTerm(p.log),
      mlastLogIndex: p.log.length,
      msource: node.id,
      mdest: j,
    }),
  ]);
}

/** BecomeLeader(i): a candidate with a quorum of its configuration (both halves if joint). */
export function becomeLeader(env: Env, node: RaftNode): O.Option<NodeStep> {
  const v = node.volatile;
  if (v.state !== "Candidate" || !isQuorum(config(env, node), v.votesGranted)) return O.none;
  const volatile = withVolatile(v, {
    state: "Leader",
    nextIndex: constMap(env.servers, node.persistent.log.length + 1),
    matchIndex: constMap(env.servers, 0),
  });
  return step(nodeWith(node, volatile), []);
}

const appendToLog = (node: RaftNode, entry: Entry): O.Option<NodeStep> => {
  const persistent = withPersistent(node.persistent, { log: [...node.persistent.log, entry] });
  return step(nodeWith(node, node.volatile, persistent), [persist(persistent)]);
};

/** ClientRequest(i, v): a leader appends a client value. */
export function clientRequest(_env: Env, node: RaftNode, value: ValueId): O.Option<NodeStep> {
  if (node.volatile.state !== "Leader") return O.none;
  return appendToLog(node, valueEntry(node.persistent.currentTerm, value));
}

/**
 * Reconfigure(i, newSet): a leader whose simple configuration is committed appends C(old,new)
 * (or, under BugOneStepReconfig, C(new) directly).
 */
export function reconfigure(
  env: Env,
  node: RaftNode,
  newSet: ReadonlyArray<ServerId>,
): O.Option<NodeStep> {
  const c = config(env, node);
  const target = idSet(newSet);
  const { persistent: p, volatile: v } = node;
  if (
    v.state !== "Leader" ||
    isJoint(c) ||
    configIndexOf(env.initConfig, p.log) > v.commitIndex ||
    sameIdSet(target, c.new)
  )
    return O.none;
  const old = env.bugs.oneStepReconfig ? target : c.new;
  return appendToLog(node, configEntry(p.currentTerm, old, target));
}

/** AppendNewConfig(i): a leader whose joint configuration is committed appends C(new). */
export function appendNewConfig(env: Env, node: RaftNode): O.Option<NodeStep> {
  const c = config(env, node);
  const { persistent: p, volatile: v } = node;
  if (v.state !== "Leader" || !isJoint(c) || configIndexOf(env.initConfig, p.log) > v.commitIndex)
    return O.none;
  return appendToLog(node, configEntry(p.currentTerm, c.new, c.new));
}

/** AppendEntries(i, j): a leader sends a member at most one entry (none: a heartbeat). */
export function appendEntries(env: Env, node: RaftNode, j: ServerId): O.Option<NodeStep> {
  const { persistent: p, volatile: v } = node;
  if (node.id === j || v.state !== "Leader" || !isMember(config(env, node), j)) return O.none;
  const next = v.nextIndex.get(j) ?? 1;
  const prevLogIndex = next - 1;
  const lastEntry = Math.min(p.log.length, next);
  return step(node, [
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
  ]);
}

/** MaxOf(CommittableIndexes(i)), or 0 when there is none. */
export function maxCommittable(env: Env, node: RaftNode): number {
  const { persistent: p, volatile: v } = node;
  const c = config(env, node);
  // One predicate for every k (the simulator asks on every tick a leader is up).
  let k = p.log.length;
  const holds = (s: ServerId) => s === node.id || (v.matchIndex.get(s) ?? 0) >= k;
  for (; k > v.commitIndex; k--) {
    const ownTerm = (p.log[k - 1] as Entry).term === p.currentTerm;
    if ((env.bugs.oldTermCommit || ownTerm) && isQuorumBy(c, holds)) return k;
  }
  return 0;
}

/**
 * AdvanceCommitIndex(i): a leader commits the highest index a quorum holds (of its own term,
 * unless BugOldTermCommit); it steps down if that commits a C(new) that excludes it.
 */
export function advanceCommitIndex(env: Env, node: RaftNode): O.Option<NodeStep> {
  if (node.volatile.state !== "Leader") return O.none;
  const newCommit = maxCommittable(env, node);
  if (newCommit === 0) return O.none;
  const log = node.persistent.log;
  const c = config(env, node);
  const removed =
    !isJoint(c) && !c.new.includes(node.id) && configIndexOf(env.initConfig, log) <= newCommit;
  const effects: Effect[] = [];
  const committed = commit(log, node.volatile, newCommit, effects);
  const volatile = removed ? withVolatile(committed, { state: "Follower" }) : committed;
  return step(nodeWith(node, volatile), effects);
}

/** UpdateTerm(m): a message with a newer term makes the receiver a follower in it (m stays). */
export function updateTerm(_env: Env, node: RaftNode, m: Message): O.Option<NodeStep> {
  if (m.mdest !== node.id || m.mterm <= node.persistent.currentTerm) return O.none;
  const persistent: PersistentState = {
    currentTerm: m.mterm,
    votedFor: O.none,
    log: node.persistent.log,
  };
  const volatile = withVolatile(node.volatile, { state: "Follower" });
  return step({ id: node.id, persistent, volatile }, [persist(persistent)]);
}

/** HandleRequestVoteRequest(m): grant iff same term, log up to date and no other vote. */
export function handleRequestVoteRequest(env: Env, node: RaftNode, m: Message): O.Option<NodeStep> {
  const p = node.persistent;
  if (m.mtype !== "RequestVoteRequest" || m.mdest !== node.id || m.mterm > p.currentTerm)
    return O.none;
  const j = m.msource;
  const myLastTerm = lastTerm(p.log);
  const logOk =
    m.mlastLogTerm > myLastTerm ||
    (m.mlastLogTerm === myLastTerm && m.mlastLogIndex >= p.log.length);
  const votedForJ = O.isSome(p.votedFor) && p.votedFor.value === j;
  const grant =
    m.mterm === p.currentTerm &&
    (env.bugs.noLogCheck || logOk) &&
    (O.isNone(p.votedFor) || votedForJ);
  const reply: Message = {
    mtype: "RequestVoteResponse",
    mterm: p.currentTerm,
    mvoteGranted: grant,
    msource: node.id,
    mdest: j,
  };
  if (!grant || votedForJ) return step(node, [send(reply), discard(m)]);
  const persistent = withPersistent(p, { votedFor: O.some(j) });
  return step(nodeWith(node, node.volatile, persistent), [
    persist(persistent),
    send(reply),
    discard(m),
  ]);
}

/** HandleRequestVoteResponse(m): a candidate counts a granted vote of its current term. */
export function handleRequestVoteResponse(
  _env: Env,
  node: RaftNode,
  m: Message,
): O.Option<NodeStep> {
  const v = node.volatile;
  if (
    m.mtype !== "RequestVoteResponse" ||
    m.mdest !== node.id ||
    m.mterm !== node.persistent.currentTerm
  )
    return O.none;
  if (v.state !== "Candidate" || !m.mvoteGranted) return step(node, [discard(m)]);
  const volatile = withVolatile(v, { votesGranted: withId(v.votesGranted, m.msource) });
  return step(nodeWith(node, volatile), [discard(m)]);
}

/**
 * HandleAppendEntriesRequest(m): reject a stale term or a failed consistency check; otherwise
 * cut the log at a conflicting entry, append the new one and learn the commit index. Any
 * server hearing from the leader of its own term becomes (or stays) a follower.
 */
export function handleAppendEntriesRequest(
  _env: Env,
  node: RaftNode,
  m: Message,
): O.Option<NodeStep> {
  const { persistent: p, volatile: v } = node;
  const term: Term = p.currentTerm;
  if (
    m.mtype !== "AppendEntriesRequest" ||
    m.mdest !== node.id ||
    m.mterm > term ||
    (m.mterm === term && v.state === "Leader")
  )
    return O.none;
  const prev = m.mprevLogIndex;
  const log = p.log;
  const logOk = prev === 0 || (prev <= log.length && log[prev - 1]?.term === m.mprevLogTerm);
  const accept = m.mterm === term && logOk;
  const state = m.mterm === term ? "Follower" : v.state;
  const reply: Message = {
    mtype: "AppendEntriesResponse",
    mterm: term,
    msuccess: accept,
    mmatchIndex: accept ? prev + m.mentries.length : 0,
    msource: node.id,
    mdest: m.msource,
  };
  if (!accept) {
    const volatile = state === v.state ? v : withVolatile(v, { state });
    return step(volatile === v ? node : nodeWith(node, volatile), [send(reply), discard(m)]);
  }
  const first = m.mentries[0];
  const keep = first === undefined || (log.length > prev && log[prev]?.term === first.term);
  const newLog = keep ? log : [...log.slice(0, prev), ...m.mentries];
  const persistent = keep ? p : withPersistent(p, { log: newLog });
  const effects: Effect[] = keep ? [] : [persist(persistent)];
  effects.push(send(reply), discard(m));
  const committed = commit(newLog, v, Math.max(v.commitIndex, m.mcommitIndex), effects);
  const volatile = withVolatile(committed, { state });
  return step({ id: node.id, persistent, volatile }, effects);
}

/**
 * HandleAppendEntriesResponse(m): a leader records j's match on success and backs nextIndex up
 * by one on failure; a non-leader just consumes the response.
 */
export function handleAppendEntriesResponse(
  _env: Env,
  node: RaftNode,
  m: Message,
): O.Option<NodeStep> {
  const v = node.volatile;
  if (
    m.mtype !== "AppendEntriesResponse" ||
    m.mdest !== node.id ||
    m.mterm !== node.persistent.currentTerm
  )
    return O.none;
  if (v.state !== "Leader") return step(node, [discard(m)]);
  const j = m.msource;
  const volatile = m.msuccess
    ? withVolatile(v, {
        nextIndex: mapWith(v.nextIndex, j, m.mmatchIndex + 1),
        matchIndex: mapWith(v.matchIndex, j, m.mmatchIndex),
      })
    : withVolatile(v, {
        nextIndex: mapWith(v.nextIndex, j, Math.max((v.nextIndex.get(j) ?? 1) - 1, 1)),
      });
  return step(nodeWith(node, volatile), [discard(m)]);
}

/** DropStaleResponse(m): a response from an older term is ignored. */
export function dropStaleResponse(_env: Env, node: RaftNode, m: Message): O.Option<NodeStep> {
  if (
    (m.mtype !== "RequestVoteResponse" && m.mtype !== "AppendEntriesResponse") ||
    m.mdest !== node.id ||
    m.mterm >= node.persistent.currentTerm
  )
    return O.none;
  return step(node, [discard(m)]);
}
