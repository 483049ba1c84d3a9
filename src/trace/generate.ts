/**
 * Traces from the spec itself: genuine behaviours of a protocol's spec, produced by TLC and
 * written in the trace format, for fixtures and benchmarks before (and besides) the simulator.
 * A `Generator` (each protocol module has one) says what is protocol-specific: the finite model
 * module (whose MCNext gives the actions) and how a model's bounds become cfg constants.
 *
 * A generated module extends the protocol's finite model with one variable, `act`, that records the
 * action each step took and its parameters; TLC then either finds the shortest behaviour to a
 * goal (breadth-first, a counterexample to an invariant such as ReconfigNeverCompletes) or walks
 * at random (-simulate) until the behaviour has the requested length. Its counterexample, printed
 * as TLA+ text, is read back into ITF values.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Model } from "../tla/models.js";
import { readActions, unwrapActions } from "../tla/next.js";
import { runTlc, type TlcSetup } from "../tla/tlc.js";
import { type Step, UserError } from "../tla/types.js";
import type { Trace, TraceEvent } from "./codec.js";
import { field, set, str, type Value } from "./itf.js";
import { INIT_ACTION, type Protocol, traceProtocolNamed } from "./protocol.js";
import { checkSchema, coerce } from "./schema.js";
import { parseTlaValue } from "./tla-text.js";

export type GenerateMode =
  /** Shortest behaviour that violates `invariant` (a reachability goal), breadth-first. */
  | { kind: "goal"; invariant: string; extraConstraint?: string }
  /** A random behaviour of `events` events (Init included). */
  | { kind: "random"; events: number; seed: number; calm?: boolean };

/** What generation needs of a protocol; M is its model's bounds and constants. */
export interface Generator<M> {
  /** The protocol's name (its module in the registry). */
  protocol: string;
  /** The finite model module the generator extends (it defines StateConstraint). */
  mcModule: string;
  /** Guards of a calm random walk, by action, and definitions they use. */
  calm: Readonly<Record<string, string>>;
  calmDefinitions: string;
  /** The cfg's CONSTANTS lines for a model (Bug* switches all FALSE). */
  constants(m: M): string[];
  /** The constants a trace header records. */
  given(m: M): Record<string, Value>;
  /** The header's servers list, if the protocol has one. */
  servers?(m: M): string[];
}

const modelActionsCache = new Map<string, readonly (readonly [string, string, string])[]>();

/**
 * [action, quantifier, call] for each disjunct of a finite model's MCNext, read from the spec
 * (src/tla/next.ts) rather than written out here: the call as MCNext has it (faults behind their
 * switch, e.g. `FaultRestart(i)`), the action it performs (wrappers followed to the action of
 * Next), and the quantifier with its binders named as the trace descriptor names the parameters
 * (`act` records them under those names). Read once per model.
 */
export function modelActions(
  protocol: Protocol,
  mcModule: string,
): readonly (readonly [string, string, string])[] {
  const key = `${protocol.specDir}|${mcModule}`;
  const known = modelActionsCache.get(key);
  if (known) return known;
  const next = readActions(protocol.specDir, protocol.module);
  const mc = unwrapActions(
    protocol.specDir,
    mcModule,
    "MCNext",
    next.map((c) => c.action),
  );
  const out = mc.map((c) => {
    const params = protocol.actions[c.action];
    const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name).join(", ");
    const at = `${c.file}:${c.line}: MCNext`;
    if (!params)
      throw new UserError(
        `${at} performs ${c.action}, which the trace descriptor of ${protocol.name} does not list`,
      );
    if (params.length !== c.binders.length)
      throw new UserError(
        `${at} binds ${c.action}'s parameters as ${names(c.binders) || "none"}; the trace descriptor of ${protocol.name} lists ${names(params) || "none"}`,
      );
    const rename = new Map(c.binders.map((b, k) => [b.name, (params[k] as { name: string }).name]));
    const renamed = (text: string) =>
      text.replace(/"(?:[^"\\]|\\.)*"|(?<![.\w])[A-Za-z_]\w*/g, (id) => rename.get(id) ?? id);
    // Consecutive binders over one domain share it, as written in the spec: \E i, j \in Server.
    const groups: { names: string[]; domain: string }[] = [];
    for (const b of c.binders) {
      const domain = renamed(b.domain);
      const last = groups[groups.length - 1];
      if (last && last.domain === domain) last.names.push(rename.get(b.name) as string);
      else groups.push({ names: [rename.get(b.name) as string], domain });
    }
    // An action without parameters (e.g. a single coordinator's decision) has no quantifier.
    const quantifier =
      groups.length === 0
        ? ""
        : // One quantifier per domain: a domain may name an earlier binder (see quantifiers).
          groups.map((g) => `\\E ${g.names.join(", ")} \\in ${g.domain}`).join(" : ");
    const call =
      c.args.length === 0 ? c.operator : `${c.operator}(${c.args.map(renamed).join(", ")})`;
    return [c.action, quantifier, call] as const;
  });
  modelActionsCache.set(key, out);
  return out;
}

/** A set of model values as a cfg writes it. */
export const cfgSet = (xs: ReadonlyArray<string>) => `{${xs.join(", ")}}`;
/** A set of strings as a trace value. */
export const strSet = (xs: ReadonlyArray<string>): Value => set(xs.map(str));

const moduleName = <M>(gen: Generator<M>) => `Gen${traceProtocolNamed(gen.protocol).module}`;

/** The generator module: the model's next-state relation with `act` recording each step. */
export function generatorModule<M>(
  mode: GenerateMode,
  definitions = "",
  gen: Generator<M>,
): string {
  const calm = mode.kind === "random" && mode.calm;
  const params = (call: string) => {
    const names =
      /\((.*)\)/
        .exec(call)?.[1]
        ?.split(",")
        .map((s) => s.trim()) ?? [];
    return names.length === 0
      ? "[x \\in {} |-> 0]"
      : `[${names.map((n) => `${n} |-> ${n}`).join(", ")}]`;
  };
  const actions = modelActions(traceProtocolNamed(gen.protocol), gen.mcModule);
  const disjuncts = actions.map(([name, q, call], k) => {
    // Calm walks restrict when faults and elections happen so that leaders get elected, logs
    // grow and entries commit; a guard only removes choices, so every step is still a step of
    // the spec.
    const guard = calm ? (gen.calm[name] ?? "") : "";
    const bound = q === "" ? "" : `${q} : `;
    return `${k === 0 ? "  /\\ " : "     "}\\/ ${bound}${guard}${call} /\\ Did("${name}", ${params(call)})`;
  });
  const length =
    mode.kind === "random" ? `GenLength == TLCGet("level") < ${mode.events}` : "GenLength == TRUE";
  return [
    `---- MODULE ${moduleName(gen)} ----`,
    `\\* Generated by lockstep (src/trace/generate.ts): ${gen.mcModule} with the action of each step recorded.`,
    `EXTENDS ${gen.mcModule}`,
    "VARIABLE act",
    "Did(name, params) == act' = [a |-> name, p |-> params]",
    gen.calmDefinitions,
    `GenInit == Init /\\ act = [a |-> "${INIT_ACTION}", p |-> [x \\in {} |-> 0]]`,
    "GenNext ==",
    ...disjuncts,
    "  /\\ StateConstraint'",
    length,
    definitions,
    "====",
    "",
  ].join("\n");
}

export function generatorCfg<M>(m: M, mode: GenerateMode, gen: Generator<M>): string {
  const invariants = mode.kind === "goal" ? [mode.invariant] : ["GenLength"];
  const constraints = mode.kind === "goal" && mode.extraConstraint ? [mode.extraConstraint] : [];
  return [
    "CONSTANTS",
    ...gen.constants(m),
    "INIT GenInit",
    "NEXT GenNext",
    ...(constraints.length > 0 ? [`CONSTRAINT ${constraints.join(" ")}`] : []),
    `INVARIANT ${invariants.join(" ")}`,
    "CHECK_DEADLOCK FALSE",
    "",
  ].join("\n");
}

/** Read TLC's counterexample (TLA+ text per variable, plus `act`) into trace events. */
export function stepsToEvents(steps: Step[], protocol: Protocol): TraceEvent[] {
  return steps.map((s, i) => {
    const actText = s.vars.act;
    if (actText === undefined) throw new Error(`state ${i + 1} of the counterexample has no act`);
    const act = parseTlaValue(actText);
    const action = field(act, "a");
    if (action?.kind !== "str") throw new Error(`state ${i + 1}: act has no action name`);
    const specs = i === 0 ? [] : (protocol.actions[action.value] ?? []);
    const given = field(act, "p");
    const params: Record<string, Value> = {};
    for (const p of specs) {
      const v = given ? field(given, p.name) : undefined;
      if (!v) throw new Error(`state ${i + 1}: ${action.value} has no parameter ${p.name}`);
      params[p.name] = coerce(v, p.schema);
    }
    const state: Record<string, Value> = {};
    for (const { name, schema } of protocol.variables) {
      const text = s.vars[name];
      if (text === undefined) throw new Error(`state ${i + 1} has no variable ${name}`);
      const v = coerce(parseTlaValue(text), schema);
      const bad = checkSchema(v, schema, name);
      if (bad) throw new Error(`state ${i + 1}: ${bad}`);
      state[name] = v;
    }
    return { i, line: i + 2, action: action.value, params, state };
  });
}

export interface GenerateResult {
  trace: Trace;
  seconds: number;
}

/** Run TLC on the generator and return the behaviour it printed as a trace. */
export interface GenerateOptions {
  /** Written into the header as the run's seed (default: the walk's seed, or "bfs"). */
  seed?: number | string;
  /** Extra TLA+ definitions for the generator module (e.g. a goal invariant). */
  definitions?: string;
}

export async function generateTrace<M>(
  m: M,
  mode: GenerateMode,
  tlc: TlcSetup,
  opts: GenerateOptions = {},
  gen: Generator<M>,
): Promise<GenerateResult> {
  const seed = opts.seed ?? (mode.kind === "random" ? mode.seed : "bfs");
  const protocol = traceProtocolNamed(gen.protocol);
  const name = moduleName(gen);
  const dir = mkdtempSync(join(tmpdir(), "lockstep-gen-"));
  try {
    for (const f of readdirSync(protocol.specDir).filter((f) => f.endsWith(".tla")))
      copyFileSync(join(protocol.specDir, f), join(dir, f));
    writeFileSync(join(dir, `${name}.tla`), generatorModule(mode, opts.definitions, gen));
    writeFileSync(join(dir, `${name}.cfg`), generatorCfg(m, mode, gen));
    const model: Model = {
      name,
      protocol: protocol.name,
      dir,
      cfgPath: join(dir, `${name}.cfg`),
      module: name,
      tlaPath: join(dir, `${name}.tla`),
      expect: mode.kind === "goal" ? mode.invariant : "GenLength",
      engines: ["tlc"],
      tier: "ci",
    };
    const tlcArgs =
      mode.kind === "random"
        ? ["-simulate", "num=1", "-depth", String(mode.events + 1), "-seed", String(mode.seed)]
        : [];
    const r = await runTlc(model, tlc, { workers: 1, tlcArgs });
    if (r.outcome !== model.expect || !r.counterexample)
      throw new Error(
        `TLC did not produce the behaviour (outcome ${r.outcome}${r.error ? `: ${r.error}` : ""})`,
      );
    const events = stepsToEvents(
      r.counterexample.filter((s) => s.action !== "Stuttering"),
      protocol,
    );
    const given = gen.given(m);
    const constants = { ...given };
    for (const c of protocol.constants) if (c.fixed) constants[c.name] = c.fixed;
    return {
      trace: {
        file: `(generated ${mode.kind} ${seed})`,
        header: {
          protocol,
          seed,
          ...(gen.servers ? { servers: gen.servers(m) } : {}),
          constants,
          given,
        },
        events,
      },
      seconds: r.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
