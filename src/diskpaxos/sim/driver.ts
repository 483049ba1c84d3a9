/**
 * The DiskPaxos driver of the simulator: the imperative shell around the pure cluster. Which
 * actions are possible comes from the protocol (`enabledAtProc`, `enabledOnWrite`,
 * `enabledOnRead`: the transitions' own guards); the driver only weights them by what a real
 * deployment adds — how long each disk operation takes, a stalled path or a failed disk, the
 * processors' ballot timers and backoff, crashed processors, the clients that give each
 * processor its next command — lets the engine draw one and performs it.
 *
 * Every processor proposes a command of its own in every instance, so they contend: the one
 * that loses to a higher ballot backs off for a random, doubling time.
 */
import * as O from "fp-ts/lib/Option.js";
import type { Candidates } from "../../sim/candidates.js";
import type { SimContext, SimDriver } from "../../sim/engine.js";
import { type Fault, Outages } from "../../sim/faults.js";
import {
  type Action,
  type Cluster,
  enabledAtProc,
  enabledOnRead,
  enabledOnWrite,
  initCluster,
  perform,
} from "../cluster.js";
import { type InvariantName, violatedInvariants } from "../invariants.js";
import { cur, nextInstance } from "../processor.js";
import type { Effect, Env, ProcState } from "../types.js";
import { readOp, writeOp } from "../values.js";
import { type Knobs, type SimOptions, topology } from "./options.js";

// Relative weights of the offered actions: a processor gets on with its phase at once, the
// disks answer as soon as an operation's time is up; timeouts and restarts, once due, are prompt.
const W = {
  issue: 20,
  end: 30,
  complete: 15,
  timeout: 10,
  next: 10,
  restart: 50,
} as const;

/** An operation in flight, as the I/O path sees it: when it may complete, and in what order. */
interface Pending {
  readonly due: number;
  /** Issue order, for a disk that answers in order (no reorder). */
  readonly seq: number;
}

export class DiskpaxosDriver implements SimDriver<Cluster, Action, InvariantName> {
  readonly env: Env;
  readonly procIds: ReadonlyArray<string>;
  readonly diskIds: ReadonlyArray<string>;
  readonly faults: ReadonlySet<Fault>;
  readonly knobs: Knobs;
  state: Cluster;
  readonly outages: Outages;
  /** Operations in flight by their canonical JSON. */
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  /** Per processor and disk ("p|d"): the tick the stalled path is back. */
  private readonly stalls = new Map<string, number>();
  /** Per processor: when its phase gives up the ballot, when it may write again after losing
   * one, how many it lost since its last output, and when it takes its next command. */
  private readonly deadline: number[];
  private readonly backoffUntil: number[];
  private readonly losses: number[];
  private readonly thinkUntil: number[];
  /** The client commands handed out: v1, v2, … */
  private commands = 0;
  readonly values: string[] = [];
  /** Stats: ballots lost to a higher one, disks failed. */
  aborts = 0;
  private changed = true;

  constructor(
    private readonly ctx: SimContext,
    readonly options: SimOptions,
  ) {
    this.env = topology(options);
    this.procIds = this.env.procOrder;
    this.diskIds = this.env.disks;
    this.faults = new Set(options.faults);
    this.knobs = options.knobs;
    const first = new Map(this.procIds.map((p) => [p, this.freshValue()]));
    this.state = initCluster(this.env, (p) => first.get(p) as string);
    // One processor up suffices to make progress.
    this.outages = new Outages(ctx, this.procIds.length, this.procIds.length - 1);
    this.deadline = this.procIds.map(() => this.draw(this.knobs.ballotTimeout));
    this.backoffUntil = this.procIds.map(() => 0);
    this.losses = this.procIds.map(() => 0);
    this.thinkUntil = this.procIds.map(() => 0);
  }

  private draw(range: readonly [number, number]): number {
    return this.ctx.rng.range(range[0], range[1]);
  }

  private freshValue(): string {
    this.commands++;
    const v = `v${this.commands}`;
    this.values.push(v);
    return v;
  }

  private proc(k: number): ProcState {
    return this.state.procs.get(this.procIds[k] as string) as ProcState;
  }

  private failedDisks(): number {
    let n = 0;
    for (const d of this.state.disks.values()) if (d.failed) n++;
    return n;
  }

  /** Crashes, stalled paths and disk failures happen with time; only the last is a spec event. */
  environment(): void {
    const { rng, tick } = this.ctx;
    const { knobs } = this;
    if (this.faults.has("crash") && rng.chance(knobs.crashPerTick))
      this.outages.crash(rng.int(this.procIds.length), knobs.downtime);
    for (const [path, until] of this.stalls) if (tick >= until) this.stalls.delete(path);
    if (this.faults.has("partition") && rng.chance(knobs.partitionPerTick)) {
      const path = `${rng.pick(this.procIds)}|${rng.pick(this.diskIds)}`;
      if (!this.stalls.has(path)) this.stalls.set(path, tick + this.draw(knobs.partitionLength));
    }
    if (
      this.faults.has("drop") &&
      rng.chance(knobs.diskFailPerTick) &&
      2 * (this.failedDisks() + 1) < this.diskIds.length
    )
      this.failing = rng.pick(
        this.diskIds.filter((d) => this.state.disks.get(d)?.failed === false),
      );
  }

  /** A disk the environment has just failed, reported as the DiskFail event. */
  private failing: string | undefined;

  forced(): Action | undefined {
    const d = this.failing;
    this.failing = undefined;
    return d === undefined ? undefined : { name: "DiskFail", d };
  }

  /** The operation may complete now: its time is up, its path is not stalled, and (without
   * reorder) every earlier operation to its disk has completed. */
  private ready(key: string, proc: string, disk: string): boolean {
    const p = this.pending.get(key);
    if (p === undefined || p.due > this.ctx.tick || this.stalls.has(`${proc}|${disk}`))
      return false;
    if (this.faults.has("reorder")) return true;
    for (const w of this.state.writes)
      if (w.disk === disk && (this.pending.get(writeOp.json(w))?.seq ?? 0) < p.seq) return false;
    for (const r of this.state.reads)
      if (r.disk === disk && (this.pending.get(readOp.json(r))?.seq ?? 0) < p.seq) return false;
    return true;
  }

  /** What processor k's timers make of one of its enabled actions: its weight now. */
  private weight(k: number, a: Action): number {
    const tick = this.ctx.tick;
    switch (a.name) {
      case "StartBallot":
        return tick >= (this.deadline[k] as number) ? W.timeout : 0;
      case "IssueWrite":
        return tick >= (this.backoffUntil[k] as number) ? W.issue : 0;
      case "IssueRead":
        return W.issue;
      case "EndPhase0":
      case "EndPhase1":
      case "EndPhase2":
        return W.end;
      default:
        return 0;
    }
  }

  enumerate(out: Candidates<Action>): void {
    const tick = this.ctx.tick;
    for (let k = 0; k < this.procIds.length; k++) {
      const p = this.procIds[k] as string;
      const s = this.proc(k);
      if (!this.outages.up(k)) {
        // Back up, it proposes the command it had (its client resubmits it).
        if (this.outages.due(k)) out.add({ name: "Restart", p, v: s.input }, W.restart);
        continue;
      }
      for (const a of enabledAtProc(this.state, p, [])) out.add(a, this.weight(k, a));
      if (nextInstance.enabled(this.env, s, "") && tick >= (this.thinkUntil[k] as number))
        out.addMade(p, this.next, W.next);
    }
    for (const w of this.state.writes)
      if (this.ready(writeOp.json(w), w.proc, w.disk))
        for (const a of enabledOnWrite(this.state, w)) out.add(a, W.complete);
    for (const r of this.state.reads)
      if (
        this.outages.up(this.procIds.indexOf(r.proc)) &&
        this.ready(readOp.json(r), r.proc, r.disk)
      )
        for (const a of enabledOnRead(this.state, r)) out.add(a, W.complete);
  }

  /** NextInstance(p, v) with the client's next command v, made up once the offer is picked. */
  private readonly next = (p: string): Action => ({
    name: "NextInstance",
    p,
    v: this.freshValue(),
  });

  /** The first tick after now at which a timer, an operation or a recovery may enable an action. */
  nextWake(): number {
    const tick = this.ctx.tick;
    let wake = Number.POSITIVE_INFINITY;
    const at = (t: number) => {
      if (t > tick && t < wake) wake = t;
    };
    for (const p of this.pending.values()) at(p.due);
    for (const t of this.stalls.values()) at(t);
    for (let k = 0; k < this.procIds.length; k++) {
      if (!this.outages.up(k)) at(this.outages.downUntil[k] as number);
      at(this.deadline[k] as number);
      at(this.backoffUntil[k] as number);
      at(this.thinkUntil[k] as number);
    }
    return Number.isFinite(wake) ? wake : tick + 1;
  }

  step(a: Action): void {
    const s = perform(this.state, a);
    if (O.isNone(s)) throw new Error(`simulator chose a disabled action: ${a.name}`);
    const prev = this.state;
    this.state = s.value.next;
    this.changed =
      prev.procs !== this.state.procs ||
      prev.disks !== this.state.disks ||
      prev.writes !== this.state.writes ||
      prev.chosen !== this.state.chosen;
    this.bookkeeping(a, prev, s.value.effects);
  }

  violations(): ReadonlyArray<InvariantName> {
    return this.changed && this.options.invariants.length > 0
      ? violatedInvariants(this.state, this.options.invariants)
      : [];
  }

  /** How long an operation issued now takes. */
  private latency(): number {
    const { knobs } = this;
    if (this.faults.has("reorder") && this.ctx.rng.chance(knobs.slowShare))
      return this.draw(knobs.slow);
    return this.draw(knobs.latency);
  }

  /** The runtime's share of a step: the I/O path's books and the processors' timers. */
  private bookkeeping(a: Action, prev: Cluster, effects: ReadonlyArray<Effect>): void {
    const tick = this.ctx.tick;
    for (const e of effects)
      if (e.type === "write" || e.type === "read")
        this.pending.set(e.type === "write" ? writeOp.json(e.op) : readOp.json(e.op), {
          due: tick + this.latency(),
          seq: ++this.seq,
        });
    switch (a.name) {
      case "CompleteWrite":
        this.pending.delete(writeOp.json(a.w));
        break;
      case "CompleteRead":
        this.pending.delete(readOp.json(a.r));
        break;
      case "DiskFail":
        // Its operations never complete: forget when they were due.
        for (const w of this.state.writes) if (w.disk === a.d) this.pending.delete(writeOp.json(w));
        for (const r of this.state.reads) if (r.disk === a.d) this.pending.delete(readOp.json(r));
        break;
      case "Restart":
        this.outages.restarted(this.procIds.indexOf(a.p));
        break;
      default:
        break;
    }
    // Reads a processor abandoned are gone from the I/O path.
    for (const r of prev.reads)
      if (!this.state.reads.includes(r) && !(a.name === "CompleteRead" && a.r === r))
        this.pending.delete(readOp.json(r));
    const p = procOf(a);
    if (p !== undefined) this.timers(this.procIds.indexOf(p), a, prev);
  }

  /** Processor k's timers after a step of it or of one of its operations. */
  private timers(k: number, a: Action, prev: Cluster): void {
    const tick = this.ctx.tick;
    const before = prev.procs.get(this.procIds[k] as string) as ProcState;
    const after = this.proc(k);
    if (before === after) return;
    if (after.phase !== before.phase || cur(after).mbal !== cur(before).mbal)
      this.deadline[k] = tick + this.draw(this.knobs.ballotTimeout);
    if (after.phase === 3 && before.phase !== 3) {
      this.losses[k] = 0;
      this.thinkUntil[k] = tick + this.draw(this.knobs.think);
    }
    if (a.name === "CompleteRead" && cur(after).mbal > cur(before).mbal) {
      // It read a higher ballot and gave up its own: back off before writing again.
      this.aborts++;
      this.losses[k] = (this.losses[k] as number) + 1;
      this.backoffUntil[k] =
        tick + this.draw(this.knobs.backoff) * 2 ** Math.min(this.losses[k] as number, 3);
    }
  }
}

/** The processor an action concerns (a disk operation's issuer). */
function procOf(a: Action): string | undefined {
  switch (a.name) {
    case "CompleteWrite":
      return a.w.proc;
    case "CompleteRead":
      return a.r.proc;
    case "DiskFail":
      return undefined;
    default:
      return a.p;
  }
}
