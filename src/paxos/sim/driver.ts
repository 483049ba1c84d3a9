/**
 * The Paxos driver of the simulator: the imperative shell around the pure PMMC cluster. Which
 * actions are possible comes from the protocol (`enabledAtReplica`, `enabledAtLeader`,
 * `receive`: the transitions' own guards); the driver only weights them by what a real
 * deployment adds — clients and their retries, leaders' failure detectors and backoff, crashed
 * processes, the network — lets the engine draw one, performs it and keeps the runtime's books
 * (timers, state machines).
 *
 * Opt-in (`SimOptions.sites`), a wide-area deployment: the network's links take time, clients
 * sit at sites and send on their own clock, and the driver records commit latency; without it
 * a run draws and does exactly what it did before the time model existed.
 */
import * as O from "fp-ts/lib/Option.js";
import { sameIdSet, type ValueId } from "../../core/ids.js";
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
import { invariantNames, violatedInvariants, violatedStepProperties } from "../invariants.js";
import { clientCommand, commandEquals, isReconfig, reconfigCommand } from "../operators.js";
import type { Command, Effect, LeaderState, Message, ReplicaState } from "../types.js";
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
  deliver: 12,
  drop: 0.3,
  dup: 0.3,
} as const;

/** Slots a replica performs between two reports of its slotOut to the acceptors. */
const REPORT_EVERY = 16;

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
  /** Per leader: when its failure detector next looks (LeaderTimeout may fire from then on). */
  readonly deadline: number[];
  /** Per leader: preemptions since its last adoption (the backoff's exponent). */
  readonly failures: number[];
  /** Per replica: client requests sent to it and not yet received (clients retry while it is down). */
  readonly inbox: Command[][];
  /** Per replica: the slotOut it last reported (ReportExecuted), every REPORT_EVERY slots. */
  readonly reportedOut: number[];
  readonly clients: PaxosClients;
  /** Each replica's enabled actions (the protocol's), while its state and inbox are unchanged. */
  private readonly enabled = new EnabledByProcess<ReplicaState, Action>((k) =>
    enabledAtReplica(this.state, this.replicaIds[k] as string, this.inputs(k)),
  );
  /** The last tick a slot was decided or performed anywhere. */
  lastProgress = 0;
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
    // Leaders first look after a ping period scaled by rank, so that l1 usually scouts alone.
    this.deadline = this.leaderIds.map((_, k) => this.draw(this.knobs.ping) * k + 1);
    this.failures = this.leaderIds.map(() => 0);
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

  /** A duration from `range`, doubled per preemption of leader k (up to 8×). */
  private scaled(range: readonly [number, number], k: number): number {
    return this.draw(range) * 2 ** Math.min(this.failures[k] as number, 3);
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

  /** Leaders some replica proposes to: a leader outside every replica's set is retired. */
  inConfig(l: string): boolean {
    for (const r of this.state.replicas.values()) if (r.leaders.includes(l)) return true;
    return false;
  }

  /** Some live replica waits for a decision and none came for longer than a stall. */
  stalled(): boolean {
    if (this.ctx.tick - this.lastProgress <= this.knobs.stall[1]) return false;
    return this.replicaIds.some((_, k) => {
      const r = this.replica(k);
      return this.replicaOut.up(k) && (r.requests.length > 0 || r.proposals.length > 0);
    });
  }

  /**
   * Leader k's ping of its peers: another leader of the configuration is up, reachable, leading
   * (active, or scouting towards it) and the system is not stalled. Then k stays passive.
   */
  someoneLeads(k: number): boolean {
    const me = this.leaderIds[k] as string;
    for (let j = 0; j < this.leaderIds.length; j++) {
      if (j === k || !this.leaderOut.up(j)) continue;
      const l = this.leader(j);
      if (this.cutOff(me, l.id) || !this.inConfig(l.id)) continue;
      if (l.volatile.active || l.volatile.scouting) return !this.stalled();
    }
    return false;
  }

  /** Leader k's failure detector fires now (LeaderTimeout is enabled in the simulator). */
  timedOut(k: number): boolean {
    if (this.ctx.tick < (this.deadline[k] as number)) return false;
    const l = this.leader(k);
    if (!this.inConfig(l.id)) return false;
    const v = l.volatile;
    if (v.active) return v.commanders.length > 0 || this.stalled();
    if (v.scouting) return true;
    return !this.someoneLeads(k);
  }

  /** Crashes, recoveries, partitions and pings happen with time; they are not spec events. */
  environment(): void {
    const { rng, tick } = this.ctx;
    if (this.faults.has("crash") && rng.chance(this.knobs.crashPerTick)) {
      const p = this.place.get(rng.pick(this.allIds)) as Place;
      p.out.crash(p.k, this.knobs.downtime);
    }
    // Replicas and acceptors keep their state while down and simply resume (no spec event).
    for (const out of [this.replicaOut, this.acceptorOut])
      for (let k = 0; k < out.n; k++) if (out.due(k)) out.restarted(k);
    this.net.environment(this.allIds, this.knobs.partitionPerTick, this.knobs.partitionLength);
    // A ping answered, or an active leader with nothing outstanding: look again later.
    for (let k = 0; k < this.leaderIds.length; k++)
      if (tick >= (this.deadline[k] as number) && this.leaderOut.up(k) && !this.timedOut(k))
        this.deadline[k] = tick + this.draw(this.knobs.ping);
    if (this.sites !== undefined) this.siteClients(this.sites);
  }

  /**
   * With sites: each client site's client sends its next command, when due and the backlog
   * allows, to its site's replica (it arrives there now).
   */
  private siteClients(s: Sites): void {
    const tick = this.ctx.tick;
    for (let j = 0; j < this.nextArrival.length; j++) {
      if (tick < (this.nextArrival[j] as number)) continue;
      if (this.backlog() < this.knobs.maxBacklog) {
        // Work reaching an idle system starts the stall clock: after a quiet spell longer than
        // a stall, the first new command must not make the leaders give up at once.
        if (this.backlog() === 0) this.lastProgress = tick;
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
    const m = this.net.queue[0];
    return m !== undefined && this.state.messages.size > this.options.maxMessages
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

  /** What leader k's failure detector and outage make of its enabled action `a`: its weight. */
  private leaderWeight(k: number, a: Action): number {
    const up = this.leaderOut.up(k);
    switch (a.name) {
      case "RestartLeader":
        return !up && this.leaderOut.due(k) ? W.restart : 0;
      case "LeaderTimeout":
        return up && this.timedOut(k) ? W.timeout : 0;
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
    for (const d of this.deadline) at(d);
    at(this.lastProgress + this.knobs.stall[1] + 1);
    for (const t of this.nextArrival) at(t);
    return Number.isFinite(wake) ? wake : tick + 1;
  }

  step(a: Action): void {
    const s = perform(this.state, a);
    if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${a.name}`);
    this.prev = this.state;
    this.state = s.value.next;
    this.changed = invariantInputsChanged(this.prev, this.state, s.value.effects);
    this.bookkeeping(a, s.value.effects);
  }

  violations(): ReadonlyArray<CheckName> {
    if (!this.changed) return [];
    const bad: CheckName[] = [...violatedInvariants(this.state, this.stateChecks)];
    if (this.stepChecks.size > 0)
      for (const p of violatedStepProperties(this.prev, this.state))
        if (this.stepChecks.has(p)) bad.push(p);
    return bad;
  }

  /** The runtime's share of a step: messages, state machines, clients and leader timers. */
  private bookkeeping(a: Action, effects: ReadonlyArray<Effect>): void {
    const tick = this.ctx.tick;
    for (const e of effects) {
      if (e.type === "send") {
        this.net.send(e.message);
        if (e.message.mtype === "decision") this.lastProgress = tick;
      } else if (e.type === "discard") this.net.discard(e.message);
      else if (e.type === "apply") {
        const k = this.replicaIds.indexOf(actorOf(a));
        this.clients.apply(k, e.slot, e.op);
        const from = this.arrivals.get(e.op);
        if (from?.site === k) {
          this.latencies.push(tick - from.tick);
          this.arrivals.delete(e.op);
        }
      }
    }
    switch (a.name) {
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
      case "Perform":
        this.lastProgress = tick;
        break;
      case "ReportExecuted": {
        const k = this.replicaIds.indexOf(a.r);
        this.reportedOut[k] = this.replica(k).slotOut;
        break;
      }
      case "RestartLeader": {
        const k = this.leaderIds.indexOf(a.l);
        this.leaderOut.restarted(k);
        this.failures[k] = 0;
        // Back up, it first pings its peers for a while before it may scout.
        this.deadline[k] = tick + this.draw(this.knobs.ping);
        break;
      }
      default:
        break;
    }
    if ("l" in a) this.leaderTimers(this.leaderIds.indexOf(a.l), a);
  }

  /** Leader k's failure detector after an action of k: start, progress, preemption. */
  private leaderTimers(k: number, a: Action): void {
    const tick = this.ctx.tick;
    const before = this.prev.leaders.get(this.leaderIds[k] as string) as LeaderState;
    const after = this.leader(k);
    this.maxBallot = Math.max(this.maxBallot, after.persistent.ballotNum.round);
    const was = before.volatile;
    const is = after.volatile;
    if (a.name === "LeaderTimeout") this.deadline[k] = tick + this.scaled(this.knobs.stall, k);
    else if (was.scouting && is.active) {
      // Adopted: additive decrease of the backoff.
      this.failures[k] = Math.max(0, (this.failures[k] as number) - 1);
      this.deadline[k] = tick + this.draw(this.knobs.stall);
    } else if (after.persistent !== before.persistent && a.name !== "RestartLeader") {
      // Preempted: back off for a random, doubling time.
      this.failures[k] = (this.failures[k] as number) + 1;
      this.deadline[k] = tick + this.scaled(this.knobs.backoff, k);
    } else if (is.commanders.length < was.commanders.length && is.active)
      this.deadline[k] = tick + this.draw(this.knobs.stall);
    else if (
      this.sites !== undefined &&
      is.active &&
      was.commanders.length === 0 &&
      is.commanders.length > 0
    )
      // With sites a commander takes a round trip or more: an idle active leader's next look
      // (a ping period away) must not count its first new commander as stalled. Without sites
      // runs keep the timers they always had.
      this.deadline[k] = tick + this.draw(this.knobs.stall);
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
