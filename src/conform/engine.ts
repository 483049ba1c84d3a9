/**
 * The spec's side of graph equality: one run of the embedded engine over a model with its
 * graph exported, read into fingerprints (spec-graph.ts). The model's invariants and
 * properties are left out of that run: graph equality compares what is reachable, and a
 * violation would cut the graph short; `npm run tlc` checks them.
 */
import { Worker } from "node:worker_threads";
import { UserError } from "../core/errors.js";
import { type Cfg, parseCfg, rewriteCfg } from "../tla/cfg.js";
import { type CheckerAnswer, interpretAnswer } from "../tla/embedded-answer.js";
import { prepareEmbedded } from "../tla/embedded-prep.js";
import { inlineModule } from "../tla/inline.js";
import { fingerprint } from "./fingerprint.js";
import { readDot, type SchemaVar, type SpecGraph, specStateJson } from "./spec-graph.js";

export interface SpecRun {
  readonly graph: SpecGraph;
  /** With `check`: the run's verdict as `npm run tlc` names it ("pass"), and its count. */
  readonly outcome?: string;
  readonly distinctStates?: number | null;
  /** The initial states, by index into graph.states. */
  readonly init: ReadonlyArray<number>;
  readonly seconds: number;
}

/** What the search of a model cannot be compared under: reductions that merge states. */
export function unsupported(cfg: Cfg, where: string): string | undefined {
  const s = cfg.sections.find((x) => x.kind === "SYMMETRY" || x.kind === "VIEW");
  return s === undefined
    ? undefined
    : `${where}:${s.line}: ${s.kind} merges states the implementation keeps apart; graph equality needs the model without it`;
}

/** The cfg for a graph-only run: no INVARIANT, no PROPERTY. */
export function graphCfg(cfg: Cfg): Cfg {
  return parseCfg(
    rewriteCfg(cfg, (s) => (s.kind === "INVARIANT" || s.kind === "PROPERTY" ? "" : undefined)),
  );
}

export async function specGraph(
  dir: string,
  module: string,
  cfg: Cfg,
  where: string,
  vars: ReadonlyArray<SchemaVar>,
  /** Keep the model's invariants and properties: the one run is also the model's check. */
  check = false,
): Promise<SpecRun> {
  const started = performance.now();
  const why = unsupported(cfg, where);
  if (why !== undefined) throw new UserError(why);
  const input = prepareEmbedded(inlineModule(dir, module), check ? cfg : graphCfg(cfg), where);
  const r = await new Promise<{
    init: { ok: boolean; error?: string; states?: { display: Record<string, string> }[] };
    answer: string;
  }>((resolve, reject) => {
    const w = new Worker(new URL("./graph-worker.mjs", import.meta.url), {
      workerData: { source: input.source, cfg: input.cfg, maxStates: 1e9, maxDepth: 1e6 },
    });
    w.once("message", (m) => {
      void w.terminate();
      resolve(m);
    });
    w.once("error", reject);
    w.once("exit", (code) =>
      reject(new Error(`the embedded engine's worker exited with code ${code}`)),
    );
  });
  const answer = JSON.parse(r.answer) as CheckerAnswer & { dot?: string };
  const verdict = check ? interpretAnswer(answer, input, cfg, where) : undefined;
  if (!answer.success || answer.dot === undefined)
    throw new UserError(
      verdict !== undefined && verdict.outcome !== "error"
        ? `${where}: the model does not pass (${verdict.outcome}), so its graph is cut short; compare it without its invariants`
        : `${where}: the embedded engine could not enumerate the model: ${(verdict?.error ?? answer.error_message ?? "no graph").split("\n")[0]}`,
    );
  if (!r.init.ok || r.init.states === undefined)
    throw new UserError(
      `${where}: the embedded engine gave no initial state: ${r.init.error ?? ""}`,
    );
  const run = specRunOf(
    answer.dot,
    r.init.states.map((x) => x.display),
    vars,
  );
  return {
    ...run,
    ...(verdict === undefined
      ? {}
      : { outcome: verdict.outcome, distinctStates: verdict.distinctStates }),
    seconds: (performance.now() - started) / 1000,
  };
}

/** The spec's graph from an engine's DOT and its initial states' variables (TLA+ text). */
export function specRunOf(
  dot: string,
  init: ReadonlyArray<Readonly<Record<string, string>>>,
  vars: ReadonlyArray<SchemaVar>,
  seconds = 0,
): SpecRun {
  const graph = readDot(dot, vars);
  const initial = init.map((display) => {
    fingerprint(specStateJson(vars, display));
    return graph.states.find();
  });
  return { graph, init: initial, seconds };
}
