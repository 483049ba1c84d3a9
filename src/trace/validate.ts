/**
 * Trace validation: is each trace a behaviour of its protocol's spec?
 *
 * Each run copies the spec's modules and spec/TraceValidation.tla to a temporary directory,
 * writes the harness generated from the trace descriptor and the spec's Next (harness.ts) and the
 * data module it extends, and model-checks the harness. Every state the
 * harness reaches equals a logged state, one per matched event, so the distinct-state count is
 * the number of events matched: all of them, or the first unmatched event is that count.
 * TLC checks all traces that share constants in one launch (the JVM starts once); the embedded
 * engine checks one trace per run.
 *
 * When a trace diverges, the one step that failed is explored on its own (the named action from
 * the logged pre-state, nothing else) to report which variables of the logged post-state no
 * allowed successor has, logged value against allowed values.
 */
import { copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDirectory } from "../core/cli.js";
import { exploreEmbedded, runEmbedded } from "../tla/embedded.js";
import { type EngineChoice, type ResolvedEngine, resolveEngine } from "../tla/engine.js";
import { inlineModule } from "../tla/inline.js";
import type { Model } from "../tla/models.js";
import { readActions } from "../tla/next.js";
import { runTlc, type TlcSetup } from "../tla/tlc.js";
import { type CheckResult, type EngineName, UserError } from "../tla/types.js";
import { describeEvent, isPartial, readTrace, type Trace } from "./codec.js";
import {
  DIAG_MARK,
  dataModule,
  dataModuleName,
  diagModule,
  diagModuleName,
  emptyDataModule,
  harnessCfg,
  harnessModule,
  harnessModuleName,
  SHARED_MODULE,
  sharedModulePath,
} from "./harness.js";
import { apply, equals, fun, printTla, type Value } from "./itf.js";
import { TraceError } from "./ndjson.js";
import {
  BELOW,
  type PartialSettings,
  partialDataModule,
  partialHarnessModule,
} from "./partial-harness.js";
import type { Protocol } from "./protocol.js";
import { coerce } from "./schema.js";
import { parseTlaValue } from "./tla-text.js";

/** One variable of the logged post-state that no state the spec allows has. */
export interface VariableDiff {
  variable: string;
  /** TLA+ text of the logged value. */
  logged: string;
  /** TLA+ text of the variable in each state the spec allows at this step (distinct values). */
  allowed: string[];
  /** Where the logged value departs from the (first) allowed one, e.g. `["s2"]: logged 3, spec 2`. */
  detail: string[];
}

export interface ValidationResult {
  file: string;
  /** Number of events in the trace (Init included). */
  events: number;
  engine: EngineName;
  ok: boolean;
  seconds: number;
  /** First event that matches no behaviour of the spec (events are numbered from 0, Init). */
  failedAt?: number;
  /** Line of that event in the file. */
  line?: number;
  /** For a trace merged from node traces: the node file and line of that event. */
  source?: { readonly file: string; readonly line: number };
  /** The action that event names, with its parameters, e.g. `Timeout("s1")`. */
  action?: string;
  diff?: VariableDiff[];
  /** One sentence on the divergence (e.g. the action is not enabled at all). */
  reason?: string;
  /** The engine could not check the trace; says why. */
  error?: string;
}

export interface ValidateOptions {
  engine?: EngineChoice;
  env?: Record<string, string | undefined>;
  /** Let traces with the same constants share an engine run (default true). */
  batch?: boolean;
  /** Explain divergences with a diff (default true). */
  diagnose?: boolean;
  signal?: AbortSignal;
  /** Called once per trace as results are known. */
  onResult?: (r: ValidationResult) => void;
  /** Called with the engine actually used (e.g. to show why `auto` fell back to embedded). */
  onEngine?: (e: ResolvedEngine) => void;
  /** Events per run of the embedded engine (default EMBEDDED_PIECE). */
  pieceEvents?: number;
  /**
   * Called as events are checked: by TLC every few seconds, by the embedded engine after each
   * piece of EMBEDDED_PIECE events, and once per finished trace.
   */
  onProgress?: (p: CheckProgress) => void;
  /**
   * Keep each generated workspace (spec copies, data module, TraceRun.cfg) in a directory under
   * this one, to rerun by hand (`java -cp tla2tools.jar tlc2.TLC -config TraceRun.cfg …`).
   */
  keep?: string;
}

/** How far a validateTraces call has got. */
export interface CheckProgress {
  /**
   * Events checked: every event of each trace with a verdict, and those matched so far in the
   * traces being checked (one state per event, as the engine counts them).
   */
  events: number;
  /** Events of all the traces. */
  totalEvents: number;
  /** Traces with a verdict. */
  traces: number;
  totalTraces: number;
  /** Since the call started. */
  seconds: number;
}

const PROGRESS_MARK = "lockstep-trace";
const RUN = "TraceRun";

// ---------------------------------------------------------------------------------------------
// Workspace

interface Workspace {
  dir: string;
  model: Model;
}

/**
 * A temporary directory with the spec's modules, the shared TraceValidation module, the harness
 * generated from the descriptor and the spec's Next, other generated modules and a cfg to check.
 */
function workspace(
  protocol: Protocol,
  module: string,
  files: Record<string, string>,
  cfg: string,
  makeHarness: () => string = () => harnessModule(protocol),
): Workspace {
  // Generated first: a spec whose Next cannot be read fails before anything is written.
  const harness = makeHarness();
  const dir = mkdtempSync(join(tmpdir(), "lockstep-trace-"));
  for (const f of readdirSync(protocol.specDir).filter((f) => f.endsWith(".tla")))
    copyFileSync(join(protocol.specDir, f), join(dir, f));
  copyFileSync(sharedModulePath, join(dir, `${SHARED_MODULE}.tla`));
  writeFileSync(join(dir, `${harnessModuleName(protocol)}.tla`), harness);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, `${RUN}.cfg`), cfg);
  return {
    dir,
    model: {
      name: RUN,
      protocol: protocol.name,
      dir,
      cfgPath: join(dir, `${RUN}.cfg`),
      module,
      tlaPath: join(dir, `${module}.tla`),
      expect: "pass",
      engines: ["tlc", "embedded"],
      tier: "ci",
    },
  };
}

async function inWorkspace<T>(
  protocol: Protocol,
  module: string,
  files: Record<string, string>,
  cfg: string,
  keep: string | undefined,
  f: (w: Workspace) => Promise<T>,
  makeHarness?: () => string,
): Promise<T> {
  const w = workspace(protocol, module, files, cfg, makeHarness);
  try {
    return await f(w);
  } finally {
    if (keep) {
      ensureDirectory(keep, "--keep");
      cpSync(w.dir, join(keep, `${readdirSync(keep).length + 1}-${module}`), { recursive: true });
    }
    rmSync(w.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Checking

/** Events matched per trace of one run, or why the run could not tell. */
type RunOutcome = { matched: number[] } | { error: string };

function engineError(r: CheckResult): string {
  return r.error ?? `unexpected outcome ${r.outcome}`;
}

/**
 * Events per run of the embedded engine. tla-checker's cost per state grows with the number of
 * definitions in the module (about 20 ns per definition per state, measured on 0.9.0), and the
 * data module has one per event and one per shared record: a 15,000-event trace in one run took
 * five times as long per event as a 1,000-event one. A longer trace is therefore checked in
 * pieces of this many events, each starting from the logged state at which the previous piece
 * stopped (already matched, so only the first piece starts with the spec's Init); each piece
 * also reports progress.
 */
export const EMBEDDED_PIECE = 1000;

/** Called with the number of events matched so far in one run (it only grows). */
type OnMatched = (events: number) => void;

/** Check traces (same protocol and constants) in one engine run. */
async function checkRun(
  traces: readonly Trace[],
  engine: ResolvedEngine,
  opts: ValidateOptions,
  onMatched: OnMatched = () => {},
): Promise<RunOutcome> {
  const first = traces[0];
  if (!first) return { matched: [] };
  if (isPartial(first.header)) return checkPartial(traces, engine, opts, onMatched);
  if (engine.engine === "embedded" && traces.length === 1)
    return checkPieces(first, engine, opts, onMatched);
  return checkOnce(traces, { events: null }, engine, opts, onMatched);
}

/** One trace on the embedded engine, EMBEDDED_PIECE events at a time. */
async function checkPieces(
  trace: Trace,
  engine: ResolvedEngine,
  opts: ValidateOptions,
  onMatched: OnMatched,
): Promise<RunOutcome> {
  const n = trace.events.length;
  const size = Math.max(2, opts.pieceEvents ?? EMBEDDED_PIECE);
  for (let start = 0; ; ) {
    const end = Math.min(n, start + size);
    const piece = { ...trace, events: trace.events.slice(start, end) };
    const r = await checkOnce([piece], { events: start }, engine, opts, (k) =>
      onMatched(start + k),
    );
    if ("error" in r) return r;
    const matched = start + (r.matched[0] ?? 0);
    onMatched(matched);
    // The next piece starts from the last state this one matched.
    if (matched < end || end === n) return { matched: [matched] };
    start = end - 1;
  }
}

/**
 * Check traces in one engine run; `from.events` is the event a piece of a trace starts at (its
 * first state is then a logged state, not an initial one), null for whole traces.
 */
async function checkOnce(
  traces: readonly Trace[],
  from: { events: number | null },
  engine: ResolvedEngine,
  { signal, keep }: ValidateOptions,
  onMatched: OnMatched,
): Promise<RunOutcome> {
  const first = traces[0];
  if (!first) return { matched: [] };
  const protocol = first.header.protocol;
  const tlc = engine.engine === "tlc" ? engine.tlc : undefined;
  const cfg = harnessCfg(first.header.constants, {
    init: "TraceInit",
    next: "TraceNext",
    ...(tlc && traces.length > 1 ? { invariants: ["TraceProgress"] } : {}),
  });
  const fromInit = from.events === null || from.events === 0;
  const files = {
    [`${dataModuleName(protocol)}.tla`]: dataModule(protocol, traces, { fromInit }),
  };
  return inWorkspace(protocol, harnessModuleName(protocol), files, cfg, keep, async (w) => {
    const r = tlc
      ? await runTlc(w.model, tlc, {
          workers: 1,
          keepOutput: true,
          // One state per matched event: TLC's distinct states are the events matched so far.
          onProgress: (p) => {
            if (p.distinctStates !== null) onMatched(p.distinctStates);
          },
          ...(signal ? { signal } : {}),
        })
      : await runEmbedded(w.model, signal ? { signal } : {});
    // tla-checker reports a harness whose Init matches nothing as an error; TLC as 0 states.
    if (r.outcome === "error" && /NoInitialStates|No initial states/.test(r.error ?? ""))
      return { matched: traces.map(() => 0) };
    if (r.outcome !== "pass" || r.distinctStates === null) return { error: engineError(r) };
    const total = r.distinctStates;
    if (traces.length === 1) return { matched: [total] };
    // The embedded engine prints no marks: one state per matched event, so the run's states
    // are all the events exactly when every trace matched; otherwise each is redone alone.
    if (!tlc) {
      const all = traces.reduce((n, t) => n + t.events.length, 0);
      return total === all
        ? { matched: traces.map((t) => t.events.length) }
        : { error: `the batch matched ${total} of its ${all} events` };
    }
    // Each state printed <<"lockstep-trace", t, cursor>>: trace t matched its highest cursor.
    const matched = traces.map(() => 0);
    const mark = new RegExp(`^<<"${PROGRESS_MARK}", (\\d+), (\\d+)>>$`);
    for (const l of r.output ?? []) {
      const m = mark.exec(l.trim());
      if (!m) continue;
      const t = Number(m[1]) - 1;
      matched[t] = Math.max(matched[t] ?? 0, Number(m[2]));
    }
    if (matched.reduce((a, b) => a + b, 0) !== total)
      return {
        error: `TLC found ${total} states but reported ${matched.reduce((a, b) => a + b, 0)}`,
      };
    return { matched };
  });
}

/** A partial trace's settings for the harness (the header's `unlogged`, or none). */
const partialSettings = (t: Trace): PartialSettings => ({
  unlogged: t.header.unlogged ?? { actions: [], steps: 0 },
});

/**
 * Partial traces (same protocol, constants and settings) in one run of the partial harness
 * (partial-harness.ts). TLC prints the cursor of every state: each trace matched as many events
 * as the highest cursor printed for it. The embedded engine, which prints nothing, checks one
 * trace: whether its last event is reached (one run), else the highest cursor reachable, by
 * bisection on the invariant TraceBelow.
 */
async function checkPartial(
  traces: readonly Trace[],
  engine: ResolvedEngine,
  { signal, keep }: ValidateOptions,
  onMatched: OnMatched,
): Promise<RunOutcome> {
  const first = traces[0] as Trace;
  const protocol = first.header.protocol;
  const settings = partialSettings(first);
  const tlc = engine.engine === "tlc" ? engine.tlc : undefined;
  const run = (goal: number, invariants: string[]) =>
    inWorkspace(
      protocol,
      harnessModuleName(protocol),
      {
        [`${dataModuleName(protocol)}.tla`]: partialDataModule(protocol, traces, settings, goal),
      },
      harnessCfg(first.header.constants, { init: "TraceInit", next: "TraceNext", invariants }),
      keep,
      async (w) =>
        tlc
          ? runTlc(w.model, tlc, { workers: 1, keepOutput: true, ...(signal ? { signal } : {}) })
          : runEmbedded(w.model, signal ? { signal } : {}),
      () => partialHarnessModule(protocol, settings, { lazy: tlc !== undefined }),
    );
  const noInit = (r: CheckResult) =>
    r.outcome === "error" && /NoInitialStates|No initial states/.test(r.error ?? "");
  if (tlc) {
    const r = await run(0, ["TraceProgress"]);
    if (noInit(r) || (r.outcome === "pass" && r.distinctStates === 0))
      return { matched: traces.map(() => 0) };
    if (r.outcome !== "pass") return { error: engineError(r) };
    const matched = traces.map(() => 0);
    const mark = new RegExp(`^<<"${PROGRESS_MARK}", (\\d+), (\\d+)>>$`);
    for (const l of r.output ?? []) {
      const m = mark.exec(l.trim());
      if (!m) continue;
      const t = Number(m[1]) - 1;
      matched[t] = Math.max(matched[t] ?? 0, Number(m[2]));
    }
    return { matched };
  }
  if (traces.length !== 1) return { error: "the embedded engine checks one partial trace per run" };
  // reach(k): some state of the harness has matched k events (cursor >= k).
  const reach = async (k: number): Promise<boolean | { error: string }> => {
    const r = await run(k, [BELOW]);
    if (noInit(r)) return false;
    if (r.outcome === BELOW) return true;
    if (r.outcome === "pass") return false;
    return { error: engineError(r) };
  };
  const n = first.events.length;
  const all = await reach(n);
  if (typeof all !== "boolean") return all;
  if (all) return { matched: [n] };
  let lo = 0; // reach(lo) holds (0 trivially)
  let hi = n; // reach(hi) fails
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const r = await reach(mid);
    if (typeof r !== "boolean") return r;
    if (r) lo = mid;
    else hi = mid;
    onMatched(lo);
  }
  return { matched: [lo] };
}

// ---------------------------------------------------------------------------------------------
// Diagnosis

interface Candidate {
  differs: string[];
  values: Record<string, Value | string>;
}

/**
 * The candidates a diagnosis run of TLC printed: one line per state the spec allows,
 * <<"lockstep-diag", {"log"}, <<v1, …, vn>>>> (the variables that differ, then the values of
 * `names`), read whole.
 */
function diagnosed(
  output: ReadonlyArray<string>,
  names: ReadonlyArray<string>,
  protocol: Protocol,
): Candidate[] {
  const schemaOf = (n: string) => protocol.variables.find((v) => v.name === n)?.schema;
  const out: Candidate[] = [];
  for (const line of output) {
    if (!line.startsWith(`<<"${DIAG_MARK}"`)) continue;
    const v = parseTlaValue(line);
    if (v.kind !== "seq") continue;
    const [, differs, values] = v.elems;
    const vals = values?.kind === "seq" ? values.elems : [];
    out.push({
      differs:
        differs?.kind === "set"
          ? differs.elems.flatMap((d) => (d.kind === "str" ? [d.value] : []))
          : [],
      values: Object.fromEntries(
        names.map((n, i) => {
          const x = vals[i];
          const s = schemaOf(n);
          return [n, x ? (s ? coerce(x, s) : x) : "?"];
        }),
      ),
    });
  }
  return out;
}

/** The states the spec allows at event k of the trace, each with the variables that differ. */
async function candidates(
  trace: Trace,
  k: number,
  engine: ResolvedEngine,
  { signal, keep }: ValidateOptions,
): Promise<Candidate[]> {
  const protocol = trace.header.protocol;
  const event = trace.events[k];
  if (!event) throw new Error(`trace has no event ${k}`);
  const pre = k === 0 ? null : (trace.events[k - 1]?.state ?? null);
  const diag = diagModule(protocol, {
    pre,
    action: event.action,
    params: event.params,
    post: event.state,
  });
  const files = {
    [`${dataModuleName(protocol)}.tla`]: emptyDataModule(protocol),
    [`${diagModuleName(protocol)}.tla`]: diag,
  };
  const tlc = engine.engine === "tlc" ? engine.tlc : undefined;
  const cfg = harnessCfg(trace.header.constants, {
    init: "DiagInit",
    next: "DiagNext",
    ...(tlc ? { invariants: ["DiagReport"] } : {}),
  });
  const varNames = protocol.variables.map((v) => v.name);
  const schemaOf = (name: string) => protocol.variables.find((v) => v.name === name)?.schema;
  const read = (name: string, text: string): Value | string => {
    try {
      const s = schemaOf(name);
      const v = parseTlaValue(text);
      return s ? coerce(v, s) : v;
    } catch {
      return text;
    }
  };
  return inWorkspace(protocol, diagModuleName(protocol), files, cfg, keep, async (w) => {
    if (tlc) return tlcCandidates(w, tlc, varNames, signal);
    const inlined = inlineModule(w.dir, diagModuleName(protocol));
    const states = await exploreEmbedded(
      inlined.source,
      cfg,
      k === 0 ? 0 : 1,
      "DiagDiffers",
      signal,
    );
    return states.map((s) => ({
      differs: Array.isArray(s.value) ? (s.value as string[]) : [],
      values: Object.fromEntries(varNames.map((n) => [n, read(n, s.display[n] ?? "")])),
    }));
  });

  async function tlcCandidates(
    w: Workspace,
    setup: TlcSetup,
    names: string[],
    sig: AbortSignal | undefined,
  ): Promise<Candidate[]> {
    const r = await runTlc(w.model, setup, {
      workers: 1,
      keepOutput: true,
      ...(sig ? { signal: sig } : {}),
    });
    if (r.outcome !== "pass") throw new Error(engineError(r));
    return diagnosed(r.output ?? [], names, protocol);
  }
}

/**
 * The states a partial trace's event k reaches from every choice that matched events 0..k-1
 * (TLC only): the partial harness run to cursor k, then the event's action alone, each
 * successor printed with the logged variables it differs in.
 */
async function partialCandidates(
  trace: Trace,
  k: number,
  engine: ResolvedEngine,
  { signal, keep }: ValidateOptions,
): Promise<Candidate[]> {
  const tlc = engine.engine === "tlc" ? engine.tlc : undefined;
  if (!tlc || k === 0) return [];
  const protocol = trace.header.protocol;
  const settings = partialSettings(trace);
  const vars = protocol.variables.map((v) => v.name);
  const name = `${harnessModuleName(protocol)}PDiag`;
  const diag = [
    `---- MODULE ${name} ----`,
    `EXTENDS ${harnessModuleName(protocol)}`,
    `DiagAt == ${k}`,
    "VarValue(n) ==",
    `    CASE ${vars.map((v) => `n = "${v}" -> ${v}`).join("\n      [] ")}`,
    "DiagNext ==",
    "    \\/ cursor \\in 1..DiagAt /\\ TraceNext /\\ cursor' <= DiagAt",
    "    \\/ cursor = DiagAt /\\ TraceAction(ev) /\\ cursor' = 0 /\\ UNCHANGED <<traceId, ev, lv, hidden>>",
    "DiagDiffers == {n \\in ev.l : VarValue(n) # Logged(LV(n), ev, n)}",
    `DiagReport == cursor = 0 => PrintT(<<"${DIAG_MARK}", DiagDiffers, <<${vars.join(", ")}>>>>)`,
    "====",
    "",
  ].join("\n");
  const files = {
    [`${dataModuleName(protocol)}.tla`]: partialDataModule(protocol, [trace], settings),
    [`${name}.tla`]: diag,
  };
  const cfg = harnessCfg(trace.header.constants, {
    init: "TraceInit",
    next: "DiagNext",
    invariants: ["DiagReport"],
  });
  return inWorkspace(
    protocol,
    name,
    files,
    cfg,
    keep,
    async (w) => {
      const r = await runTlc(w.model, tlc, {
        workers: 1,
        keepOutput: true,
        ...(signal ? { signal } : {}),
      });
      if (r.outcome !== "pass") throw new Error(engineError(r));
      return diagnosed(r.output ?? [], vars, protocol);
    },
    () => partialHarnessModule(protocol, settings),
  );
}

/** Where two values differ, as short lines (at most `limit`). */
export function valueDiff(logged: Value, allowed: Value, limit = 8): string[] {
  const out: string[] = [];
  const show = (v: Value | undefined) => {
    if (!v) return "(none)";
    const t = printTla(v);
    return t.length > 160 ? `${t.slice(0, 157)}...` : t;
  };
  const walk = (a: Value | undefined, b: Value | undefined, path: string) => {
    if (out.length >= limit) return;
    if (a && b && equals(a, b)) return;
    // Descend into functions, sequences and long records; a short record (a log entry, a
    // message) reads best whole.
    const whole = (v: Value) => v.kind === "rec" && printTla(v).length <= 120;
    if (
      a &&
      b &&
      a.kind === b.kind &&
      (a.kind === "fun" || (a.kind === "rec" && !whole(a) && !whole(b)))
    ) {
      const keysOf = (v: Value): Value[] =>
        v.kind === "fun"
          ? v.pairs.map(([k]) => k)
          : v.kind === "rec"
            ? v.fields.map(([k]) => ({ kind: "str", value: k }) as Value)
            : [];
      const keys = fun([...keysOf(a), ...keysOf(b)].map((k) => [k, k] as const));
      if (keys.kind === "fun")
        for (const [k] of keys.pairs) walk(apply(a, k), apply(b, k), `${path}[${printTla(k)}]`);
      return;
    }
    if (a && b && a.kind === "seq" && b.kind === "seq") {
      const n = Math.max(a.elems.length, b.elems.length);
      for (let i = 0; i < n; i++) walk(a.elems[i], b.elems[i], `${path}[${i + 1}]`);
      return;
    }
    out.push(`${path || "(value)"}: logged ${show(a)}, spec ${show(b)}`);
  };
  walk(logged, allowed, "");
  if (out.length >= limit) out.push("…");
  return out;
}

/** Explain why event k matches no successor: the variables no allowed state has. */
async function diagnose(
  trace: Trace,
  k: number,
  engine: ResolvedEngine,
  opts: ValidateOptions,
): Promise<Pick<ValidationResult, "diff" | "reason">> {
  const protocol = trace.header.protocol;
  const event = trace.events[k];
  if (!event) return { reason: `the trace has no event ${k}` };
  const partial = isPartial(trace.header);
  const cands = partial
    ? await partialCandidates(trace, k, engine, opts)
    : await candidates(trace, k, engine, opts);
  const what = k === 0 ? "Init" : describeEvent(event, protocol);
  if (partial && (cands.length === 0 || k === 0))
    return { diff: [], reason: partialReason(trace, k) };
  if (cands.length === 0) {
    const hints = paramHints(trace, k);
    return {
      diff: [],
      reason:
        k === 0
          ? "the spec's Init has no state at all for these constants"
          : `${what} is not enabled in the logged state after event ${k - 1}${hints ? ` (${hints})` : ""}`,
    };
  }
  if (cands.some((c) => c.differs.length === 0))
    return {
      diff: [],
      reason: `${what} can reach the logged state in isolation; the harness run disagrees (report this as a bug)`,
    };
  let chosen = cands[0]?.differs ?? [];
  let common = chosen.filter((v) => cands.every((c) => c.differs.includes(v)));
  let reason: string | undefined;
  if (common.length === 0) {
    const best = [...cands].sort((a, b) => a.differs.length - b.differs.length)[0] as Candidate;
    chosen = best.differs;
    common = chosen;
    reason = `no single state the spec allows matches every variable; the closest differs in ${common.join(", ")}`;
  }
  const order = protocol.variables.map((v) => v.name).filter((n) => common.includes(n));
  const diff = order.map((name): VariableDiff => {
    const logged = event.state[name] as Value;
    const allowedValues: (Value | string)[] = [];
    for (const c of cands) {
      const v = c.values[name];
      if (v === undefined) continue;
      if (
        !allowedValues.some((x) =>
          typeof x === "string" || typeof v === "string" ? x === v : equals(x, v),
        )
      )
        allowedValues.push(v);
    }
    const firstValue = allowedValues.find((x): x is Value => typeof x !== "string");
    return {
      variable: name,
      logged: printTla(logged),
      allowed: allowedValues.map((x) => (typeof x === "string" ? x : printTla(x))),
      detail: firstValue ? valueDiff(logged, firstValue) : [],
    };
  });
  return reason ? { diff, reason } : { diff };
}

/**
 * Parameters that are outside their domain in the pre-state (why an action is not enabled): the
 * domain of each parameter is the one Next binds it over, a constant of the header (`Server`)
 * or the domain of a variable (`DOMAIN messages`).
 */
function paramHints(trace: Trace, k: number): string {
  const event = trace.events[k];
  const pre = trace.events[k - 1]?.state;
  if (!event || !pre) return "";
  const p = trace.header.protocol;
  const call = readActions(p.specDir, p.module).find((c) => c.action === event.action);
  const params = p.actions[event.action] ?? [];
  const hints: string[] = [];
  for (const [name, v] of Object.entries(event.params)) {
    const binder = call?.binders[params.findIndex((x) => x.name === name)];
    if (binder === undefined) continue;
    const over = /^DOMAIN\s+(\w+)$/.exec(binder.domain)?.[1];
    const domain = over === undefined ? trace.header.constants[binder.domain] : pre[over];
    if (!domain) continue;
    const inside =
      over !== undefined
        ? domain.kind === "fun" && apply(domain, v) !== undefined
        : domain.kind === "set"
          ? domain.elems.some((x) => equals(x, v))
          : true;
    if (!inside)
      hints.push(
        over !== undefined
          ? `the ${name} it takes is not in DOMAIN ${over} (not in flight)`
          : `${name} = ${printTla(v)} is not in ${binder.domain}`,
      );
  }
  return hints.join("; ");
}

// ---------------------------------------------------------------------------------------------
// Entry points

const constantsKey = (t: Trace) =>
  `${t.header.protocol.name}|${Object.entries(t.header.constants)
    .map(([k, v]) => `${k}=${printTla(v)}`)
    .join(";")}|${isPartial(t.header) ? JSON.stringify(partialSettings(t)) : "full"}`;

/** The result for one trace from how many of its events matched (explaining a divergence). */
async function verdict(
  trace: Trace,
  run: { matched: number } | { error: string },
  engine: ResolvedEngine,
  opts: ValidateOptions,
): Promise<ValidationResult> {
  const base = { file: trace.file, events: trace.events.length, engine: engine.engine, seconds: 0 };
  if ("error" in run) return { ...base, ok: false, error: run.error };
  const { matched } = run;
  if (matched === trace.events.length) return { ...base, ok: true };
  const event = trace.events[matched];
  if (!event)
    return {
      ...base,
      ok: false,
      error: `the harness reached ${matched} states for ${trace.events.length} events (a bug in the harness; please report it)`,
    };
  const r: ValidationResult = {
    ...base,
    ok: false,
    failedAt: matched,
    ...(event.line === null ? {} : { line: event.line }),
    action: matched === 0 ? "Init" : describeEvent(event, trace.header.protocol),
  };
  if (opts.diagnose === false) return r;
  if (isPartial(trace.header) && engine.engine !== "tlc")
    return { ...r, diff: [], reason: partialReason(trace, matched) };
  try {
    return { ...r, ...(await diagnose(trace, matched, engine, opts)) };
  } catch (e) {
    return { ...r, reason: `could not compute the diff: ${(e as Error).message.split("\n")[0]}` };
  }
}

/** Why event k of a partial trace matches nothing: what the spec was free to choose. */
function partialReason(trace: Trace, k: number): string {
  const h = trace.header;
  const event = trace.events[k];
  const vars = h.protocol.variables.map((v) => v.name);
  const logged = vars.filter((n) => event?.state[n] !== undefined);
  const free = vars.filter((n) => !logged.includes(n));
  const what = k === 0 ? "Init" : event ? describeEvent(event, h.protocol) : `event ${k}`;
  const steps = h.unlogged && h.unlogged.steps > 0 ? h.unlogged : undefined;
  return (
    `no choice of what the trace does not log (${free.join(", ") || "nothing"}` +
    `${steps ? `; up to ${steps.steps} unlogged ${steps.actions.join("/")} steps before it` : ""}) ` +
    `lets ${what} reach its logged ${logged.join(", ") || "state"}`
  );
}

/** Validate decoded traces; results in the order of `traces`. */
export async function validateTraces(
  traces: readonly Trace[],
  opts: ValidateOptions = {},
): Promise<ValidationResult[]> {
  const engine = resolveEngine(opts.engine ?? "auto", opts.env ?? process.env);
  opts.onEngine?.(engine);
  const results: ValidationResult[] = new Array(traces.length);
  // Report results in input order, as soon as all earlier ones are known.
  let reported = 0;
  const report = () => {
    for (; reported < traces.length && results[reported]; reported++)
      opts.onResult?.(results[reported] as ValidationResult);
  };
  // Traces with the same constants share an engine run: one JVM launch under TLC, and on the
  // embedded engine one harness for short traces of at most EMBEDDED_PIECE events in all (its
  // cost per event grows with the data it holds), so that each run's fixed cost is paid once.
  const groups = new Map<string, number[]>();
  const embeddedFill = new Map<string, { group: string; events: number }>();
  traces.forEach((t, k) => {
    let key = `#${k}`;
    if (opts.batch !== false && engine.engine === "tlc") key = constantsKey(t);
    else if (opts.batch !== false && t.events.length <= EMBEDDED_PIECE && !isPartial(t.header)) {
      const c = constantsKey(t);
      const open = embeddedFill.get(c);
      if (open && open.events + t.events.length <= EMBEDDED_PIECE) {
        open.events += t.events.length;
        key = open.group;
      } else {
        key = `${c}#${k}`;
        embeddedFill.set(c, { group: key, events: t.events.length });
      }
    }
    groups.set(key, [...(groups.get(key) ?? []), k]);
  });
  const started = performance.now();
  const totalEvents = traces.reduce((s, t) => s + t.events.length, 0);
  let finishedEvents = 0;
  let finishedTraces = 0;
  const progress = (running: number) =>
    opts.onProgress?.({
      events: finishedEvents + running,
      totalEvents,
      traces: finishedTraces,
      totalTraces: traces.length,
      seconds: (performance.now() - started) / 1000,
    });
  for (const idx of groups.values()) {
    const group = idx.map((k) => traces[k] as Trace);
    const t0 = performance.now();
    const outcome = await checkRun(group, engine, opts, progress);
    const batchSeconds = (performance.now() - t0) / 1000;
    const groupEvents = group.reduce((s, t) => s + t.events.length, 0);
    for (let g = 0; g < group.length; g++) {
      const trace = group[g] as Trace;
      const t1 = performance.now();
      // A batch that fails as a whole is redone trace by trace, so that each gets its own verdict.
      const single =
        "error" in outcome && group.length > 1
          ? await checkRun([trace], engine, opts, progress)
          : null;
      const own = single ?? outcome;
      const r = await verdict(
        trace,
        "error" in own ? own : { matched: own.matched[single ? 0 : g] ?? 0 },
        engine,
        opts,
      );
      const share = single ? 0 : (batchSeconds * trace.events.length) / Math.max(1, groupEvents);
      r.seconds = share + (performance.now() - t1) / 1000;
      results[idx[g] as number] = r;
      finishedEvents += trace.events.length;
      finishedTraces++;
      progress(0);
      report();
    }
  }
  return results;
}

export interface FileProblem {
  file: string;
  error: string;
}

/** Read and validate trace files. Files that cannot be read or decoded are returned as problems. */
export async function validateFiles(
  files: readonly string[],
  opts: ValidateOptions = {},
): Promise<{ results: ValidationResult[]; problems: FileProblem[] }> {
  const traces: Trace[] = [];
  const problems: FileProblem[] = [];
  for (const f of files) {
    try {
      traces.push(readTrace(f));
    } catch (e) {
      if (e instanceof TraceError || e instanceof UserError)
        problems.push({ file: f, error: e.message });
      else throw e;
    }
  }
  const results = traces.length > 0 ? await validateTraces(traces, opts) : [];
  return { results, problems };
}
