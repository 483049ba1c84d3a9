/**
 * Naming each step of a counterexample: the spec action it took and the arguments it took it
 * with, on either engine. Neither engine says: tla-checker labels many steps only "step" (or
 * with the model's wrapper, `FaultRestart`), and TLC labels a disjunct that quantifies over a
 * state-dependent set (`\E m \in DOMAIN messages : UpdateTerm(m)`) with the enclosing `MCNext`.
 *
 * So the steps are replayed on the embedded engine against the model's own next-state
 * relation, rewritten so that every disjunct records which one it is and its arguments:
 *
 *   __LabelNext ==
 *     \/ \E i \in Server : (FaultRestart(i)) /\ __act' = <<0, <<i>>>>
 *     \/ \E m \in DOMAIN messages : (UpdateTerm(m)) /\ __act' = <<9, <<m>>>>
 *
 * From the initial state that equals the first step, each next step is the successor equal to
 * it (compared as values, so TLC's printing and tla-checker's agree), and its `__act` names the
 * disjunct and the arguments. The disjunct's operator is then followed through the model's
 * wrappers to the action of the spec's `Next` (src/tla/next.ts). Labels are a convenience:
 * anything that cannot be replayed keeps the engine's own label.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { type Cfg, constantBindings, namesOf, parseCfg, rewriteCfg } from "./cfg.js";
import { inlineModule } from "./inline.js";
import type { Model } from "./models.js";
import {
  type ActionCall,
  operatorParams,
  quantifiers,
  readActions,
  unwrapActions,
} from "./next.js";
import { findDefinition, maskComments, variableDeclarations } from "./source.js";
import type { Step, StepArg } from "./types.js";
import {
  canonicalKey,
  printValue,
  renameModelValues,
  type TlaValue,
  tryParseValue,
} from "./value.js";

const ACT = "__act";
const LABEL_INIT = "__LabelInit";
const LABEL_NEXT = "__LabelNext";

/** What the labelled module needs: where the model is, and which module holds the spec's Next. */
export interface LabelTarget {
  dir: string;
  module: string;
  /** The cfg text the model was checked with. */
  cfgText: string;
}

interface Disjunct {
  action: string;
  operator: string;
  /** Parameter names of the arguments, in call order. */
  params: string[];
}

export interface LabelModule {
  source: string;
  cfg: string;
  disjuncts: Disjunct[];
}

/** The INIT and NEXT names a cfg uses (directly or through `Spec == Init /\ [][Next]_v`). */
function initAndNext(cfg: Cfg, masked: string): { init: string; next: string } | undefined {
  const init = namesOf(cfg, "INIT")[0];
  const next = namesOf(cfg, "NEXT")[0];
  if (init && next) return { init, next };
  const spec = namesOf(cfg, "SPECIFICATION")[0];
  const def = spec ? findDefinition(masked, spec) : null;
  if (!def) return undefined;
  const body = masked.slice(def.bodyStart, def.bodyEnd).replace(/\s+/g, " ").trim();
  const m = /^(?:\/\\ )?([A-Za-z_]\w*) \/\\ \[\]\[([A-Za-z_]\w*)\]_/.exec(body);
  return m?.[1] && m[2] ? { init: m[1], next: m[2] } : undefined;
}

/**
 * The model's module with `__act` added and the recording next-state relation, or undefined
 * when its next-state relation is not a disjunction src/tla/next.ts reads.
 */
export function labelModule(t: LabelTarget): LabelModule | undefined {
  const inlined = inlineModule(t.dir, t.module);
  const masked = maskComments(inlined.source);
  const cfg = parseCfg(t.cfgText);
  const names = initAndNext(cfg, masked);
  const decl = variableDeclarations(masked).at(-1);
  if (!names || decl === undefined) return undefined;
  let calls: ActionCall[];
  try {
    calls = readActions(t.dir, t.module, names.next);
  } catch {
    return undefined;
  }
  // A model's relation (MCNext) calls wrappers of the spec's actions: name the spec's (Next's).
  if (names.next !== "Next") {
    try {
      const actions = readActions(t.dir, t.module).map((c) => c.action);
      calls = unwrapActions(t.dir, t.module, names.next, actions);
    } catch {
      // No Next, or a wrapper that calls no single action of it: keep the operators' names.
    }
  }
  const paramsOf = operatorParams(t.dir, t.module);
  const disjuncts = calls.map((c): Disjunct => {
    const own = paramsOf.get(c.action);
    const params = own && own.length === c.args.length ? own : (paramsOf.get(c.operator) ?? c.args);
    return { action: c.action, operator: c.operator, params };
  });
  const keyword = /^VARIABLES?\s+/.exec(inlined.source.slice(decl))?.[0] ?? "VARIABLES ";
  const at = decl + keyword.length;
  let source = `${inlined.source.slice(0, at)}${ACT}, ${inlined.source.slice(at)}`;
  const lines = calls.map((c, k) => {
    const bound = quantifiers(c.binders);
    return `  \\/ ${bound}(${c.call}) /\\ ${ACT}' = <<${k}, <<${c.args.join(", ")}>>>>`;
  });
  const footer = source.lastIndexOf("====");
  source = `${source.slice(0, footer)}\n${LABEL_INIT} == ${names.init} /\\ ${ACT} = <<>>\n${LABEL_NEXT} ==\n${lines.join("\n")}\n${source.slice(footer)}`;
  const keep = new Set(["CONSTANT"]);
  const cfgText = `${rewriteCfg(cfg, (s) => (keep.has(s.kind) ? undefined : ""))}\nINIT ${LABEL_INIT}\nNEXT ${LABEL_NEXT}\nCHECK_DEADLOCK FALSE\n`;
  return { source, cfg: cfgText, disjuncts };
}

/** The model as it is, for a next-state relation src/tla/next.ts cannot read. */
function plainModule(t: LabelTarget): LabelModule {
  const cfg = parseCfg(t.cfgText);
  const keep = new Set(["CONSTANT", "INIT", "NEXT", "SPECIFICATION"]);
  return {
    source: inlineModule(t.dir, t.module).source,
    cfg: `${rewriteCfg(cfg, (s) => (keep.has(s.kind) ? undefined : ""))}\nCHECK_DEADLOCK FALSE\n`,
    disjuncts: [],
  };
}

interface ExploredState {
  display: Record<string, string>;
  json: unknown;
}

interface Answer {
  ok: boolean;
  error?: string;
  states?: ExploredState[];
  transitions?: { action: string; state: ExploredState }[];
}

/** A worker holding one module, answering explore_init / explore_next requests. */
class Session {
  private worker: Worker;
  private nextId = 0;
  private pending = new Map<number, (a: Answer) => void>();
  private failed: Error | undefined;

  constructor(source: string, cfg: string) {
    this.worker = new Worker(new URL("./embedded-worker.mjs", import.meta.url), {
      workerData: { mode: "session", source, cfg },
    });
    this.worker.on("message", ({ id, result }: { id: number; result: Answer }) => {
      this.pending.get(id)?.(result);
      this.pending.delete(id);
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: e.message });
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`worker exited with code ${code}`)));
  }

  ask(op: "init" | "next", state?: unknown): Promise<Answer> {
    if (this.failed) return Promise.resolve({ ok: false, error: this.failed.message });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, op, state });
    });
  }

  /** Stop the worker; requests still waiting are answered with an error. */
  async close() {
    this.worker.removeAllListeners("exit");
    this.failed ??= new Error("closed");
    for (const resolve of this.pending.values()) resolve({ ok: false, error: "closed" });
    this.pending.clear();
    await this.worker.terminate();
  }
}

/** At most this many permutations are tried (7 servers); beyond, symmetric traces stay as given. */
const MAX_PERMUTATIONS = 5040;

/**
 * The renamings of model values under the cfg's SYMMETRY (`Permutations(S) \cup …`): every
 * combination of a permutation of each set, the identity first. Only the identity without one.
 */
export function symmetries(cfgText: string, source: string): ReadonlyMap<string, string>[] {
  const cfg = parseCfg(cfgText);
  const masked = maskComments(source);
  const sets: string[][] = [];
  for (const name of namesOf(cfg, "SYMMETRY")) {
    const def = findDefinition(masked, name);
    const body = def ? masked.slice(def.bodyStart, def.bodyEnd) : "";
    for (const m of body.matchAll(/Permutations\(\s*([A-Za-z_]\w*)\s*\)/g)) {
      const b = constantBindings(cfg).find((x) => x.name === m[1]);
      const v = b ? tryParseValue(b.value) : undefined;
      if (v?.k === "set" && v.elems.every((e) => e.k === "model"))
        sets.push(v.elems.map((e) => (e as { v: string }).v));
    }
  }
  const perms = (xs: string[]): string[][] =>
    xs.length <= 1
      ? [xs]
      : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  let out: Map<string, string>[] = [new Map()];
  for (const set of sets) {
    const ps = perms(set);
    if (out.length * ps.length > MAX_PERMUTATIONS) return [new Map()];
    out = out.flatMap((m) =>
      ps.map((p) => new Map([...m, ...set.map((x, i) => [x, p[i] as string] as const)])),
    );
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, " ").trim();
const valueKey = (text: string) => {
  const v = tryParseValue(text);
  return v ? canonicalKey(v) : `?${norm(text)}`;
};

/** A state's key over the variables `names` (TLC and tla-checker print values differently). */
const stateKey = (vars: Record<string, string>, names: string[]) =>
  names.map((n) => `${n}=${vars[n] === undefined ? "?" : valueKey(vars[n] as string)}`).join(";");

/** The state's keys under each renaming (the first: as it is). */
function symmetricKeys(
  vars: Record<string, string>,
  names: string[],
  renamings: readonly ReadonlyMap<string, string>[],
): string[] {
  const parsed = names.map(
    (n) => [n, vars[n] === undefined ? undefined : tryParseValue(vars[n] as string)] as const,
  );
  return renamings.map((r) =>
    parsed
      .map(
        ([n, v]) =>
          `${n}=${v ? canonicalKey(r.size === 0 ? v : renameModelValues(v, r)) : valueKey(vars[n] ?? "?")}`,
      )
      .join(";"),
  );
}

/**
 * The state among `candidates` that is `step`, or under SYMMETRY a state `step` is a
 * permutation of (the engine's trace then holds representatives, not a behaviour).
 */
function find<T>(
  candidates: T[],
  pick: (c: T) => ExploredState,
  step: Step,
  names: string[],
  renamings: readonly ReadonlyMap<string, string>[],
): T | undefined {
  const key = stateKey(step.vars, names);
  const exact = candidates.find((c) => stateKey(pick(c).display, names) === key);
  if (exact || renamings.length < 2) return exact;
  return candidates.find((c) => symmetricKeys(pick(c).display, names, renamings).includes(key));
}

/**
 * Label `steps` in place (action, arguments, and the wrapper taken, if any) by replaying them
 * on the embedded engine. Steps that cannot be replayed keep their labels. Returns how many
 * steps after the first were labelled.
 */
export async function labelSteps(
  target: LabelTarget,
  steps: Step[],
  signal?: AbortSignal,
): Promise<number> {
  const first = steps[0];
  if (!first || steps.length < 2) return 0;
  const mod = labelModule(target) ?? plainModule(target);
  const names = Object.keys(first.vars).filter((n) => n !== ACT);
  const renamings = symmetries(target.cfgText, mod.source);
  /** Under SYMMETRY, the behaviour the representatives stand for replaces them. */
  const adopt = (step: Step, s: ExploredState) => {
    if (stateKey(s.display, names) === stateKey(step.vars, names)) return;
    step.vars = Object.fromEntries(names.map((n) => [n, s.display[n] ?? (step.vars[n] as string)]));
  };
  const session = new Session(mod.source, mod.cfg);
  const onAbort = () => void session.close();
  signal?.addEventListener("abort", onAbort, { once: true });
  let labelled = 0;
  try {
    const init = await session.ask("init");
    let current = init.ok ? find(init.states ?? [], (s) => s, first, names, renamings) : undefined;
    if (current) adopt(first, current);
    for (let i = 1; i < steps.length && current && !signal?.aborted; i++) {
      const step = steps[i] as Step;
      // Liveness lassos: the stuttering and back-to steps are no actions of the spec.
      if (step.action === "Stuttering" || step.action?.includes("back to state")) break;
      const next = await session.ask("next", current.json);
      const t = next.ok
        ? find(next.transitions ?? [], (x) => x.state, step, names, renamings)
        : undefined;
      if (!t) break;
      adopt(step, t.state);
      const act = decodeAct(t.state.display[ACT], mod.disjuncts);
      if (act) {
        step.action = act.action;
        step.args = act.args;
        if (act.operator !== act.action) step.via = act.operator;
        else delete step.via;
        labelled++;
      } else if (step.action === undefined && t.action && t.action !== "step") {
        // The model's own relation, unrecorded: the engine's name for the disjunct, if any.
        step.action = t.action;
      }
      current = t.state;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await session.close();
  }
  return labelled;
}

/** `<<k, <<a1, a2>>>>` → disjunct k's action with the arguments as TLA+ text. */
function decodeAct(
  text: string | undefined,
  disjuncts: Disjunct[],
): { action: string; operator: string; args: StepArg[] } | undefined {
  const v = text === undefined ? undefined : tryParseValue(text);
  const parts = v ? elems(v) : undefined;
  const [k, args] = parts ?? [];
  const d = k?.k === "int" ? disjuncts[Number(k.v)] : undefined;
  const values = args ? elems(args) : undefined;
  if (!d || !values) return undefined;
  return {
    action: d.action,
    operator: d.operator,
    args: values.map((x, i) => ({ name: d.params[i] ?? `arg${i + 1}`, value: printValue(x) })),
  };
}

/** Elements of a sequence (an empty one may be printed as an empty function). */
function elems(v: TlaValue): readonly TlaValue[] | undefined {
  if (v.k === "seq") return v.elems;
  if (v.k === "fun" && v.pairs.length === 0) return [];
  if (v.k === "fun" && v.pairs.every(([key], i) => key.k === "int" && key.v === String(i + 1)))
    return v.pairs.map(([, x]) => x);
  return undefined;
}

/** The variables of a flattened module, in declaration order. */
export function declaredVariables(source: string): string[] {
  const masked = maskComments(source);
  const decl = variableDeclarations(masked).at(-1);
  if (decl === undefined) return [];
  const m = /^VARIABLES?\s+((?:[A-Za-z_]\w*\s*,\s*)*[A-Za-z_]\w*)/.exec(masked.slice(decl));
  return (m?.[1] ?? "").split(",").map((s) => s.trim());
}

/**
 * A counterexample made readable in place: variables in the module's declaration order (TLC
 * prints them in an order of its own), each step labelled with its spec action and arguments.
 * Never fails: what cannot be done is left as the engine gave it.
 */
export async function explainSteps(
  model: Pick<Model, "dir" | "module" | "cfgPath" | "cfgText">,
  steps: Step[],
  signal?: AbortSignal,
): Promise<void> {
  try {
    const target: LabelTarget = {
      dir: model.dir,
      module: model.module,
      cfgText: model.cfgText ?? readFileSync(model.cfgPath, "utf8"),
    };
    const order = declaredVariables(inlineModule(target.dir, target.module).source);
    const rank = new Map(order.map((n, i) => [n, i]));
    for (const s of steps) {
      const names = Object.keys(s.vars).sort(
        (a, b) => (rank.get(a) ?? order.length) - (rank.get(b) ?? order.length),
      );
      s.vars = Object.fromEntries(names.map((n) => [n, s.vars[n] as string]));
    }
    await labelSteps(target, steps, signal);
  } catch {
    // The counterexample stands without labels.
  }
}
