/**
 * Graph equality on one model, end to end: the model found as `npm run tlc` finds it (a cfg,
 * or a control), its constants given to the protocol's implementation of the model, the
 * implementation's graph by breadth-first search, the spec's from one engine run, compared.
 */

import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../core/errors.js";
import type { ProtocolModule } from "../protocol.js";
import { protocols } from "../registry.js";
import { type Cfg, namesOf, parseCfg, type SectionKind, withConstants } from "../tla/cfg.js";
import { labelSteps } from "../tla/label.js";
import { discoverModels, type Model } from "../tla/models.js";
import type { Step } from "../tla/types.js";
import { codeBugs } from "../trace/replay.js";
import { compareGraphs, type GraphComparison } from "./compare.js";
import { type GraphEngine, type SpecRun, specGraph, unsupported } from "./engine.js";
import { type Exploration, explore } from "./explore.js";
import { type AnyModel, cfgConstants, type Relations } from "./model.js";
import { type Projection, projectionOf } from "./projection.js";

export const defaultSpecDir = fileURLToPath(new URL("../../spec", import.meta.url));

export interface ConformTarget {
  readonly model: Model;
  readonly protocol: ProtocolModule;
  readonly cfg: Cfg;
  /** The cfg text (with any constants replaced). */
  readonly cfgText: string;
  readonly where: string;
  /** For a model of a module that extends the protocol's with history variables: the
   * projection onto the protocol's variables (projection.ts says when it is sound). */
  readonly projection?: Projection;
}

const shown = (p: string) => relative(process.cwd(), p) || p;

/** The model called `name` (a cfg's name or `<Name>/control`), with constants replaced. */
export function conformTarget(
  name: string,
  opts: { specDir?: string; constants?: Readonly<Record<string, string>> } = {},
): ConformTarget {
  const models = discoverModels(opts.specDir ?? defaultSpecDir);
  const model = models.find((m) => m.name === name);
  if (model === undefined)
    throw new UserError(
      `no model ${name}; known: ${models.map((m) => m.name).join(", ")} (npm run tlc lists them)`,
    );
  if (model.broken) throw new UserError(model.broken);
  const where = shown(model.cfgPath);
  const protocol = protocols().find((p) => p.name === model.protocol);
  if (protocol === undefined)
    throw new UserError(`${where}: spec/${model.protocol} is no registered protocol`);
  if (protocol.model === undefined)
    throw new UserError(
      `${where}: protocol ${protocol.name} gives no implementation of its models (ProtocolModule.model)`,
    );
  let text = model.cfgText ?? readFileSync(model.cfgPath, "utf8");
  if (opts.constants !== undefined && Object.keys(opts.constants).length > 0)
    text = withConstants(parseCfg(text), new Map(Object.entries(opts.constants)));
  const cfg = parseCfg(text);
  const projection =
    model.module === protocol.spec.model
      ? undefined
      : projectionOf(model, cfg, protocol.spec.model, where);
  return {
    model,
    protocol,
    cfg,
    cfgText: text,
    where,
    ...(projection === undefined ? {} : { projection }),
  };
}

/** Why a model cannot be compared (SYMMETRY, VIEW), or undefined. */
export const cannotCompare = (t: ConformTarget): string | undefined => unsupported(t.cfg, t.where);

/** The implementation of the target's model, with bug switches forced on. */
export function implModel(t: ConformTarget, bugs: ReadonlyArray<string> = []): AnyModel {
  const hook = t.protocol.model;
  if (hook === undefined) throw new UserError(`${t.where}: no implementation of the model`);
  const known = codeBugs(t.protocol);
  const bad = bugs.find((b) => !known.includes(b));
  if (bad !== undefined)
    throw new UserError(`unknown bug ${bad} for ${t.protocol.name} (known: ${known.join(", ")})`);
  const names = (k: SectionKind) => namesOf(t.cfg, k);
  const relations: Relations = t.projection?.relations ?? {
    init: names("INIT")[0] ?? "",
    next: names("NEXT")[0] ?? "",
    constraints: names("CONSTRAINT"),
  };
  if (relations.init === "" || relations.next === "")
    throw new UserError(
      `${t.where}: graph equality needs the cfg's INIT and NEXT (SPECIFICATION is not read)`,
    );
  try {
    return hook.build(cfgConstants(t.cfg, t.where), bugs, relations);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${t.where}: ${e.message}`);
    throw e;
  }
}

/**
 * The spec's graph of the target (one engine run). With `check`, the run keeps the model's
 * invariants and properties, so that it is also the model's check (see `checkOf`).
 */
export const specRun = (
  t: ConformTarget,
  check = false,
  engine: GraphEngine = "embedded",
): Promise<SpecRun> =>
  specGraph(t.model, t.cfg, t.cfgText, t.where, t.protocol.trace.variables, check, engine);

/** A model checked in the same run: its outcome and count against its cfg header. */
export interface ModelCheck {
  readonly outcome: string;
  readonly distinctStates: number | null;
  /** The header's count for the engine, if it gives one. */
  readonly expectedStates?: number;
  /** The outcome is the expected one, with the header's count. */
  readonly ok: boolean;
}

export function checkOf(t: ConformTarget, spec: SpecRun): ModelCheck | undefined {
  if (spec.outcome === undefined) return undefined;
  const want = t.model.states?.[spec.engine];
  const count = spec.distinctStates ?? null;
  return {
    outcome: spec.outcome,
    distinctStates: count,
    ...(want === undefined ? {} : { expectedStates: want }),
    ok: spec.outcome === t.model.expect && (want === undefined || want === count),
  };
}

export interface ConformResult extends GraphComparison {
  readonly model: string;
  readonly engine: GraphEngine;
  readonly seconds: { readonly engine: number; readonly implementation: number };
  /** When the engine run also checked the model (a passing model, constants as the cfg has
   * them): its verdict against the cfg header. */
  readonly check?: ModelCheck;
}

/** Compare the implementation's graph (with `bugs` on) against a spec run of the target. */
export async function compareWith(
  t: ConformTarget,
  spec: SpecRun,
  bugs: ReadonlyArray<string> = [],
  /** E.g. a test's mutation of the implementation's steps. */
  wrap: (m: AnyModel) => AnyModel = (m) => m,
): Promise<ConformResult & { readonly exploration: Exploration }> {
  const model = wrap(implModel(t, bugs));
  const x = explore(model, t.protocol.trace.variables, { graph: true });
  const c = await compareGraphs(t.protocol, model, x, spec, (path) => labelLast(t, path));
  const check = checkOf(t, spec);
  return {
    model: t.model.name,
    engine: spec.engine,
    ...c,
    ...(check === undefined ? {} : { check }),
    seconds: { engine: spec.seconds, implementation: x.seconds },
    exploration: x,
  };
}

/** The action of the last step of a path of spec states, named by replaying it. */
async function labelLast(
  t: ConformTarget,
  path: ReadonlyArray<Readonly<Record<string, string>>>,
): Promise<Step | undefined> {
  const steps: Step[] = path.map((vars) => ({ vars: { ...vars } }));
  try {
    await labelSteps({ dir: t.model.dir, module: t.model.module, cfgText: t.cfgText }, steps);
  } catch {
    return undefined;
  }
  return steps.at(-1);
}

/** Graph equality on the model called `name`. */
export async function conform(
  name: string,
  opts: {
    specDir?: string;
    constants?: Readonly<Record<string, string>>;
    bugs?: ReadonlyArray<string>;
    engine?: GraphEngine;
  } = {},
): Promise<ConformResult> {
  const t = conformTarget(name, opts);
  const why = cannotCompare(t);
  if (why !== undefined) throw new UserError(why);
  implModel(t, opts.bugs);
  const plain = opts.constants === undefined || Object.keys(opts.constants).length === 0;
  const spec = await specRun(t, plain && t.model.expect === "pass", opts.engine);
  const { exploration: _x, ...r } = await compareWith(t, spec, opts.bugs);
  return r;
}
