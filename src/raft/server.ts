/**
 * One Raft server as a runtime drives it (etcd's RawNode): its spec state, its timers and the
 * leader it believes in, stepped by an input — a tick of its clock, a message from a peer, a
 * client's value, an operator's new member set — into a new server and a ready batch. After
 * each input the server takes every action its guards enable and its timers allow (an
 * election, votes asked, entries or heartbeats sent, commits), so the batch is all the work
 * there is until the next input. Pure: the runtime owns the clock, the disk and the sockets.
 */
import * as O from "fp-ts/lib/Option.js";
import type { ServerId } from "../core/ids.js";
import type { Action } from "./cluster.js";
import { receivers } from "./cluster.js";
import { configOf, isJoint, members, snapshotOf } from "./log.js";
import * as N from "./node.js";
import { concatReady, emptyReady, type Ready, readyOf } from "./ready.js";
import { allows, initTimers, observe, type TimerConfig, type Timers } from "./timers.js";
import type { Env, Message, NodeStep, PersistentState, RaftNode } from "./types.js";

export interface ServerConfig {
  readonly env: Env;
  readonly timers: TimerConfig;
}

export interface Server {
  readonly node: RaftNode;
  readonly timers: Timers;
  /** The leader of the current term as far as this server knows. */
  readonly leader: O.Option<ServerId>;
}

export interface Stepped {
  readonly server: Server;
  readonly ready: Ready;
  /** The spec actions taken, in order, each with the node's spec state after it (for traces). */
  readonly taken: ReadonlyArray<{ readonly action: Action; readonly node: RaftNode }>;
}

/** A server booting from its persistent state at tick `now`: Restart, as the spec has it. */
export const boot = (
  cfg: ServerConfig,
  id: ServerId,
  persistent: PersistentState,
  seed: number,
  now: number,
): Server => ({
  node: { id, persistent, volatile: N.initialVolatile(cfg.env, snapshotOf(persistent).index) },
  timers: initTimers(cfg.timers, seed, now),
  leader: O.none,
});

/** Take action `a` (its guard holds) with the node-level step `s`, at `now`. */
function take(cfg: ServerConfig, server: Server, a: Action, s: NodeStep, now: number): Stepped {
  const before = server.node;
  const termChanged = s.node.persistent.currentTerm !== before.persistent.currentTerm;
  const leader: O.Option<ServerId> =
    a.name === "BecomeLeader"
      ? O.some(before.id)
      : (a.name === "HandleAppendEntriesRequest" || a.name === "HandleInstallSnapshotRequest") &&
          a.m.mterm === before.persistent.currentTerm
        ? O.some(a.m.msource)
        : termChanged
          ? O.none
          : server.leader;
  return {
    server: {
      node: s.node,
      timers: observe(cfg.timers, server.timers, before, a, s.effects, now),
      leader,
    },
    ready: readyOf(s.effects),
    taken: [{ action: a, node: s.node }],
  };
}

/** The actions of a server that no message or client triggers, each with its node action. */
function ownActions(
  env: Env,
  node: RaftNode,
): ReadonlyArray<readonly [Action, () => NodeStep | undefined]> {
  const i = node.id;
  const on =
    <Args extends ReadonlyArray<unknown>>(act: N.NodeAction<Args>, ...args: Args) =>
    () =>
      act.enabled(env, node, ...args) ? act.next(env, node, ...args) : undefined;
  return [
    [{ name: "BecomeLeader", i }, on(N.becomeLeader)],
    [{ name: "AdvanceCommitIndex", i }, on(N.advanceCommitIndex)],
    [{ name: "AppendNewConfig", i }, on(N.appendNewConfig)],
    [{ name: "Timeout", i }, on(N.timeout)],
    ...env.servers.map((j) => [{ name: "RequestVote", i, j }, on(N.requestVote, j)] as const),
    ...env.servers.map((j) => [{ name: "AppendEntries", i, j }, on(N.appendEntries, j)] as const),
    ...env.servers.map(
      (j) => [{ name: "InstallSnapshot", i, j }, on(N.installSnapshot, j)] as const,
    ),
  ];
}

/** Take every action the guards enable and the timers allow now, until none is left. */
function settle(cfg: ServerConfig, start: Stepped, now: number): Stepped {
  let { server, ready, taken } = start;
  // Each action either changes the state or starts a timer, so this ends; the cap is a guard.
  for (let round = 0; round < 1000; round++) {
    let took = false;
    for (const [a, next] of ownActions(cfg.env, server.node)) {
      if (!allows(cfg.timers, server.timers, server.node, a, now)) continue;
      const s = next();
      if (s === undefined) continue;
      const t = take(cfg, server, a, s, now);
      server = t.server;
      ready = concatReady(ready, t.ready);
      taken = [...taken, ...t.taken];
      took = true;
      break;
    }
    if (!took) break;
  }
  return { server, ready, taken };
}

/** A tick of the server's clock: the time is now `now`. */
export const tick = (cfg: ServerConfig, server: Server, now: number): Stepped =>
  settle(cfg, { server, ready: emptyReady, taken: [] }, now);

/**
 * A message from a peer: first a newer term is adopted (UpdateTerm), then the handler its type
 * and term select; a message for another server, or one no handler takes, is dropped.
 */
export function receive(cfg: ServerConfig, server: Server, m: Message, now: number): Stepped {
  let cur: Stepped = { server, ready: emptyReady, taken: [] };
  if (m.mdest !== server.node.id) return cur;
  for (const [name, action] of receivers) {
    const node = cur.server.node;
    if (!action.enabled(cfg.env, node, m)) continue;
    const t = take(cfg, cur.server, { name, m }, action.next(cfg.env, node, m), now);
    cur = {
      server: t.server,
      ready: concatReady(cur.ready, t.ready),
      taken: [...cur.taken, ...t.taken],
    };
    if (name !== "UpdateTerm") break;
  }
  return settle(cfg, cur, now);
}

/** A client's value: appended when this server leads (ClientRequest), else None. */
export function propose(
  cfg: ServerConfig,
  server: Server,
  value: string,
  now: number,
): O.Option<Stepped> {
  const node = server.node;
  if (!N.clientRequest.enabled(cfg.env, node, value)) return O.none;
  const a: Action = { name: "ClientRequest", i: node.id, v: value };
  return O.some(
    settle(cfg, take(cfg, server, a, N.clientRequest.next(cfg.env, node, value), now), now),
  );
}

/**
 * An operator's new member set: C(old,new) appended when this server leads a committed
 * simple configuration (Reconfigure); the leader appends C(new) once that commits.
 */
export function reconfigure(
  cfg: ServerConfig,
  server: Server,
  newSet: ReadonlyArray<ServerId>,
  now: number,
): O.Option<Stepped> {
  const node = server.node;
  if (!N.reconfigure.enabled(cfg.env, node, newSet)) return O.none;
  const a: Action = { name: "Reconfigure", i: node.id, newSet };
  return O.some(
    settle(cfg, take(cfg, server, a, N.reconfigure.next(cfg.env, node, newSet), now), now),
  );
}

/** The server's configuration: its members, and whether it is joint. */
export function membership(cfg: ServerConfig, server: Server) {
  const c = configOf(cfg.env.initConfig, server.node.persistent);
  return { members: members(c), joint: isJoint(c), old: c.old, new: c.new };
}
