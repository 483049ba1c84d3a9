/**
 * The generated side of trace validation: the data module the harness (spec/<proto>/Trace<P>.tla)
 * extends, its cfg, and the one-step module that explains a divergence.
 *
 * Size matters more than elegance here: SANY reads about half a megabyte of TLA+ per second, so
 * a 5,000-event trace printed state by state would take minutes to parse. Each event therefore
 * stores only what changed, as a patch of the previous logged value (Patch in the harness), and
 * each event is its own definition (SANY is slow on one huge expression). tla-checker
 * re-evaluates definitions on every use, so events are reached through a balanced IF tree on the
 * cursor rather than a sequence literal, which it would rebuild at every step.
 */
import { apply, EMPTY_FUNCTION, equals, isFieldName, printTla, type Value } from "./itf.js";
import type { Protocol } from "./protocol.js";

/** What the data module needs of a trace. */
export interface TraceData {
  events: readonly {
    action: string;
    params: Readonly<Record<string, Value>>;
    state: Readonly<Record<string, Value>>;
  }[];
}

export const dataModuleName = (p: Protocol) => `${p.harness}Data`;
export const diagModuleName = (p: Protocol) => `${p.harness}Diag`;

// ---------------------------------------------------------------------------------------------
// Printing with shared records

/**
 * Prints values as TLA+ text, giving each large record (messages, log entries) a definition of
 * its own the first time it is printed and its name afterwards: a message is printed once,
 * though it appears in the step that sends it, the bag, and the step that receives it.
 * `take()` returns the definitions made since the last call, to be written before their use.
 */
export class SharedPrinter {
  private readonly names = new Map<string, string>();
  private pending: string[] = [];

  constructor(
    private readonly prefix = "TDv",
    private readonly minLength = 40,
  ) {}

  print(v: Value): string {
    switch (v.kind) {
      case "set":
        return `{${v.elems.map((x) => this.print(x)).join(", ")}}`;
      case "seq":
        return `<<${v.elems.map((x) => this.print(x)).join(", ")}>>`;
      case "fun":
        if (v.pairs.length === 0) return EMPTY_FUNCTION;
        return `(${v.pairs.map(([k, x]) => `${this.print(k)} :> ${this.print(x)}`).join(" @@ ")})`;
      case "rec": {
        if (v.fields.length === 0 || !v.fields.every(([k]) => isFieldName(k))) return printTla(v);
        const text = `[${v.fields.map(([k, x]) => `${k} |-> ${this.print(x)}`).join(", ")}]`;
        if (text.length < this.minLength) return text;
        let name = this.names.get(text);
        if (!name) {
          name = `${this.prefix}${this.names.size + 1}`;
          this.names.set(text, name);
          this.pending.push(`${name} == ${text}`);
        }
        return name;
      }
      default:
        return printTla(v);
    }
  }

  take(): string[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Patches

/**
 * TLA+ text of a patch turning `prev` into `next` (see Patch in the harness), or null when they
 * are equal. Falls back to the whole new value when that is shorter.
 */
export function patch(
  prev: Value,
  next: Value,
  pr: SharedPrinter = new SharedPrinter(),
): string | null {
  if (equals(prev, next)) return null;
  const whole = `[k |-> "v", v |-> ${pr.print(next)}]`;
  let delta: string | null = null;
  if (prev.kind === "fun" && next.kind === "fun") delta = funPatch(prev, next, pr);
  else if (prev.kind === "seq" && next.kind === "seq") {
    let keep = 0;
    const n = Math.min(prev.elems.length, next.elems.length);
    while (keep < n && equals(prev.elems[keep] as Value, next.elems[keep] as Value)) keep++;
    if (keep > 0)
      delta = `[k |-> "s", keep |-> ${keep}, tail |-> ${pr.print({ kind: "seq", elems: next.elems.slice(keep) })}]`;
  }
  return delta !== null && delta.length < whole.length ? delta : whole;
}

function funPatch(
  prev: Extract<Value, { kind: "fun" }>,
  next: Extract<Value, { kind: "fun" }>,
  pr: SharedPrinter,
): string {
  const del: string[] = [];
  const upd: string[] = [];
  for (const [k] of prev.pairs) if (apply(next, k) === undefined) del.push(pr.print(k));
  for (const [k, v] of next.pairs) {
    const old = apply(prev, k);
    if (old === undefined) upd.push(`${pr.print(k)} :> [k |-> "v", v |-> ${pr.print(v)}]`);
    else {
      const p = patch(old, v, pr);
      if (p !== null) upd.push(`${pr.print(k)} :> ${p}`);
    }
  }
  const updText = upd.length === 0 ? EMPTY_FUNCTION : `(${upd.join(" @@ ")})`;
  return `[k |-> "f", del |-> {${del.join(", ")}}, upd |-> ${updText}]`;
}

/** A record of TLA+ texts, or the empty function when there are none. */
const record = (fields: readonly (readonly [string, string])[]) =>
  fields.length === 0 ? EMPTY_FUNCTION : `[${fields.map(([k, v]) => `${k} |-> ${v}`).join(", ")}]`;

/** The full state as a TLA+ record of the protocol's variables. */
export function stateRecord(
  p: Protocol,
  state: Readonly<Record<string, Value>>,
  print: (v: Value) => string = printTla,
): string {
  return record(
    p.variables.map(({ name }) => {
      const v = state[name];
      if (!v) throw new Error(`state has no value for ${name}`);
      return [name, print(v)] as const;
    }),
  );
}

const paramsRecord = (
  params: Readonly<Record<string, Value>>,
  print: (v: Value) => string = printTla,
) => record(Object.entries(params).map(([k, v]) => [k, print(v)] as const));

// ---------------------------------------------------------------------------------------------
// The data module

/** `IF k <= mid THEN … ELSE …` over the names of leaves lo..hi. */
function tree(arg: string, lo: number, hi: number, leaf: (k: number) => string): string {
  if (lo === hi) return leaf(lo);
  const mid = (lo + hi) >> 1;
  return `(IF ${arg} <= ${mid} THEN ${tree(arg, lo, mid, leaf)} ELSE ${tree(arg, mid + 1, hi, leaf)})`;
}

/** Events per block of the event index (SANY is slow on one huge expression). */
const BLOCK = 64;

/**
 * TDev<t>(k), event k of trace t (k = 2..n): a balanced IF tree over blocks of BLOCK events,
 * each block a definition with its own small tree.
 */
function eventIndex(t: number, n: number): string[] {
  if (n < 2) return [`TDev${t}(k) == FALSE`];
  const blocks: [number, number][] = [];
  for (let lo = 2; lo <= n; lo += BLOCK) blocks.push([lo, Math.min(n, lo + BLOCK - 1)]);
  const out = blocks.map(
    ([lo, hi], b) => `TDev${t}b${b}(k) == ${tree("k", lo, hi, (k) => `TDe${t}_${k}`)}`,
  );
  const first = (b: number) => (blocks[b] as [number, number])[0];
  // A tree over the blocks: compare k with the first event of the right half.
  const over = (lo: number, hi: number): string => {
    if (lo === hi) return `TDev${t}b${lo}(k)`;
    const mid = (lo + hi) >> 1;
    return `(IF k < ${first(mid + 1)} THEN ${over(lo, mid)} ELSE ${over(mid + 1, hi)})`;
  };
  out.push(`TDev${t}(k) == ${over(0, blocks.length - 1)}`);
  return out;
}

/**
 * TraceData module text for traces sharing one launch: TraceCount, TraceLen(t),
 * TraceInitState(t) and TraceEvent(t, k) (k = 2..TraceLen(t) is event k-1).
 */
export function dataModule(p: Protocol, traces: readonly TraceData[]): string {
  const name = dataModuleName(p);
  const out: string[] = [
    `---- MODULE ${name} ----`,
    `\\* Generated by lockstep (src/trace/harness.ts) for ${p.harness}.tla; not part of the repository.`,
    "EXTENDS Naturals, Sequences, TLC",
    "",
  ];
  const pr = new SharedPrinter();
  const print = (v: Value) => pr.print(v);
  traces.forEach((tr, ti) => {
    const t = ti + 1;
    const [first, ...rest] = tr.events;
    if (!first) throw new Error("a trace has at least its Init event");
    const init = stateRecord(p, first.state, print);
    out.push(...pr.take(), `TDe${t}_1 == ${init}`);
    let prev = first.state;
    rest.forEach((e, k) => {
      const changes: [string, string][] = [];
      // A variable the event did not change is the previous event's value object (decoding
      // shares it, in format version 1 and 2 alike), so patch returns at its identity check.
      for (const { name: v } of p.variables) {
        const d = patch(prev[v] as Value, e.state[v] as Value, pr);
        if (d !== null) changes.push([v, d]);
      }
      const text = `[a |-> ${JSON.stringify(e.action)}, p |-> ${paramsRecord(e.params, print)}, d |-> ${record(changes)}]`;
      out.push(...pr.take(), `TDe${t}_${k + 2} == ${text}`);
      prev = e.state;
    });
    out.push(...eventIndex(t, tr.events.length));
    out.push("");
  });
  const count = traces.length;
  out.push(
    `TraceCount == ${count}`,
    `TraceLen(t) == <<${traces.map((tr) => tr.events.length).join(", ")}>>[t]`,
    `TraceInitState(t) == ${tree("t", 1, count, (t) => `TDe${t}_1`)}`,
    `TraceEvent(t, k) == ${tree("t", 1, count, (t) => `TDev${t}(k)`)}`,
    "====",
    "",
  );
  return out.join("\n");
}

/** A data module with no events, for modules that extend the harness only for its operators. */
export function emptyDataModule(p: Protocol): string {
  return [
    `---- MODULE ${dataModuleName(p)} ----`,
    "EXTENDS Naturals, Sequences, TLC",
    "TraceCount == 0",
    "TraceLen(t) == 0",
    `TraceInitState(t) == ${EMPTY_FUNCTION}`,
    "TraceEvent(t, k) == FALSE",
    "====",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The cfg

export interface CfgOptions {
  init: string;
  next: string;
  invariants?: string[];
}

export function harnessCfg(constants: Readonly<Record<string, Value>>, o: CfgOptions): string {
  const lines = ["CONSTANTS"];
  for (const [k, v] of Object.entries(constants)) lines.push(`    ${k} = ${printTla(v)}`);
  lines.push(`INIT ${o.init}`, `NEXT ${o.next}`);
  if (o.invariants && o.invariants.length > 0) lines.push(`INVARIANT ${o.invariants.join(" ")}`);
  lines.push("CHECK_DEADLOCK FALSE", "");
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// The one-step module for a divergence report

export const DIAG_MARK = "lockstep-diag";

/**
 * A module that extends the harness and explores the one step that failed: from the logged
 * pre-state (or, for event 0, from the spec's Init), the named action with its parameters and
 * nothing else. DiagDiffers names the variables of a state that differ from the logged
 * post-state; DiagReport prints them (TLC, as an invariant that always holds).
 */
export function diagModule(
  p: Protocol,
  step: {
    pre: Readonly<Record<string, Value>> | null;
    action: string;
    params: Readonly<Record<string, Value>>;
    post: Readonly<Record<string, Value>>;
  },
): string {
  const vars = p.variables.map((v) => v.name);
  const target = step.pre === null ? 1 : 2;
  const init =
    step.pre === null
      ? "traceId = 1 /\\ cursor = 1 /\\ ev = DiagEvent /\\ Init"
      : `traceId = 1 /\\ cursor = 1 /\\ ev = DiagEvent /\\ ${vars.map((v) => `${v} = DiagPre.${v}`).join(" /\\ ")}`;
  const next =
    step.pre === null
      ? "UNCHANGED <<vars, traceVars>>"
      : "cursor = 1 /\\ TraceAction(ev) /\\ cursor' = 2 /\\ UNCHANGED <<traceId, ev>>";
  return [
    `---- MODULE ${diagModuleName(p)} ----`,
    `\\* Generated by lockstep (src/trace/harness.ts): one step of a trace that diverged.`,
    `EXTENDS ${p.harness}`,
    ...(step.pre === null ? [] : [`DiagPre == ${stateRecord(p, step.pre)}`]),
    `DiagPost == ${stateRecord(p, step.post)}`,
    `DiagEvent == [a |-> ${JSON.stringify(step.action)}, p |-> ${paramsRecord(step.params)}, d |-> ${EMPTY_FUNCTION}]`,
    `DiagInit == ${init}`,
    `DiagNext == ${next}`,
    `DiagTarget == cursor = ${target}`,
    `DiagDiffers == ${vars.map((v) => `(IF ${v} = DiagPost.${v} THEN {} ELSE {"${v}"})`).join(" \\cup ")}`,
    `DiagValues == <<${vars.join(", ")}>>`,
    `DiagReport == DiagTarget => PrintT(<<"${DIAG_MARK}", DiagDiffers, DiagValues>>)`,
    "====",
    "",
  ].join("\n");
}
