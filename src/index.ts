/**
 * lockstep as a library (`import … from "lockstep"`): the registered protocols, the simulator,
 * trace validation and model checking — what the command-line tools do, as functions. Each
 * protocol's transitions and types are its own entry point, `lockstep/<protocol>` (its
 * src/<protocol>/index.ts).
 *
 * Errors a caller can cause (an unknown protocol, a size out of bounds, a malformed trace, no
 * TLC where TLC is asked for) are thrown as `UserError`, with a one-line message.
 */
import { fileURLToPath } from "node:url";
import { UserError } from "./core/errors.js";
import type { ProtocolModule } from "./protocol.js";
import { protocols } from "./registry.js";
import { type Fault, parseFaults } from "./sim/faults.js";
import type { RunReport } from "./sim/protocol.js";
import { type EngineChoice, meetsExpectation, resolveEngine } from "./tla/engine.js";
import { discoverModels, type Model, selectModels } from "./tla/models.js";
import { runChecks } from "./tla/run.js";
import type { CheckResult, EngineName } from "./tla/types.js";
import { parseTrace, type Trace } from "./trace/codec.js";
import { type ValidateOptions, type ValidationResult, validateTraces } from "./trace/validate.js";

export { UserError } from "./core/errors.js";
export type { BenchRow, BugHunt, ProtocolModule } from "./protocol.js";
export { protocols } from "./registry.js";
export { type Fault, faultNames } from "./sim/faults.js";
export type { RunOptions, RunReport, SimProtocol, SizeFlag } from "./sim/protocol.js";
export type { EngineChoice } from "./tla/engine.js";
export type { Model } from "./tla/models.js";
export type { CheckResult, EngineName, Progress, Step } from "./tla/types.js";
export {
  encodeTrace,
  parseTrace,
  readTrace,
  type Trace,
  type TraceEvent,
  type TraceHeader,
} from "./trace/codec.js";
export type { ValidationResult, VariableDiff } from "./trace/validate.js";

/** The protocol called `name`, or a UserError listing the registered ones. */
export function protocolNamed(name: string): ProtocolModule {
  const p = protocols().find((x) => x.name === name);
  if (p === undefined)
    throw new UserError(
      `unknown protocol "${name}"; known protocols: ${protocols()
        .map((x) => x.name)
        .join(", ")}`,
    );
  return p;
}

// ---------------------------------------------------------------------------------------------
// Simulation

export interface SimulateOptions {
  /** The run's seed (default 1): the same seed and options give the same trace, byte for byte. */
  readonly seed?: number;
  /** Events after Init (default 500; fewer if an invariant breaks first). */
  readonly steps?: number;
  /** Faults to inject, or "all" of the protocol's (default: none). */
  readonly faults?: ReadonlyArray<Fault> | "all";
  /** The protocol's size flags, e.g. `{ servers: 5 }` (the rest take their defaults). */
  readonly sizes?: Readonly<Record<string, number>>;
  /** Spec bugs to switch on in the implementation, comma-separated (the protocol's names). */
  readonly bugs?: string;
  /** Invariants to check after every step, comma-separated (default: all). */
  readonly invariants?: string;
  /** Message copies in flight before the oldest is dropped (default: the protocol's). */
  readonly maxMessages?: number;
  /** Trace format version 1 (every variable on every line) instead of version 2. */
  readonly fullState?: boolean;
}

export interface Simulation {
  /** The NDJSON trace (traces/FORMAT.md): the header line, then one line per event. */
  readonly trace: string;
  /** Events, the invariant violation if any (fp-ts Option), the summary and action counts. */
  readonly report: RunReport;
}

/**
 * Run one seed of `protocol`'s implementation under the simulator, checking the TypeScript
 * invariants after every step, and return its trace and report.
 */
export function simulate(protocol: string, options: SimulateOptions = {}): Simulation {
  const p = protocolNamed(protocol);
  for (const name of Object.keys(options.sizes ?? {}))
    if (!p.sim.sizes.some((f) => f.name === name))
      throw new UserError(
        `size "${name}" does not apply to ${p.name}; its sizes are ${p.sim.sizes.map((f) => f.name).join(", ")}`,
      );
  const faults =
    options.faults === "all"
      ? p.sim.faults
      : parseFaults((options.faults ?? []).join(","), p.sim.faults);
  const run = p.sim.prepare({
    steps: options.steps ?? 500,
    faults,
    ...(options.sizes === undefined ? {} : { sizes: options.sizes }),
    ...(options.bugs === undefined ? {} : { bugs: options.bugs }),
    ...(options.invariants === undefined ? {} : { invariants: options.invariants }),
    ...(options.maxMessages === undefined ? {} : { maxMessages: options.maxMessages }),
    ...(options.fullState === true ? { fullState: true } : {}),
  });
  const parts: Buffer[] = [];
  const report = run(options.seed ?? 1, (x) => {
    for (const b of x) parts.push(b);
  });
  return { trace: `${report.header}\n${Buffer.concat(parts).toString("utf8")}`, report };
}

// ---------------------------------------------------------------------------------------------
// Trace validation

export interface ValidateTraceOptions
  extends Pick<ValidateOptions, "env" | "signal" | "keep" | "diagnose"> {
  /** `auto` (default: TLC when a jar and Java are found, else embedded), `tlc` or `embedded`. */
  readonly engine?: EngineChoice;
  /** The name the result and error messages give the trace (default "trace.ndjson"). */
  readonly file?: string;
}

/**
 * Check that a trace — NDJSON text in the format of traces/FORMAT.md, or a decoded `Trace` — is
 * a behaviour of its protocol's TLA+ spec (the header names the protocol). Resolves to the
 * verdict: `ok`, and when not ok the first event that fails, the action tried and the
 * variables whose logged value no state the spec allows has. A malformed trace is a UserError
 * naming file:line.
 */
export async function validateTrace(
  trace: string | Trace,
  options: ValidateTraceOptions = {},
): Promise<ValidationResult> {
  const t = typeof trace === "string" ? parseTrace(trace, options.file ?? "trace.ndjson") : trace;
  const { file: _file, engine, ...rest } = options;
  const [r] = await validateTraces([t], { ...rest, engine: engine ?? "auto" });
  if (r === undefined) throw new Error("validateTraces returned no result");
  return r;
}

// ---------------------------------------------------------------------------------------------
// Model checking

/** The spec/ folder shipped with this package (each protocol's models are spec/<p>/*.cfg). */
export const specDir = fileURLToPath(new URL("../spec", import.meta.url));

export interface CheckModelsOptions {
  /** A model's exact name, or a regular expression matched against names (default: all). */
  readonly filter?: string;
  /** `auto` (default), `tlc` or `embedded`. */
  readonly engine?: EngineChoice;
  /** Include the deep tier (and on the embedded engine the tlc tier). */
  readonly deep?: boolean;
  /** Checks at a time (default: one per core). */
  readonly jobs?: number;
  /** TLC workers per check. */
  readonly workers?: number;
  /** Where the models are (default: this package's spec/). */
  readonly specDir?: string;
  readonly env?: Record<string, string | undefined>;
  readonly signal?: AbortSignal;
  /** Called as each check finishes. */
  readonly onResult?: (r: CheckResult) => void;
}

export interface ModelChecks {
  readonly engine: EngineName;
  /** Why `auto` fell back to the embedded engine, if it did. */
  readonly notice?: string;
  /** The models checked, each with its outcome, counts and counterexample. */
  readonly results: ReadonlyArray<CheckResult>;
  /** True iff every check met its cfg header (outcome and, where given, distinct states). */
  readonly ok: boolean;
  /** Models the filter matched that the embedded engine leaves to TLC. */
  readonly leftToTlc: ReadonlyArray<string>;
}

/**
 * Model-check the protocols' TLA+ models as `npm run tlc` does: select by `filter` and tier,
 * check each on the chosen engine, and compare each outcome with its cfg header.
 */
export async function checkModels(options: CheckModelsOptions = {}): Promise<ModelChecks> {
  const discovered: Model[] = discoverModels(options.specDir ?? specDir);
  const engine = resolveEngine(options.engine ?? "auto", options.env ?? process.env);
  const { models, leftToTlc } = selectModels(
    discovered,
    options.filter,
    options.deep ?? false,
    engine.engine,
  );
  const results = await runChecks(models, engine, {
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onResult: (_i, r) => options.onResult?.(r),
  });
  return {
    engine: engine.engine,
    ...(engine.notice === undefined ? {} : { notice: engine.notice }),
    results,
    ok: results.every(meetsExpectation),
    leftToTlc,
  };
}
