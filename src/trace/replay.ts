/**
 * Spec → code: a counterexample of the spec (or any trace) replayed on the implementation, step
 * by step through the abstraction (`trace.variables`, `trace.actions` of the protocol module).
 * From the implementation's initial state for the trace's constants, each step's action with
 * its arguments must be among the implementation's enabled actions, and performing it must give
 * a state whose abstraction equals the step's logged state. With the bug a counterexample was
 * found with switched on, a bug model's counterexample replays to its end; with it off, the
 * replay stops at a named step: the first whose action is not enabled, or whose state differs.
 *
 * Nothing here names a protocol: everything comes from the module (src/registry.ts).
 */
import * as O from "fp-ts/lib/Option.js";
import type { ItfValue } from "../core/itf.js";
import type { SpecValue } from "../core/spec-value.js";
import type { ProtocolModule } from "../protocol.js";
import type { Trace } from "./codec.js";
import { equals, fromItf, printTla, type Value } from "./itf.js";
import { valueDiff } from "./validate.js";

/** The spec constant that switches a bug on: `forgetVote` → `BugForgetVote`. */
export const bugConstant = (bug: string) => `Bug${bug.charAt(0).toUpperCase()}${bug.slice(1)}`;

/**
 * The bug switches of the protocol's code: the simulator's, and those its model hook names
 * besides (a bug the simulator cannot hunt still has a model, a counterexample and a graph).
 */
export const codeBugs = (m: ProtocolModule): ReadonlyArray<string> =>
  m.model?.bugNames ?? m.sim.bugNames;

/** The bugs a trace's header switches on (its given constants Bug… = TRUE). */
export function bugsOf(m: ProtocolModule, t: Trace): string[] {
  return codeBugs(m).filter((b) => {
    const v = t.header.given[bugConstant(b)];
    return v?.kind === "bool" && v.value;
  });
}

export interface ReplayStep {
  /** Step number: 0 is Init. */
  step: number;
  action: string;
  ok: boolean;
  /** Why the step does not agree: not enabled, or the variables that differ. */
  reason?: string;
  /** For a state that differs: per variable, where (valueDiff lines). */
  diff?: { variable: string; detail: string[] }[];
}

export interface ReplayResult {
  file: string;
  bugs: string[];
  ok: boolean;
  /** The steps replayed, up to and including the first that disagrees. */
  steps: ReplayStep[];
  failedAt?: number;
}

const ofItf = (x: ItfValue, what: string): Value => {
  const v = fromItf(x, what);
  if ("path" in v) throw new Error(`${what}: ${v.message}`);
  return v;
};

/** The abstract state: each spec variable the trace logs at this step, as a value. */
function abstractState(m: ProtocolModule, s: unknown): Record<string, Value> {
  return Object.fromEntries(m.trace.variables.map((v) => [v.name, ofItf(v.itf(s), v.name)]));
}

/** An implementation action's spec parameters, by name. */
function paramsOf(m: ProtocolModule, a: { readonly name: string }): Record<string, Value> {
  const table = m.trace.actions[a.name] ?? {};
  return Object.fromEntries(
    Object.entries(table).map(([k, value]) => [
      k,
      ofItf(
        (value as SpecValue<unknown>).itf((a as unknown as Record<string, unknown>)[k]),
        `${a.name}.${k}`,
      ),
    ]),
  );
}

/** The variables where the implementation's state differs from the step's. */
function differences(
  logged: Readonly<Record<string, Value>>,
  impl: Readonly<Record<string, Value>>,
): { variable: string; detail: string[] }[] {
  const out: { variable: string; detail: string[] }[] = [];
  for (const [name, v] of Object.entries(logged)) {
    const mine = impl[name];
    if (mine === undefined || !equals(mine, v))
      out.push({ variable: name, detail: mine ? valueDiff(v, mine, 4) : ["(no such variable)"] });
  }
  return out;
}

const title = (action: string, params: Readonly<Record<string, Value>>) => {
  const args = Object.values(params).map((v) => {
    const t = printTla(v);
    return t.length > 60 ? `${t.slice(0, 57)}...` : t;
  });
  return args.length === 0 ? action : `${action}(${args.join(", ")})`;
};

/** Replay trace `t` on the implementation of `m` with `bugs` switched on. */
export function replayTrace(m: ProtocolModule, t: Trace, bugs: readonly string[]): ReplayResult {
  const impl = m.implementation;
  if (impl === undefined)
    throw new Error(
      `protocol ${m.name} has no implementation to replay on (its module's "implementation")`,
    );
  const unknown = bugs.find((b) => !codeBugs(m).includes(b));
  if (unknown !== undefined)
    throw new RangeError(`no bug "${unknown}" in ${m.name} (its bugs: ${codeBugs(m).join(", ")})`);
  const [init, ...rest] = t.events;
  if (init === undefined) throw new Error("the trace has no events");
  const run = impl.start(t.header.constants, bugs, init.state);
  const steps: ReplayStep[] = [];
  const result = (ok: boolean): ReplayResult => ({
    file: t.file,
    bugs: [...bugs],
    ok,
    steps,
    ...(ok ? {} : { failedAt: steps.length - 1 }),
  });
  let s: unknown = run.initial;
  const first = differences(init.state, abstractState(m, s));
  if (first.length > 0) {
    steps.push({
      step: 0,
      action: "Init",
      ok: false,
      reason: `the initial state differs in ${first.map((d) => d.variable).join(", ")}`,
      diff: first,
    });
    return result(false);
  }
  steps.push({ step: 0, action: "Init", ok: true });
  for (const e of rest) {
    const what = title(e.action, e.params);
    const match = run.enabled(s).find((a) => {
      if (a.name !== e.action) return false;
      const p = paramsOf(m, a);
      return Object.entries(e.params).every(([k, v]) => p[k] !== undefined && equals(p[k], v));
    });
    const next = match === undefined ? O.none : run.perform(s, match);
    if (O.isNone(next)) {
      steps.push({ step: e.i, action: what, ok: false, reason: `${what} is not enabled` });
      return result(false);
    }
    const after = next.value;
    const diff = differences(e.state, abstractState(m, after));
    if (diff.length > 0) {
      steps.push({
        step: e.i,
        action: what,
        ok: false,
        reason: `after ${what} the state differs in ${diff.map((d) => d.variable).join(", ")}`,
        diff,
      });
      return result(false);
    }
    steps.push({ step: e.i, action: what, ok: true });
    s = after;
  }
  return result(true);
}

// ---------------------------------------------------------------------------------------------
// Reading constants (for the protocol modules' `implementation.start`)

/** The strings of a set of strings (a constant such as Server), in canonical order. */
export function stringsOf(v: Value | undefined, what: string): string[] {
  if (v?.kind !== "set" || !v.elems.every((x) => x.kind === "str"))
    throw new RangeError(`${what}: expected a set of strings`);
  return v.elems.map((x) => (x as { value: string }).value);
}

/** The sets of strings of a set of sets (NewConfigs). */
export function stringSetsOf(v: Value | undefined, what: string): string[][] {
  if (v?.kind !== "set") throw new RangeError(`${what}: expected a set of sets`);
  return v.elems.map((x) => stringsOf(x, what));
}

/** An order given as the set of its prefixes ({{"l1"}, {"l1", "l2"}}): l1, l2. */
export function orderOf(v: Value | undefined, what: string): string[] {
  const prefixes = stringSetsOf(v, what).sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const p of prefixes) {
    const added = p.filter((x) => !out.includes(x));
    if (added.length !== 1) throw new RangeError(`${what}: not the prefixes of one order`);
    out.push(added[0] as string);
  }
  return out;
}

/** The integer constant `what`. */
export function intOf(v: Value | undefined, what: string): number {
  if (v?.kind !== "int") throw new RangeError(`${what}: expected an integer`);
  return Number(v.value);
}

/** A record of bug switches: each of `names` on iff listed in `on`. */
export const bugSwitches = <B extends string>(
  names: ReadonlyArray<B>,
  on: ReadonlyArray<string>,
): Record<B, boolean> =>
  Object.fromEntries(names.map((b) => [b, on.includes(b)])) as Record<B, boolean>;
