/**
 * The embedded engine: npm tla-checker 0.9.0 (tla-rs compiled to WASM), run in a worker thread.
 * No Java needed, about 10× slower than TLC; reports distinct states only.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { Worker } from "node:worker_threads";
import { type Cfg, parseCfg } from "./cfg.js";
import { type CheckerAnswer, interpretAnswer } from "./embedded-answer.js";
import { type EmbeddedInput, prepareEmbedded } from "./embedded-prep.js";
import { inlineModule } from "./inline.js";
import type { Model } from "./models.js";
import { type CheckResult, type EngineGraph, UserError } from "./types.js";

export type { EngineGraph } from "./types.js";

/** Large enough never to cut a CI model short; hitting either is reported as an error. */
const MAX_STATES = 1e9;
const MAX_DEPTH = 1e6;

export interface EmbeddedOptions {
  signal?: AbortSignal;
  /** Export the reachable graph as well (one run gives verdict, count and graph). */
  onGraph?: (g: EngineGraph) => void;
}

const show = (p: string) => relative(process.cwd(), p) || p;

export async function runEmbedded(model: Model, opts: EmbeddedOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const base = {
    model: model.name,
    protocol: model.protocol,
    engine: "embedded" as const,
    expected: model.expect,
  };
  const done = (r: Partial<CheckResult> & { outcome: string }): CheckResult => ({
    ...base,
    distinctStates: null,
    generatedStates: null,
    depth: null,
    seconds: (performance.now() - started) / 1000,
    ...r,
  });
  let cfg: Cfg;
  let input: EmbeddedInput;
  try {
    cfg = parseCfg(model.cfgText ?? readFileSync(model.cfgPath, "utf8"));
    input = prepareEmbedded(inlineModule(model.dir, model.module), cfg, show(model.cfgPath));
  } catch (e) {
    if (e instanceof UserError) return done({ outcome: "error", error: e.message, badInput: true });
    throw e;
  }
  try {
    const answer = JSON.parse(
      await inWorker<string>(
        {
          mode: "check",
          source: input.source,
          cfg: input.cfg,
          maxStates: MAX_STATES,
          maxDepth: MAX_DEPTH,
          exportDot: opts.onGraph !== undefined,
        },
        opts.signal,
      ),
    ) as CheckerAnswer & {
      dot?: string;
      init?: { states?: { display: Record<string, string> }[] };
    };
    if (opts.onGraph && answer.success && answer.dot !== undefined) {
      const dot = answer.dot;
      opts.onGraph({
        lines: () => dot.split("\n"),
        init: (answer.init?.states ?? []).map((x) => x.display),
      });
    }
    return done(interpretAnswer(answer, input, cfg, show(model.cfgPath)));
  } catch (e) {
    if (opts.signal?.aborted) return done({ outcome: "error", error: "interrupted" });
    const why = e instanceof Error ? e.message : String(e);
    return done({ outcome: "error", error: `embedded engine failed: ${why.split("\n")[0]}` });
  }
}

/** One state reached by `exploreEmbedded`: printed variables and the value of the expression. */
export interface ExploredState {
  display: Record<string, string>;
  /** tla-checker's JSON of the expression's value (sets and sequences as arrays). */
  value: unknown;
}

/**
 * The states `steps` transitions from the initial states of a flattened module (0: the initial
 * states themselves), each with `expr` evaluated in it. For looking at one step closely, e.g.
 * why a trace event matches no successor; the state space is not searched.
 */
export async function exploreEmbedded(
  source: string,
  cfg: string,
  steps: number,
  expr: string,
  signal?: AbortSignal,
): Promise<ExploredState[]> {
  const r = await inWorker<{ ok: boolean; error?: string; states?: ExploredState[] }>(
    { mode: "explore", source, cfg, steps, expr },
    signal,
  );
  if (!r.ok || !r.states) throw new Error(`embedded engine: ${r.error ?? "exploration failed"}`);
  return r.states;
}

/** Run the worker once; rejects on abort or if the WASM module traps. */
function inWorker<T>(data: Record<string, unknown>, signal: AbortSignal | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./embedded-worker.mjs", import.meta.url), {
      workerData: data,
    });
    const onAbort = () => {
      void worker.terminate();
      reject(new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.once("message", (m: T) => {
      signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      resolve(m);
    });
    worker.once("error", (e) => {
      signal?.removeEventListener("abort", onAbort);
      reject(e);
    });
    // Settles nothing if a message or error came first; catches a worker that died silently.
    worker.once("exit", (code) => reject(new Error(`worker exited with code ${code}`)));
  });
}
