/**
 * Counterexamples for people: each step named after the spec action with its arguments
 * (`HandleRequestVoteRequest(s2→s1 RequestVoteRequest t=1 last=(0,0))`), then only what it
 * changed, down to the key (`nextIndex[s2][s3]: 1 → 2`), lines wrapped to the terminal's
 * width. The same data, unwrapped, is what `--json` prints.
 */
import type { Step } from "./types.js";
import {
  type Change,
  diffValues,
  type ShowOptions,
  showValue,
  type TlaValue,
  tryParseValue,
} from "./value.js";

/** One step as `--json` prints it. */
export interface ReadableStep {
  /** The spec action ("Init" for the initial state), or the engine's label when unknown. */
  action: string;
  /** Arguments by parameter name, as TLA+ text (absent when the action is not known). */
  args?: Record<string, string>;
  /** The model's wrapper that was taken, when not the action itself (e.g. FaultRestart). */
  via?: string;
  changes: Change[];
}

export const INIT = "Init";
/** The label of a step whose action neither engine named. */
export const UNKNOWN_ACTION = "(action not identified)";

type Parsed = Record<string, TlaValue | undefined>;

const parseVars = (vars: Record<string, string>): Parsed =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, tryParseValue(v)]));

/** Each step with the places it changed (the initial state: every variable). */
export function readableSteps(steps: Step[], opts: ShowOptions = {}): ReadableStep[] {
  let prev: Parsed | undefined;
  let prevText: Record<string, string> | undefined;
  return steps.map((step, i) => {
    const now = parseVars(step.vars);
    const changes: Change[] = [];
    for (const [name, text] of Object.entries(step.vars)) {
      const v = now[name];
      const before = prev?.[name];
      if (!prevText) changes.push({ path: name, to: v ? showValue(v, opts) : text });
      else if (v && before) changes.push(...diffValues(name, before, v, opts));
      else if (prevText[name] !== text)
        changes.push({
          path: name,
          ...(prevText[name] === undefined ? {} : { from: prevText[name] }),
          to: text,
        });
    }
    prev = now;
    prevText = step.vars;
    const action = i === 0 ? INIT : (step.action ?? UNKNOWN_ACTION);
    return {
      action,
      ...(step.args && i > 0
        ? { args: Object.fromEntries(step.args.map((a) => [a.name, a.value])) }
        : {}),
      ...(step.via ? { via: step.via } : {}),
      changes,
    };
  });
}

/** `Timeout(s2)`, messages in their short form; the bare name when there are no arguments. */
export function stepTitle(step: ReadableStep, opts: ShowOptions = {}): string {
  const args = Object.values(step.args ?? {}).map((text) => {
    const v = tryParseValue(text);
    return v ? showValue(v, opts) : text;
  });
  return args.length > 0 ? `${step.action}(${args.join(", ")})` : step.action;
}

/** One change as a line: `path: from → to`, `path: + added`, `path: − removed`, `path = v`. */
export function changeLine(c: Change, initial = false): string {
  if (initial) return `${c.path} = ${c.to ?? ""}`;
  if (c.from === undefined) return `${c.path}: + ${c.to ?? ""}`;
  if (c.to === undefined) return `${c.path}: − ${c.from}`;
  return `${c.path}: ${c.from} → ${c.to}`;
}

export interface FormatOptions extends ShowOptions {
  /** Wrap lines at this many columns (default: no wrapping). */
  width?: number;
}

/**
 * Numbered steps: the action with its arguments, then each change on a line of its own
 * (step 1 shows the whole initial state).
 */
export function formatCounterexample(steps: Step[], opts: FormatOptions = {}): string {
  const out: string[] = [];
  const width = opts.width;
  const put = (text: string, indent: number, hang: number) =>
    out.push(...(width ? wrapLine(text, width, indent, hang) : [" ".repeat(indent) + text]));
  readableSteps(steps, opts).forEach((s, i) => {
    const head = `${i + 1}. `;
    put(`${head}${i === 0 ? "initial state" : stepTitle(s, opts)}`, 2, 2 + head.length + 2);
    if (i > 0 && s.changes.length === 0) put("(no variable changed)", 7, 9);
    for (const c of s.changes) put(changeLine(c, i === 0), 7, 11);
  });
  return out.join("\n");
}

/**
 * `text` indented by `indent` and cut into lines of at most `width` columns, continuation
 * lines indented by `hang`; cuts fall after ", " or at a space where possible.
 */
export function wrapLine(text: string, width: number, indent: number, hang: number): string[] {
  const lines: string[] = [];
  let rest = text;
  let pad = indent;
  while (pad + rest.length > width) {
    const room = Math.max(20, width - pad);
    let cut = cutPoint(rest, room);
    if (cut < room / 3) cut = room;
    lines.push(" ".repeat(pad) + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    pad = hang;
    if (rest === "") break;
  }
  if (rest !== "" || lines.length === 0) lines.push(" ".repeat(pad) + rest);
  return lines;
}

/**
 * Where to cut `text` to fit `room` columns: the last space outside brackets, else the last
 * space after a comma, else the last space (0 when there is none).
 */
function cutPoint(text: string, room: number): number {
  let depth = 0;
  let outside = 0;
  let comma = 0;
  let any = 0;
  for (let i = 0; i <= Math.min(room, text.length - 1); i++) {
    const c = text[i] as string;
    if ("([{".includes(c) || text.startsWith("<<", i)) depth++;
    else if (")]}".includes(c) || text.startsWith(">>", i)) depth = Math.max(0, depth - 1);
    else if (c === " ") {
      any = i;
      if (depth === 0) outside = i;
      if (text[i - 1] === ",") comma = i;
    }
    if (text.startsWith("<<", i) || text.startsWith(">>", i)) i++;
  }
  return outside || comma || any;
}
