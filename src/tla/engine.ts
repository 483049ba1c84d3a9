/** Engine choice (`auto` prefers TLC, the reference) and one entry point to check a model. */
import { runEmbedded } from "./embedded.js";
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
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

/** Check one model; a model its metadata keeps away from this engine is reported as skipped. */
export async function checkModel(
  model: Model,
  engine: ResolvedEngine,
  opts: CheckOptions = {},
): Promise<CheckResult> {
  if (!model.engines.includes(engine.engine))
    return {
      model: model.name,
      protocol: model.protocol,
      engine: engine.engine,
      expected: model.expect,
      outcome: "skipped",
      distinctStates: null,
      generatedStates: null,
      depth: null,
      seconds: 0,
      skipped: `${engine.engine} engine not used for this model: ${model.why ?? "engines metadata"}`,
    };
  if (engine.engine === "tlc" && engine.tlc) return runTlc(model, engine.tlc, opts);
  return runEmbedded(model, opts.signal ? { signal: opts.signal } : {});
}

/** A result is fine when the outcome is the expected one, or the model was skipped. */
export const meetsExpectation = (r: CheckResult) =>
  r.outcome === "skipped" || r.outcome === r.expected;
