/**
 * The Paxos driver of the simulator: the imperative shell around the pure PMMC cluster. Each
 * tick it lists what a real deployment could do now — clients' requests reaching replicas,
 * replicas proposing and performing, leaders' failure detectors firing, restarts, the network
 * delivering, losing or duplicating messages — for the engine to pick from, performs the chosen
 * spec action and keeps the runtime's books (timers, crashed processes, state machines).
 */
import * as O from "fp-ts/lib/Option.js";
import { sameIdSet } from "../../core/ids.js";
import { type Action, type Cluster, initCluster, receive, step } from "../../paxos/cluster.js";
import {
  invariantNames,
  violatedInvariants,
  violatedStepProperties,
} from "../../paxos/invariants.js";
import { messageKey } from "../../paxos/itf.js";
import type { Command, Effect, LeaderState, Message, ReplicaState } from "../../paxos/types.js";
import { clientCommand, commandEquals, isReconfig, reconfigCommand } from "../../paxos/values.js";
import type { Candidates } from "../candidates.js";
import type { SimContext, SimDriver } from "../engine.js";
import { type Fault, Outages } from "../faults.js";
import { Network, networkEvents } from "../network.js";
import { PaxosClients } from "./clients.js";
import { type CheckName, type Knobs, type SimOptions, topology } from "./options.js";

// Relative weights of the candidate actions: delivery and local work (proposing, performing)
// outpace new client requests, so slots get decided; timeouts and restarts, once due, are prompt.
const W = {
  restart: 50,
  timeout: 20,
  newCommand: 1.5,
  clientCopy: 6,
  propose: 10,
  perform: 30,
  deliver: 12,
  drop: 0.3,
  dup: 0.3,
} as const;

enum K {
  Restart,
  Timeout,
  NewCommand,
  ClientCopy,
  Propose,
  Perform,
  Deliver,
  Drop,
  Dup,
}

const NETWORK_EVENTS = networkEvents([K.Deliver, K.Drop, K.Dup], W);

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
  readonly clients: PaxosClients;
  /** The last tick a slot was decided or performed anywhere. */
  lastProgress = 0;
  /** The command a NewCommand candidate created, until its ClientRequest is performed. */
  private fresh: Command | undefined;
  private issued = 0;
  private prev: Cluster;
  /** The last step changed something the invariants or step properties read. */
  private changed = true;
  private readonly stateChecks: ReadonlyArray<(typeof invariantNames)[number]>;
  private readonly stepChecks: ReadonlySet<string>;
  maxBallot = 0;

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
    this.net = new Network(ctx, this.faults, {
      source: (m) => m.msource,
      dest: (m) => m.mdest,
      key: messageKey,
    });
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
    this.clients = new PaxosClients(this.replicaIds.length);
    this.stateChecks = invariantNames.filter((n) => options.invariants.includes(n));
    this.stepChecks = new Set(options.invariants);
  }

  actionName(a: Action): string {
    return a.name;
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

  enumerate(out: Candidates): void {
    const window = this.state.env.window;
    const newCommand = this.backlog() < this.knobs.maxBacklog;
    let upReplicas = 0;
    for (let k = 0; k < this.replicaIds.length; k++) if (this.replicaOut.up(k)) upReplicas++;
    for (let k = 0; k < this.replicaIds.length; k++) {
      if (!this.replicaOut.up(k)) continue;
      const r = this.replica(k);
      if (newCommand) out.add(K.NewCommand, k, 0, W.newCommand / upReplicas);
      if ((this.inbox[k] as Command[]).length > 0) out.add(K.ClientCopy, k, 0, W.clientCopy);
      if (r.requests.length > 0 && r.slotIn < r.slotOut + window)
        out.add(K.Propose, k, 0, W.propose);
      if (performable(r, this.state.env.bugs.executeOutOfOrder))
        out.add(K.Perform, k, 0, W.perform);
    }
    for (let k = 0; k < this.leaderIds.length; k++) {
      if (!this.leaderOut.up(k)) {
        if (this.leaderOut.due(k)) out.add(K.Restart, k, 0, W.restart);
      } else if (this.timedOut(k)) out.add(K.Timeout, k, 0, W.timeout);
    }
    this.net.enumerate(out, NETWORK_EVENTS);
  }

  toAction(out: Candidates, c: number): Action {
    const a = out.a[c] as number;
    const b = out.b[c] as number;
    switch (out.kind[c] as K) {
      case K.Restart:
        return { name: "RestartLeader", l: this.leaderIds[a] as string };
      case K.Timeout:
        return { name: "LeaderTimeout", l: this.leaderIds[a] as string };
      case K.NewCommand:
        this.fresh = this.newCommand(a);
        return { name: "ClientRequest", r: this.replicaIds[a] as string, c: this.fresh };
      case K.ClientCopy:
        return {
          name: "ClientRequest",
          r: this.replicaIds[a] as string,
          c: (this.inbox[a] as Command[])[0] as Command,
        };
      case K.Propose:
        return {
          name: "Propose",
          r: this.replicaIds[a] as string,
          c: this.ctx.rng.pick(this.replica(a).requests),
        };
      case K.Perform:
        return { name: "Perform", r: this.replicaIds[a] as string };
      case K.Deliver:
        return this.delivery(this.net.queue[b] as Message);
      case K.Drop:
        return { name: "DropMessage", m: this.net.queue[b] as Message };
      case K.Dup:
        return { name: "DuplicateMessage", m: this.net.queue[b] as Message };
    }
  }

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
    return O.match(
      (): Action => ({ name: "DropMessage", m }),
      (h: Action) => h,
    )(receive(this.state, m));
  }

  /** The first tick after now at which a timer or a recovery may enable an action. */
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
    return Number.isFinite(wake) ? wake : tick + 1;
  }

  step(a: Action): void {
    const s = step(this.state, a);
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
      else if (e.type === "apply")
        this.clients.apply(this.replicaIds.indexOf(actorOf(a)), e.slot, e.op);
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
  }
}

/** Perform(r) is enabled: slotOut is decided (any slot from slotOut on, under the bug). */
function performable(r: ReplicaState, outOfOrder: boolean): boolean {
  for (const d of r.decisions)
    if (outOfOrder ? d.slot >= r.slotOut : d.slot === r.slotOut) return true;
  return false;
}

/** The process whose state an action changes. */
function actorOf(a: Action): string {
  return "r" in a ? a.r : "l" in a ? a.l : "a" in a ? a.a : a.m.mdest;
}

/**
 * The invariants read replicas' decisions and executed commands, acceptors, leaders' ballots
 * and commanders, and the decision and P2a messages in flight. They are universal statements,
 * so a step that only removes or copies messages, or changes other state, keeps their verdict.
 */
function invariantInputsChanged(a: Cluster, b: Cluster, effects: ReadonlyArray<Effect>): boolean {
  if (a.acceptors !== b.acceptors) return true;
  for (const e of effects)
    if (e.type === "send" && (e.message.mtype === "decision" || e.message.mtype === "p2a"))
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
        (y?.persistent !== x.persistent || y?.volatile.commanders !== x.volatile.commanders)
      )
        return true;
    }
  return false;
}
