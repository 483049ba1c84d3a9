/**
 * The Raft driver of the simulator: the imperative shell around the pure Raft cluster. Which
 * actions are possible comes from the protocol (`enabledAt`, `receive`: the transitions' own
 * guards); the driver only weights them by what a real deployment adds — election and
 * heartbeat timers, retries, client flow control, crashed servers, the network — lets the
 * engine draw one, performs it and runs its effects (state machines, its own timers).
 */
import * as O from "fp-ts/lib/Option.js";
import type { ServerId, ValueId } from "../../core/ids.js";
import { mapWith } from "../../core/maps.js";
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
import { PersistentState } from "../codec.js";
import { type InvariantName, violatedInvariants } from "../invariants.js";
import { commandsOf, lastIndex, snapshotOf } from "../log.js";
import { initialPersistent } from "../node.js";
import { readyOf } from "../ready.js";
import {
  allows,
  appendReason,
  initTimers,
  observe,
  type TimerConfig,
  type Timers,
  wakeAt,
} from "../timers.js";
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
  resend: 6,
  reconfigure: 0.08,
  appendNewConfig: 20,
  appendPending: 6,
  heartbeat: 3,
  retry: 1,
  advanceCommit: 30,
  compact: 10,
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
  /** The faults switched on (shared with the network): `calm` empties it. */
  readonly faults: Set<string>;
  /** After `calm`: no new faults, and clients resend what was lost. */
  calmed = false;
  /** Commands a client will resend (original value ids), oldest first. */
  private readonly resend: ValueId[] = [];
  readonly knobs: Knobs;
  state: Cluster;
  private changed = false;
  readonly net: Network<Message>;
  private readonly events: NetworkEvents<Message, Action>;
  readonly outages: Outages;
  /** Each server's timers (the protocol's tick handling, src/raft/timers.ts). */
  timers: Timers[];
  readonly timerConfig: TimerConfig;
  /**
   * Each server's simulated disk: its persistent state as the io-ts codec writes it (JSON
   * text); a Restart reads the state back from here.
   */
  readonly disk: string[];
  /** The state each disk holds, as the object that was written (to check persist-before-send). */
  private readonly persisted: PersistentState[];
  /** Messages lost because their sender crashed after persisting, before sending them. */
  private readonly lost: Message[] = [];
  /** Events at which a server sent messages while its disk lagged behind its state. */
  readonly unpersistedSends: { readonly step: number; readonly action: Action["name"] }[] = [];
  private stepCount = 0;
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
    // The timeout range grows with the cluster (N/3): more timers share it.
    const scale = Math.max(1, this.n / 3);
    this.timerConfig = {
      electionTimeout: [
        Math.round(this.knobs.electionTimeout[0] * scale),
        Math.round(this.knobs.electionTimeout[1] * scale),
      ],
      maxBackoff: 3,
      heartbeat: this.knobs.heartbeat,
      retry: this.knobs.retry,
    };
    this.timers = this.ids.map(() => initTimers(this.timerConfig, ctx.rng.nextU32(), ctx.tick));
    const empty = JSON.stringify(PersistentState.encode(initialPersistent));
    this.disk = this.ids.map(() => empty);
    this.persisted = this.ids.map(() => initialPersistent);
    this.clients = new KvClients(this.n);
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
    if (this.calmed) {
      this.resendLost();
      return;
    }
    const { rng } = this.ctx;
    if (this.faults.has("crash") && rng.chance(this.knobs.crashPerTick))
      this.outages.crash(rng.int(this.n), this.knobs.downtime);
    this.net.environment(this.ids, this.knobs.partitionPerTick, this.knobs.partitionLength);
  }

  /**
   * Stop every fault: no new crash, partition, drop, duplicate, reorder or reconfiguration
   * (crashed servers still come back when their downtime ends, a partition heals now).
   * From now on a client resends a command whose entry the current leader's log lacks (its
   * entry was lost with a deposed leader's log), as a real client does after a timeout.
   */
  calm(): void {
    this.faults.clear();
    this.net.partition = undefined;
    this.calmed = true;
  }

  /** The original ids of the commands no server has committed yet. */
  uncommitted(): ReadonlySet<ValueId> {
    const done = new Set<ValueId>();
    for (const node of this.state.nodes.values())
      for (const c of commandsOf(
        snapshotOf(node.persistent),
        node.persistent.log,
        Math.min(node.volatile.commitIndex, lastIndex(node.persistent)),
      ))
        if (c.value !== null) done.add(this.clients.originalOf(c.value));
    const out = new Set<ValueId>();
    for (const id of this.clients.commands.keys())
      if (!this.clients.retryOf.has(id) && !done.has(id)) out.add(id);
    return out;
  }

  /** A live leader: a server up, in state Leader, of the highest term among the live ones. */
  leader(): RaftNode | undefined {
    let best: RaftNode | undefined;
    let maxTerm = -1;
    this.ids.forEach((_, k) => {
      if (!this.outages.up(k)) return;
      const node = this.node(k);
      maxTerm = Math.max(maxTerm, node.persistent.currentTerm);
      if (node.volatile.state === "Leader") best = node;
    });
    return best !== undefined && best.persistent.currentTerm === maxTerm ? best : undefined;
  }

  /** After calm: queue a resend of each uncommitted command the leader's log does not hold. */
  private resendLost(): void {
    const leader = this.leader();
    if (leader === undefined) return;
    const held = new Set<ValueId>();
    for (const c of commandsOf(
      snapshotOf(leader.persistent),
      leader.persistent.log,
      lastIndex(leader.persistent),
    ))
      if (c.value !== null) held.add(this.clients.originalOf(c.value));
    for (const id of this.uncommitted())
      if (!held.has(id) && !this.resend.includes(id)) this.resend.push(id);
  }

  /** The oldest message is dropped first while the bag is over its cap. */
  forced(): Action | undefined {
    // Messages of a batch its sender did not get to send before it crashed.
    while (this.lost.length > 0) {
      const m = this.lost.shift() as Message;
      if (this.net.queue.includes(m)) return { name: "DropMessage", m };
    }
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
    const { knobs } = this;
    if (!this.outages.up(k)) return a.name === "Restart" && this.outages.due(k) ? W.restart : 0;
    const node = this.node(k);
    const timers = this.timers[k] as Timers;
    switch (a.name) {
      case "Restart":
        return 0;
      case "Timeout":
        return allows(this.timerConfig, timers, node, a, tick) ? W.timeout : 0;
      case "RequestVote":
        return allows(this.timerConfig, timers, node, a, tick) ? W.requestVote : 0;
      case "BecomeLeader":
        return W.becomeLeader;
      case "ClientRequest": {
        // Clients wait while a few requests of this leader's term are uncommitted (flow
        // control). Older entries do not count: only a new entry can commit them.
        const p = node.persistent;
        if (this.resend.length > 0) return W.resend;
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
      case "CompactLog":
        return node.volatile.commitIndex - snapshotOf(node.persistent).index >= knobs.snapshotEvery
          ? W.compact
          : 0;
      case "AppendEntries":
      case "InstallSnapshot": {
        const why = appendReason(this.timerConfig, timers, node, a.j, tick);
        return why === "retry"
          ? W.retry
          : why === "pending"
            ? W.appendPending
            : why === "heartbeat"
              ? W.heartbeat
              : 0;
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
    if (!this.outages.up(k))
      return a.name === "Restart" ? (this.outages.downUntil[k] as number) : Infinity;
    return wakeAt(this.timerConfig, this.timers[k] as Timers, a);
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
      // The client makes up the command the new value id stands for, or resends one.
      const again = this.resend.shift();
      const v = again === undefined ? this.clients.next(this.ctx.rng) : this.clients.retry(again);
      if (v !== a.v) throw new Error(`client value ${v} offered as ${a.v}`);
    }
    const s = perform(this.state, a);
    if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${a.name}`);
    const k = this.idx(actor(a));
    const before = this.node(k);
    const prev = this.state;
    this.state = s.value.next;
    this.stepCount++;
    const effects =
      this.options.forgetPersist === a.name
        ? s.value.effects.filter((e) => e.type !== "persist")
        : s.value.effects;
    if (a.name === "Restart") this.outages.restarted(k);
    if (a.name !== "DropMessage" && a.name !== "DuplicateMessage")
      this.timers[k] = observe(
        this.timerConfig,
        this.timers[k] as Timers,
        before,
        a,
        effects,
        this.ctx.tick,
      );
    this.perform(a, k, effects);
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

  /**
   * Perform the runtime's share of the step as a ready batch: persist to the simulated disk
   * (through the codec), then send, then apply. A restart reads its persistent state back from
   * the disk. A crash right after the disk write (Jepsen-style) loses the rest of the batch:
   * the messages not yet sent are dropped, the entries not applied.
   */
  private perform(a: Action, k: number, effects: ReadonlyArray<Effect>): void {
    if (a.name === "DropMessage" || a.name === "DuplicateMessage") {
      // The network's own faults: no server is involved.
      for (const e of effects)
        if (e.type === "discard") this.net.discard(e.message);
        else if (e.type === "send") this.net.send(e.message);
      return;
    }
    const ready = readyOf(effects);
    for (const e of effects) if (e.type === "discard") this.net.discard(e.message);
    if (O.isSome(ready.persist)) {
      this.disk[k] = JSON.stringify(PersistentState.encode(ready.persist.value));
      this.persisted[k] = ready.persist.value;
    }
    if (a.name === "Restart") this.restartFromDisk(k);
    if (
      O.isSome(ready.persist) &&
      this.faults.has("crash") &&
      this.ctx.rng.chance(this.knobs.crashAfterPersist)
    ) {
      this.outages.crash(k, this.knobs.reboot);
      if (!this.outages.up(k)) {
        // Some of the batch's messages may have got out before the crash; the rest are
        // dropped (forced) before anything else happens.
        const sent = this.ctx.rng.int(ready.messages.length + 1);
        ready.messages.forEach((m, x) => {
          this.net.send(m);
          if (x >= sent) this.lost.push(m);
        });
        return;
      }
    }
    if (ready.messages.length > 0 && this.node(k).persistent !== this.persisted[k])
      this.unpersistedSends.push({ step: this.stepCount, action: a.name });
    for (const m of ready.messages) this.net.send(m);
    if (ready.reset) this.clients.reset(k);
    if (O.isSome(ready.restore)) this.clients.restore(k, ready.restore.value);
    for (const x of ready.apply) this.clients.apply(k, x.index, x.entry);
  }

  /** Server k's persistent state as its disk has it: what a restart comes back with. */
  private restartFromDisk(k: number): void {
    const decoded = PersistentState.decode(JSON.parse(this.disk[k] as string));
    if (decoded._tag === "Left")
      throw new Error(`simulated disk of ${this.ids[k]} does not decode`);
    const node = this.node(k);
    const persistent = sameEncoding(decoded.right, node.persistent)
      ? node.persistent
      : decoded.right;
    this.persisted[k] = persistent;
    if (persistent !== node.persistent)
      this.state = {
        ...this.state,
        nodes: mapWith(this.state.nodes, node.id, { ...node, persistent }),
      };
  }
}

const sameEncoding = (a: PersistentState, b: PersistentState): boolean =>
  JSON.stringify(PersistentState.encode(a)) === JSON.stringify(PersistentState.encode(b));

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
        x.persistent.snapshot !== y.persistent.snapshot ||
        x.volatile.state !== y.volatile.state ||
        x.volatile.commitIndex !== y.volatile.commitIndex)
    )
      return true;
  }
  return false;
}
