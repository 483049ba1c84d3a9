/**
 * Graph equality: the spec's reachable graph against the implementation's, both over
 * fingerprints of the same canonical abstract states. Equal when both have the same states and
 * the same edges. Otherwise the report names the states only one side has and, for the first
 * state in breadth-first order (so the one with the shortest path) whose successors differ,
 * the step one side takes and the other lacks, with the path to it from the initial state.
 */
import type { ItfValue } from "../core/itf.js";
import type { ProtocolModule } from "../protocol.js";
import type { Step, StepArg } from "../tla/types.js";
import { printValue, type TlaValue } from "../tla/value.js";
import type { SpecRun } from "./engine.js";
import { abstraction, type Exploration, pathTo } from "./explore.js";
import type { AnyModel } from "./model.js";
import { specStateJson } from "./spec-graph.js";

/** Which side has a state or step the other lacks. */
export type Side = "spec" | "implementation";

export interface FirstDifference {
  /** The state whose successors differ (its depth; 0: the initial states differ). */
  readonly depth: number;
  /** The side that has the step (or the initial state) the other lacks. */
  readonly onlyIn: Side;
  /** That step's action with its arguments, when known (the initial states: "Init"). */
  readonly action: string;
  readonly args?: Readonly<Record<string, string>>;
  /** From the initial state to the state, then the step only one side takes. */
  readonly trace: ReadonlyArray<Step>;
}

export interface GraphComparison {
  readonly specStates: number;
  readonly implStates: number;
  readonly specEdges: number;
  readonly implEdges: number;
  readonly onlyInSpec: number;
  readonly onlyInImplementation: number;
  readonly equal: boolean;
  readonly firstDifference?: FirstDifference;
}

/** ITF as TLA+ values: a string is a model value when the spec has one of that name. */
function itfToTla(v: ItfValue, models: ReadonlySet<string>): TlaValue {
  if (typeof v === "number") return { k: "int", v: String(v) };
  if (typeof v === "boolean") return { k: "bool", v };
  if (typeof v === "string") return { k: models.has(v) ? "model" : "str", v };
  if (Array.isArray(v)) return { k: "seq", elems: v.map((x) => itfToTla(x, models)) };
  const o = v as Record<string, ItfValue>;
  if (Array.isArray(o["#set"]))
    return { k: "set", elems: (o["#set"] as ItfValue[]).map((x) => itfToTla(x, models)) };
  if (Array.isArray(o["#map"]))
    return {
      k: "fun",
      pairs: (o["#map"] as [ItfValue, ItfValue][]).map(
        ([a, b]) => [itfToTla(a, models), itfToTla(b, models)] as const,
      ),
    };
  return {
    k: "rec",
    fields: Object.keys(o)
      .sort()
      .map((f) => [f, itfToTla(o[f] as ItfValue, models)] as const),
  };
}

/** The model values in a spec state's text (bare identifiers that are not keywords). */
function modelValues(labels: ReadonlyArray<Readonly<Record<string, string>>>): Set<string> {
  const out = new Set<string>();
  for (const l of labels)
    for (const text of Object.values(l))
      for (const m of text.replace(/"(?:[^"\\]|\\.)*"/g, "").matchAll(/[A-Za-z_][A-Za-z0-9_]*/g))
        if (m[0] !== "TRUE" && m[0] !== "FALSE") out.add(m[0]);
  return out;
}

/** A state's variables as TLA+ text, from its canonical JSON (in the spec's variable order). */
function stepVars(json: string, order: ReadonlyArray<string>, models: ReadonlySet<string>) {
  const o = JSON.parse(json) as Record<string, ItfValue>;
  return Object.fromEntries(order.map((n) => [n, printValue(itfToTla(o[n] as ItfValue, models))]));
}

/** An implementation action as the spec names it, with its arguments as TLA+ text. */
function actionArgs(
  p: ProtocolModule,
  a: { readonly name: string },
  models: ReadonlySet<string>,
): StepArg[] {
  const params =
    (
      p.trace.actions as unknown as Record<string, Record<string, { json: (x: unknown) => string }>>
    )[a.name] ?? {};
  return Object.entries(params).map(([name, value]) => ({
    name,
    value: printValue(
      itfToTla(JSON.parse(value.json((a as Record<string, unknown>)[name])) as ItfValue, models),
    ),
  }));
}

/** Compare; `labelSpecStep` names a step only the spec takes (the embedded engine's edges
 * carry no action), given the spec states' text along the path. */
export async function compareGraphs(
  p: ProtocolModule,
  model: AnyModel,
  impl: Exploration,
  spec: SpecRun,
  labelSpecStep: (
    path: ReadonlyArray<Readonly<Record<string, string>>>,
  ) => Promise<Step | undefined>,
): Promise<GraphComparison> {
  const g = spec.graph;
  const edges = impl.edges;
  if (edges === undefined) throw new Error("the exploration kept no edges");
  const n = impl.distinct;
  const toSpec = new Int32Array(n);
  let matched = 0;
  for (let k = 0; k < n; k++) {
    impl.states.load(k);
    const x = g.states.find();
    toSpec[k] = x;
    if (x >= 0) matched++;
  }
  const base = {
    specStates: g.states.size,
    implStates: n,
    specEdges: g.edges,
    implEdges: edges.count,
    onlyInSpec: g.states.size - matched,
    onlyInImplementation: n - matched,
  };
  const order = p.trace.variables.map((v) => v.name);
  const models = modelValues(g.labels.slice(0, 50));
  const json = abstraction(p.trace.variables);
  const specVars = (x: number) => g.labels[x] as Readonly<Record<string, string>>;
  /** A spec state's variables printed from its canonical JSON, as the others are. */
  const fromSpec = (x: number) =>
    stepVars(specStateJson(p.trace.variables, specVars(x)), order, models);
  const pathSteps = (k: number) => {
    const path = pathTo(model, impl, k);
    const steps: Step[] = [{ vars: stepVars(json(path.init), order, models) }];
    for (const s of path.steps)
      steps.push({
        action: s.action.name,
        args: actionArgs(p, s.action, models),
        vars: stepVars(json(s.next), order, models),
      });
    return steps;
  };
  const specPathLabels = (k: number): Readonly<Record<string, string>>[] => {
    const out: Readonly<Record<string, string>>[] = [];
    for (let j = k; j >= 0; j = impl.parent[j] as number) out.push(specVars(toSpec[j] as number));
    return out.reverse();
  };

  // The initial states.
  const implInit: number[] = [];
  for (let k = 0; k < n && (impl.parent[k] as number) < 0; k++) implInit.push(toSpec[k] as number);
  const onlySpecInit = spec.init.filter((x) => x >= 0 && !implInit.includes(x));
  const onlyImplInit = implInit.findIndex((x) => x < 0 || !spec.init.includes(x));
  if (onlySpecInit.length > 0 || onlyImplInit >= 0) {
    const trace: Step[] =
      onlyImplInit >= 0
        ? [{ vars: pathSteps(onlyImplInit)[0]?.vars ?? {} }]
        : [{ vars: fromSpec(onlySpecInit[0] as number) }];
    return {
      ...base,
      equal: false,
      firstDifference: {
        depth: 0,
        onlyIn: onlyImplInit >= 0 ? "implementation" : "spec",
        action: "Init",
        trace,
      },
    };
  }

  let depth = 0;
  for (let k = 0; k < n; k++) {
    while (depth + 1 < impl.levelStart.length && (impl.levelStart[depth + 1] as number) <= k)
      depth++;
    const x = toSpec[k] as number;
    if (x < 0) continue;
    const from = edges.edgeStart[k] as number;
    const to = edges.edgeStart[k + 1] as number;
    const mine = new Set<number>();
    let extra = -1;
    for (let e = from; e < to; e++) {
      const y = toSpec[edges.to[e] as number] as number;
      mine.add(y);
      if (extra < 0 && (y < 0 || !(g.succ[x] as ReadonlyArray<number>).includes(y))) extra = e;
    }
    if (extra >= 0) {
      const steps = pathSteps(k);
      const path = pathTo(model, impl, k);
      const last = path.steps.length === 0 ? path.init : (path.steps.at(-1)?.next as unknown);
      const succ = model.next(last)[edges.step[extra] as number];
      if (succ === undefined) throw new Error("the implementation's steps changed between calls");
      const stepArgs = actionArgs(p, succ.action, models);
      steps.push({
        action: succ.action.name,
        args: stepArgs,
        vars: stepVars(json(succ.next), order, models),
      });
      return {
        ...base,
        equal: false,
        firstDifference: {
          depth,
          onlyIn: "implementation",
          action: succ.action.name,
          args: Object.fromEntries(stepArgs.map((a) => [a.name, a.value])),
          trace: steps,
        },
      };
    }
    const missing = (g.succ[x] as ReadonlyArray<number>).find((y) => !mine.has(y));
    if (missing !== undefined) {
      const steps = pathSteps(k);
      const labelled = await labelSpecStep([...specPathLabels(k), specVars(missing)]);
      steps.push({
        ...(labelled?.action === undefined ? {} : { action: labelled.action }),
        ...(labelled?.args === undefined ? {} : { args: labelled.args }),
        vars: fromSpec(missing),
      });
      return {
        ...base,
        equal: false,
        firstDifference: {
          depth,
          onlyIn: "spec",
          action: labelled?.action ?? "(not identified)",
          ...(labelled?.args === undefined
            ? {}
            : { args: Object.fromEntries(labelled.args.map((a) => [a.name, a.value])) }),
          trace: steps,
        },
      };
    }
  }
  // Same successors everywhere reached: any remaining difference is a state only one side
  // reaches without a common parent, which BFS from equal initial states cannot leave.
  return {
    ...base,
    equal:
      base.onlyInSpec === 0 && base.onlyInImplementation === 0 && base.specEdges === base.implEdges,
  };
}
