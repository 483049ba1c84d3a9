/**
 * The Raft driver of the simulator: the imperative shell around the pure Raft cluster. Which
 * actions are possible comes from the protocol (`enabledAt`, `receive`: the transitions' own
 * guards); the driver only weights them by what a real deployment adds — election and
 * heartbeat timers, retries, client flow control, crashed servers, the network — lets the
 * engine draw one, performs it and runs its effects (state machines, its own timers).
 */
import * as O from "fp-ts/lib/Option.js";
import type { ServerId } from "../../core/ids.js";
import type { Candidates } from "../../sim/candidates.js";
import { EnabledByProcess } from "../../sim/enabled.js";
import type { SimContext, SimDriver } from "../../sim/engine.js";
import { Outages } from "../../sim/faults.js";
import { Network, type NetworkEvents } from "../../sim/network.js";
import {
  type Action,
  type Cluster,
  enabledAt,
  type Inputs,
  initCluster,
  perform,
  receive,
} from "../cluster.js";
import { type InvariantName, violatedInvariants } from "../invariants.js";
import type { Effect, Entry, Env, Message, RaftNode } from "../types.js";
import { message } from "../values.js";
import { KvClients } from "./clients.js";
import { type Knobs, type SimOptions, topology } from "./options.js";

// Relative weights of the offered actions: elections are rare next to replication and
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

/** Entries of `term` after commitIndex (the log's tail holds the leader's own entries). */
function ownUncommitted(log: ReadonlyArray<Entry>, commitIndex: number, term: number): number {
  let n = 0;
  for (let k = log.length; k > commitIndex && (log[k - 1] as Entry).term === term; k--) n++;
  return n;
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
  private readonly events: NetworkEvents<Message, Action>;
  readonly outages: Outages;
  electionDeadline: number[];
  failedElections: number[];
  lastAe: number[];
  aeAwait: boolean[];
  rvSent: number[];
  readonly clients: KvClients;
  /** Each server's enabled actions (the protocol's enabledAt), while its state is unchanged. */
  private readonly enabled = new EnabledByProcess<RaftNode, Action>((k) =>
    enabledAt(this.state, this.ids[k] as ServerId, this.inputs()),
  );
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
      key: message.json,
    });
    this.events = {
      deliver: (m) => this.delivery(m),
      drop: (m) => ({ name: "DropMessage", m }),
      dup: (m) => ({ name: "DuplicateMessage", m }),
      weights: W,
    };
    this.outages = new Outages(ctx, this.n);
    this.failedElections = this.ids.map(() => 0);
    this.electionDeadline = this.ids.map((_, k) => this.electionTimeout(k));
    this.lastAe = new Array(this.n * this.n).fill(-1e9);
    this.aeAwait = new Array(this.n * this.n).fill(false);
    this.rvSent = new Array(this.n * this.n).fill(-1e9);
    this.clients = new KvClients(this.n);
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

  /** The environment's choices: the next client value, and the reconfiguration targets. */
  private inputs(): Inputs {
    return {
      values: [this.clients.nextId()],
      newConfigs: this.faults.has("reconfig") ? this.newConfigs : [],
    };
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

  /**
   * What server k's timers and flow control make of an enabled action of k: its weight now
   * (0: not now), or for a reconfiguration the group's weight, shared by its targets.
   */
  private weight(k: number, a: Action): number {
    const tick = this.ctx.tick;
    const { n, knobs } = this;
    if (!this.outages.up(k)) return a.name === "Restart" && this.outages.due(k) ? W.restart : 0;
    const node = this.node(k);
    switch (a.name) {
      case "Restart":
        return 0;
      case "Timeout":
        return tick >= (this.electionDeadline[k] as number) ? W.timeout : 0;
      case "RequestVote":
        return tick - (this.rvSent[k * n + this.idx(a.j)] as number) > knobs.retry
          ? W.requestVote
          : 0;
      case "BecomeLeader":
        return W.becomeLeader;
      case "ClientRequest": {
        // Clients wait while a few requests of this leader's term are uncommitted (flow
        // control). Older entries do not count: only a new entry can commit them.
        const p = node.persistent;
        return ownUncommitted(p.log, node.volatile.commitIndex, p.currentTerm) < knobs.maxBacklog &&
          this.clients.commands.size < knobs.maxClientRequests
          ? W.clientRequest
          : 0;
      }
      case "Reconfigure":
        return W.reconfigure;
      case "AppendNewConfig":
        return W.appendNewConfig;
      case "AdvanceCommitIndex":
        return W.advanceCommit;
      case "AppendEntries": {
        const b = k * n + this.idx(a.j);
        const since = tick - (this.lastAe[b] as number);
        const pending = (node.volatile.nextIndex.get(a.j) ?? 1) <= node.persistent.log.length;
        if (this.aeAwait[b]) return since > knobs.retry ? W.retry : 0;
        return pending ? W.appendPending : since >= knobs.heartbeat ? W.heartbeat : 0;
      }
      default:
        return 0;
    }
  }

  /** Server k's enabled actions now. */
  private enabledAt(k: number): ReadonlyArray<Action> {
    return this.enabled.of(k, this.node(k), this.clients.nextId());
  }

  enumerate(out: Candidates<Action>): void {
    for (let k = 0; k < this.n; k++) {
      let targets: Action[] | undefined;
      for (const a of this.enabledAt(k)) {
        if (a.name !== "Reconfigure") out.add(a, this.weight(k, a));
        else if (targets === undefined) {
          // One offer for all of k's targets; which one is drawn once it is picked.
          const group: Action[] = this.enabledAt(k).filter((b) => b.name === "Reconfigure");
          targets = group;
          out.addDrawn(() => this.ctx.rng.pick(group), this.weight(k, a));
        }
      }
    }
    this.net.enumerate(out, this.events);
  }

  /** Delivering m: its receiver's handler, unless the receiver is down or cut off. */
  delivery(m: Message): Action {
    const dest = this.idx(m.mdest);
    if (dest < 0 || !this.outages.up(dest) || this.net.cut(m)) return { name: "DropMessage", m };
    const handler = receive(this.state, m);
    return O.isSome(handler) ? { name: handler.value, m } : { name: "DropMessage", m };
  }

  /** The first tick after now at which a timer lets an enabled action of server k through. */
  private wakeAt(k: number, a: Action): number {
    const { n, knobs } = this;
    if (!this.outages.up(k))
      return a.name === "Restart" ? (this.outages.downUntil[k] as number) : Infinity;
    switch (a.name) {
      case "Timeout":
        return this.electionDeadline[k] as number;
      case "RequestVote":
        return (this.rvSent[k * n + this.idx(a.j)] as number) + knobs.retry + 1;
      case "AppendEntries": {
        const b = k * n + this.idx(a.j);
        return (this.lastAe[b] as number) + (this.aeAwait[b] ? knobs.retry + 1 : knobs.heartbeat);
      }
      default:
        return Infinity;
    }
  }

  /**
   * The first tick at which a timer may let an action through; only called when nothing is
   * offered, so only the timers of enabled actions can be what we wait for.
   */
  nextWake(): number {
    const tick = this.ctx.tick;
    let wake = this.net.nextWake();
    for (let k = 0; k < this.n; k++)
      for (const a of this.enabledAt(k)) {
        const t = this.wakeAt(k, a);
        if (t > tick && t < wake) wake = t;
      }
    return Number.isFinite(wake) ? wake : tick + 1;
  }

  step(a: Action): void {
    if (a.name === "ClientRequest") {
      // The client makes up the command the new value id stands for.
      const v = this.clients.next(this.ctx.rng);
      if (v !== a.v) throw new Error(`client value ${v} offered as ${a.v}`);
    }
    const s = perform(this.state, a);
    if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${a.name}`);
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

/** The server whose state an action changes. */
const actor = (a: Action): ServerId => ("i" in a ? a.i : a.m.mdest);

/**
 * The invariants read only currentTerm, state, log and commitIndex; a step that changes none of
 * them (a send, a vote count, nextIndex) cannot change their verdict, so it is not checked.
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
