/**
 * The Paxos driver of the simulator: the imperative shell around the pure PMMC cluster. Which
 * actions are possible comes from the protocol (`enabledAtReplica`, `enabledAtLeader`,
 * `receive`: the transitions' own guards), and when a leader times out from the protocol's
 * timers (src/paxos/timers.ts); the driver only weights them by what a real deployment adds —
 * clients and their retries, crashed processes with their disks, the network — lets the engine
 * draw one, performs it and runs its work as a ready batch (src/paxos/ready.ts): persist to a
 * simulated disk through the codec, then send, then apply.
 *
 * Opt-in (`SimOptions.sites`), a wide-area deployment: the network's links take time, clients
 * sit at sites and send on their own clock, and the driver records commit latency; without it
 * a run draws and does exactly what it did before the time model existed.
 */
import * as O from "fp-ts/lib/Option.js";
import { sameIdSet, type ValueId } from "../../core/ids.js";
import { mapWith } from "../../core/maps.js";
import type { Candidates } from "../../sim/candidates.js";
import { EnabledByProcess } from "../../sim/enabled.js";
import type { SimContext, SimDriver } from "../../sim/engine.js";
import { type Fault, Outages } from "../../sim/faults.js";
import { Network, type NetworkEvents } from "../../sim/network.js";
import {
  type Action,
  type Cluster,
  enabledAtLeader,
  enabledAtReplica,
  type Inputs,
  initCluster,
  perform,
  receive,
} from "../cluster.js";
import { AcceptorPersistent, LeaderPersistent } from "../codec.js";
import { invariantNames, violatedInvariants, violatedStepProperties } from "../invariants.js";
import {
  clientCommand,
  commandEquals,
  compareBallots,
  isReconfig,
  reconfigCommand,
} from "../operators.js";
import { readyOf } from "../ready.js";
import { allows, initTimers, observe, type TimerConfig, type Timers, wakeAt } from "../timers.js";
import type {
  AcceptorState,
  Command,
  Effect,
  LeaderState,
  Message,
  ReplicaState,
} from "../types.js";
import { command, message } from "../values.js";
import { PaxosClients } from "./clients.js";
import {
  type CheckName,
  type Knobs,
  linkLatency,
  type SimOptions,
  type Sites,
  siteCount,
  topology,
} from "./options.js";

// Relative weights of the offered actions: delivery and local work (proposing, performing)
// outpace new client requests, so slots get decided; timeouts and restarts, once due, are prompt.
const W = {
  restart: 50,
  timeout: 20,
  newCommand: 1.5,
  clientCopy: 6,
  propose: 10,
  perform: 30,
  report: 10,
  resend: 10,
  deliver: 12,
  drop: 0.3,
  dup: 0.3,
} as const;

/** Slots a replica performs between two reports of its slotOut to the acceptors. */
const REPORT_EVERY = 8;

/**
 * A replica resends a proposal still undecided after this many stalls of a leader since it last
 * sent it: long enough that a leader which has it would have got it decided by then.
 */
const RESEND_AFTER_STALLS = 2;

/** Where a process lives in the driver's per-role books. */
interface Place {
  readonly out: Outages;
  readonly k: number;
}

export class PaxosDriver implements SimDriver<Cluster, Action, CheckName> {
  state: Cluster;
  readonly newLeaderSets: ReadonlyArray<ReadonlyArray<string>>;
  readonly replicaIds: ReadonlyArray<string>;
  readonly leaderIds: ReadonlyArray<string>;
  readonly acceptorIds: ReadonlyArray<string>;
  readonly allIds: ReadonlyArray<string>;
  readonly faults: ReadonlySet<Fault>;
  readonly knobs: Knobs;
  readonly net: Network<Message>;
  private readonly events: NetworkEvents<Message, Action>;
  readonly replicaOut: Outages;
  readonly leaderOut: Outages;
  readonly acceptorOut: Outages;
  private readonly place = new Map<string, Place>();
  /** Each leader's timers (the protocol's tick handling, src/paxos/timers.ts). */
  timers: Timers[];
  readonly timerConfig: TimerConfig;
  /**
   * Each leader's and acceptor's simulated disk: its persistent state as the io-ts codec writes
   * it (JSON text); a restart reads the state back from here.
   */
  readonly disk = new Map<string, string>();
  /** The state each disk holds, as the object that was written (to check persist-before-send). */
  private readonly persisted = new Map<string, object>();
  /** Messages lost because their sender crashed after persisting, before sending them. */
  private readonly lost: Message[] = [];
  /** Events at which a process sent messages while its disk lagged behind its state. */
  readonly unpersistedSends: { readonly step: number; readonly action: Action["name"] }[] = [];
  /** Restarts that came back with a state other than the one in memory (a persist was lost). */
  readonly regressions: { readonly tick: number; readonly id: string }[] = [];
  private stepCount = 0;
  /** Per replica: client requests sent to it and not yet received (clients retry while it is down). */
  readonly inbox: Command[][];
  /** Per replica: the slotOut it last reported (ReportExecuted), every REPORT_EVERY slots. */
  readonly reportedOut: number[];
  /** Per replica and slot (`r:slot`): the tick it last sent its proposal for the slot. */
  private readonly proposedAt = new Map<string, number>();
  readonly clients: PaxosClients;
  /** Each replica's enabled actions (the protocol's), while its state and inbox are unchanged. */
  private readonly enabled = new EnabledByProcess<ReplicaState, Action>((k) =>
    enabledAtReplica(this.state, this.replicaIds[k] as string, this.inputs(k)),
  );
  /** The command a client made up for a picked offer, until its ClientRequest is performed. */
  private fresh: Command | undefined;
  private issued = 0;
  private prev: Cluster;
  /** The last step changed something the invariants or step properties read. */
  private changed = true;
  private readonly stateChecks: ReadonlyArray<(typeof invariantNames)[number]>;
  private readonly stepChecks: ReadonlySet<string>;
  maxBallot = 0;
  /** With sites: per client site, the tick its client sends its next command. */
  readonly nextArrival: number[];
  /** With sites: value id → the site (replica index) whose client sent it, and when it arrived. */
  readonly arrivals = new Map<ValueId, { readonly site: number; readonly tick: number }>();
  /**
   * With sites, commit latencies in ticks: per client command, from its arrival at its site's
   * replica to that replica performing it, in the order they were performed.
   */
  readonly latencies: number[] = [];
  private readonly sites: Sites | undefined;

  constructor(
    private readonly ctx: SimContext,
    readonly options: SimOptions,
  ) {
    const topo = topology(options);
    this.newLeaderSets = topo.newLeaderSets;
    this.state = initCluster(topo.env);
    this.prev = this.state;
    this.replicaIds = topo.env.replicas;
    this.leaderIds = topo.env.leaderOrder;
    this.acceptorIds = topo.env.acceptors;
    this.allIds = [...this.replicaIds, ...this.leaderIds, ...this.acceptorIds];
    this.faults = new Set(options.faults);
    this.knobs = options.knobs;
    this.sites = options.sites;
    this.net = new Network(
      ctx,
      this.faults,
      { source: (m) => m.msource, dest: (m) => m.mdest, key: message.json },
      this.sites === undefined ? undefined : linkLatency(this.sites, siteCount(options)),
    );
    this.events = {
      deliver: (m) => this.delivery(m),
      drop: (m) => ({ name: "DropMessage", m }),
      dup: (m) => ({ name: "DuplicateMessage", m }),
      weights: W,
    };
    // A quorum of acceptors stays up; one leader and one replica suffice to make progress.
    this.replicaOut = new Outages(ctx, this.replicaIds.length, this.replicaIds.length - 1);
    this.leaderOut = new Outages(ctx, this.leaderIds.length, this.leaderIds.length - 1);
    this.acceptorOut = new Outages(ctx, this.acceptorIds.length);
    for (const [ids, out] of [
      [this.replicaIds, this.replicaOut],
      [this.leaderIds, this.leaderOut],
      [this.acceptorIds, this.acceptorOut],
    ] as const)
      ids.forEach((id, k) => {
        this.place.set(id, { out, k });
      });
    this.timerConfig = {
      boot: this.knobs.ping,
      backoff: this.knobs.backoff,
      stall: this.knobs.stall,
      maxBackoff: 3,
      window: topo.env.window,
      replicas: topo.env.replicas,
      // A P2a, its P2b and about one decision per acceptor.
      perMessage: 3,
      rttFactor: this.knobs.rttFactor,
    };
    // Leaders boot with timers scaled by rank, so that l1 usually scouts alone.
    this.timers = this.leaderIds.map((_, k) =>
      initTimers(this.timerConfig, ctx.rng.nextU32(), k + 1, ctx.tick),
    );
    for (const l of this.state.leaders.values())
      this.writeDisk(l.id, JSON.stringify(LeaderPersistent.encode(l.persistent)), l.persistent);
    for (const a of this.state.acceptors.values())
      this.writeDisk(a.id, JSON.stringify(AcceptorPersistent.encode(a.persistent)), a.persistent);
    this.inbox = this.replicaIds.map(() => []);
    this.reportedOut = this.replicaIds.map(() => 1);
    this.clients = new PaxosClients(this.replicaIds.length);
    // Drawn only with sites, so that a run without them draws what it always drew.
    const s = this.sites;
    this.nextArrival =
      s === undefined
        ? []
        : this.replicaIds.slice(0, s.clientSites).map(() => 1 + this.draw(s.arrival));
    this.stateChecks = invariantNames.filter((n) => options.invariants.includes(n));
    this.stepChecks = new Set(options.invariants);
  }

  private draw(range: readonly [number, number]): number {
    return this.ctx.rng.range(range[0], range[1]);
  }

  private writeDisk(id: string, text: string, state: object): void {
    this.disk.set(id, text);
    this.persisted.set(id, state);
  }

  replica(k: number): ReplicaState {
    return this.state.replicas.get(this.replicaIds[k] as string) as ReplicaState;
  }

  leader(k: number): LeaderState {
    return this.state.leaders.get(this.leaderIds[k] as string) as LeaderState;
  }

  up(id: string): boolean {
    const p = this.place.get(id);
    return p?.out.up(p.k) ?? false;
  }

  /** The partition separates x from y. */
  cutOff(x: string, y: string): boolean {
    const p = this.net.partition;
    return p !== undefined && p.side.has(x) !== p.side.has(y);
  }

  /** Crashes, recoveries and partitions happen with time; they are not spec events. */
  environment(): void {
    const { rng } = this.ctx;
    if (!this.calmed && this.faults.has("crash") && rng.chance(this.knobs.crashPerTick)) {
      const p = this.place.get(rng.pick(this.allIds)) as Place;
      p.out.crash(p.k, this.knobs.downtime);
    }
    // Replicas keep their state while down and simply resume (no spec event); an acceptor comes
    // back with what its disk holds, which is its state unless a persist was lost.
    for (let k = 0; k < this.replicaOut.n; k++)
      if (this.replicaOut.due(k)) this.replicaOut.restarted(k);
    for (let k = 0; k < this.acceptorOut.n; k++)
      if (this.acceptorOut.due(k)) {
        this.acceptorOut.restarted(k);
        this.acceptorFromDisk(this.acceptorIds[k] as string);
      }
    this.net.environment(this.allIds, this.knobs.partitionPerTick, this.knobs.partitionLength);
    if (this.sites !== undefined) this.siteClients(this.sites);
  }

  /** After `calm`: no new faults, and a partition heals now (crashed processes still return). */
  calmed = false;

  /**
   * Stop every fault: no new crash, partition, drop, duplicate, reorder or reconfiguration.
   * `faults` is the network's set too, so emptying it stops the network's faults.
   */
  calm(): void {
    (this.faults as Set<Fault>).clear();
    this.net.partition = undefined;
    this.calmed = true;
  }

  /** The client operations no replica has executed yet. */
  unexecuted(): ReadonlySet<ValueId> {
    const done = new Set<ValueId>();
    for (const r of this.state.replicas.values())
      for (const c of r.executed) if (c.op !== null) done.add(c.op);
    return new Set([...this.clients.commands.keys()].filter((v) => !done.has(v)));
  }

  /**
   * The leader that can get slots decided: up, active, and with a ballot no acceptor has
   * promised to exceed (ballots are unique, so there is one at most).
   */
  leading(): LeaderState | undefined {
    const { env } = this.state;
    return this.leaderIds
      .map((_, k) => this.leader(k))
      .find(
        (l, k) =>
          this.leaderOut.up(k) &&
          l.volatile.active &&
          [...this.state.acceptors.values()].every(
            (a) => compareBallots(env, a.persistent.acceptorBallot, l.persistent.ballotNum) <= 0,
          ),
      );
  }

  /**
   * Slots some replica waits for that nothing may decide any more: every replica has proposed
   * past it, no majority of acceptors holds a pvalue for it (a scout may miss a minority's), no
   * leader that is up holds a proposal, pvalue or commander for it, and no message in flight
   * names it. The spec's replicas propose a slot once and never again, so a slot whose proposals
   * were all lost (dropped, or held only by leaders that restarted) stays undecided for good.
   */
  holes(): ReadonlyArray<number> {
    // A scout learns a slot's pvalue for sure only when a majority of acceptors hold one.
    const holders = new Map<number, number>();
    for (const a of this.state.acceptors.values())
      for (const p of a.persistent.accepted) holders.set(p.slot, (holders.get(p.slot) ?? 0) + 1);
    const known = new Set<number>();
    for (const [slot, n] of holders) if (2 * n > this.acceptorIds.length) known.add(slot);
    this.leaderIds.forEach((_, k) => {
      if (!this.leaderOut.up(k)) return;
      const v = this.leader(k).volatile;
      for (const p of [...v.proposals, ...v.scoutPvalues, ...v.commanders]) known.add(p.slot);
    });
    for (const m of this.net.queue)
      if (m.mtype === "p1b") for (const p of m.maccepted) known.add(p.slot);
      else if (m.mtype !== "p1a") known.add(m.mslot);
    // A replica resends the proposals it holds (unless resending is off).
    const replicas = [...this.state.replicas.values()];
    if (!this.options.noResend)
      for (const r of replicas) for (const p of r.proposals) known.add(p.slot);
    // A replica that has not reached slot s yet may still propose it.
    const proposed = Math.min(...replicas.map((r) => r.slotIn));
    const out = new Set<number>();
    for (const r of replicas)
      for (let s = r.slotOut; s < proposed; s++)
        if (!known.has(s) && !r.decisions.some((d) => d.slot === s)) out.add(s);
    return [...out].sort((a, b) => a - b);
  }

  /** Acceptor `id`'s state as its disk has it: what a restart comes back with. */
  private acceptorFromDisk(id: string): void {
    const decoded = AcceptorPersistent.decode(JSON.parse(this.disk.get(id) as string));
    if (decoded._tag === "Left") throw new Error(`simulated disk of ${id} does not decode`);
    const a = this.state.acceptors.get(id) as AcceptorState;
    if (sameText(AcceptorPersistent.encode(decoded.right), AcceptorPersistent.encode(a.persistent)))
      return;
    // Out of band: no spec action changes an acceptor's state like this, so a trace of the run
    // no longer validates from here, and the step properties see the regression.
    this.regressions.push({ tick: this.ctx.tick, id });
    this.persisted.set(id, decoded.right);
    this.outOfBand = this.outOfBand ?? this.state;
    this.state = {
      ...this.state,
      acceptors: mapWith(this.state.acceptors, id, { id, persistent: decoded.right }),
    };
  }

  /** Leader `id`'s ballot as its disk has it: what RestartLeader starts from. */
  private leaderFromDisk(id: string): void {
    const decoded = LeaderPersistent.decode(JSON.parse(this.disk.get(id) as string));
    if (decoded._tag === "Left") throw new Error(`simulated disk of ${id} does not decode`);
    const l = this.state.leaders.get(id) as LeaderState;
    if (sameText(LeaderPersistent.encode(decoded.right), LeaderPersistent.encode(l.persistent)))
      return;
    this.regressions.push({ tick: this.ctx.tick, id });
    this.persisted.set(id, decoded.right);
    this.outOfBand = this.outOfBand ?? this.state;
    this.state = {
      ...this.state,
      leaders: mapWith(this.state.leaders, id, { ...l, persistent: decoded.right }),
    };
  }

  /** The state before an out-of-band change since the last step (what the step checks compare). */
  private outOfBand: Cluster | undefined;

  /**
   * With sites: each client site's client sends its next command, when due and the backlog
   * allows, to its site's replica (it arrives there now).
   */
  private siteClients(s: Sites): void {
    const tick = this.ctx.tick;
    for (let j = 0; j < this.nextArrival.length; j++) {
      if (tick < (this.nextArrival[j] as number)) continue;
      if (this.backlog() < this.knobs.maxBacklog) {
        const c = this.newCommand(j);
        if (c.op !== null) {
          this.issued++;
          this.arrivals.set(c.op, { site: j, tick });
        }
        (this.inbox[j] as Command[]).push(c);
      }
      this.nextArrival[j] = tick + this.draw(s.arrival);
    }
  }

  /** The oldest message is dropped first while the bag is over its cap. */
  forced(): Action | undefined {
    // Messages of a batch its sender did not get to send before it crashed.
    while (this.lost.length > 0) {
      const m = this.lost.shift() as Message;
      if (this.net.queue.includes(m)) return { name: "DropMessage", m };
    }
    const m = this.net.queue[0];
    return m !== undefined && !this.calmed && this.state.messages.size > this.options.maxMessages
      ? { name: "DropMessage", m }
      : undefined;
  }

  /** Client commands issued and not yet executed by the most advanced replica. */
  backlog(): number {
    let executed = 0;
    for (const r of this.state.replicas.values()) executed = Math.max(executed, r.executed.length);
    return this.issued - executed;
  }

  /**
   * The commands clients offer replica k: the oldest copy of a request sent to it (a fresh
   * command is made up only once its offer is picked).
   */
  private inputs(k: number): Inputs {
    const head = (this.inbox[k] as Command[])[0];
    return { commands: head === undefined ? [] : [head] };
  }

  /** Replica k's enabled actions now. */
  private replicaActions(k: number): ReadonlyArray<Action> {
    const head = (this.inbox[k] as Command[])[0];
    return this.enabled.of(k, this.replica(k), head === undefined ? "" : command.json(head));
  }

  /** What leader k's timers and outage make of its enabled action `a`: its weight. */
  private leaderWeight(k: number, a: Action): number {
    const up = this.leaderOut.up(k);
    switch (a.name) {
      case "RestartLeader":
        return !up && this.leaderOut.due(k) ? W.restart : 0;
      case "LeaderTimeout":
        return up &&
          allows(this.timerConfig, this.timers[k] as Timers, this.leader(k), a, this.ctx.tick)
          ? W.timeout
          : 0;
      default:
        return 0;
    }
  }

  enumerate(out: Candidates<Action>): void {
    // With sites, clients send on their own clock (environment), not as offered events.
    const newCommand = this.sites === undefined && this.backlog() < this.knobs.maxBacklog;
    let upReplicas = 0;
    for (let k = 0; k < this.replicaIds.length; k++) if (this.replicaOut.up(k)) upReplicas++;
    for (let k = 0; k < this.replicaIds.length; k++) {
      if (!this.replicaOut.up(k)) continue;
      // A fresh client command for replica k: ClientRequest with a command made up once picked.
      if (newCommand) out.addMade(k, this.freshRequest, W.newCommand / upReplicas);
      let proposing = false;
      for (const a of this.replicaActions(k))
        switch (a.name) {
          case "ClientRequest":
            out.add(a, W.clientCopy);
            break;
          case "Propose":
            if (!proposing) {
              // One offer for all of k's requests; which one is drawn once it is picked.
              proposing = true;
              const group = this.replicaActions(k).filter((b) => b.name === "Propose");
              out.addDrawn(() => this.ctx.rng.pick(group), W.propose);
            }
            break;
          case "Perform":
            out.add(a, W.perform);
            break;
          case "ResendPropose":
            // Once the proposal has waited, undecided, a few stalls since it was last sent.
            if (!this.options.noResend && this.resendDue(a.r, a.p.slot) <= this.ctx.tick)
              out.add(a, W.resend);
            break;
          case "ReportExecuted":
            // A replica reports how far it executed once it has performed a few more slots.
            if (this.replica(k).slotOut >= (this.reportedOut[k] as number) + REPORT_EVERY)
              out.add(a, W.report);
            break;
          default:
            break;
        }
    }
    for (let k = 0; k < this.leaderIds.length; k++)
      for (const a of enabledAtLeader(this.state, this.leaderIds[k] as string))
        out.add(a, this.leaderWeight(k, a));
    this.net.enumerate(out, this.events);
  }

  /** ClientRequest(r, c) of replica k for a new client command c. */
  private readonly freshRequest = (k: number): Action => {
    this.fresh = this.newCommand(k);
    return { name: "ClientRequest", r: this.replicaIds[k] as string, c: this.fresh };
  };

  /**
   * A client's next command for replica k: with reconfig on, now and then an operator's
   * reconfiguration to another leader set (one at a time), else a fresh KV operation.
   */
  private newCommand(k: number): Command {
    const { rng } = this.ctx;
    if (
      this.newLeaderSets.length > 0 &&
      rng.chance(this.knobs.reconfigShare) &&
      !this.reconfigPending()
    ) {
      const current = this.replica(k).leaders;
      const targets = this.newLeaderSets.filter((s) => !sameIdSet(s, current));
      if (targets.length > 0) return reconfigCommand(rng.pick(targets));
    }
    return clientCommand(this.clients.next(rng));
  }

  /** A reconfiguration is on its way somewhere: requested, proposed or not yet received. */
  private reconfigPending(): boolean {
    for (const r of this.state.replicas.values())
      if (r.requests.some(isReconfig) || r.proposals.some((p) => isReconfig(p.cmd))) return true;
    return this.inbox.some((xs) => xs.some(isReconfig));
  }

  /** Delivering m: its receiver's handler, unless the receiver is down or cut off. */
  delivery(m: Message): Action {
    if (!this.up(m.mdest) || this.cutOff(m.msource, m.mdest)) return { name: "DropMessage", m };
    return O.getOrElse((): Action => ({ name: "DropMessage", m }))(receive(this.state, m));
  }

  /** The tick from which replica r resends its proposal for `slot`. */
  private resendDue(r: string, slot: number): number {
    // Every proposal is sent by Propose first; one with no record is due at once.
    const sent = this.proposedAt.get(`${r}:${slot}`) ?? -Infinity;
    return sent + RESEND_AFTER_STALLS * (this.timerConfig.stall[1] as number);
  }

  /**
   * The first tick after now at which a timer, a recovery, a message (with sites) or a site's
   * client may enable an action.
   */
  nextWake(): number {
    const tick = this.ctx.tick;
    let wake = this.net.nextWake();
    const at = (t: number) => {
      if (t > tick && t < wake) wake = t;
    };
    for (const out of [this.replicaOut, this.leaderOut, this.acceptorOut])
      for (let k = 0; k < out.n; k++) if (!out.up(k)) at(out.downUntil[k] as number);
    for (let k = 0; k < this.leaderIds.length; k++)
      if (this.leaderOut.up(k))
        at(
          wakeAt(this.timerConfig, this.timers[k] as Timers, this.leader(k), {
            name: "LeaderTimeout",
            l: "",
          }),
        );
    for (const t of this.nextArrival) at(t);
    if (!this.options.noResend)
      for (const r of this.state.replicas.values())
        for (const p of r.proposals)
          if (!r.decisions.some((d) => d.slot === p.slot)) at(this.resendDue(r.id, p.slot));
    return Number.isFinite(wake) ? wake : tick + 1;
  }

  step(a: Action): void {
    // A restarted leader starts from the ballot on its disk.
    if (a.name === "RestartLeader") this.leaderFromDisk(a.l);
    const s = perform(this.state, a);
    if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${a.name}`);
    this.prev = this.outOfBand ?? this.state;
    this.outOfBand = undefined;
    const before = this.state;
    this.state = s.value.next;
    this.stepCount++;
    this.changed =
      this.prev !== before || invariantInputsChanged(this.prev, this.state, s.value.effects);
    const effects =
      this.options.forgetPersist === a.name
        ? s.value.effects.filter((e) => e.type !== "persistLeader" && e.type !== "persistAcceptor")
        : s.value.effects;
    if ("l" in a) {
      const k = this.leaderIds.indexOf(a.l);
      this.timers[k] = observe(
        this.timerConfig,
        this.timers[k] as Timers,
        before.leaders.get(a.l) as LeaderState,
        this.leader(k),
        a,
        s.value.effects,
        this.ctx.tick,
      );
      this.maxBallot = Math.max(this.maxBallot, this.leader(k).persistent.ballotNum.round);
    }
    this.perform(a, effects);
    this.bookkeeping(a);
  }

  violations(): ReadonlyArray<CheckName> {
    if (!this.changed) return [];
    const bad: CheckName[] = [...violatedInvariants(this.state, this.stateChecks)];
    if (this.stepChecks.size > 0)
      for (const p of violatedStepProperties(this.prev, this.state))
        if (this.stepChecks.has(p)) bad.push(p);
    return bad;
  }

  /**
   * Perform the runtime's share of the step as a ready batch: persist to the simulated disk
   * (through the codec), then send, then apply. A crash right after the disk write
   * (Jepsen-style) loses the rest of the batch: the messages not yet sent are dropped.
   */
  private perform(a: Action, effects: ReadonlyArray<Effect>): void {
    if (a.name === "DropMessage" || a.name === "DuplicateMessage") {
      // The network's own faults: no process is involved.
      for (const e of effects)
        if (e.type === "discard") this.net.discard(e.message);
        else if (e.type === "send") this.net.send(e.message);
      return;
    }
    const id = actorOf(a);
    const ready = readyOf(effects);
    for (const e of effects) if (e.type === "discard") this.net.discard(e.message);
    if (O.isSome(ready.persist)) {
      const p = ready.persist.value;
      this.writeDisk(
        id,
        JSON.stringify(
          p.role === "leader"
            ? LeaderPersistent.encode(p.state)
            : AcceptorPersistent.encode(p.state),
        ),
        p.state,
      );
      const place = this.place.get(id) as Place;
      if (this.faults.has("crash") && this.ctx.rng.chance(this.knobs.crashAfterPersist)) {
        place.out.crash(place.k, this.knobs.reboot);
        if (!place.out.up(place.k)) {
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
    }
    if (ready.messages.length > 0 && this.persisted.has(id)) {
      const now =
        this.state.leaders.get(id)?.persistent ?? this.state.acceptors.get(id)?.persistent;
      if (now !== this.persisted.get(id))
        this.unpersistedSends.push({ step: this.stepCount, action: a.name });
    }
    for (const m of ready.messages) this.net.send(m);
    if (ready.apply.length > 0) {
      const k = this.replicaIds.indexOf(id);
      const tick = this.ctx.tick;
      for (const x of ready.apply) {
        this.clients.apply(k, x.slot, x.op);
        const from = this.arrivals.get(x.op);
        if (from?.site === k) {
          this.latencies.push(tick - from.tick);
          this.arrivals.delete(x.op);
        }
      }
    }
  }

  /** The runtime's share of a step besides its batch: clients and outages. */
  private bookkeeping(a: Action): void {
    switch (a.name) {
      case "Propose":
        this.proposedAt.set(
          `${a.r}:${this.replica(this.replicaIds.indexOf(a.r)).slotIn - 1}`,
          this.ctx.tick,
        );
        break;
      case "ResendPropose":
        this.proposedAt.set(`${a.r}:${a.p.slot}`, this.ctx.tick);
        break;
      case "ClientRequest": {
        const k = this.replicaIds.indexOf(a.r);
        if (a.c === this.fresh) {
          // PMMC's clients send a request to every replica.
          this.fresh = undefined;
          if (!isReconfig(a.c)) this.issued++;
          this.inbox.forEach((xs, j) => {
            if (j !== k) xs.push(a.c);
          });
        } else {
          const xs = this.inbox[k] as Command[];
          const i = xs.findIndex((x) => commandEquals(x, a.c));
          if (i >= 0) xs.splice(i, 1);
        }
        break;
      }
      case "RestartLeader":
        this.leaderOut.restarted(this.leaderIds.indexOf(a.l));
        break;
      case "ReportExecuted": {
        const k = this.replicaIds.indexOf(a.r);
        this.reportedOut[k] = this.replica(k).slotOut;
        break;
      }
      default:
        break;
    }
  }
}

/** The process whose state an action changes. */
function actorOf(a: Action): string {
  return "r" in a ? a.r : "l" in a ? a.l : "a" in a ? a.a : a.m.mdest;
}

/**
 * The invariants read replicas' decisions and executed commands, acceptors, leaders' ballots,
 * commanders and watermarks, and the decision, P2a, P1b and collected messages in flight. They are universal statements,
 * so a step that only removes or copies messages, or changes other state, keeps their verdict.
 */
function invariantInputsChanged(a: Cluster, b: Cluster, effects: ReadonlyArray<Effect>): boolean {
  if (a.acceptors !== b.acceptors) return true;
  for (const e of effects)
    if (e.type === "send" && ["decision", "p2a", "p1b", "collected"].includes(e.message.mtype))
      return true;
  if (a.replicas !== b.replicas)
    for (const [id, x] of a.replicas) {
      const y = b.replicas.get(id);
      if (y !== x && (y?.decisions !== x.decisions || y?.executed !== x.executed)) return true;
    }
  if (a.leaders !== b.leaders)
    for (const [id, x] of a.leaders) {
      const y = b.leaders.get(id);
      if (
        y !== x &&
        (y?.persistent !== x.persistent ||
          y?.volatile.commanders !== x.volatile.commanders ||
          y?.volatile.collected !== x.volatile.collected)
      )
        return true;
    }
  return false;
}

/** Two encodings are the same JSON text. */
const sameText = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
