/**
 * The action lists of a spec, read from the spec itself: a next-state disjunction such as
 *
 *   Next ==
 *       \/ \E i \in Server : Restart(i)
 *       \/ \E i \in Server, v \in Value : ClientRequest(i, v)
 *       \/ \E m \in DOMAIN messages : UpdateTerm(m)
 *
 * becomes one entry per action: its name, the binders that quantify it (name and domain, as
 * written), and the call. Bullet lists (`\/` aligned in one column), infix `\/`, parentheses and
 * nested quantifiers (`\E i \in Server : \/ Timeout(i) \/ BecomeLeader(i)`) are read, across
 * line breaks and comments. A finite model's disjunction (MCNext) calls wrappers instead
 * (`FaultRestart(i) == "restart" \in Faults /\ Restart(i)`): `unwrap` follows each wrapper's
 * definition to the action of Next it calls, so that the two lists can be compared generically.
 *
 * `checkActionLists` compares the lists a project keeps of the same actions (the trace
 * descriptor, Next, MCNext, the implementation's action names) and returns every difference.
 *
 * Like src/tla/source.ts this is not a TLA+ parser: it reads the shapes next-state relations
 * take and names file:line of anything else. SANY and tla-checker remain the judges of syntax.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { maskComments, moduleShape } from "./source.js";
import { UserError } from "./types.js";

export interface Binder {
  name: string;
  /** The domain as written, whitespace normalised (e.g. `DOMAIN messages`). */
  domain: string;
}

/**
 * `\E b1 \in D1 : \E b2 \in D2 : ` for binders as Next binds them: one quantifier each, since
 * a domain may name an earlier binder (`\E r \in Replica : \E p \in proposals[r]`), which
 * one `\E r \in Replica, p \in proposals[r]` may not (TLC: unknown operator `r`).
 */
export const quantifiers = (binders: ReadonlyArray<Binder>): string =>
  binders.map((b) => `\\E ${b.name} \\in ${b.domain} : `).join("");

/** Indices of the tokens of [lo, hi) outside any bracket pair (`match`) that satisfy `p`. */
function depth0Indices(
  match: ReadonlyArray<number | undefined>,
  lo: number,
  hi: number,
  p: (k: number) => boolean,
): number[] {
  const ks: number[] = [];
  for (let k = lo; k < hi; k++) {
    if (p(k)) ks.push(k);
    const partner = match[k] ?? -1;
    if (partner > k) k = partner;
  }
  return ks;
}

export interface ActionCall {
  /** The action of Next this disjunct performs (for MCNext: the action its wrapper calls). */
  action: string;
  /** The operator the disjunct calls: the action itself, or a wrapper (`FaultRestart`). */
  operator: string;
  /** The wrappers followed from `operator` to `action`, outermost first (empty for an action). */
  via: string[];
  /** Binders in scope, outermost first. */
  binders: Binder[];
  /** The call as written, whitespace normalised: `ClientRequest(i, v)` (or `Name`). */
  call: string;
  /** Argument texts of the call. */
  args: string[];
  /** Where the call is (the file as shown in messages, 1-based line). */
  file: string;
  line: number;
}

/** How a path is shown in messages (relative to the working directory, as in src/tla/inline.ts). */
const shown = (path: string) => relative(process.cwd(), path) || path;

// ---------------------------------------------------------------------------------------------
// Tokens

interface Tok {
  t: string;
  at: number;
  end: number;
  line: number;
  /** 0-based column. */
  col: number;
  /** First token of its line. */
  first: boolean;
}

const TOKEN =
  /\s+|"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_]+|\\[A-Za-z]+|\\\/|\/\\|<<|>>|:>|::=|::|==|\|->|->|<=>|=>|<=|>=|\.\.|@@|[\s\S]/gy;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words that start an expression, not an action call. */
const RESERVED = new Set([
  "UNCHANGED",
  "TRUE",
  "FALSE",
  "IF",
  "CASE",
  "LET",
  "ENABLED",
  "CHOOSE",
  "DOMAIN",
  "SUBSET",
  "UNION",
]);
const OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<<": ">>" };

/** Tokens of masked[from, to), with lines and columns of the whole text. */
function tokenize(masked: string, from: number, to: number): Tok[] {
  const lineStarts = [0];
  for (let k = 0; k < masked.length; k++) if (masked[k] === "\n") lineStarts.push(k + 1);
  let li = 0;
  const out: Tok[] = [];
  let lastLine = -1;
  TOKEN.lastIndex = from;
  while (TOKEN.lastIndex < to) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(masked);
    if (!m) break;
    if (/^\s/.test(m[0])) continue;
    while (li + 1 < lineStarts.length && (lineStarts[li + 1] as number) <= at) li++;
    const line = li + 1;
    out.push({
      t: m[0],
      at,
      end: at + m[0].length,
      line,
      col: at - (lineStarts[li] as number),
      first: line !== lastLine,
    });
    lastLine = line;
  }
  return out;
}

/** For each bracket token its partner's index; throws at an unbalanced bracket. */
function matchBrackets(toks: Tok[], fail: (k: number, what: string) => never): number[] {
  const match: number[] = toks.map(() => -1);
  const stack: number[] = [];
  toks.forEach((tok, k) => {
    if (tok.t in OPEN) stack.push(k);
    else if (Object.values(OPEN).includes(tok.t)) {
      const open = stack.pop();
      if (open === undefined || OPEN[(toks[open] as Tok).t] !== tok.t)
        fail(k, `unbalanced "${tok.t}"`);
      match[open] = k;
      match[k] = open;
    }
  });
  const open = stack.pop();
  if (open !== undefined) fail(open, `unbalanced "${(toks[open] as Tok).t}"`);
  return match;
}

// ---------------------------------------------------------------------------------------------
// Definitions

interface Definition {
  name: string;
  params: string[];
  /** Path of the file (absolute, as read) and the file as shown in messages. */
  path: string;
  file: string;
  line: number;
  masked: string;
  bodyStart: number;
  bodyEnd: number;
}

/** A line at column 0 that opens a new top-level unit (as in src/tla/source.ts). */
const UNIT_START =
  /^(?:[A-Za-z_][A-Za-z0-9_]*\s*(?:\(|\[|==)|(?:VARIABLES?|CONSTANTS?|ASSUME|AXIOM|THEOREM|LEMMA|LOCAL|INSTANCE|RECURSIVE)\b|-{4,}|={4,})/;
const DEFINITION = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?:\(([^()]*)\))?[ \t]*==/gm;

/** The operator definitions at column 0 of one module file. */
function definitionsOf(path: string): Map<string, Definition> {
  const masked = maskComments(readFileSync(path, "utf8"));
  const shape = moduleShape(masked);
  const end = shape ? shape.bodyEnd : masked.length;
  const out = new Map<string, Definition>();
  const starts: number[] = [];
  const lines = masked.split("\n");
  let offset = 0;
  for (const l of lines) {
    if (UNIT_START.test(l)) starts.push(offset);
    offset += l.length + 1;
  }
  starts.push(end);
  DEFINITION.lastIndex = 0;
  for (let m = DEFINITION.exec(masked); m; m = DEFINITION.exec(masked)) {
    if (m.index >= end) break;
    const name = m[1] as string;
    const bodyStart = m.index + m[0].length;
    const bodyEnd = Math.min(end, starts.find((s) => s > m.index) ?? end);
    if (out.has(name)) continue;
    out.set(name, {
      name,
      params: (m[2] ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
      path,
      file: shown(path),
      line: masked.slice(0, m.index).split("\n").length,
      masked,
      bodyStart,
      bodyEnd,
    });
  }
  return out;
}

/** Definitions of `module` (in `dir`) and of the local modules it extends, nearest first. */
function moduleDefinitions(dir: string, module: string): Map<string, Definition> {
  const all = new Map<string, Definition>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const path = join(dir, `${name}.tla`);
    if (!existsSync(path)) return;
    for (const [k, d] of definitionsOf(path)) if (!all.has(k)) all.set(k, d);
    const shape = moduleShape(readFileSync(path, "utf8"));
    for (const ext of shape?.extends ?? []) visit(ext);
  };
  const root = join(dir, `${module}.tla`);
  if (!existsSync(root)) throw new UserError(`${shown(root)}: no such module file`);
  visit(module);
  return all;
}

function definition(defs: Map<string, Definition>, dir: string, module: string, name: string) {
  const d = defs.get(name);
  if (!d)
    throw new UserError(
      `${shown(join(dir, `${module}.tla`))}: no definition "${name} ==" in ${module} or the modules it extends`,
    );
  return d;
}

// ---------------------------------------------------------------------------------------------
// The disjunction

/** Read the disjuncts of the definition `d` (each an action call with its binders). */
function parseDisjunction(d: Definition): ActionCall[] {
  const toks = tokenize(d.masked, d.bodyStart, d.bodyEnd);
  const fail = (k: number, what: string): never => {
    const line = toks[k]?.line ?? d.line;
    throw new UserError(`${d.file}:${line}: ${d.name}: ${what}`);
  };
  const match = matchBrackets(toks, fail);
  const text = (lo: number, hi: number) =>
    d.masked
      .slice((toks[lo] as Tok).at, (toks[hi - 1] as Tok).end)
      .replace(/\s+/g, " ")
      .trim();
  const out: ActionCall[] = [];
  const expected =
    "expected a disjunction of actions, each `Action(args)` or `\\E x \\in S, … : Action(args)`";

  /** Indices of depth-0 tokens of [lo, hi) satisfying `p`. */
  const atDepth0 = (lo: number, hi: number, p: (k: number) => boolean) =>
    depth0Indices(match, lo, hi, p);

  const binders = (lo: number, hi: number): Binder[] => {
    const out: Binder[] = [];
    let pending: string[] = [];
    const cuts = [lo - 1, ...atDepth0(lo, hi, (k) => toks[k]?.t === ","), hi];
    for (let c = 0; c + 1 < cuts.length; c++) {
      const a = (cuts[c] as number) + 1;
      const b = cuts[c + 1] as number;
      const name = toks[a]?.t ?? "";
      if (a >= b || !IDENT.test(name)) fail(a < b ? a : lo, `cannot read this binder; ${expected}`);
      if (b === a + 1) {
        pending.push(name);
        continue;
      }
      if (toks[a + 1]?.t !== "\\in" || b === a + 2)
        fail(a, `the binder ${name} has no "\\in <domain>"; ${expected}`);
      const domain = text(a + 2, b);
      for (const n of [...pending, name]) out.push({ name: n, domain });
      pending = [];
    }
    if (pending.length > 0) fail(lo, `the binder ${pending.join(", ")} has no "\\in <domain>"`);
    return out;
  };

  const call = (lo: number, hi: number, scope: Binder[]) => {
    const name = (toks[lo] as Tok).t;
    if (!IDENT.test(name) || RESERVED.has(name))
      fail(lo, `cannot read "${text(lo, hi)}"; ${expected}`);
    let args: string[] = [];
    if (hi > lo + 1) {
      if (toks[lo + 1]?.t !== "(" || match[lo + 1] !== hi - 1)
        fail(lo, `cannot read "${text(lo, hi)}"; ${expected}`);
      const cuts = [lo + 1, ...atDepth0(lo + 2, hi - 1, (k) => toks[k]?.t === ","), hi - 1];
      args = [];
      for (let c = 0; c + 1 < cuts.length; c++) {
        const a = (cuts[c] as number) + 1;
        const b = cuts[c + 1] as number;
        if (a >= b) fail(lo, `empty argument in "${text(lo, hi)}"`);
        args.push(text(a, b));
      }
    }
    out.push({
      action: name,
      operator: name,
      via: [],
      binders: scope,
      call: args.length > 0 ? `${name}(${args.join(", ")})` : name,
      args,
      file: d.file,
      line: (toks[lo] as Tok).line,
    });
  };

  const expr = (lo: number, hi: number, scope: Binder[]): void => {
    if (lo >= hi) fail(lo - 1, `empty disjunct; ${expected}`);
    const head = toks[lo] as Tok;
    // A bullet list: items start at the `\/` aligned with the first one.
    if (head.t === "\\/") {
      const items = [lo];
      for (const k of atDepth0(lo + 1, hi, (k) => (toks[k] as Tok).first)) {
        const tok = toks[k] as Tok;
        if (tok.col < head.col || (tok.col === head.col && tok.t !== "\\/"))
          fail(k, `this line is not inside the \\/ list above it; ${expected}`);
        if (tok.col === head.col) items.push(k);
      }
      items.push(hi);
      for (let i = 0; i + 1 < items.length; i++)
        expr((items[i] as number) + 1, items[i + 1] as number, scope);
      return;
    }
    if (head.t === "\\E" || head.t === "\\exists") {
      const [colon] = atDepth0(lo + 1, hi, (k) => toks[k]?.t === ":");
      if (colon === undefined) fail(lo, `\\E without ":"; ${expected}`);
      expr((colon as number) + 1, hi, [...scope, ...binders(lo + 1, colon as number)]);
      return;
    }
    // Infix A \/ B (a quantifier reaches to the end, so split only before the first one).
    const quant = atDepth0(lo, hi, (k) => toks[k]?.t === "\\E" || toks[k]?.t === "\\exists")[0];
    const ors = atDepth0(lo, quant ?? hi, (k) => toks[k]?.t === "\\/");
    if (ors.length > 0) {
      const cuts = [lo - 1, ...ors, hi];
      for (let c = 0; c + 1 < cuts.length; c++)
        expr((cuts[c] as number) + 1, cuts[c + 1] as number, scope);
      return;
    }
    if (head.t === "(" && match[lo] === hi - 1) {
      expr(lo + 1, hi - 1, scope);
      return;
    }
    call(lo, hi, scope);
  };

  if (toks.length === 0) throw new UserError(`${d.file}:${d.line}: ${d.name} is empty`);
  expr(0, toks.length, []);
  return out;
}

/**
 * The disjuncts of the definition `name` (e.g. "Next") of `module` in `dir` (or of a local
 * module it extends): one entry per action call, in the order written.
 */
export function readActions(dir: string, module: string, name = "Next"): ActionCall[] {
  const defs = moduleDefinitions(dir, module);
  return parseDisjunction(definition(defs, dir, module, name));
}

/** Each operator's parameter names, as `module` (or a local module it extends) defines it. */
export function operatorParams(dir: string, module: string): Map<string, string[]> {
  return new Map([...moduleDefinitions(dir, module)].map(([name, d]) => [name, d.params]));
}

/**
 * The disjuncts of a finite model's `name` (e.g. "MCNext"), each mapped to the action of
 * `actions` (Next's) it performs. A disjunct that calls a wrapper (`FaultRestart(i)`) is
 * followed into the wrapper's definition, and on through wrappers of wrappers, until one action
 * of `actions` is found; a wrapper that calls none, or several, is an error naming file:line.
 */
export function unwrapActions(
  dir: string,
  module: string,
  name: string,
  actions: readonly string[],
): ActionCall[] {
  const defs = moduleDefinitions(dir, module);
  const d = definition(defs, dir, module, name);
  const known = new Set(actions);
  return parseDisjunction(d).map((c) => {
    if (known.has(c.operator)) return c;
    const via = resolve(c.operator, defs, known, d, c);
    return { ...c, action: via[via.length - 1] as string, via: via.slice(0, -1) };
  });
}

/**
 * The chain of operators from `op` to the one action of `known` its definition calls, searched
 * breadth first through the definitions it uses.
 */
function resolve(
  op: string,
  defs: Map<string, Definition>,
  known: ReadonlySet<string>,
  from: Definition,
  c: ActionCall,
): string[] {
  const where = `${c.file}:${c.line}: ${from.name} calls ${c.call}`;
  if (!defs.has(op))
    throw new UserError(
      `${where}, which is neither an action of Next nor defined in ${from.file} or the modules it extends`,
    );
  const used = (def: Definition) => {
    const toks = tokenize(def.masked, def.bodyStart, def.bodyEnd);
    const names = new Set<string>();
    toks.forEach((t, k) => {
      const before = toks[k - 1]?.t;
      const after = toks[k + 1]?.t;
      if (IDENT.test(t.t) && before !== "." && after !== "|->" && !def.params.includes(t.t))
        names.add(t.t);
    });
    return names;
  };
  let level: string[][] = [[op]];
  const seen = new Set([op]);
  while (level.length > 0) {
    const found: string[][] = [];
    const next: string[][] = [];
    for (const chain of level) {
      const def = defs.get(chain[chain.length - 1] as string) as Definition;
      for (const n of used(def)) {
        if (known.has(n)) found.push([...chain, n]);
        else if (defs.has(n) && !seen.has(n)) {
          seen.add(n);
          next.push([...chain, n]);
        }
      }
    }
    const distinct = [...new Set(found.map((f) => f[f.length - 1]))];
    if (distinct.length === 1) return found[0] as string[];
    if (distinct.length > 1)
      throw new UserError(
        `${where}, whose definition calls several actions of Next (${distinct.join(", ")}); a wrapper should call exactly one`,
      );
    level = next;
  }
  const def = defs.get(op) as Definition;
  throw new UserError(
    `${where}, whose definition (${def.file}:${def.line}) calls no action of Next`,
  );
}

// ---------------------------------------------------------------------------------------------
// Conjunctions and what a definition reads

/** One conjunct of a definition: `x = e` / `x' = e`, a call `Op(args)` / `Op`, or anything else. */
export type Conjunct =
  | { kind: "equation"; variable: string; primed: boolean; line: number; text: string }
  | { kind: "call"; operator: string; args: string[]; line: number; text: string }
  | { kind: "other"; line: number; text: string };

export interface Conjunction {
  name: string;
  params: string[];
  /** Where the definition is (the file as shown in messages, 1-based line). */
  file: string;
  line: number;
  conjuncts: Conjunct[];
}

/**
 * The conjuncts of the definition `name` of `module` (or of a local module it extends): a
 * bullet list of `/\` aligned in one column, or infix `/\` outside brackets; a body that is no
 * conjunction is one conjunct.
 */
export function readConjunction(dir: string, module: string, name: string): Conjunction {
  const defs = moduleDefinitions(dir, module);
  const d = definition(defs, dir, module, name);
  const toks = tokenize(d.masked, d.bodyStart, d.bodyEnd);
  const match = matchBrackets(toks, (k, what) => {
    throw new UserError(`${d.file}:${toks[k]?.line ?? d.line}: ${d.name}: ${what}`);
  });
  const depth0 = (lo: number, hi: number, p: (k: number) => boolean) =>
    depth0Indices(match, lo, hi, p);
  const text = (lo: number, hi: number) =>
    d.masked
      .slice((toks[lo] as Tok).at, (toks[hi - 1] as Tok).end)
      .replace(/\s+/g, " ")
      .trim();
  let cuts: number[];
  const head = toks[0];
  if (head?.t === "/\\") {
    cuts = depth0(0, toks.length, (k) => {
      const t = toks[k] as Tok;
      return t.t === "/\\" && t.first && t.col === head.col;
    });
  } else {
    // Infix: split at depth 0 unless a quantifier, LET or IF reaches over the rest.
    const scoped = depth0(0, toks.length, (k) =>
      ["\\E", "\\A", "\\exists", "\\forall", "LET", "IF", "CASE"].includes(toks[k]?.t ?? ""),
    )[0];
    cuts = [-1, ...depth0(0, scoped ?? toks.length, (k) => toks[k]?.t === "/\\")];
  }
  const bounds = [...cuts, toks.length];
  const conjuncts: Conjunct[] = [];
  for (let c = 0; c + 1 < bounds.length; c++) {
    let lo = (bounds[c] as number) + 1;
    let hi = bounds[c + 1] as number;
    while (lo < hi && toks[lo]?.t === "(" && match[lo] === hi - 1) {
      lo++;
      hi--;
    }
    if (lo >= hi) continue;
    const first = toks[lo] as Tok;
    const line = first.line;
    const all = text(lo, hi);
    if (IDENT.test(first.t) && !RESERVED.has(first.t)) {
      const primed = toks[lo + 1]?.t === "'";
      const eq = lo + (primed ? 2 : 1);
      if (toks[eq]?.t === "=" && eq + 1 < hi) {
        conjuncts.push({ kind: "equation", variable: first.t, primed, line, text: all });
        continue;
      }
      if (hi === lo + 1) {
        conjuncts.push({ kind: "call", operator: first.t, args: [], line, text: all });
        continue;
      }
      if (toks[lo + 1]?.t === "(" && match[lo + 1] === hi - 1) {
        const commas = [lo + 1, ...depth0(lo + 2, hi - 1, (k) => toks[k]?.t === ","), hi - 1];
        const args: string[] = [];
        for (let a = 0; a + 1 < commas.length; a++)
          args.push(text((commas[a] as number) + 1, commas[a + 1] as number));
        conjuncts.push({ kind: "call", operator: first.t, args, line, text: all });
        continue;
      }
    }
    conjuncts.push({ kind: "other", line, text: all });
  }
  return { name: d.name, params: d.params, file: d.file, line: d.line, conjuncts };
}

/**
 * The names the definition `name` reads, and the definitions they name in turn, of `module` and
 * the local modules it extends (parameters, record fields and bound names aside as far as
 * tokens tell): what e.g. a CONSTRAINT depends on. Names it cannot follow (variables,
 * constants, operators of standard modules) are in the result as they are.
 */
export function namesRead(dir: string, module: string, name: string): Set<string> {
  const defs = moduleDefinitions(dir, module);
  const out = new Set<string>();
  const visit = (n: string) => {
    const def = defs.get(n);
    if (def === undefined) return;
    const toks = tokenize(def.masked, def.bodyStart, def.bodyEnd);
    toks.forEach((t, k) => {
      if (!IDENT.test(t.t) || def.params.includes(t.t)) return;
      if (toks[k - 1]?.t === "." || toks[k + 1]?.t === "|->") return;
      if (out.has(t.t)) return;
      out.add(t.t);
      visit(t.t);
    });
  };
  definition(defs, dir, module, name);
  visit(name);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparing the lists

export interface ActionListDifference {
  /** missing: an action a list lacks; extra: one only it has; params: parameter names differ;
   * duplicate: an action twice in one list. */
  kind: "missing" | "extra" | "params" | "duplicate";
  action: string;
  /** The list the difference is about (`Next (spec/<p>/<P>.tla)`, `the trace descriptor`…). */
  list: string;
  /** One sentence naming the action and where each side lists it. */
  message: string;
}

export interface ActionListLabels {
  /** Where the descriptor is (default "the trace descriptor"). */
  descriptor?: string;
  /** Where the implementation's action names are (default "the TS Action union"). */
  ts?: string;
}

/**
 * The differences between the action lists of one protocol: the trace descriptor (action →
 * parameters), Next, MCNext (unwrapped: see `unwrapActions`) and, optionally, the
 * implementation's action names. Each must list the same actions; the descriptor's parameters
 * must be Next's binders by name and in order, and MCNext must bind each action as Next does.
 * An empty result means the lists agree.
 */
export function checkActionLists(
  descriptorActions: Readonly<Record<string, readonly { name: string }[]>>,
  nextActions: readonly ActionCall[],
  mcNextActions?: readonly ActionCall[],
  tsActionNames?: readonly string[],
  labels: ActionListLabels = {},
): ActionListDifference[] {
  const out: ActionListDifference[] = [];
  const descriptor = labels.descriptor ?? "the trace descriptor";
  const ts = labels.ts ?? "the TS Action union";
  const at = (c: ActionCall) => `${c.file}:${c.line}`;
  const nextFile = nextActions[0]?.file ?? "the spec";
  const nextLabel = `Next (${nextFile})`;
  const byName = (list: readonly ActionCall[]) => {
    const m = new Map<string, ActionCall>();
    for (const c of list) if (!m.has(c.action)) m.set(c.action, c);
    return m;
  };
  const duplicates = (list: readonly ActionCall[], name: string, label: string) => {
    const seen = new Map<string, ActionCall>();
    for (const c of list) {
      const first = seen.get(c.action);
      if (first)
        out.push({
          kind: "duplicate",
          action: c.action,
          list: label,
          message: `${c.action} appears twice in ${name} (${at(first)} and ${at(c)})`,
        });
      else seen.set(c.action, c);
    }
  };
  const next = byName(nextActions);
  const binderNames = (c: ActionCall) => c.binders.map((b) => b.name);
  const list = (xs: readonly string[]) => (xs.length === 0 ? "none" : xs.join(", "));

  duplicates(nextActions, "Next", nextLabel);
  // The descriptor against Next.
  for (const [action, params] of Object.entries(descriptorActions)) {
    const c = next.get(action);
    if (!c) {
      out.push({
        kind: "missing",
        action,
        list: nextLabel,
        message: `${action} is in ${descriptor} but not in ${nextLabel}`,
      });
      continue;
    }
    const names = params.map((p) => p.name);
    const bound = binderNames(c);
    if (names.join(",") !== bound.join(","))
      out.push({
        kind: "params",
        action,
        list: descriptor,
        message: `${action}: ${descriptor} names its parameters ${list(names)}; Next (${at(c)}) binds ${list(bound)}`,
      });
  }
  for (const [action, c] of next)
    if (!(action in descriptorActions))
      out.push({
        kind: "missing",
        action,
        list: descriptor,
        message: `${action} is in Next (${at(c)}) but not in ${descriptor}`,
      });

  // MCNext against Next.
  if (mcNextActions) {
    const mcLabel = `MCNext (${mcNextActions[0]?.file ?? "the model"})`;
    duplicates(mcNextActions, "MCNext", mcLabel);
    const mc = byName(mcNextActions);
    for (const [action, c] of next) {
      const m = mc.get(action);
      if (!m) {
        out.push({
          kind: "missing",
          action,
          list: mcLabel,
          message: `${action} is in Next (${at(c)}) but not in ${mcLabel}`,
        });
        continue;
      }
      if (binderNames(m).join(",") !== binderNames(c).join(","))
        out.push({
          kind: "params",
          action,
          list: mcLabel,
          message: `${action}: MCNext (${at(m)}) binds ${list(binderNames(m))}; Next (${at(c)}) binds ${list(binderNames(c))}`,
        });
    }
    for (const [action, m] of mc)
      if (!next.has(action))
        out.push({
          kind: "extra",
          action,
          list: mcLabel,
          message: `${action} is in MCNext (${at(m)}) but not in ${nextLabel}`,
        });
  }

  // The implementation's action names against Next.
  if (tsActionNames) {
    const names = new Set(tsActionNames);
    for (const [action, c] of next)
      if (!names.has(action))
        out.push({
          kind: "missing",
          action,
          list: ts,
          message: `${action} is in Next (${at(c)}) but not in ${ts}`,
        });
    for (const action of names)
      if (!next.has(action))
        out.push({
          kind: "extra",
          action,
          list: ts,
          message: `${action} is in ${ts} but not in ${nextLabel}`,
        });
  }
  return out;
}
