/** Raft runs: the generic engine driving a RaftDriver, and what a run leaves behind. */
import type { ServerId } from "../../core/ids.js";
import type { KvCommand } from "../../core/kv.js";
import {
  type Violation as EngineViolation,
  type EventSink,
  type SimResultBase,
  type SimStatsBase,
  simulateWith,
} from "../../sim/engine.js";
import type { Action, ActionName, Cluster } from "../cluster.js";
import type { InvariantName } from "../invariants.js";
import type { Replica } from "./clients.js";
import { RaftDriver } from "./driver.js";
import type { SimOptions } from "./options.js";

export type { Replica } from "./clients.js";

export type Violation = EngineViolation<InvariantName>;

export interface SimStats extends SimStatsBase<ActionName> {
  readonly maxTerm: number;
  readonly maxCommit: number;
}

export interface SimResult extends SimResultBase<SimOptions, InvariantName, Cluster> {
  readonly replicas: ReadonlyMap<ServerId, Replica>;
  /** Client value id → the KV command it stands for. */
  readonly commands: ReadonlyMap<string, KvCommand>;
  readonly stats: SimStats;
  /** Values the run used (the spec's Value) and reconfiguration targets (NewConfigs). */
  readonly values: ReadonlyArray<string>;
  readonly newConfigs: ReadonlyArray<ReadonlyArray<ServerId>>;
  /**
   * Events at which a server sent messages while its simulated disk lagged behind its state
   * (persist-before-send broken): always empty unless `forgetPersist` is switched on.
   */
  readonly unpersistedSends: ReadonlyArray<{ readonly step: number; readonly action: string }>;
  /** Each server's simulated disk at the end: its persistent state as the codec wrote it. */
  readonly disks: ReadonlyMap<ServerId, string>;
}

/** Run one simulation. `sink` sees every event, Init first. */
export function simulate(options: SimOptions, sink?: EventSink<Cluster, Action>): SimResult {
  const {
    result,
    stats,
    driver: d,
  } = simulateWith<SimOptions, Cluster, Action, InvariantName, RaftDriver>(
    options,
    (ctx) => new RaftDriver(ctx, options),
    sink,
  );
  return {
    ...result,
    replicas: new Map(d.ids.map((id, k) => [id, d.clients.replica(k)])),
    commands: d.clients.commands,
    stats: { ...stats, maxTerm: d.maxTerm, maxCommit: d.maxCommit },
    values: [...d.clients.commands.keys()],
    newConfigs: d.newConfigs,
    unpersistedSends: d.unpersistedSends,
    disks: new Map(d.ids.map((id, k) => [id, d.disk[k] as string])),
  };
}
