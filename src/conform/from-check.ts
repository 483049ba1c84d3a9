/**
 * Graph equality inside `npm run tlc`: the check of a passing model exports its graph as well
 * (on either engine), and the implementation's graph is compared with it, so one engine run
 * gives the verdict, the count and the graph. Read by src/tla/cli.ts when asked for (the
 * registry imports every protocol).
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { UserError } from "../core/errors.js";
import { protocols } from "../registry.js";
import { parseCfg } from "../tla/cfg.js";
import type { Model } from "../tla/models.js";
import type { EngineGraph } from "../tla/types.js";
import { describe } from "./describe.js";
import { type GraphEngine, type SpecRun, specRunOf, unsupported } from "./engine.js";
import { projectionOf } from "./projection.js";
import { compareWith, conformTarget } from "./run.js";

/**
 * Whether graph equality applies to a model's check: a passing model of a protocol that
 * implements its models, without SYMMETRY or VIEW, of the protocol's model module or of one
 * that extends it with history (projection.ts). A string: why a model of the protocol cannot
 * be compared, for a note.
 */
export function conformable(m: Model): boolean | string {
  if (m.expect !== "pass" || m.broken !== undefined) return false;
  const p = protocols().find((x) => x.name === m.protocol);
  if (p?.model === undefined) return false;
  const cfg = parseCfg(m.cfgText ?? readFileSync(m.cfgPath, "utf8"));
  if (unsupported(cfg, m.cfgPath) !== undefined) return false;
  if (m.module === p.spec.model) return true;
  try {
    projectionOf(m, cfg, p.spec.model, relative(process.cwd(), m.cfgPath) || m.cfgPath);
    return true;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
}

/**
 * The largest graph (by the cfg header's TLC count) of a tlc-tier model that `npm run tlc`
 * compares on TLC by default: past it, dumping, reading and exploring the graph would cost
 * more than the check itself (README, Conformance). The ci tier's models, those the embedded
 * engine compares, are compared whatever their size.
 */
export const TLC_DEFAULT_MAX_STATES = 20_000;

/** Whether `npm run tlc` compares a conformable model's graph without being asked to. */
export const comparedByDefault = (m: Model, engine: GraphEngine): boolean =>
  engine === "embedded" ||
  m.tier === "ci" ||
  (m.states?.tlc ?? Number.POSITIVE_INFINITY) <= TLC_DEFAULT_MAX_STATES;

/** A check's exported graph, read at once (TLC's file goes with the run). */
export function readGraph(m: Model, g: EngineGraph, engine: GraphEngine): SpecRun {
  return specRunOf(g, conformTarget(m.name).protocol.trace.variables, engine);
}

export interface CheckConformance {
  readonly equal: boolean;
  readonly specStates: number;
  readonly implStates: number;
  readonly specEdges: number;
  readonly implEdges: number;
  readonly seconds: number;
  /** The line `npm run conform` prints for it (with the first difference, if any). */
  readonly text: string;
}

/** Compare the implementation's graph of `m` with the graph its check exported. */
export async function conformCheck(
  m: Model,
  spec: SpecRun,
  checkSeconds: number,
): Promise<CheckConformance> {
  const t = conformTarget(m.name);
  const { exploration, ...r } = await compareWith(t, { ...spec, seconds: checkSeconds });
  return {
    equal: r.equal,
    specStates: r.specStates,
    implStates: r.implStates,
    specEdges: r.specEdges,
    implEdges: r.implEdges,
    seconds: exploration.seconds,
    text: describe(r, t.protocol.formatValue),
  };
}
