/** Shared result types for both model-checking engines. */

export type EngineName = "tlc" | "embedded";

/** Outcome name used when a model deadlocks (TLC and tla-checker both check deadlock by default). */
export const DEADLOCK = "deadlock";

/** One argument of a step's action: the parameter's name and its value as TLA+ text. */
export interface StepArg {
  name: string;
  value: string;
}

/** One state of a counterexample; `vars` holds TLA+ value strings, e.g. `<<1, 2>>`. */
export interface Step {
  /** The action that led to this state: the spec's (Next's) action when it is known. */
  action?: string;
  /** Its arguments, when known (an action without parameters has `[]`). */
  args?: StepArg[];
  /** The operator of the model's next-state relation the step took, when it is not `action`
   * itself (a model's wrapper such as `FaultRestart`). */
  via?: string;
  vars: Record<string, string>;
}

/**
 * What one engine said about one model.
 * `outcome` is "pass", the name of the violated invariant/property (or "deadlock"), or "error".
 */
export interface CheckResult {
  model: string;
  protocol: string;
  engine: EngineName;
  expected: string;
  outcome: string;
  distinctStates: number | null;
  generatedStates: number | null;
  depth: number | null;
  seconds: number;
  counterexample?: Step[];
  error?: string;
  /** Set (with outcome "skipped") when the engine cannot check this model; says why. */
  skipped?: string;
  /**
   * Set when the outcome is the expected one but the distinct-state count is not the one the
   * cfg header gives: one line with the header's file:line, expected and actual.
   */
  countMismatch?: string;
  /** The counterexample written as a trace file (`npm run validate` replays it). */
  trace?: string;
  /** Set on an error the user's input causes (cfg, spec, flags) rather than the check. */
  badInput?: boolean;
  /** With `npm run tlc -- --conform`: the model's graph against its implementation's. */
  conform?: {
    equal: boolean;
    specStates: number;
    implStates: number;
    specEdges: number;
    implEdges: number;
    seconds: number;
  };
  /** TLC's unframed output lines (Print/PrintT, SANY), when the caller asked to keep them. */
  output?: string[];
}

/** Live statistics reported while a check runs (TLC reports them; embedded only elapsed time). */
export interface Progress {
  distinctStates: number | null;
  generatedStates: number | null;
  /** States generated per second since the previous report. */
  statesPerSecond: number | null;
  depth: number | null;
  queue: number | null;
}

export { UserError } from "../core/errors.js";

/**
 * The reachable graph of a run as Graphviz DOT (one node per distinct state, labelled with its
 * variables as TLA+ text, one edge per step), read line by line, and the initial states'
 * variables as TLA+ text where the DOT does not mark them (TLC fills its initial nodes:
 * `style = filled`). Valid only during the callback that receives it (TLC's file is removed
 * with the run's work directory afterwards).
 */
export interface EngineGraph {
  readonly lines: () => Iterable<string>;
  readonly init?: ReadonlyArray<Readonly<Record<string, string>>>;
}
