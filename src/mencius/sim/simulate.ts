/** Mencius runs: the generic engine driving a MenciusDriver, and what a run leaves behind. */
import type { KvCommand, KvState } from "../../core/kv.js";
import {
  type Violation as EngineViolation,
  type EventSink,
  type SimResultBase,
  type SimStatsBase,
  simulateWith,
} from "../../sim/engine.js";
import type { Action, ActionName, Cluster } from "../cluster.js";
import { MenciusDriver } from "./driver.js";
import type { CheckName, SimOptions } from "./options.js";

export type Violation = EngineViolation<CheckName>;

export interface SimStats extends SimStatsBase<ActionName> {
  /** The most instances any server executed. */
  readonly executedUpTo: number;
  /** Client commands executed by the most advanced server. */
  readonly executed: number;
  /**
   * Commit latency in simulated time (ticks): per command executed at its client's site, from
   * its arrival there to its execution there, in execution order.
   */
  readonly latencies: ReadonlyArray<number>;
}

export interface SimResult extends SimResultBase<SimOptions, CheckName, Cluster> {
  /** Per server, its key-value store. */
  readonly stores: ReadonlyMap<string, KvState>;
  /** Client value id → the KV command it stands for. */
  readonly commands: ReadonlyMap<string, KvCommand>;
  readonly stats: SimStats;
  /** Values the run used (the spec's Value). */
  readonly values: ReadonlyArray<string>;
}

/** Run one simulation. `sink` sees every event, Init first. */
export function simulate(options: SimOptions, sink?: EventSink<Cluster, Action>): SimResult {
  const {
    result,
    stats,
    driver: d,
  } = simulateWith<SimOptions, Cluster, Action, CheckName, MenciusDriver>(
    options,
    (ctx) => new MenciusDriver(ctx, options),
    sink,
  );
  const servers = [...d.state.servers.values()];
  return {
    ...result,
    stores: new Map(d.ids.map((id, k) => [id, d.stores[k] as KvState])),
    commands: d.commands,
    stats: {
      ...stats,
      executedUpTo: Math.max(0, ...servers.map((s) => s.durable.executedUpTo)),
      executed: Math.max(0, ...servers.map((s) => s.durable.executed.length)),
      latencies: d.latencies,
    },
    values: [...d.commands.keys()],
  };
}
