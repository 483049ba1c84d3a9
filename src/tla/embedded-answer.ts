/**
 * Reading tla-checker's answer: outcome names as TLC would give them (invariants are reported
 * by index, assertions by message), one-line errors with file:line, counterexample steps.
 */
import { type Cfg, lineOfName } from "./cfg.js";
import type { EmbeddedInput } from "./embedded-prep.js";
import { charOffset, locate } from "./inline.js";
import { findDefinition, maskComments } from "./source.js";
import { type CheckResult, DEADLOCK, type Step } from "./types.js";

/** tla-checker's JSON answer (fields we use). */
export interface CheckerAnswer {
  success: boolean;
  error_type: string | null;
  error_message: string | null;
  states_explored: number;
  trace: string[] | null;
  warnings?: string[];
}

/** Map tla-checker's answer to an outcome, naming invariants and properties as TLC does. */
export function interpretAnswer(
  a: CheckerAnswer,
  input: EmbeddedInput,
  cfg: Cfg,
  cfgFile: string,
): Pick<CheckResult, "outcome" | "distinctStates"> & Partial<CheckResult> {
  const distinctStates = a.states_explored;
  const counterexample = parseCheckerTrace(a.trace ?? []);
  const trace = counterexample.length > 0 ? { counterexample } : {};
  const msg = a.error_message ?? "";
  const unsupported = (a.warnings ?? []).find((w) => /not (yet )?supported|ignoring/i.test(w));
  if (unsupported)
    return {
      outcome: "error",
      distinctStates: null,
      error: `${cfgFile}: embedded engine: ${unsupported}`,
    };
  if (a.success) return { outcome: "pass", distinctStates };
  const error = (text: string) => ({
    outcome: "error",
    distinctStates: null,
    error: text,
    ...trace,
  });
  switch (a.error_type) {
    case "InvariantViolation": {
      const i = Number(/Invariant (\d+)/.exec(msg)?.[1] ?? Number.NaN);
      const name = input.invariants[i];
      return name ? { outcome: name, distinctStates, ...trace } : error(`embedded engine: ${msg}`);
    }
    case "Deadlock":
      return { outcome: DEADLOCK, distinctStates, ...trace };
    case "LivenessViolation": {
      const [only, ...more] = input.temporal;
      return only && more.length === 0
        ? { outcome: only, distinctStates, ...trace }
        : error(`embedded engine: ${msg} (cannot tell which of ${input.temporal.join(", ")})`);
    }
    case "ParseError":
      return { ...error(parseErrorMessage(msg, input)), badInput: true };
    case "ConfigError":
      return { ...error(configErrorMessage(msg, input, cfg, cfgFile)), badInput: true };
    default: {
      // tla-checker reports 0 states explored when an assertion stops it: unknown, not zero.
      const prop = /Assertion failed: "PROPERTY ([A-Za-z_]\w*)"/.exec(msg)?.[1];
      if (prop) return { outcome: prop, distinctStates: distinctStates || null, ...trace };
      const unparsed = unparsedDefinition(msg, input);
      if (unparsed) return { ...error(unparsed), badInput: true };
      const what = `${a.error_type ?? "error"}: ${msg.replace(/\s*\n\s*/g, "; ")}`;
      return error(`${undefinedNameAt(msg, input)}embedded engine: ${what}`);
    }
  }
}

/** `ParseError { message: "...", span: Some(Span { start: 71, end: 73 }), expected: Some("...") ... }` */
function parseErrorMessage(msg: string, input: EmbeddedInput): string {
  const text = /message: "((?:[^"\\]|\\.)*)"/.exec(msg)?.[1] ?? msg;
  const expected = /expected: Some\("((?:[^"\\]|\\.)*)"\)/.exec(msg)?.[1];
  const start = /span: Some\(Span \{ start: (\d+)/.exec(msg)?.[1];
  const p =
    start === undefined
      ? undefined
      : locate(input.inlined, charOffset(input.inlined.source, Number(start)));
  const where = p ? `${p.file}:${p.line}:${p.col}: ` : "";
  return `${where}parse error: ${text}${expected ? ` (expected ${expected})` : ""}`;
}

/**
 * tla-checker silently drops a definition it cannot parse and then reports it "not found";
 * say so when the definition is in fact in the source.
 */
function configErrorMessage(msg: string, input: EmbeddedInput, cfg: Cfg, cfgFile: string): string {
  const m = /^(\w+) definition '(\w+)' not found/.exec(msg);
  if (!m?.[1] || !m[2]) return `${cfgFile}: ${msg}`;
  const [, kind, name] = m;
  const kinds = {
    INVARIANT: "INVARIANT",
    PROPERTY: "PROPERTY",
    INIT: "INIT",
    NEXT: "NEXT",
  } as const;
  const k = kinds[kind as keyof typeof kinds];
  const line = k ? lineOfName(cfg, k, name) : undefined;
  const at = line === undefined ? cfgFile : `${cfgFile}:${line}`;
  const def = findDefinition(maskComments(input.inlined.source), name);
  if (def) {
    const p = locate(input.inlined, def.start);
    return `${p.file}:${p.line}: the embedded engine could not parse the definition of ${name} (check the syntax, e.g. with --engine tlc)`;
  }
  return `${at}: ${kind} ${name} is not defined in the spec`;
}

/**
 * tla-checker drops a definition it cannot parse without saying so, and then reports the name
 * undefined where it is used. When the name is defined in the source, that is the real error:
 * point at the definition, and at an unbalanced bracket in it if there is one.
 */
function unparsedDefinition(msg: string, input: EmbeddedInput): string | undefined {
  const name = /undefined (?:variable|operator|identifier) `([A-Za-z_]\w*)`/.exec(msg)?.[1];
  if (!name) return undefined;
  const masked = maskComments(input.inlined.source, true);
  const def = findDefinition(masked, name, true);
  if (!def) return undefined;
  const at = locate(input.inlined, def.start);
  const bracket = unbalancedBracket(masked, def.bodyStart, def.bodyEnd);
  const where = bracket === undefined ? undefined : locate(input.inlined, bracket.at);
  const detail = where
    ? `${where.file}:${where.line}:${where.col}: ${bracket?.what} (in the definition of ${name}, ${at.file}:${at.line})`
    : `${at.file}:${at.line}: the embedded engine could not parse the definition of ${name}`;
  return `${detail}; fix its syntax (\`--engine tlc\` names the exact position)`;
}

/** The first bracket in masked[from, to) that is closed by the wrong one or never closed. */
function unbalancedBracket(
  masked: string,
  from: number,
  to: number,
): { at: number; what: string } | undefined {
  const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<<": ">>" };
  const stack: { tok: string; at: number }[] = [];
  for (let i = from; i < to; i++) {
    const two = masked.slice(i, i + 2);
    const tok = two === "<<" || two === ">>" ? two : (masked[i] ?? "");
    if (tok.length === 2) i++;
    if (pairs[tok]) stack.push({ tok, at: i - tok.length + 1 });
    else if (tok === ")" || tok === "]" || tok === "}" || tok === ">>") {
      const open = stack.pop();
      if (!open) return { at: i - tok.length + 1, what: `"${tok}" closes nothing` };
      if (pairs[open.tok] !== tok)
        return { at: open.at, what: `"${open.tok}" is closed by "${tok}"` };
    }
  }
  const open = stack.pop();
  return open ? { at: open.at, what: `"${open.tok}" is never closed` } : undefined;
}

/** tla-checker names an undefined identifier but not where it is: point at its first use. */
function undefinedNameAt(msg: string, input: EmbeddedInput): string {
  const name = /undefined (?:variable|operator|identifier) `([A-Za-z_]\w*)`/.exec(msg)?.[1];
  if (!name) return "";
  const m = new RegExp(`(?<![\\w!])${name}(?!\\w)`).exec(maskComments(input.inlined.source, true));
  if (!m) return "";
  const p = locate(input.inlined, m.index);
  return `${p.file}:${p.line}:${p.col}: `;
}

/** "State 0\n  x = 0\n  y = <<1>>\nState 1\n ..." → steps (liveness traces come in parts). */
export function parseCheckerTrace(parts: string[]): Step[] {
  const steps: Step[] = [];
  for (const part of parts) {
    const partStart = steps.length;
    let current: Step | undefined;
    let lastVar: string | undefined;
    for (const line of part.split("\n")) {
      if (/^State \d+/.test(line)) {
        current = { vars: {} };
        steps.push(current);
        lastVar = undefined;
        continue;
      }
      const kv = /^ {2}([A-Za-z_]\w*) = (.*)$/.exec(line);
      if (current && kv?.[1] !== undefined) {
        lastVar = kv[1];
        current.vars[lastVar] = kv[2] ?? "";
      } else if (current && lastVar && line.trim() !== "") {
        current.vars[lastVar] += ` ${line.trim()}`;
      }
    }
    // A liveness cycle restarts from the state the prefix ended in; drop that repeat.
    const [first] = steps.splice(partStart, 1);
    if (first && (partStart === 0 || !sameVars(first, steps[partStart - 1])))
      steps.splice(partStart, 0, first);
  }
  return steps;
}

const sameVars = (a: Step, b: Step | undefined) =>
  JSON.stringify(a.vars) === JSON.stringify(b?.vars);
