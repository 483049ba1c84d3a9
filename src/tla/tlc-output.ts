/**
 * Parser for TLC's `-tool` output: messages framed by
 *   @!@!@STARTMSG <code>:<severity> @!@!@ … @!@!@ENDMSG <code> @!@!@
 * (they nest, e.g. 2111 "Evaluating invariant failed" holds a 2179 reason). Text outside any
 * frame (SANY's parse errors, JVM errors) is kept as loose lines.
 *
 * Message codes used (tlc2.output.EC), checked against real TLC runs:
 *   2107 invariant violated by the initial state    2110 invariant violated
 *   2112 action property violated                   2114 deadlock reached
 *   2116 temporal property violated                 2132 Assert failed
 *   2111 evaluating invariant failed                2103 nested expression positions
 *   2217 state in a counterexample                  2218 stuttering step, 2122 back to state
 *   2190 initial states computed                    2193 success
 *   2194 search depth                               2199 final statistics, 2200 progress
 *   2229 cfg names an undefined operator            2222 constant without value
 *   3002/2171 parsing failed (details are loose SANY text)   1000/1001 general / out of memory
 * Severity 1 marks errors, 4 marks counterexample states.
 */
import type { Step } from "./types.js";

export interface TlcMessage {
  code: number;
  severity: number;
  text: string;
  children: TlcMessage[];
}

const START = /^@!@!@STARTMSG (\d+):(\d+) @!@!@$/;
const END = /^@!@!@ENDMSG (\d+) @!@!@$/;

/** Incremental parser: feed stdout chunks as they arrive, get completed top-level messages. */
export class ToolOutputParser {
  readonly messages: TlcMessage[] = [];
  readonly loose: string[] = [];
  private stack: TlcMessage[] = [];
  private partial = "";

  push(chunk: string): TlcMessage[] {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    return lines.flatMap((l) => this.line(l));
  }

  end(): TlcMessage[] {
    const out = this.partial ? this.line(this.partial) : [];
    this.partial = "";
    // An unterminated message (TLC killed mid-message) still carries information.
    while (this.stack.length > 0) out.push(...this.close());
    return out;
  }

  private line(raw: string): TlcMessage[] {
    const line = raw.replace(/\r$/, "");
    const start = START.exec(line.trim());
    if (start) {
      this.stack.push({
        code: Number(start[1]),
        severity: Number(start[2]),
        text: "",
        children: [],
      });
      return [];
    }
    if (END.test(line.trim())) return this.stack.length > 0 ? this.close() : [];
    const top = this.stack.at(-1);
    if (top) top.text += `${line}\n`;
    else this.loose.push(line);
    return [];
  }

  private close(): TlcMessage[] {
    const done = this.stack.pop();
    if (!done) return [];
    const parent = this.stack.at(-1);
    if (parent) {
      parent.children.push(done);
      return [];
    }
    this.messages.push(done);
    return [done];
  }
}

export function parseToolOutput(text: string): { messages: TlcMessage[]; loose: string[] } {
  const p = new ToolOutputParser();
  p.push(text);
  p.end();
  return { messages: p.messages, loose: p.loose };
}

/** TLC formats counts with the JVM locale's grouping (1,234 or 1.234); they are integers. */
const int = (s: string | undefined): number | null =>
  s === undefined ? null : Number(s.replace(/[^\d]/g, ""));

export interface ProgressStats {
  depth: number | null;
  generated: number | null;
  distinct: number | null;
  queue: number | null;
  /** Generated states per minute as TLC computed it, when shown. */
  perMinute: number | null;
}

/** 2200: "Progress(7) at …: 29 states generated (3,508 s/min), 16 distinct states found (…), 0 states left on queue." */
export function parseProgress(text: string): ProgressStats | null {
  const m =
    /Progress\((\d+)\).*?: ([\d,.\s]+?) states generated(?: \(([\d,.\s]+?) s\/min\))?, ([\d,.\s]+?) distinct states found(?: \([^)]*\))?, ([\d,.\s]+?) states left on queue/.exec(
      text,
    );
  if (!m) return null;
  return {
    depth: int(m[1]),
    generated: int(m[2]),
    perMinute: int(m[3]),
    distinct: int(m[4]),
    queue: int(m[5]),
  };
}

/** 2199: "29 states generated, 16 distinct states found, 0 states left on queue." */
export function parseFinalStats(
  text: string,
): { generated: number | null; distinct: number | null } | null {
  const m = /([\d,.\s]+?) states generated, ([\d,.\s]+?) distinct states found/.exec(text.trim());
  return m ? { generated: int(m[1]), distinct: int(m[2]) } : null;
}

/**
 * Variables of one printed state. TLC prints "/\ x = 1" per variable (or "x = 1" when there is
 * only one) and wraps long values onto indented continuation lines.
 */
export function parseStateVars(lines: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  const bulleted = lines.some((l) => l.startsWith("/\\ "));
  let last: string | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const m = (bulleted ? /^\/\\ ([A-Za-z_]\w*) = (.*)$/ : /^([A-Za-z_]\w*) = (.*)$/).exec(line);
    if (m?.[1] !== undefined) {
      last = m[1];
      vars[last] = (m[2] ?? "").trim();
    } else if (last !== undefined) vars[last] += ` ${line.trim()}`;
  }
  return vars;
}

const STATE_HEADER =
  /^(\d+): (?:<(.*?)(?: line (\d+), col (\d+) to line (\d+), col (\d+) of module (\w+))?>|(.*))$/;

/** Module name → its source text, to name actions TLC labels only by location. */
export type SourceOf = (module: string) => string | undefined;

/**
 * TLC names a step after the operator of its Next disjunct, except when the disjunct
 * quantifies over a state-dependent set (`\E m \in DOMAIN messages : Handle(m)`): then
 * the label is the enclosing operator (`Next`) plus a source span. Read that span and
 * name the step after the action it applies.
 */
export function resolveActionLabel(
  label: string,
  span: { module: string; l1: number; c1: number; l2: number; c2: number } | undefined,
  sourceOf: SourceOf | undefined,
): string {
  if (!span || !sourceOf) return label;
  const lines = sourceOf(span.module)?.split("\n");
  if (!lines) return label;
  const text = lines
    .slice(span.l1 - 1, span.l2)
    .map((l, k, all) => (k === all.length - 1 ? l.slice(0, span.c2) : l))
    .map((l, k) => (k === 0 ? l.slice(span.c1 - 1) : l))
    .join(" ");
  const applied = /^\\E\s[^:]*:\s*(\w+)\s*\(/.exec(text.trim());
  return applied?.[1] ?? label;
}

/** Counterexample from 2217/2218/2122 messages (exact TLA+ value strings, action names). */
export function counterexampleFromMessages(messages: TlcMessage[], sourceOf?: SourceOf): Step[] {
  const steps: Step[] = [];
  for (const m of messages) {
    if (m.code === 2217) {
      const [header = "", ...rest] = m.text.split("\n");
      const h = STATE_HEADER.exec(header.trim());
      const span = h?.[7]
        ? { module: h[7], l1: Number(h[3]), c1: Number(h[4]), l2: Number(h[5]), c2: Number(h[6]) }
        : undefined;
      const action = h?.[2] === undefined ? undefined : resolveActionLabel(h[2], span, sourceOf);
      const step: Step = { vars: parseStateVars(rest) };
      if (action && action !== "Initial predicate") step.action = action;
      steps.push(step);
    } else if (m.code === 2218) {
      // "8: Stuttering": the behaviour stutters forever in the last state.
      steps.push({ action: "Stuttering", vars: { ...steps.at(-1)?.vars } });
    } else if (m.code === 2122) {
      // "1: Back to state: <Next line …>": the lasso closes on state 1 via action Next.
      const b = /^(\d+): Back to state(?:: <(.*?)(?: line \d+, col .*)?>)?/.exec(m.text.trim());
      const back = Number(b?.[1] ?? 0);
      steps.push({
        action: `${b?.[2] ? `${b[2]}, ` : ""}back to state ${back}`,
        vars: { ...steps[back - 1]?.vars },
      });
    }
  }
  return steps;
}

/** The JSON written by `-dumpTrace json` (lossy: sets and sequences are both arrays). */
interface JsonTrace {
  counterexample?: {
    state?: [number, Record<string, unknown>][];
    action?: [unknown, { name?: string }, unknown][];
  };
}

/** Fallback when no states were printed: read the dump, rendering values back as TLA+. */
export function counterexampleFromJson(text: string): Step[] {
  let parsed: JsonTrace;
  try {
    parsed = JSON.parse(text) as JsonTrace;
  } catch {
    return [];
  }
  const states = parsed.counterexample?.state ?? [];
  const actions = parsed.counterexample?.action ?? [];
  return states.map(([, vars], i) => {
    const step: Step = {
      vars: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, jsonToTla(v)])),
    };
    const name = i > 0 ? actions[i - 1]?.[1]?.name : undefined;
    if (name) step.action = name;
    return step;
  });
}

export function jsonToTla(v: unknown): string {
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `<<${v.map(jsonToTla).join(", ")}>>`;
  if (v && typeof v === "object")
    return `[${Object.entries(v)
      .map(([k, x]) => `${k} |-> ${jsonToTla(x)}`)
      .join(", ")}]`;
  return String(v);
}
