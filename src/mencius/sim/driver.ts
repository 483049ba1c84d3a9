/**
 * The Mencius driver of the simulator: the imperative shell around the pure cluster. Which
 * actions are possible comes from the protocol (the servers' guards, `receive`); the driver
 * only weights them by what a real deployment adds — clients at every site, each server's
 * failure detector, crashed servers, a wide-area network whose links have latency classes (the
 * last server is far away) — lets the engine draw one, performs it and keeps the runtime's
 * books (timers, state machines).
 */
import * as O from "fp-ts/lib/Option.js";
import { type ValueId, valueId } from "../../core/ids.js";
import { type KvCommand, type KvState, kvStore } from "../../core/kv.js";
import type { Candidates } from "../../sim/candidates.js";
import type { SimContext, SimDriver } from "../../sim/engine.js";
import { type Fault, Outages } from "../../sim/faults.js";
import { Network, type NetworkEvents } from "../../sim/network.js";
import { type Action, type Cluster, initCluster, perform, receive } from "../cluster.js";
import { invariantNames, violatedInvariants, violatedStepProperties } from "../invariants.js";
import { owner } from "../operators.js";
import * as Srv from "../server.js";
import type { Effect, Message, ServerState } from "../types.js";
import { message } from "../values.js";
import { type CheckName, linkLatency, type SimOptions, topology } from "./options.js";

// Relative weights of the offered actions: local work (executing, suggesting) is prompt, as is a
// restart once due and a revocation once suspected.
const W = {
  restart: 50,
  execute: 30,
  suggest: 20,
  skip: 20,
  revoke: 20,
  deliver: 12,
  drop: 0.3,
  dup: 0.3,
} as const;

const KEYS = ["a", "b", "c", "d"];

/** Where a server is stuck: the lowest instance it cannot execute, and since when. */
interface Blocked {
  readonly inst: number;
  readonly since: number;
}

export class MenciusDriver implements SimDriver<Cluster, Action, CheckName> {
  state: Cluster;
  readonly ids: ReadonlyArray<string>;
  readonly faults: ReadonlySet<Fault>;
  readonly net: Network<Message>;
  private readonly events: NetworkEvents<Message, Action>;
  readonly out: Outages;
  /** Per server: client commands that reached it and wait to be suggested (oldest first). */
  readonly inbox: ValueId[][];
  /** Per server: the tick its site's client sends its next command. */
  readonly nextArrival: number[];
  /** Per server: where its execution is stuck (undefined while it is not). */
  readonly blocked: (Blocked | undefined)[];
  /** Per server: the tick it started its current round on an instance. */
  readonly roundSince: Map<number, number>[];
  /** Instance → the command its owner suggested there (resubmitted if the no-op wins). */
  readonly suggested = new Map<number, ValueId>();
  /** Value id → the KV command it stands for. */
  readonly commands = new Map<ValueId, KvCommand>();
  /** Per server: its key-value store. */
  readonly stores: KvState[];
  /** Value id → the site whose client sent it and the tick it arrived there. */
  readonly arrivals = new Map<ValueId, { readonly site: number; readonly tick: number }>();
  /**
   * Commit latencies, in ticks: for each command, from its arrival at its client's site to its
   * execution by that site's server (the client's answer), in the order they were executed.
   */
  readonly latencies: number[] = [];
  private issued = 0;
  private prev: Cluster;
  private readonly stateChecks: ReadonlyArray<(typeof invariantNames)[number]>;
  private readonly stepChecks: ReadonlySet<string>;
  revocations = 0;

  constructor(
    private readonly ctx: SimContext,
    readonly options: SimOptions,
  ) {
    const env = topology(options);
    this.state = initCluster(env);
    this.prev = this.state;
    this.ids = env.servers;
    this.faults = new Set(options.faults);
    this.net = new Network(
      ctx,
      this.faults,
      { source: (m) => m.msource, dest: (m) => m.mdest, key: message.json },
      linkLatency(options, env.servers),
    );
    this.events = {
      deliver: (m) => this.delivery(m),
      drop: (m) => ({ name: "DropMessage", m }),
      dup: (m) => ({ name: "DuplicateMessage", m }),
      weights: W,
    };
    // A majority stays up, so that instances can still be decided.
    this.out = new Outages(ctx, this.ids.length);
    this.inbox = this.ids.map(() => []);
    this.nextArrival = this.ids.map(() => 1 + this.draw(options.knobs.arrival));
    this.blocked = this.ids.map(() => undefined);
    this.roundSince = this.ids.map(() => new Map());
    this.stores = this.ids.map(() => kvStore.initial);
    this.stateChecks = invariantNames.filter((n) => options.invariants.includes(n));
    this.stepChecks = new Set(options.invariants);
  }

  private draw(range: readonly [number, number]): number {
    return this.ctx.rng.range(range[0], range[1]);
  }

  server(k: number): ServerState {
    return this.state.servers.get(this.ids[k] as string) as ServerState;
  }

  /** Delivering m: its receiver's handler, unless the receiver is down or cut off. */
  delivery(m: Message): Action {
    const k = this.ids.indexOf(m.mdest);
    if (k < 0 || !this.out.up(k) || this.net.cut(m)) return { name: "DropMessage", m };
    return O.getOrElse((): Action => ({ name: "DropMessage", m }))(receive(this.state, m));
  }

  /** Commands issued and not yet executed by the most advanced server. */
  backlog(): number {
    let executed = 0;
    for (const s of this.state.servers.values())
      executed = Math.max(executed, s.durable.executed.length);
    return this.issued - executed;
  }

  /** A new client command: 60% put, 30% get, 10% delete over a few keys. */
  private newCommand(): ValueId {
    const { rng } = this.ctx;
    const n = this.commands.size + 1;
    const r = rng.next();
    const key = rng.pick(KEYS);
    this.commands.set(
      valueId(n),
      r < 0.6
        ? { op: "put", key, value: `x${n}` }
        : r < 0.9
          ? { op: "get", key }
          : { op: "delete", key },
    );
    this.issued++;
    return valueId(n);
  }

  /** Crashes, recoveries, partitions and client arrivals happen with time; they are not events. */
  environment(): void {
    const { rng, tick } = this.ctx;
    const k = this.options.knobs;
    if (this.faults.has("crash") && rng.chance(k.crashPerTick))
      this.out.crash(rng.int(this.ids.length), k.downtime);
    this.net.environment(this.ids, k.partitionPerTick, k.partitionLength);
    for (let j = 0; j < this.ids.length; j++)
      if (j < k.clientSites && tick >= (this.nextArrival[j] as number)) {
        if (this.backlog() < k.maxBacklog) {
          const v = this.newCommand();
          this.arrivals.set(v, { site: j, tick });
          (this.inbox[j] as ValueId[]).push(v);
        }
        this.nextArrival[j] = tick + this.draw(k.arrival);
      }
  }

  /** The oldest message is dropped first while the bag is over its cap. */
  forced(): Action | undefined {
    const m = this.net.queue[0];
    return m !== undefined && this.state.messages.size > this.options.maxMessages
      ? { name: "DropMessage", m }
      : undefined;
  }

  /** The highest instance server s knows to be in use (learned or voted for). */
  private knownTop(s: ServerState): number {
    let top = 0;
    for (const i of s.durable.learned.keys()) if (i > top) top = i;
    for (const i of s.durable.accepted.keys()) if (i > top) top = i;
    return top;
  }

  /**
   * Server k's failure detector: the instance its execution has been stuck at for longer than
   * `suspect` ticks, if any (it then revokes that instance's owner's blocking instances).
   */
  private suspected(k: number): number | undefined {
    const b = this.blocked[k];
    return b !== undefined && this.ctx.tick - b.since >= this.options.suspect ? b.inst : undefined;
  }

  /** Server k's actions now, with their weights. */
  private offer(out: Candidates<Action>, k: number): void {
    const env = this.state.env;
    const s = this.server(k);
    const p = s.id;
    if (!this.out.up(k)) {
      if (this.out.due(k)) out.add({ name: "Restart", p }, W.restart);
      return;
    }
    if (Srv.execute.enabled(env, s)) out.add({ name: "Execute", p }, W.execute);
    const head = (this.inbox[k] as ValueId[])[0];
    if (head !== undefined) {
      if (Srv.suggest.enabled(env, s, head)) out.add({ name: "Suggest", p, v: head }, W.suggest);
      // Its next instance is promised to a revoker: give it up and suggest in the one after.
      else out.add({ name: "Skip", p }, W.skip);
    } else if (this.knownTop(s) > s.durable.nextInst)
      out.add({ name: "Skip", p }, this.options.knobs.idleSkip);
    const stuck = this.suspected(k);
    if (stuck !== undefined) {
      const q = owner(env, stuck);
      const since = this.roundSince[k] as Map<number, number>;
      for (let i = stuck; i < s.durable.nextInst; i++) {
        if (owner(env, i) !== q || !Srv.revoke.enabled(env, s, i)) continue;
        const running = s.rounds.prepares.has(i) || s.rounds.accepts.has(i);
        const started = since.get(i);
        if (running && started !== undefined && this.ctx.tick - started < this.options.suspect)
          continue;
        out.add({ name: "Revoke", p, i }, W.revoke);
      }
    }
  }

  enumerate(out: Candidates<Action>): void {
    for (let k = 0; k < this.ids.length; k++) this.offer(out, k);
    this.net.enumerate(out, this.events);
  }

  /** The first tick after now at which a timer, a recovery or a message may enable an action. */
  nextWake(): number {
    const tick = this.ctx.tick;
    let wake = this.net.nextWake();
    const at = (t: number) => {
      if (t > tick && t < wake) wake = t;
    };
    for (let k = 0; k < this.ids.length; k++) {
      if (!this.out.up(k)) at(this.out.downUntil[k] as number);
      if (k < this.options.knobs.clientSites) at(this.nextArrival[k] as number);
      const b = this.blocked[k];
      if (b !== undefined) at(b.since + this.options.suspect);
      for (const t of (this.roundSince[k] as Map<number, number>).values())
        at(t + this.options.suspect);
    }
    return Number.isFinite(wake) ? wake : tick + 1;
  }

  step(a: Action): void {
    const s = perform(this.state, a);
    if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${a.name}`);
    this.prev = this.state;
    this.state = s.value.next;
    this.bookkeeping(a, s.value.effects);
  }

  violations(): ReadonlyArray<CheckName> {
    if (this.prev.servers === this.state.servers && this.stepChecks.size === 0) return [];
    const bad: CheckName[] = [...violatedInvariants(this.state, this.stateChecks)];
    if (this.stepChecks.has("PromisesGrow"))
      for (const p of violatedStepProperties(this.prev, this.state)) bad.push(p);
    return bad;
  }

  /** The runtime's share of a step: messages, state machines, clients and timers. */
  private bookkeeping(a: Action, effects: ReadonlyArray<Effect>): void {
    const tick = this.ctx.tick;
    const k = "p" in a ? this.ids.indexOf(a.p) : -1;
    for (const e of effects) {
      if (e.type === "send") this.net.send(e.message);
      else if (e.type === "discard") this.net.discard(e.message);
      else if (e.type === "apply" && k >= 0) {
        const cmd = this.commands.get(e.op);
        if (cmd !== undefined) this.stores[k] = kvStore.apply(this.stores[k] as KvState, cmd)[0];
        const from = this.arrivals.get(e.op);
        if (from?.site === k) this.latencies.push(tick - from.tick);
      }
    }
    switch (a.name) {
      case "Suggest": {
        (this.inbox[k] as ValueId[]).shift();
        const before = this.prev.servers.get(a.p) as ServerState;
        const i = Srv.suggestInstance(this.state.env, before);
        if (i !== undefined) this.suggested.set(i, a.v);
        break;
      }
      case "Revoke":
        this.revocations++;
        (this.roundSince[k] as Map<number, number>).set(a.i, tick);
        break;
      case "Restart":
        this.out.restarted(k);
        (this.roundSince[k] as Map<number, number>).clear();
        break;
      default:
        break;
    }
    if (k >= 0) this.afterStep(k);
  }

  /**
   * Server k's books after one of its steps: its rounds' start ticks, a suggestion of its own
   * that lost to the no-op (its client's command goes back to the inbox, Rule 4), and where
   * its execution is stuck.
   */
  private afterStep(k: number): void {
    const before = this.prev.servers.get(this.ids[k] as string) as ServerState;
    const s = this.server(k);
    const since = this.roundSince[k] as Map<number, number>;
    for (const i of since.keys())
      if (!s.rounds.prepares.has(i) && !s.rounds.accepts.has(i)) since.delete(i);
    if (s.durable.learned !== before.durable.learned)
      for (const [i, v] of s.durable.learned) {
        if (before.durable.learned.has(i)) continue;
        const mine = this.suggested.get(i);
        if (mine !== undefined && owner(this.state.env, i) === s.id) {
          this.suggested.delete(i);
          if (v === null) (this.inbox[k] as ValueId[]).unshift(mine);
        }
      }
    const d = s.durable;
    const next = d.executedUpTo + 1;
    if (d.learned.has(next) || next > this.knownTop(s)) this.blocked[k] = undefined;
    else if (this.blocked[k]?.inst !== next) this.blocked[k] = { inst: next, since: this.ctx.tick };
  }
}
