/**
 * The harness for partial traces (traces/FORMAT.md, "Partial traces"): traces that log only some
 * variables, possibly not at every event, and that may leave out a bounded number of steps of
 * named actions (the network's drops and duplicates, which no process observes).
 *
 * The full-state harness (harness.ts) checks each step against the whole logged post-state, so
 * it has one state per event. Here the spec chooses what the trace does not log: a step
 * evaluates the named action with its logged parameters and constrains only the variables the
 * event logs. Each reachable harness state is one choice of the unlogged values consistent with
 * the trace so far; they are kept apart by the cursor, so the search is bounded by the trace
 * (one run of the engine) and its cost grows with the trace's length times the number of
 * choices alive at an event, not with the spec's state space.
 *
 * The harness adds two variables to the cursor variables of spec/TraceValidation.tla:
 *
 *   lv      the last logged value of each variable logged so far (name -> value); an event's
 *           change of a variable is a patch of that value (the harness's own value of an
 *           unlogged variable may differ from it);
 *   hidden  the unlogged steps taken since the last logged event.
 *
 *   TraceLoggedStep(E) ==                 \* the event, constraining what it logs
 *       /\ TraceAction(E)
 *       /\ lv' = [n \in DOMAIN lv \cup E.l |-> IF n \in E.l THEN Logged(LV(n), E, n) ELSE lv[n]]
 *       /\ IF "currentTerm" \in E.l THEN currentTerm' = lv'["currentTerm"] ELSE TRUE
 *       /\ ...
 *   TraceNext ==
 *       /\ cursor < TraceLen(traceId)
 *       /\ \/ /\ TraceLoggedStep(ev) /\ cursor' = cursor + 1 /\ hidden' = 0 /\ ...
 *          \/ /\ hidden < TraceUnloggedSteps
 *             /\ ~ENABLED TraceLoggedStep(ev)
 *             /\ TraceUnlogged                \* one step of an action the trace may leave out
 *             /\ hidden' = hidden + 1 /\ UNCHANGED <<traceId, cursor, ev, lv>>
 *
 * An unlogged step is taken only where the next logged event cannot be matched without one
 * (`~ENABLED`): a drop or duplicate that no later event depends on is never guessed, which
 * keeps the number of choices alive small. (tla-checker 0.9.0 cannot evaluate ENABLED, so on
 * the embedded engine unlogged steps are tried before every event: the same verdicts, with
 * many more choices alive.) So a duplicate that a process receives twice is
 * found only when its effect shows in a logged variable before the first receipt (or is logged).
 *
 * The verdict: TraceProgress prints the cursor of every state; the trace matched as many events
 * as the highest cursor printed (TLC). The embedded engine prints nothing, so it is asked
 * whether a state with cursor >= K is reachable (the invariant TraceBelow, violated), K found
 * by bisection (one run for a valid trace).
 */
import { type ActionCall, quantifiers, readActions } from "../tla/next.js";
import { UserError } from "../tla/types.js";
import {
  dataModuleName,
  eventIndexDefinitions,
  harnessModuleName,
  patch,
  SHARED_MODULE,
  SharedPrinter,
  traceActionDefinition,
  treeOver,
} from "./harness.js";
import { EMPTY_FUNCTION, printTla, type Value } from "./itf.js";
import type { Protocol } from "./protocol.js";

/** How a partial trace may differ from a full one (the header's `logged` and `unlogged`). */
export interface PartialSettings {
  /** Actions the trace may leave out, at most `steps` in a row. */
  readonly unlogged: { readonly actions: readonly string[]; readonly steps: number };
}

/** What the partial data module needs of a trace: each event logs only what its state holds. */
export interface PartialTraceData {
  events: readonly {
    action: string;
    params: Readonly<Record<string, Value>>;
    state: Readonly<Record<string, Value>>;
  }[];
}

/** The name of the invariant the embedded engine is asked to violate (cursor >= TraceGoal). */
export const BELOW = "TraceBelow";

/**
 * TLA+ text of the partial harness for `p`: the full harness's TraceAction (one arm per action of
 * Next) and, for the actions the trace may leave out, TraceUnlogged (those disjuncts of Next).
 */
export function partialHarnessModule(
  p: Protocol,
  settings: PartialSettings,
  {
    lazy = true,
    next = readActions(p.specDir, p.module),
  }: {
    /** Take an unlogged step only where the logged event is not enabled (needs ENABLED). */
    lazy?: boolean;
    next?: readonly ActionCall[];
  } = {},
): string {
  const action = traceActionDefinition(p, next);
  const missing = settings.unlogged.actions.filter((a) => !next.some((c) => c.action === a));
  if (missing.length > 0)
    throw new UserError(
      `${missing.join(", ")}: not an action of the Next of ${p.module}; the header's unlogged.actions names actions of the spec`,
    );
  const hidden = next
    .filter((c) => settings.unlogged.actions.includes(c.action))
    .map((c) => `${quantifiers(c.binders)}${c.call}`);
  const vars = p.variables.map((v) => v.name);
  const allowHidden = hidden.length > 0 && settings.unlogged.steps > 0;
  return [
    `---- MODULE ${harnessModuleName(p)} ----`,
    `\\* Generated by lockstep (src/trace/partial-harness.ts) for a partial trace of ${p.name};`,
    "\\* not part of the repository. That file's header explains it.",
    `EXTENDS ${p.module}, ${SHARED_MODULE}, ${dataModuleName(p)}`,
    "",
    "\\* lv: the last logged value of each variable logged so far; hidden: unlogged steps since",
    "\\* the last logged event.",
    "VARIABLES lv, hidden",
    "",
    "NextEvent(t, k) == IF k <= TraceLen(t) THEN TraceEvent(t, k) ELSE FALSE",
    "",
    "\\* The action an event names, parameters bound as in Next.",
    action,
    "",
    "LV(n) == IF n \\in DOMAIN lv THEN lv[n] ELSE {}",
    "",
    "\\* The event's action, constraining only the variables it logs.",
    "TraceLoggedStep(E) ==",
    "    /\\ TraceAction(E)",
    "    /\\ lv' = [n \\in DOMAIN lv \\cup E.l |-> IF n \\in E.l THEN Logged(LV(n), E, n) ELSE lv[n]]",
    ...vars.map((v) => `    /\\ IF "${v}" \\in E.l THEN ${v}' = lv'["${v}"] ELSE TRUE`),
    "",
    "\\* One step of an action the trace may leave out.",
    `TraceUnlogged == ${hidden.length === 0 ? "FALSE" : `\n    \\/ ${hidden.join("\n    \\/ ")}`}`,
    "",
    "TraceInit ==",
    "    /\\ traceId \\in 1..TraceCount",
    "    /\\ cursor = 1",
    "    /\\ hidden = 0",
    "    /\\ Init",
    "    /\\ lv = TraceInitState(traceId)",
    ...vars.map((v) => `    /\\ IF "${v}" \\in DOMAIN lv THEN ${v} = lv["${v}"] ELSE TRUE`),
    "    /\\ ev = NextEvent(traceId, 2)",
    "",
    "TraceNext ==",
    "    /\\ cursor < TraceLen(traceId)",
    "    /\\ \\/ /\\ TraceLoggedStep(ev)",
    "          /\\ cursor' = cursor + 1",
    "          /\\ ev' = NextEvent(traceId, cursor + 2)",
    "          /\\ hidden' = 0",
    "          /\\ UNCHANGED traceId",
    ...(allowHidden
      ? [
          "       \\/ /\\ hidden < TraceUnloggedSteps",
          ...(lazy ? ["          /\\ ~ENABLED TraceLoggedStep(ev)"] : []),
          "          /\\ TraceUnlogged",
          "          /\\ hidden' = hidden + 1",
          "          /\\ UNCHANGED <<traceId, cursor, ev, lv>>",
        ]
      : []),
    "",
    "TraceSpec == TraceInit /\\ [][TraceNext]_<<vars, traceVars, lv, hidden>>",
    "",
    "\\* The embedded engine's verdict: violated iff some state has matched TraceGoal events.",
    `${BELOW} == cursor < TraceGoal`,
    "",
    "\\* For checking by hand: TLC must report this invariant violated.",
    "TraceIncomplete == cursor < TraceLen(traceId)",
    "====",
    "",
  ].join("\n");
}

/** `{"a", "b"}`: a set of variable names. */
const names = (xs: readonly string[]) => `{${xs.map((x) => JSON.stringify(x)).join(", ")}}`;

/**
 * The data module for partial traces sharing one run: as dataModule (harness.ts), but an event
 * also says which variables it logs (`l`), and each change is a patch of the variable's last
 * logged value; TraceInitState(t) holds the variables Init logs. `goal` is TraceGoal (BELOW).
 */
export function partialDataModule(
  p: Protocol,
  traces: readonly PartialTraceData[],
  settings: PartialSettings,
  goal = 0,
): string {
  const out: string[] = [
    `---- MODULE ${dataModuleName(p)} ----`,
    `\\* Generated by lockstep (src/trace/partial-harness.ts) for ${p.harness}.tla; not part of the repository.`,
    "EXTENDS Naturals, Sequences, TLC",
    "",
  ];
  const pr = new SharedPrinter();
  const print = (v: Value) => pr.print(v);
  const order = p.variables.map((v) => v.name);
  // Each distinct set of logged variables is printed once.
  const loggedSets = new Map<string, string>();
  const loggedSet = (xs: readonly string[]) => {
    const text = names(xs);
    let name = loggedSets.get(text);
    if (name === undefined) {
      name = `TDl${loggedSets.size + 1}`;
      loggedSets.set(text, name);
      out.push(`${name} == ${text}`);
    }
    return name;
  };
  const record = (fields: readonly (readonly [string, string])[]) =>
    fields.length === 0
      ? EMPTY_FUNCTION
      : `[${fields.map(([k, v]) => `${k} |-> ${v}`).join(", ")}]`;
  traces.forEach((tr, ti) => {
    const t = ti + 1;
    const [first, ...rest] = tr.events;
    if (!first) throw new Error("a trace has at least its Init event");
    const last = new Map<string, Value>();
    const init: [string, string][] = [];
    for (const n of order) {
      const v = first.state[n];
      if (v === undefined) continue;
      init.push([n, print(v)]);
      last.set(n, v);
    }
    out.push(...pr.take(), `TDe${t}_1 == ${record(init)}`);
    rest.forEach((e, k) => {
      const logged = order.filter((n) => e.state[n] !== undefined);
      const changes: [string, string][] = [];
      for (const n of logged) {
        const v = e.state[n] as Value;
        const before = last.get(n);
        const d = before === undefined ? `[k |-> "v", v |-> ${print(v)}]` : patch(before, v, pr);
        if (d !== null) changes.push([n, d]);
        last.set(n, v);
      }
      const l = loggedSet(logged);
      const params = record(Object.entries(e.params).map(([x, v]) => [x, print(v)] as const));
      const text = `[a |-> ${JSON.stringify(e.action)}, p |-> ${params}, l |-> ${l}, d |-> ${record(changes)}]`;
      out.push(...pr.take(), `TDe${t}_${k + 2} == ${text}`);
    });
    out.push(...eventIndexDefinitions(t, tr.events.length), "");
  });
  const count = traces.length;
  out.push(
    "TraceFromInit == TRUE",
    `TraceCount == ${count}`,
    `TraceLen(t) == <<${traces.map((tr) => tr.events.length).join(", ")}>>[t]`,
    `TraceInitState(t) == ${treeOver("t", 1, count, (t) => `TDe${t}_1`)}`,
    `TraceEvent(t, k) == ${treeOver("t", 1, count, (t) => `TDev${t}(k)`)}`,
    `TraceUnloggedSteps == ${settings.unlogged.steps}`,
    `TraceGoal == ${goal}`,
    "====",
    "",
  );
  return out.join("\n");
}

/** Short text of a value for reports. */
export const shortValue = (v: Value) => {
  const t = printTla(v);
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
};
