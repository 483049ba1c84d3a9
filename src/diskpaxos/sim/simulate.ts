/** DiskPaxos runs: the generic engine driving a DiskpaxosDriver, and what a run leaves behind. */
import {
  type Violation as EngineViolation,
  type EventSink,
  type SimResultBase,
  type SimStatsBase,
  simulateWith,
} from "../../sim/engine.js";
import type { Action, ActionName, Cluster } from "../cluster.js";
import type { InvariantName } from "../invariants.js";
import { DiskpaxosDriver } from "./driver.js";
import type { SimOptions } from "./options.js";

export type Violation = EngineViolation<InvariantName>;

export interface SimStats extends SimStatsBase<ActionName> {
  /** Ballots given up on reading a higher one. */
  readonly aborts: number;
}

export interface SimResult extends SimResultBase<SimOptions, InvariantName, Cluster> {
  readonly stats: SimStats;
  /** The client commands the run handed out (the spec's Inputs). */
  readonly values: ReadonlyArray<string>;
}

/** Run one simulation. `sink` sees every event, Init first. */
export function simulate(options: SimOptions, sink?: EventSink<Cluster, Action>): SimResult {
  const {
    result,
    stats,
    driver: d,
  } = simulateWith<SimOptions, Cluster, Action, InvariantName, DiskpaxosDriver>(
    options,
    (ctx) => new DiskpaxosDriver(ctx, options),
    sink,
  );
  return { ...result, stats: { ...stats, aborts: d.aborts }, values: [...d.values] };
}
