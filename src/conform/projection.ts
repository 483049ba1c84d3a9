/**
 * Graph equality on a model of a history module: a module that extends the protocol's model
 * module (spec.model) with variables that only record what happened (e.g. every election won,
 * every value chosen), for invariants as the literature states them. The implementation has
 * no such variables, so each spec state is projected onto the protocol's variables (readDot
 * leaves the others out) and states that differ only in their history become one.
 *
 * That projection is the protocol's graph under the same bounds exactly when the history
 * never restricts behaviour: every protocol state and step of the model has a history that
 * goes with it. This module checks a sufficient condition on the spec's text, and refuses the
 * model with one line naming what breaks it:
 *
 *   - INIT is `ProtocolInit /\ h = e /\ …`: one operator of the protocol's module and one
 *     equation per history variable;
 *   - NEXT is `ProtocolNext /\ h' = e /\ …`, or a disjunction of wrappers, each
 *     `W(ps) == A(ps) /\ Record` (Record: `h' = e` per history variable, inline or as one
 *     operator) around the disjuncts A of the protocol's MCNext (or Next), one wrapper per
 *     disjunct, with the same binders and arguments;
 *   - no CONSTRAINT or ACTION_CONSTRAINT reads a history variable (nor does a VIEW, but a VIEW
 *     or SYMMETRY is refused anyway: see engine.ts).
 *
 * An equation `h' = e` is always satisfiable (an `e` TLC cannot evaluate is an error, not a
 * pruned step), so under these conditions the history module's behaviours are exactly the
 * protocol's with a history added, and the projection of its reachable graph is the protocol
 * module's reachable graph.
 */
import { readFileSync } from "node:fs";
import { UserError } from "../core/errors.js";
import type { Cfg, SectionKind } from "../tla/cfg.js";
import { localModule } from "../tla/inline.js";
import type { Model } from "../tla/models.js";
import {
  type ActionCall,
  type Conjunct,
  namesRead,
  operatorParams,
  readActions,
  readConjunction,
} from "../tla/next.js";
import { maskComments, moduleShape, variableDeclarations } from "../tla/source.js";
import type { Relations } from "./model.js";

export interface Projection {
  /** The protocol module's relations the model's INIT and NEXT add history to. */
  readonly relations: Relations;
  /** The variables left out of each state. */
  readonly history: ReadonlyArray<string>;
}

/** The modules `module` extends, itself included, that are files next to it or in the parent. */
function closure(dir: string, module: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (m: string) => {
    if (out.has(m)) return;
    const path = localModule(dir, m);
    if (path === null) return;
    out.set(m, path);
    for (const e of moduleShape(readFileSync(path, "utf8"))?.extends ?? []) visit(e);
  };
  visit(module);
  return out;
}

/** The variables a module file declares. */
function declared(path: string): string[] {
  const masked = maskComments(readFileSync(path, "utf8"));
  return variableDeclarations(masked).flatMap((at) => {
    const m = /^VARIABLES?\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/.exec(masked.slice(at));
    return m?.[1] === undefined ? [] : m[1].split(",").map((s) => s.trim());
  });
}

/** A disjunct as text: `Inc(i) over i \in {1, 2}`, `Bump`. */
const shown = (operator: string, args: ReadonlyArray<string>, c: ActionCall) =>
  `${operator}${args.length > 0 ? `(${args.join(", ")})` : ""}${c.binders.length > 0 ? ` over ${c.binders.map((b) => `${b.name} \\in ${b.domain}`).join(", ")}` : ""}`;

const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * The projection of `model` (of a module extending `protocolModule`) onto the protocol's
 * variables, with the cfg's INIT and NEXT mapped to the protocol's; a UserError (one line,
 * file:line) when the module is no such extension or its history may restrict behaviour.
 */
export function projectionOf(
  model: Model,
  cfg: Cfg,
  protocolModule: string,
  where: string,
): Projection {
  const dir = model.dir;
  const mine = closure(dir, model.module);
  const theirs = closure(dir, protocolModule);
  const refuse = (why: string): never => {
    throw new UserError(
      `${why}; graph equality compares the implementation with ${protocolModule} and the modules extending it with history variables that never restrict behaviour`,
    );
  };
  if (!mine.has(protocolModule))
    refuse(`${where}: module ${model.module} does not extend ${protocolModule}`);
  const protocolVars = new Set([...theirs.values()].flatMap(declared));
  const history = [...mine]
    .filter(([m]) => !theirs.has(m))
    .flatMap(([, path]) => declared(path))
    .filter((v) => !protocolVars.has(v));
  const isHistory = (n: string) => history.includes(n);
  const names = (k: SectionKind) =>
    cfg.sections.filter((s) => s.kind === k).flatMap((s) => s.names.map((n) => ({ n, s })));

  // No constraint reads the history.
  for (const kind of ["CONSTRAINT", "ACTION_CONSTRAINT", "VIEW"] as const)
    for (const { n, s } of names(kind)) {
      const read = [...namesRead(dir, model.module, n)].filter(isHistory);
      if (read.length > 0)
        refuse(
          `${where}:${s.line}: ${kind} ${n} reads the history variable ${read[0]}, so it may cut off protocol states the projection then lacks`,
        );
    }

  const protocolOps = operatorParams(dir, protocolModule);
  /** The one protocol operator among the conjuncts, and the history variables they assign. */
  const split = (def: string, conjuncts: ReadonlyArray<Conjunct>, primed: boolean, at: string) => {
    const assigned: string[] = [];
    const rest: Conjunct[] = [];
    for (const c of conjuncts)
      if (c.kind === "equation" && c.primed === primed && isHistory(c.variable)) {
        if (assigned.includes(c.variable))
          refuse(`${at}: ${def} gives ${c.variable} a value twice`);
        assigned.push(c.variable);
      } else rest.push(c);
    return { assigned, rest };
  };
  const covers = (def: string, assigned: ReadonlyArray<string>, at: string) => {
    const missing = history.find((h) => !assigned.includes(h));
    if (missing !== undefined)
      refuse(`${at}: ${def} gives the history variable ${missing} no value (${missing}${"'"} = …)`);
  };

  // INIT: ProtocolInit /\ h = e /\ …
  const initName = names("INIT")[0]?.n;
  if (initName === undefined) refuse(`${where}: graph equality needs the cfg's INIT`);
  const init = readConjunction(dir, model.module, initName as string);
  const initAt = `${init.file}:${init.line}`;
  const i = split(init.name, init.conjuncts, false, initAt);
  covers(init.name, i.assigned, initAt);
  const initOp = i.rest[0];
  if (
    i.rest.length !== 1 ||
    initOp?.kind !== "call" ||
    initOp.args.length > 0 ||
    !protocolOps.has(initOp.operator)
  )
    refuse(
      `${initAt}: ${init.name} is not one operator of ${protocolModule} and one equation per history variable (${history.join(", ")})`,
    );
  const protocolInit = (initOp as { operator: string }).operator;

  // NEXT: ProtocolNext /\ h' = e /\ …, or a disjunction of wrappers.
  const nextName = names("NEXT")[0]?.n;
  if (nextName === undefined) refuse(`${where}: graph equality needs the cfg's NEXT`);
  const next = readConjunction(dir, model.module, nextName as string);
  const nextAt = `${next.file}:${next.line}`;
  let protocolNext: string;
  if (next.conjuncts.length > 1) {
    const n = split(next.name, next.conjuncts, true, nextAt);
    covers(next.name, n.assigned, nextAt);
    const op = n.rest[0];
    if (
      n.rest.length !== 1 ||
      op?.kind !== "call" ||
      op.args.length > 0 ||
      !protocolOps.has(op.operator)
    )
      refuse(
        `${nextAt}: ${next.name} is not one operator of ${protocolModule} and one equation per history variable`,
      );
    protocolNext = (op as { operator: string }).operator;
  } else protocolNext = wrappedNext(dir, model.module, protocolModule, next.name, nextAt);
  for (const r of [protocolInit, protocolNext]) {
    const read = [...namesRead(dir, protocolModule, r)].filter(isHistory);
    if (read.length > 0) refuse(`${where}: ${r} reads the history variable ${read[0]}`);
  }

  /** A wrapper of a protocol action: its protocol call, with the history it records. */
  function unwrap(call: ActionCall): { operator: string; args: string[] } {
    const w = readConjunction(dir, model.module, call.operator);
    const at = `${w.file}:${w.line}`;
    const { assigned, rest } = split(w.name, w.conjuncts, true, at);
    const inner: Conjunct[] = [];
    for (const c of rest) {
      // A conjunct that is itself a conjunction of history equations (RecordHistory).
      if (c.kind === "call" && c.args.length === 0 && !protocolOps.has(c.operator)) {
        const rec = readConjunction(dir, model.module, c.operator);
        const r = split(rec.name, rec.conjuncts, true, `${rec.file}:${rec.line}`);
        if (r.rest.length === 0) {
          for (const v of r.assigned) {
            if (assigned.includes(v)) refuse(`${at}: ${w.name} gives ${v} a value twice`);
            assigned.push(v);
          }
          continue;
        }
      }
      inner.push(c);
    }
    covers(w.name, assigned, at);
    const a = inner[0];
    if (inner.length !== 1 || a?.kind !== "call" || !protocolOps.has(a.operator))
      refuse(
        `${at}: ${w.name} is not one action of ${protocolModule} and the history it records (h' = … per history variable)`,
      );
    const action = a as { operator: string; args: string[] };
    // The wrapper's parameters passed on as they are, so the call binds what the disjunct does.
    const args = action.args.map((x) => {
      const k = w.params.indexOf(x);
      if (k < 0)
        refuse(
          `${at}: ${w.name} calls ${action.operator} with ${x}, which is not one of its parameters`,
        );
      return call.args[k] as string;
    });
    return { operator: action.operator, args };
  }

  /** The protocol's next-state disjunction (MCNext, else Next) the wrappers follow. */
  function wrappedNext(dir0: string, module: string, protocol: string, name: string, at: string) {
    const calls = readActions(dir0, module, name);
    const mapped = calls.map((c) => {
      const u = unwrap(c);
      return shown(u.operator, u.args, c);
    });
    const candidates = ["MCNext", "Next"].filter((n) => protocolOps.has(n));
    for (const n of candidates) {
      const theirsList = readActions(dir0, protocol, n).map((c) => shown(c.operator, c.args, c));
      if (sameSet(mapped, theirsList) && new Set(mapped).size === mapped.length) return n;
    }
    const first = candidates[0];
    if (first === undefined) return refuse(`${at}: ${protocol} defines neither MCNext nor Next`);
    const theirsList = readActions(dir0, protocol, first).map((c) => shown(c.operator, c.args, c));
    const missing = theirsList.find((x) => !mapped.includes(x));
    const extra = mapped.find((x) => !theirsList.includes(x));
    return refuse(
      `${at}: ${name}'s wrapped actions are not ${first}'s: ${missing !== undefined ? `${missing} is missing` : `${extra ?? "an action"} is extra or repeated`}`,
    );
  }

  return {
    relations: {
      init: protocolInit,
      next: protocolNext,
      constraints: names("CONSTRAINT").map((x) => x.n),
    },
    history,
  };
}
