/**
 * The deterministic simulator: the imperative shell around the pure Raft cluster. Each step it
 * lists the spec actions a real deployment could take now (timers, RPCs, client requests,
 * operator reconfigurations, network faults), picks one with the seeded PRNG, performs it,
 * runs its effects (state machines, its own bookkeeping), emits one trace event and checks the
 * invariants. Time is counted in ticks; a tick without an enabled action emits nothing.
 */
import * as O from "fp-ts/lib/Option.js";
import type { ServerId } from "../core/ids.js";
import type { KvCommand } from "../core/kv.js";
import { Prng } from "../core/prng.js";
import { actionParamsJson } from "../raft/abstraction.js";
import {
  type Action,
  type ActionName,
  type Cluster,
  type ClusterStep,
  initCluster,
  type MessageActionName,
  perform,
  receive,
} from "../raft/cluster.js";
import { type InvariantName, violatedInvariants } from "../raft/invariants.js";
import { messageJson } from "../raft/itf.js";
import { configIndexOf, configOf, isJoint, isMember, isQuorum } from "../raft/log.js";
import { maxCommittable } from "../raft/node.js";
import type { Effect, Entry, Env, Message, RaftNode } from "../raft/types.js";
import { Candidates } from "./candidates.js";
import { KvClients, type Replica } from "./clients.js";
import { type Knobs, type SimOptions, topology } from "./options.js";

export type { Replica } from "./clients.js";

export interface Violation {
  readonly seed: number;
  /** Index of the event after which the invariants failed. */
  readonly step: number;
  readonly invariants: ReadonlyArray<InvariantName>;
}

export interface SimStats {
  readonly ticks: number;
  readonly actions: Readonly<Partial<Record<ActionName, number>>>;
  readonly maxTerm: number;
  readonly maxCommit: number;
}

export interface SimResult {
  readonly options: SimOptions;
  /** Events after Init. */
  readonly steps: number;
  readonly violation: O.Option<Violation>;
  readonly cluster: Cluster;
  readonly replicas: ReadonlyMap<ServerId, Replica>;
  /** Client value id → the KV command it stands for. */
  readonly commands: ReadonlyMap<string, KvCommand>;
  readonly stats: SimStats;
  /** Values the run used (the spec's Value) and reconfiguration targets (NewConfigs). */
  readonly values: ReadonlyArray<string>;
  readonly newConfigs: ReadonlyArray<ReadonlyArray<ServerId>>;
}

/** Receives each event: its index, the action (undefined for Init) and the post-state. */
export type EventSink = (i: number, action: Action | undefined, next: Cluster) => void;

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

class Simulation {
  readonly rng: Prng;
  readonly env: Env;
  readonly ids: ReadonlyArray<ServerId>;
  readonly n: number;
  readonly newConfigs: ReadonlyArray<ReadonlyArray<ServerId>>;
  readonly faults: ReadonlySet<string>;
  readonly knobs: Knobs;
  cluster: Cluster;
  tick = 0;
  events = 0;
  /** Copies in flight, oldest first: the order "deliver oldest first" follows. */
  queue: Message[] = [];
  electionDeadline: number[];
  failedElections: number[];
  downUntil: number[];
  partition: { side: ReadonlySet<ServerId>; until: number } | undefined;
  lastAe: number[];
  aeAwait: boolean[];
  rvSent: number[];
  readonly clients: KvClients;
  readonly candidates = new Candidates();
  actions: Partial<Record<ActionName, number>> = {};
  maxTerm = 0;
  maxCommit = 0;

  constructor(
    readonly options: SimOptions,
    readonly sink: EventSink | undefined,
  ) {
    const topo = topology(options);
    this.rng = new Prng(options.seed);
    this.env = { servers: topo.servers, initConfig: topo.initConfig, bugs: options.bugs };
    this.ids = topo.servers;
    this.n = topo.servers.length;
    this.newConfigs = topo.newConfigs;
    this.faults = new Set(options.faults);
    this.knobs = options.knobs;
    this.cluster = initCluster(this.env);
    this.failedElections = this.ids.map(() => 0);
    this.electionDeadline = this.ids.map((_, k) => this.electionTimeout(k));
    this.downUntil = this.ids.map(() => -1);
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
      this.tick +
      this.rng.range(
        Math.round(this.knobs.electionTimeout[0] * scale),
        Math.round(this.knobs.electionTimeout[1] * scale),
      )
    );
  }

  node(k: number): RaftNode {
    return this.cluster.nodes.get(this.ids[k] as ServerId) as RaftNode;
  }

  idx(id: ServerId): number {
    return this.ids.indexOf(id);
  }

  up(k: number): boolean {
    return (this.downUntil[k] as number) < 0;
  }

  add(kind: K, a: number, b: number, w: number): void {
    this.candidates.add(kind, a, b, w);
  }

  /** Crashes and partitions start and end with time; they are not spec events themselves. */
  environment(): void {
    if (this.faults.has("crash") && this.rng.chance(this.knobs.crashPerTick))
      this.crash(this.rng.int(this.n));
    if (this.faults.has("partition")) {
      if (this.partition !== undefined && this.tick >= this.partition.until)
        this.partition = undefined;
      else if (this.partition === undefined && this.rng.chance(this.knobs.partitionPerTick)) {
        const side = this.ids.filter(() => this.rng.chance(0.5));
        if (side.length > 0 && side.length < this.n)
          this.partition = {
            side: new Set(side),
            until:
              this.tick +
              this.rng.range(this.knobs.partitionLength[0], this.knobs.partitionLength[1]),
          };
      }
    }
  }

  /** Server k stops for a while; it comes back with a Restart event. */
  crash(k: number, downtime: readonly [number, number] = this.knobs.downtime): void {
    const down = this.downUntil.filter((d) => d >= 0).length;
    // Keep a majority up so that the cluster can make progress.
    if (this.up(k) && 2 * (down + 1) < this.n)
      this.downUntil[k] = this.tick + this.rng.range(downtime[0], downtime[1]);
  }

  cut(m: Message): boolean {
    const p = this.partition;
    return p !== undefined && p.side.has(m.msource) !== p.side.has(m.mdest);
  }

  enumerate(): void {
    this.candidates.clear();
    const { env, n, tick } = this;
    for (let a = 0; a < n; a++) {
      if (!this.up(a)) {
        if (tick >= (this.downUntil[a] as number)) this.add(K.Restart, a, 0, W.restart);
        continue;
      }
      const node = this.node(a);
      const v = node.volatile;
      const log = node.persistent.log;
      const cfg = configOf(env.initConfig, log);
      if (v.state !== "Leader") {
        if (tick >= (this.electionDeadline[a] as number) && isMember(cfg, node.id))
          this.add(K.Timeout, a, 0, W.timeout);
        if (v.state === "Candidate") {
          for (let b = 0; b < n; b++) {
            const j = this.ids[b] as ServerId;
            if (isMember(cfg, j) && !v.votesGranted.includes(j))
              this.add(
                K.RequestVote,
                a,
                b,
                tick - (this.rvSent[a * n + b] as number) > this.knobs.retry ? W.requestVote : 0,
              );
          }
          if (isQuorum(cfg, v.votesGranted)) this.add(K.BecomeLeader, a, 0, W.becomeLeader);
        }
        continue;
      }
      // Clients wait while a few requests of this leader's term are uncommitted (flow
      // control). Older entries do not count: only a new entry can commit them.
      if (ownUncommitted(log, v.commitIndex, node.persistent.currentTerm) < this.knobs.maxBacklog)
        this.add(K.ClientRequest, a, 0, W.clientRequest);
      const committedConfig = configIndexOf(env.initConfig, log) <= v.commitIndex;
      if (this.faults.has("reconfig") && committedConfig && !isJoint(cfg))
        this.add(K.Reconfigure, a, 0, W.reconfigure);
      if (committedConfig && isJoint(cfg)) this.add(K.AppendNewConfig, a, 0, W.appendNewConfig);
      if (maxCommittable(env, node) > 0) this.add(K.AdvanceCommit, a, 0, W.advanceCommit);
      for (let b = 0; b < n; b++) {
        const j = this.ids[b] as ServerId;
        if (b === a || !isMember(cfg, j)) continue;
        const since = tick - (this.lastAe[a * n + b] as number);
        const pending = (v.nextIndex.get(j) ?? 1) <= log.length;
        const w = this.aeAwait[a * n + b]
          ? since > this.knobs.retry
            ? W.retry
            : 0
          : pending
            ? W.appendPending
            : since >= this.knobs.heartbeat
              ? W.heartbeat
              : 0;
        this.add(K.AppendEntries, a, b, w);
      }
    }
    const q = this.queue.length;
    if (q > 0) {
      if (this.faults.has("reorder"))
        for (let k = 0; k < q; k++) this.add(K.Deliver, 0, k, W.deliver / q);
      else this.add(K.Deliver, 0, 0, W.deliver);
      if (this.faults.has("drop")) for (let k = 0; k < q; k++) this.add(K.Drop, 0, k, W.drop / q);
      if (this.faults.has("dup")) for (let k = 0; k < q; k++) this.add(K.Dup, 0, k, W.dup / q);
    }
  }

  /** The action a chosen candidate stands for. */
  toAction(c: number): Action {
    const a = this.candidates.a[c] as number;
    const b = this.candidates.b[c] as number;
    const i = this.ids[a] as ServerId;
    const j = this.ids[b] as ServerId;
    switch (this.candidates.kind[c] as K) {
      case K.Restart:
        return { name: "Restart", i };
      case K.Timeout:
        return { name: "Timeout", i };
      case K.RequestVote:
        return { name: "RequestVote", i, j };
      case K.BecomeLeader:
        return { name: "BecomeLeader", i };
      case K.ClientRequest:
        return { name: "ClientRequest", i, v: this.clients.next(this.rng) };
      case K.Reconfigure: {
        const current = configOf(this.env.initConfig, this.node(a).persistent.log).new;
        const targets = this.newConfigs.filter((s) => s.join() !== current.join());
        return { name: "Reconfigure", i, newSet: this.rng.pick(targets) };
      }
      case K.AppendNewConfig:
        return { name: "AppendNewConfig", i };
      case K.AppendEntries:
        return { name: "AppendEntries", i, j };
      case K.AdvanceCommit:
        return { name: "AdvanceCommitIndex", i };
      case K.Deliver:
        return this.delivery(this.queue[b] as Message);
      case K.Drop:
        return { name: "DropMessage", m: this.queue[b] as Message };
      case K.Dup:
        return { name: "DuplicateMessage", m: this.queue[b] as Message };
    }
  }

  /** Delivering m: its receiver's handler, unless the receiver is down or cut off. */
  delivery(m: Message): Action {
    const dest = this.idx(m.mdest);
    if (dest < 0 || !this.up(dest) || this.cut(m)) return { name: "DropMessage", m };
    return O.match(
      (): Action => ({ name: "DropMessage", m }),
      (name: MessageActionName): Action => ({ name, m }),
    )(receive(this.cluster, m));
  }

  /**
   * The first tick at which a timer may enable an action; only called when none is enabled, so
   * it follows enumerate's conditions (a deadline already past cannot be what we wait for).
   */
  nextWake(): number {
    const { n, knobs, tick } = this;
    let wake = this.partition?.until ?? Number.POSITIVE_INFINITY;
    const at = (t: number) => {
      if (t > tick && t < wake) wake = t;
    };
    for (let a = 0; a < n; a++) {
      if (!this.up(a)) {
        at(this.downUntil[a] as number);
        continue;
      }
      const node = this.node(a);
      const v = node.volatile;
      const cfg = configOf(this.env.initConfig, node.persistent.log);
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

  /** Pick the next action: the oldest message is dropped first while the bag is over its cap. */
  choose(): Action | undefined {
    const m = this.queue[0];
    if (m !== undefined && this.cluster.messages.size > this.options.maxMessages)
      return { name: "DropMessage", m };
    this.enumerate();
    const c = this.candidates.pick(this.rng);
    return c < 0 ? undefined : this.toAction(c);
  }

  /** Bookkeeping before the action: timers and flow control a real server keeps. */
  before(a: Action): void {
    const n = this.n;
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
        this.downUntil[k] = -1;
        this.electionDeadline[k] = this.electionTimeout(k);
        for (let b = 0; b < n; b++) {
          this.aeAwait[k * n + b] = false;
          this.lastAe[k * n + b] = -1e9;
        }
        break;
      }
      case "RequestVote":
        this.rvSent[this.idx(a.i) * n + this.idx(a.j)] = this.tick;
        break;
      case "AppendEntries": {
        const k = this.idx(a.i) * n + this.idx(a.j);
        this.lastAe[k] = this.tick;
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
  after(a: Action, effects: ReadonlyArray<Effect>): void {
    for (const e of effects) {
      switch (e.type) {
        case "send":
          this.queue.push(e.message);
          break;
        case "discard": {
          const key = messageJson(e.message);
          const k = this.queue.findIndex((m) => messageJson(m) === key);
          if (k >= 0) this.queue.splice(k, 1);
          break;
        }
        case "apply":
          this.clients.apply(this.idx(actor(a)), e.index, e.entry);
          break;
        case "reset":
          this.clients.reset(this.idx(actor(a)));
          break;
        case "persist":
          // Power loss right after a disk write: the classic moment to lose volatile state.
          if (this.faults.has("crash") && this.rng.chance(this.knobs.crashAfterPersist))
            this.crash(this.idx(actor(a)), this.knobs.reboot);
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

  run(): SimResult {
    this.sink?.(0, undefined, this.cluster);
    let violation: O.Option<Violation> = O.none;
    const limit = this.options.steps;
    while (this.events < limit) {
      this.tick++;
      this.environment();
      const a = this.choose();
      if (a === undefined) {
        // Nothing can happen before the next timer fires: skip the idle ticks (no crash or
        // partition starts while the cluster idles).
        this.tick = Math.max(this.tick, this.nextWake() - 1);
        continue;
      }
      const s = perform(this.cluster, a);
      if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${describe(a)}`);
      this.before(a);
      const prev = this.cluster;
      this.commit(a, s.value);
      if (this.options.invariants.length > 0 && invariantInputsChanged(prev, this.cluster)) {
        const bad = violatedInvariants(this.cluster, this.options.invariants);
        if (bad.length > 0) {
          violation = O.some({ seed: this.options.seed, step: this.events, invariants: bad });
          break;
        }
      }
    }
    return {
      options: this.options,
      steps: this.events,
      violation,
      cluster: this.cluster,
      replicas: new Map(this.ids.map((id, k) => [id, this.clients.replica(k)])),
      commands: this.clients.commands,
      stats: {
        ticks: this.tick,
        actions: this.actions,
        maxTerm: this.maxTerm,
        maxCommit: this.maxCommit,
      },
      values: [...this.clients.commands.keys()],
      newConfigs: this.newConfigs,
    };
  }

  commit(a: Action, s: ClusterStep): void {
    this.cluster = s.next;
    this.after(a, s.effects);
    this.events++;
    this.actions[a.name] = (this.actions[a.name] ?? 0) + 1;
    if ("i" in a) {
      const node = this.cluster.nodes.get(a.i) as RaftNode;
      this.maxTerm = Math.max(this.maxTerm, node.persistent.currentTerm);
      this.maxCommit = Math.max(this.maxCommit, node.volatile.commitIndex);
    } else {
      const node = this.cluster.nodes.get(a.m.mdest) as RaftNode;
      this.maxTerm = Math.max(this.maxTerm, node.persistent.currentTerm);
      this.maxCommit = Math.max(this.maxCommit, node.volatile.commitIndex);
    }
    this.sink?.(this.events, a, this.cluster);
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

/** Run one simulation. `sink` sees every event, Init first. */
export const simulate = (options: SimOptions, sink?: EventSink): SimResult =>
  new Simulation(options, sink).run();
