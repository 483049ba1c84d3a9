/**
 * The Raft driver of the simulator: the imperative shell around the pure Raft cluster. Each
 * tick it lists the spec actions a real deployment could take now (timers, RPCs, client
 * requests, operator reconfigurations, network faults) for the engine to pick from, performs
 * the chosen one and runs its effects (state machines, its own timers and flow control).
 */
import * as O from "fp-ts/lib/Option.js";
import type { ServerId } from "../../core/ids.js";
import { actionParamsJson } from "../../raft/abstraction.js";
import { type Action, type Cluster, initCluster, perform, receive } from "../../raft/cluster.js";
import { type InvariantName, violatedInvariants } from "../../raft/invariants.js";
import { messageJson } from "../../raft/itf.js";
import { configIndexOf, configOf, isJoint, isMember, isQuorum } from "../../raft/log.js";
import { maxCommittable } from "../../raft/node.js";
import type { Config, Effect, Entry, Env, Message, RaftNode } from "../../raft/types.js";
import type { Candidates } from "../candidates.js";
import type { SimContext, SimDriver } from "../engine.js";
import { Outages } from "../faults.js";
import { Network, networkEvents } from "../network.js";
import { KvClients } from "./clients.js";
import { type Knobs, type SimOptions, topology } from "./options.js";

// Relative weights of the candidate actions: elections are rare next to replication and
// delivery, and a step that completes something (a vote quorum, a commit) is taken promptly.
const W = {
  restart: 50,
  timeout: 3,
  requestVote: 5,
  becomeLeader: 30,
  clientRequest: 0.6,
  reconfigure: 0.08,
  appendNewConfig: 20,
  appendPending: 6,
  heartbeat: 3,
  retry: 1,
  advanceCommit: 30,
  deliver: 12,
  drop: 0.4,
  dup: 0.3,
} as const;

enum K {
  Restart,
  Timeout,
  RequestVote,
  BecomeLeader,
  ClientRequest,
  Reconfigure,
  AppendNewConfig,
  AppendEntries,
  AdvanceCommit,
  Deliver,
  Drop,
  Dup,
}

const NETWORK_EVENTS = networkEvents([K.Deliver, K.Drop, K.Dup], W);

/**
 * What enumerate reads of a node that only a new node state can change. Derived once per node
 * state: most ticks change one node at most, and enumerate asks about every node each tick.
 */
interface NodeFacts {
  readonly node: RaftNode;
  readonly cfg: Config;
  /** votesGranted is a quorum of cfg. */
  readonly quorum: boolean;
  /** The latest configuration entry is committed. */
  readonly committedConfig: boolean;
  readonly joint: boolean;
  /** AdvanceCommitIndex would commit something. */
  readonly committable: boolean;
  /** Entries of the node's term after commitIndex. */
  readonly ownUncommitted: number;
}

export class RaftDriver implements SimDriver<Cluster, Action, InvariantName> {
  readonly env: Env;
  readonly ids: ReadonlyArray<ServerId>;
  readonly n: number;
  readonly newConfigs: ReadonlyArray<ReadonlyArray<ServerId>>;
  readonly faults: ReadonlySet<string>;
  readonly knobs: Knobs;
  state: Cluster;
  private changed = false;
  readonly net: Network<Message>;
  readonly outages: Outages;
  electionDeadline: number[];
  failedElections: number[];
  lastAe: number[];
  aeAwait: boolean[];
  rvSent: number[];
  readonly clients: KvClients;
  private readonly facts: (NodeFacts | undefined)[] = [];
  maxTerm = 0;
  maxCommit = 0;

  constructor(
    private readonly ctx: SimContext,
    readonly options: SimOptions,
  ) {
    const topo = topology(options);
    this.env = { servers: topo.servers, initConfig: topo.initConfig, bugs: options.bugs };
    this.ids = topo.servers;
    this.n = topo.servers.length;
    this.newConfigs = topo.newConfigs;
    const faults = new Set(options.faults);
    this.faults = faults;
    this.knobs = options.knobs;
    this.state = initCluster(this.env);
    this.net = new Network(ctx, faults, {
      source: (m) => m.msource,
      dest: (m) => m.mdest,
      key: messageJson,
    });
    this.outages = new Outages(ctx, this.n);
    this.failedElections = this.ids.map(() => 0);
    this.electionDeadline = this.ids.map((_, k) => this.electionTimeout(k));
    this.lastAe = new Array(this.n * this.n).fill(-1e9);
    this.aeAwait = new Array(this.n * this.n).fill(false);
    this.rvSent = new Array(this.n * this.n).fill(-1e9);
    this.clients = new KvClients(this.n);
  }

  actionName(a: Action): string {
    return a.name;
  }

  /**
   * The next election deadline of server k. It doubles (up to 8×) with each election k starts
   * without hearing from a leader, so a cluster that cannot elect one (a partition, or a
   * configuration no quorum can serve) does not churn through terms.
   */
  electionTimeout(k: number): number {
    const scale = Math.max(1, this.n / 3) * 2 ** Math.min(this.failedElections[k] ?? 0, 3);
    return (
      this.ctx.tick +
      this.ctx.rng.range(
        Math.round(this.knobs.electionTimeout[0] * scale),
        Math.round(this.knobs.electionTimeout[1] * scale),
      )
    );
  }

  node(k: number): RaftNode {
    return this.state.nodes.get(this.ids[k] as ServerId) as RaftNode;
  }

  idx(id: ServerId): number {
    return this.ids.indexOf(id);
  }

  /** The facts of server k's current node state (see NodeFacts). */
  private factsOf(k: number): NodeFacts {
    const node = this.node(k);
    const known = this.facts[k];
    if (known?.node === node) return known;
    const { env } = this;
    const { persistent: p, volatile: v } = node;
    const cfg = configOf(env.initConfig, p.log);
    const f: NodeFacts = {
      node,
      cfg,
      quorum: isQuorum(cfg, v.votesGranted),
      committedConfig: configIndexOf(env.initConfig, p.log) <= v.commitIndex,
      joint: isJoint(cfg),
      committable: maxCommittable(env, node) > 0,
      ownUncommitted: ownUncommitted(p.log, v.commitIndex, p.currentTerm),
    };
    this.facts[k] = f;
    return f;
  }

  /** Crashes and partitions start and end with time; they are not spec events themselves. */
  environment(): void {
    const { rng } = this.ctx;
    if (this.faults.has("crash") && rng.chance(this.knobs.crashPerTick))
      this.outages.crash(rng.int(this.n), this.knobs.downtime);
    this.net.environment(this.ids, this.knobs.partitionPerTick, this.knobs.partitionLength);
  }

  /** The oldest message is dropped first while the bag is over its cap. */
  forced(): Action | undefined {
    const m = this.net.queue[0];
    return m !== undefined && this.state.messages.size > this.options.maxMessages
      ? { name: "DropMessage", m }
      : undefined;
  }

  enumerate(out: Candidates): void {
    const { n } = this;
    const tick = this.ctx.tick;
    for (let a = 0; a < n; a++) {
      if (!this.outages.up(a)) {
        if (this.outages.due(a)) out.add(K.Restart, a, 0, W.restart);
        continue;
      }
      const f = this.factsOf(a);
      const { node } = f;
      const v = node.volatile;
      if (v.state !== "Leader") {
        if (tick >= (this.electionDeadline[a] as number) && isMember(f.cfg, node.id))
          out.add(K.Timeout, a, 0, W.timeout);
        if (v.state === "Candidate") {
          for (let b = 0; b < n; b++) {
            const j = this.ids[b] as ServerId;
            if (isMember(f.cfg, j) && !v.votesGranted.includes(j))
              out.add(
                K.RequestVote,
                a,
                b,
                tick - (this.rvSent[a * n + b] as number) > this.knobs.retry ? W.requestVote : 0,
              );
          }
          if (f.quorum) out.add(K.BecomeLeader, a, 0, W.becomeLeader);
        }
        continue;
      }
      // Clients wait while a few requests of this leader's term are uncommitted (flow
      // control). Older entries do not count: only a new entry can commit them.
      if (
        f.ownUncommitted < this.knobs.maxBacklog &&
        this.clients.commands.size < this.knobs.maxClientRequests
      )
        out.add(K.ClientRequest, a, 0, W.clientRequest);
      if (this.faults.has("reconfig") && f.committedConfig && !f.joint)
        out.add(K.Reconfigure, a, 0, W.reconfigure);
      if (f.committedConfig && f.joint) out.add(K.AppendNewConfig, a, 0, W.appendNewConfig);
      if (f.committable) out.add(K.AdvanceCommit, a, 0, W.advanceCommit);
      const logLength = node.persistent.log.length;
      for (let b = 0; b < n; b++) {
        const j = this.ids[b] as ServerId;
        if (b === a || !isMember(f.cfg, j)) continue;
        const since = tick - (this.lastAe[a * n + b] as number);
        const pending = (v.nextIndex.get(j) ?? 1) <= logLength;
        const w = this.aeAwait[a * n + b]
          ? since > this.knobs.retry
            ? W.retry
            : 0
          : pending
            ? W.appendPending
            : since >= this.knobs.heartbeat
              ? W.heartbeat
              : 0;
        out.add(K.AppendEntries, a, b, w);
      }
    }
    this.net.enumerate(out, NETWORK_EVENTS);
  }

  toAction(out: Candidates, c: number): Action {
    const a = out.a[c] as number;
    const b = out.b[c] as number;
    const i = this.ids[a] as ServerId;
    const j = this.ids[b] as ServerId;
    switch (out.kind[c] as K) {
      case K.Restart:
        return { name: "Restart", i };
      case K.Timeout:
        return { name: "Timeout", i };
      case K.RequestVote:
        return { name: "RequestVote", i, j };
      case K.BecomeLeader:
        return { name: "BecomeLeader", i };
      case K.ClientRequest:
        return { name: "ClientRequest", i, v: this.clients.next(this.ctx.rng) };
      case K.Reconfigure: {
        const current = configOf(this.env.initConfig, this.node(a).persistent.log).new;
        const targets = this.newConfigs.filter((s) => s.join() !== current.join());
        return { name: "Reconfigure", i, newSet: this.ctx.rng.pick(targets) };
      }
      case K.AppendNewConfig:
        return { name: "AppendNewConfig", i };
      case K.AppendEntries:
        return { name: "AppendEntries", i, j };
      case K.AdvanceCommit:
        return { name: "AdvanceCommitIndex", i };
      case K.Deliver:
        return this.delivery(this.net.queue[b] as Message);
      case K.Drop:
        return { name: "DropMessage", m: this.net.queue[b] as Message };
      case K.Dup:
        return { name: "DuplicateMessage", m: this.net.queue[b] as Message };
    }
  }

  /** Delivering m: its receiver's handler, unless the receiver is down or cut off. */
  delivery(m: Message): Action {
    const dest = this.idx(m.mdest);
    if (dest < 0 || !this.outages.up(dest) || this.net.cut(m)) return { name: "DropMessage", m };
    const handler = receive(this.state, m);
    return O.isSome(handler) ? { name: handler.value, m } : { name: "DropMessage", m };
  }

  /**
   * The first tick at which a timer may enable an action; only called when none is enabled, so
   * it follows enumerate's conditions (a deadline already past cannot be what we wait for).
   */
  nextWake(): number {
    const { n, knobs } = this;
    const tick = this.ctx.tick;
    let wake = this.net.nextWake();
    const at = (t: number) => {
      if (t > tick && t < wake) wake = t;
    };
    for (let a = 0; a < n; a++) {
      if (!this.outages.up(a)) {
        at(this.outages.downUntil[a] as number);
        continue;
      }
      const { node, cfg } = this.factsOf(a);
      const v = node.volatile;
      if (v.state !== "Leader" && isMember(cfg, node.id)) at(this.electionDeadline[a] as number);
      for (let b = 0; b < n; b++) {
        const j = this.ids[b] as ServerId;
        if (b === a || !isMember(cfg, j)) continue;
        const k = a * n + b;
        if (v.state === "Candidate" && !v.votesGranted.includes(j))
          at((this.rvSent[k] as number) + knobs.retry + 1);
        if (v.state === "Leader")
          at((this.lastAe[k] as number) + (this.aeAwait[k] ? knobs.retry + 1 : knobs.heartbeat));
      }
    }
    return Number.isFinite(wake) ? wake : tick + 1;
  }

  step(a: Action): void {
    const s = perform(this.state, a);
    if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${describe(a)}`);
    this.before(a);
    const prev = this.state;
    this.state = s.value.next;
    this.after(a, s.value.effects);
    this.changed = invariantInputsChanged(prev, this.state);
    const node = this.state.nodes.get(actor(a)) as RaftNode;
    this.maxTerm = Math.max(this.maxTerm, node.persistent.currentTerm);
    this.maxCommit = Math.max(this.maxCommit, node.volatile.commitIndex);
  }

  violations(): ReadonlyArray<InvariantName> {
    return this.options.invariants.length > 0 && this.changed
      ? violatedInvariants(this.state, this.options.invariants)
      : [];
  }

  /** Bookkeeping before the action: timers and flow control a real server keeps. */
  private before(a: Action): void {
    const n = this.n;
    const tick = this.ctx.tick;
    switch (a.name) {
      case "Timeout": {
        const k = this.idx(a.i);
        this.failedElections[k] = (this.failedElections[k] ?? 0) + 1;
        this.electionDeadline[k] = this.electionTimeout(k);
        for (let b = 0; b < n; b++) this.rvSent[k * n + b] = -1e9;
        break;
      }
      case "Restart": {
        const k = this.idx(a.i);
        this.outages.restarted(k);
        this.electionDeadline[k] = this.electionTimeout(k);
        for (let b = 0; b < n; b++) {
          this.aeAwait[k * n + b] = false;
          this.lastAe[k * n + b] = -1e9;
        }
        break;
      }
      case "RequestVote":
        this.rvSent[this.idx(a.i) * n + this.idx(a.j)] = tick;
        break;
      case "AppendEntries": {
        const k = this.idx(a.i) * n + this.idx(a.j);
        this.lastAe[k] = tick;
        this.aeAwait[k] = true;
        break;
      }
      case "HandleAppendEntriesRequest": {
        const k = this.idx(a.m.mdest);
        if (a.m.mterm === this.node(k).persistent.currentTerm) {
          this.failedElections[k] = 0;
          this.electionDeadline[k] = this.electionTimeout(k);
        }
        break;
      }
      case "BecomeLeader":
        this.failedElections[this.idx(a.i)] = 0;
        break;
      default:
        break;
    }
    if (
      "m" in a &&
      a.m.mtype === "AppendEntriesResponse" &&
      a.name !== "UpdateTerm" &&
      a.name !== "DuplicateMessage"
    )
      this.aeAwait[this.idx(a.m.mdest) * n + this.idx(a.m.msource)] = false;
  }

  /** Perform the runtime's share of the effects. */
  private after(a: Action, effects: ReadonlyArray<Effect>): void {
    for (const e of effects) {
      switch (e.type) {
        case "send":
          this.net.send(e.message);
          break;
        case "discard":
          this.net.discard(e.message);
          break;
        case "apply":
          this.clients.apply(this.idx(actor(a)), e.index, e.entry);
          break;
        case "reset":
          this.clients.reset(this.idx(actor(a)));
          break;
        case "persist":
          // Power loss right after a disk write: the classic moment to lose volatile state.
          if (this.faults.has("crash") && this.ctx.rng.chance(this.knobs.crashAfterPersist))
            this.outages.crash(this.idx(actor(a)), this.knobs.reboot);
          break;
      }
      if (
        e.type === "send" &&
        e.message.mtype === "RequestVoteResponse" &&
        e.message.mvoteGranted
      ) {
        const k = this.idx(e.message.msource);
        this.electionDeadline[k] = this.electionTimeout(k);
      }
    }
  }
}

/** Entries of `term` after commitIndex (the log's tail holds the leader's own entries). */
function ownUncommitted(log: ReadonlyArray<Entry>, commitIndex: number, term: number): number {
  let n = 0;
  for (let k = log.length; k > commitIndex && (log[k - 1] as Entry).term === term; k--) n++;
  return n;
}

/** The server whose state an action changes. */
const actor = (a: Action): ServerId => ("i" in a ? a.i : a.m.mdest);

/**
 * The invariants read only currentTerm, state, log and commitIndex; a step that changes none of
 * them (a send, a vote count, nextIndex) cannot change their verdict.
 */
function invariantInputsChanged(a: Cluster, b: Cluster): boolean {
  if (a.nodes === b.nodes) return false;
  for (const id of a.env.servers) {
    const x = a.nodes.get(id) as RaftNode;
    const y = b.nodes.get(id) as RaftNode;
    if (
      x !== y &&
      (x.persistent.currentTerm !== y.persistent.currentTerm ||
        x.persistent.log !== y.persistent.log ||
        x.volatile.state !== y.volatile.state ||
        x.volatile.commitIndex !== y.volatile.commitIndex)
    )
      return true;
  }
  return false;
}

const describe = (a: Action): string => `${a.name}${actionParamsJson(a)}`;
