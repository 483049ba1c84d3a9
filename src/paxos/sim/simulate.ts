/** Paxos runs: the generic engine driving a PaxosDriver, and what a run leaves behind. */
import type { KvCommand } from "../../core/kv.js";
import {
  type Violation as EngineViolation,
  type EventSink,
  type SimResultBase,
  type SimStatsBase,
  simulateWith,
} from "../../sim/engine.js";
import type { Action, ActionName, Cluster } from "../cluster.js";
import type { Store } from "./clients.js";
import { PaxosDriver } from "./driver.js";
import type { CheckName, SimOptions } from "./options.js";

export type Violation = EngineViolation<CheckName>;

export interface SimStats extends SimStatsBase<ActionName> {
  /** The highest ballot round any leader reached. */
  readonly maxRound: number;
  /** The most slots any replica performed. */
  readonly maxSlot: number;
  /**
   * With sites (SimOptions.sites), commit latency in simulated ticks: per client command
   * performed by its site's replica, from its arrival there to its performing there; empty
   * without sites.
   */
  readonly latencies: ReadonlyArray<number>;
}

export interface SimResult extends SimResultBase<SimOptions, CheckName, Cluster> {
  /** Per replica, its key-value store. */
  readonly stores: ReadonlyMap<string, Store>;
  /** Client value id → the KV command it stands for. */
  readonly commands: ReadonlyMap<string, KvCommand>;
  readonly stats: SimStats;
  /** Values the run used (the spec's Value) and reconfiguration targets (NewLeaderSets). */
  readonly values: ReadonlyArray<string>;
  readonly newLeaderSets: ReadonlyArray<ReadonlyArray<string>>;
  /** Per leader and acceptor, its simulated disk: the persistent state as the codec wrote it. */
  readonly disks: ReadonlyMap<string, string>;
  /** Events at which a process sent messages its disk did not back (a persist was lost). */
  readonly unpersistedSends: ReadonlyArray<{ readonly step: number; readonly action: ActionName }>;
  /** Restarts that came back from disk with another state than the one in memory. */
  readonly regressions: ReadonlyArray<{ readonly tick: number; readonly id: string }>;
}

/** Run one simulation. `sink` sees every event, Init first. */
export function simulate(options: SimOptions, sink?: EventSink<Cluster, Action>): SimResult {
  const {
    result,
    stats,
    driver: d,
  } = simulateWith<SimOptions, Cluster, Action, CheckName, PaxosDriver>(
    options,
    (ctx) => new PaxosDriver(ctx, options),
    sink,
  );
  const replicas = [...d.state.replicas.values()];
  return {
    ...result,
    stores: new Map(d.replicaIds.map((id, k) => [id, d.clients.store(k)])),
    commands: d.clients.commands,
    stats: {
      ...stats,
      maxRound: d.maxBallot,
      maxSlot: Math.max(0, ...replicas.map((x) => x.slotOut - 1)),
      latencies: d.latencies,
    },
    values: [...d.clients.commands.keys()],
    newLeaderSets: d.newLeaderSets,
    disks: d.disk,
    unpersistedSends: d.unpersistedSends,
    regressions: d.regressions,
  };
}
