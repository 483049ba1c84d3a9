/**
 * The spec's side of graph equality: one engine run over a model with its reachable graph
 * exported (the embedded engine's `export_dot`, or TLC's `-dump dot,actionlabels`), read into
 * fingerprints (spec-graph.ts). Unless the run is also the model's check, the model's
 * invariants and properties are left out of it: graph equality compares what is reachable,
 * and a violation would cut the graph short; `npm run tlc` checks them.
 */
import { Worker } from "node:worker_threads";
import { UserError } from "../core/errors.js";
import { type Cfg, parseCfg, rewriteCfg } from "../tla/cfg.js";
import { type CheckerAnswer, interpretAnswer } from "../tla/embedded-answer.js";
import { prepareEmbedded } from "../tla/embedded-prep.js";
import { inlineModule } from "../tla/inline.js";
import type { Model } from "../tla/models.js";
import { locateTlc, runTlc } from "../tla/tlc.js";
import type { EngineGraph } from "../tla/types.js";
import { fingerprint } from "./fingerprint.js";
import { readDot, type SchemaVar, type SpecGraph, specStateJson } from "./spec-graph.js";

/** The engines that enumerate a spec's graph. */
export type GraphEngine = "embedded" | "tlc";

export interface SpecRun {
  readonly engine: GraphEngine;
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
  return parseCfg(graphCfgText(cfg));
}

const graphCfgText = (cfg: Cfg) =>
  rewriteCfg(cfg, (s) => (s.kind === "INVARIANT" || s.kind === "PROPERTY" ? "" : undefined));

/**
 * One engine run over `model` with `cfg` (its text in cfgText), its graph read over `vars`.
 * With `check` the run keeps the model's invariants and properties: it is also the model's
 * check. On TLC, with one worker (the machine's other core runs the implementation's side).
 */
export async function specGraph(
  model: Model,
  cfg: Cfg,
  cfgText: string,
  where: string,
  vars: ReadonlyArray<SchemaVar>,
  check = false,
  engine: GraphEngine = "embedded",
): Promise<SpecRun> {
  const why = unsupported(cfg, where);
  if (why !== undefined) throw new UserError(why);
  return engine === "tlc"
    ? tlcGraph(model, check ? cfgText : graphCfgText(cfg), where, vars, check)
    : embeddedGraph(model, cfg, where, vars, check);
}

async function tlcGraph(
  model: Model,
  cfgText: string,
  where: string,
  vars: ReadonlyArray<SchemaVar>,
  check: boolean,
): Promise<SpecRun> {
  const setup = locateTlc();
  let run: SpecRun | undefined;
  const r = await runTlc({ ...model, cfgText }, setup, {
    workers: 1,
    onGraph: (g) => {
      run = specRunOf(g, vars, "tlc");
    },
  });
  if (r.badInput) throw new UserError(r.error ?? `${where}: TLC could not read the model`);
  if (run === undefined)
    throw new UserError(
      r.outcome === "pass" || r.outcome === "error"
        ? `${where}: TLC could not enumerate the model: ${(r.error ?? "no graph").split("\n")[0]}`
        : `${where}: the model does not pass (${r.outcome}), so its graph is cut short; compare it without its invariants`,
    );
  return {
    ...run,
    ...(check ? { outcome: r.outcome, distinctStates: r.distinctStates } : {}),
    seconds: r.seconds,
  };
}

async function embeddedGraph(
  model: Model,
  cfg: Cfg,
  where: string,
  vars: ReadonlyArray<SchemaVar>,
  check: boolean,
): Promise<SpecRun> {
  const started = performance.now();
  const input = prepareEmbedded(
    inlineModule(model.dir, model.module),
    check ? cfg : graphCfg(cfg),
    where,
  );
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
  const dot = answer.dot;
  const run = specRunOf(
    { lines: () => dot.split("\n"), init: r.init.states.map((x) => x.display) },
    vars,
    "embedded",
  );
  return {
    ...run,
    ...(verdict === undefined
      ? {}
      : { outcome: verdict.outcome, distinctStates: verdict.distinctStates }),
    seconds: (performance.now() - started) / 1000,
  };
}

/** The spec's graph from an engine's DOT, over `vars`; its initial states as the engine gave
 * them or, where it gave none, as the DOT marks them. */
export function specRunOf(
  g: EngineGraph,
  vars: ReadonlyArray<SchemaVar>,
  engine: GraphEngine,
  seconds = 0,
): SpecRun {
  const marked = new Set<number>();
  const graph = readDot(g.lines(), vars, g.init === undefined ? marked : undefined);
  const init =
    g.init === undefined
      ? [...marked]
      : [
          ...new Set(
            g.init.map((display) => {
              fingerprint(specStateJson(vars, display));
              return graph.states.find();
            }),
          ),
        ];
  return { engine, graph, init, seconds };
}
