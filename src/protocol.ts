/**
 * The protocol-module contract. Everything the shared tools know about a protocol — model
 * checking, simulation, trace validation, fixtures, benchmarks and the tests that run for every
 * protocol — comes from its module object, `src/<p>/module.ts`. A new protocol is one folder in
 * each of spec/, src/, test/ and traces/ plus one line in src/registry.ts; no shared file names it.
 */

import type * as O from "fp-ts/lib/Option.js";
import type { ModelHook } from "./conform/model.js";
import type { Variable } from "./core/variables.js";
import type { ReplicaFactory } from "./runtime/service.js";
import type { Fault } from "./sim/faults.js";
import type { SimProtocol } from "./sim/protocol.js";
import type { ParamTable } from "./sim/trace.js";
import type { ValueFormatter } from "./tla/value.js";
import type { FixtureSet } from "./trace/fixtures.js";
import type { Value } from "./trace/itf.js";
import type { ConstantSpec } from "./trace/protocol.js";

export interface ProtocolModule {
  /** Its folder under spec/, src/, test/ and traces/, and the `protocol` of its traces. */
  readonly name: string;
  /** Its name as people write it (with capitals, hyphens, spaces). */
  readonly title: string;
  readonly spec: {
    /** The protocol's module in spec/<name>/ (its Next lists the actions). */
    readonly module: string;
    /** The finite-model module the models and trace generation extend (its MCNext). */
    readonly model: string;
  };
  /** The abstraction to spec variables and actions, and the spec's constants. */
  readonly trace: {
    // biome-ignore lint/suspicious/noExplicitAny: each protocol's own state type
    readonly variables: ReadonlyArray<Variable<any>>;
    readonly actions: ParamTable;
    readonly constants: ReadonlyArray<ConstantSpec>;
  };
  readonly sim: SimProtocol;
  /**
   * How the simulator exposes each bug of the spec switched on in the implementation: the
   * faults and sizes that let it strike; a run within 200 seeds must break a TS invariant or
   * produce a trace validation rejects.
   */
  readonly bugHunts: ReadonlyArray<BugHunt>;
  /** Committed example traces: good ones made by TLC, bad ones each with one corruption. */
  // biome-ignore lint/suspicious/noExplicitAny: each protocol's own model type
  readonly fixtures: FixtureSet<any>;
  /** The configurations `npm run bench` simulates. */
  readonly bench: ReadonlyArray<BenchRow>;
  /**
   * Optional: commit latency in simulated time on a wide-area deployment, for the comparison
   * `npm run bench` prints between the protocols that have it (the same deployments for all).
   */
  readonly latencyBench?: LatencyBench;
  /**
   * Optional: the short text of a record of this protocol's spec (a message, a log entry, a
   * ballot) in counterexamples, or undefined to print it the generic way (a record with
   * mtype/msource/mdest as `src→dest mtype field=value …`).
   */
  readonly formatValue?: ValueFormatter;
  /**
   * Optional: the implementation of the finite models of `spec.model` (its bounds and fault
   * switches over the implementation's enabled actions), for graph equality with the spec and
   * the implementation explorer (`npm run conform`, src/conform).
   */
  readonly model?: ModelHook;
  /**
   * The implementation as a transition system over its own states, for replaying the spec's
   * counterexamples on it (src/trace/replay.ts): states are abstracted by `trace.variables`,
   * actions named and parameterised by `trace.actions`.
   */
  readonly implementation?: Implementation;
  /**
   * Optional: the protocol as a real service (src/runtime: `npm run node`, `npm run cluster`):
   * the replica a node process runs, driven by ticks, peers' frames and clients' values.
   */
  readonly service?: ReplicaFactory;
  /**
   * Optional: sections `npm run bench` prints for this protocol besides the simulator's (e.g.
   * liveness figures, or real-process figures); `optIn` ones only with `--runtime`.
   */
  readonly benchSections?: ReadonlyArray<BenchSection>;
}

/** How to start the implementation on a model (see ProtocolModule.implementation). */
export interface Implementation {
  /**
   * The implementation for a model's `constants` (the spec's, by name) with the named bugs
   * (sim.bugNames) switched on, in the initial state the spec's Init chose: `init` holds the
   * spec variables of that state (a spec whose Init chooses, e.g. each processor's first input,
   * is read from there).
   */
  readonly start: (
    constants: Readonly<Record<string, Value>>,
    bugs: ReadonlyArray<string>,
    init: Readonly<Record<string, Value>>,
  ) => ImplementationRun;
}

/** One started implementation: its initial state, enabled actions and transitions. */
export interface ImplementationRun {
  // biome-ignore lint/suspicious/noExplicitAny: each protocol's own state type
  readonly initial: any;
  // biome-ignore lint/suspicious/noExplicitAny: each protocol's own state and action types
  readonly enabled: (s: any) => ReadonlyArray<{ readonly name: string }>;
  // biome-ignore lint/suspicious/noExplicitAny: each protocol's own state and action types
  readonly perform: (s: any, a: any) => O.Option<any>;
}

/** A section of `npm run bench` output a protocol supplies. */
export interface BenchSection {
  readonly title: string;
  /** Printed only with `npm run bench -- --runtime` (it starts processes, or takes long). */
  readonly optIn: boolean;
  readonly run: (line: (s?: string) => void) => Promise<void>;
}

export interface BugHunt {
  /** A name from sim.bugNames. */
  readonly bug: string;
  readonly faults: ReadonlyArray<Fault>;
  readonly sizes?: Readonly<Record<string, number>>;
  /** Events per run (default 300). */
  readonly steps?: number;
}

/** One simulator configuration `npm run bench` measures. */
export interface BenchRow {
  /** E.g. "3 servers, all faults". */
  readonly label: string;
  readonly sizes?: Readonly<Record<string, number>>;
}

/**
 * A wide-area deployment `npm run bench` measures commit latency on: sites 1…N, links of
 * `latency` ticks between two sites and `far` ticks on those of the last site, a client at
 * each of the first `clientSites` sites sending a command every `arrival` ticks (while fewer
 * than `maxBacklog` are unexecuted), no faults.
 */
export interface LatencyDeployment {
  readonly label: string;
  readonly sites: number;
  readonly latency: number;
  readonly far: number;
  readonly clientSites: number;
  readonly arrival: readonly [number, number];
  readonly maxBacklog: number;
  /** Events per run. */
  readonly events: number;
}

export interface LatencyBench {
  /** How the protocol is deployed on the sites, e.g. "one server per site". */
  readonly about: string;
  /**
   * One fault-free run of the deployment: each client command's commit latency in ticks, from
   * its arrival at its client's site to its execution there.
   */
  readonly run: (d: LatencyDeployment, seed: number) => ReadonlyArray<number>;
}
