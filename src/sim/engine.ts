/**
 * The protocol-neutral simulation loop. A protocol plugs in a SimDriver; the engine owns the
 * seeded PRNG and the clock, asks the driver for the enabled actions each tick, picks one by
 * weight, lets the driver perform it, emits one event per action and checks the invariants
 * after every step. A tick with no enabled action emits nothing, and idle ticks up to the
 * driver's next timer are skipped.
 */
import * as O from "fp-ts/lib/Option.js";
import { Prng } from "../core/prng.js";
import { Candidates } from "./candidates.js";

/** What a driver may read from the engine: the run's only source of randomness and time. */
export interface SimContext {
  readonly rng: Prng;
  /** The current tick (simulated time). */
  readonly tick: number;
}

/**
 * A protocol's half of the simulator, as imperative as it needs to be: it keeps the protocol's
 * pure state (S) plus the runtime bookkeeping a real deployment has (timers, messages in
 * flight, crashed servers), and turns both into spec actions (A). All randomness must come from
 * ctx.rng and all time from ctx.tick, so that a seed names a run.
 *
 * Each tick the engine calls, in order:
 * 1. `environment()` — faults that start and end with time (crashes, partitions); not events;
 * 2. `forced()` — an action that must happen now whatever the weights (e.g. dropping the oldest
 *    message when the network holds too many), else
 * 3. `enumerate(out)` — the actions it offers now, each with a weight: the protocol's enabled
 *    actions (its own guards decide those), weighted by the driver's timers, flow control and
 *    fault rates; the engine draws one, and when nothing is offered jumps to `nextWake()`;
 * 4. `step(a)` — perform `a` (throw if it is disabled: that is a driver bug), update `state`
 *    and the bookkeeping, perform the effects;
 * 5. the event sink sees (event index, a, state), then `violations()` is consulted: a
 *    non-empty answer stops the run and is reported with seed and step.
 */
export interface SimDriver<S, A extends { readonly name: string }, I extends string = string> {
  /** The protocol state after the last step: what the trace prints and the invariants read. */
  readonly state: S;
  environment(): void;
  forced(): A | undefined;
  enumerate(out: Candidates<A>): void;
  step(a: A): void;
  /**
   * The first tick after ctx.tick at which a timer may enable an action (called when none is);
   * +Infinity when nothing can ever happen again, which ends the run early.
   */
  nextWake(): number;
  /** Invariants the current state breaks; empty when it keeps them (or none are checked). */
  violations(): ReadonlyArray<I>;
}

export interface Violation<I extends string = string> {
  readonly seed: number;
  /** Index of the event after which the invariants failed. */
  readonly step: number;
  readonly invariants: ReadonlyArray<I>;
}

/** Receives each event: its index, the action (undefined for Init) and the post-state. */
export type EventSink<S, A> = (i: number, action: A | undefined, state: S) => void;

export interface EngineRun<I extends string> {
  /** Events after Init. */
  readonly steps: number;
  readonly ticks: number;
  readonly violation: O.Option<Violation<I>>;
  /** How often each action occurred. */
  readonly actions: Readonly<Record<string, number>>;
}

/** What every protocol's simulate() reports: these, plus its own facts. */
export interface SimStatsBase<N extends string> {
  readonly ticks: number;
  readonly actions: Readonly<Partial<Record<N, number>>>;
}

export interface SimResultBase<Options, I extends string, S> {
  readonly options: Options;
  /** Events after Init. */
  readonly steps: number;
  readonly violation: O.Option<Violation<I>>;
  /** The final state. */
  readonly cluster: S;
}

class Clock implements SimContext {
  readonly rng: Prng;
  tick = 0;
  constructor(seed: number) {
    this.rng = new Prng(seed);
  }
}

/**
 * Run `steps` events (fewer if an invariant breaks) of the driver `create` builds on a fresh
 * context seeded with `seed`. `sink` sees Init (event 0) and every event after it.
 */
export function runEngine<
  S,
  A extends { readonly name: string },
  I extends string,
  D extends SimDriver<S, A, I>,
>(
  seed: number,
  steps: number,
  create: (ctx: SimContext) => D,
  sink?: EventSink<S, A>,
): EngineRun<I> & { readonly driver: D } {
  const clock = new Clock(seed);
  const driver = create(clock);
  const candidates = new Candidates<A>();
  const actions: Record<string, number> = {};
  let events = 0;
  let violation: O.Option<Violation<I>> = O.none;
  sink?.(0, undefined, driver.state);
  while (events < steps) {
    clock.tick++;
    driver.environment();
    let a = driver.forced();
    if (a === undefined) {
      candidates.clear();
      driver.enumerate(candidates);
      a = candidates.pick(clock.rng);
      if (a === undefined) {
        // Nothing can happen before the next timer fires: skip the idle ticks (no fault
        // starts while the system idles). No timer at all: the run is over.
        const wake = driver.nextWake();
        if (wake === Number.POSITIVE_INFINITY) break;
        clock.tick = Math.max(clock.tick, wake - 1);
        continue;
      }
    }
    driver.step(a);
    events++;
    actions[a.name] = (actions[a.name] ?? 0) + 1;
    sink?.(events, a, driver.state);
    const bad = driver.violations();
    if (bad.length > 0) {
      violation = O.some({ seed, step: events, invariants: bad });
      break;
    }
  }
  return { steps: events, ticks: clock.tick, violation, actions, driver };
}

/**
 * runEngine on the driver `create` builds from a protocol's options: the result every
 * protocol's simulate() reports, the counts its stats start from, and the driver.
 */
export function simulateWith<
  Options extends { readonly seed: number; readonly steps: number },
  S,
  A extends { readonly name: string },
  I extends string,
  D extends SimDriver<S, A, I>,
>(
  options: Options,
  create: (ctx: SimContext) => D,
  sink?: EventSink<S, A>,
): {
  readonly result: SimResultBase<Options, I, S>;
  readonly stats: SimStatsBase<string>;
  readonly driver: D;
} {
  const r = runEngine<S, A, I, D>(options.seed, options.steps, create, sink);
  const d = r.driver;
  return {
    result: { options, steps: r.steps, violation: r.violation, cluster: d.state },
    stats: { ticks: r.ticks, actions: r.actions },
    driver: d,
  };
}
