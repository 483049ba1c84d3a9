/** Engine choice (`auto` prefers TLC, the reference) and one entry point to check a model. */
import { availableParallelism } from "node:os";
import { type EngineGraph, runEmbedded } from "./embedded.js";
import { explainSteps } from "./label.js";
import type { Model } from "./models.js";
import { findJar, findJava, locateTlc, runTlc, type TlcSetup } from "./tlc.js";
import type { CheckResult, EngineName, Progress } from "./types.js";

export type EngineChoice = "auto" | EngineName;

export interface ResolvedEngine {
  engine: EngineName;
  tlc?: TlcSetup;
  /** One line to show the user when `auto` fell back to the embedded engine. */
  notice?: string;
}

type Env = Record<string, string | undefined>;

/** Throws a UserError when `tlc` is asked for and Java or the jar is missing. */
export function resolveEngine(choice: EngineChoice, env: Env = process.env): ResolvedEngine {
  if (choice === "embedded") return { engine: "embedded" };
  if (choice === "tlc") return { engine: "tlc", tlc: locateTlc(env) };
  const jar = findJar(env);
  const java = findJava(env);
  if (jar && java) return { engine: "tlc", tlc: { jar, java } };
  const why = jar
    ? "Java not found for TLC (install Java 11+ or set JAVA_HOME)"
    : "TLC not found (set TLA2TOOLS_JAR or run `npm run tlc:install`)";
  return { engine: "embedded", notice: `${why}; using the embedded engine (tla-checker, WASM).` };
}

export interface CheckOptions {
  workers?: number;
  /** On the embedded engine: export the reachable graph too (see EmbeddedOptions). */
  onGraph?: (g: EngineGraph) => void;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/**
 * Check one model and compare its distinct states with the cfg header's (`countMismatch`); a
 * model its metadata keeps away from this engine is reported as skipped, a broken cfg as an
 * error.
 */
export async function checkModel(
  model: Model,
  engine: ResolvedEngine,
  opts: CheckOptions = {},
): Promise<CheckResult> {
  const none = {
    model: model.name,
    protocol: model.protocol,
    engine: engine.engine,
    expected: model.expect,
    distinctStates: null,
    generatedStates: null,
    depth: null,
    seconds: 0,
  };
  if (model.broken) return { ...none, outcome: "error", error: model.broken, badInput: true };
  if (!model.engines.includes(engine.engine))
    return {
      ...none,
      outcome: "skipped",
      skipped: `${engine.engine} engine not used for this model: ${model.why ?? "engines metadata"}`,
    };
  const workers = engine.engine === "tlc" ? (opts.workers ?? availableParallelism()) : 1;
  const r =
    engine.engine === "tlc" && engine.tlc
      ? await runTlc(model, engine.tlc, { ...opts, workers })
      : await runEmbedded(model, {
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onGraph ? { onGraph: opts.onGraph } : {}),
        });
  if (r.counterexample && r.counterexample.length > 1 && !opts.signal?.aborted)
    await explainSteps(model, r.counterexample, opts.signal);
  return withCountCheck(model, r, workers);
}

/**
 * The result, with `countMismatch` set when the header gives this engine's distinct states and
 * the run's differ. Compared only when the outcome is the expected one and the count does not
 * depend on scheduling: always at a pass; at a violation or deadlock only with one worker
 * (TLC's workers race to the first violation; the embedded engine searches alone).
 */
export function withCountCheck(model: Model, r: CheckResult, workers: number): CheckResult {
  const want = model.states?.[r.engine];
  if (want === undefined || !model.states || r.outcome !== r.expected) return r;
  if (r.outcome !== "pass" && workers !== 1) return r;
  if (r.distinctStates === want) return r;
  const got = r.distinctStates === null ? "no count" : String(r.distinctStates);
  return {
    ...r,
    countMismatch: `${model.states.at}: states: expected ${r.engine} ${want}, got ${got}`,
  };
}

/**
 * A result is fine when the outcome is the expected one with the expected count (if the header
 * gives one), or the model was skipped.
 */
export const meetsExpectation = (r: CheckResult) =>
  r.outcome === "skipped" || (r.outcome === r.expected && r.countMismatch === undefined);
