/**
 * The simulator's NDJSON trace (traces/FORMAT.md), for any protocol: a header line, then one
 * line per event, printed through the one trace encoder (src/trace/encoder.ts) from the
 * protocol's variable and action tables.
 *
 * Version 3 (the default) logs after Init what changed in each variable as update operations (a
 * message added to or removed from the bag, entries appended to or truncated from a log, one key
 * of a function set: src/trace/updates.ts), so a line grows with what the step did, not with the
 * state; version 2 logs the variables that changed, whole; version 1 every variable on every
 * line, for tools that want each state whole.
 */
import type * as O from "fp-ts/lib/Option.js";
import { canonicalJson, type ItfValue } from "../core/itf.js";
import type { SpecValue } from "../core/spec-value.js";
import type { Variable } from "../core/variables.js";
import { type StateEncoder, stateEncoder, stateText, type VariableText } from "../trace/encoder.js";
import type { EventSink, Violation } from "./engine.js";
import type { RunReport, TraceSink } from "./protocol.js";

export const TRACE_FORMAT = "lockstep-trace";
export type TraceVersion = 1 | 2 | 3;
/** The version the simulator writes unless asked for another. */
export const TRACE_VERSION: TraceVersion = 3;

/** Each action's parameters as spec values, by action name (a protocol's `actions` table). */
export type ParamTable = Readonly<Record<string, Readonly<Record<string, SpecValue<never>>>>>;

/** How a protocol's actions and states appear in a trace. */
export interface TraceAbstraction<S, A> {
  readonly actionName: (a: A) => string;
  /** The canonical JSON of the action's parameters, named as in the spec. */
  readonly paramsJson: (a: A) => string;
  readonly encoder: (o?: { updates?: boolean }) => StateEncoder<S>;
}

/** The abstraction a protocol's variable and action tables define. */
export function traceAbstraction<S, A extends { readonly name: string }>(
  variables: ReadonlyArray<Variable<S>>,
  actions: ParamTable,
): TraceAbstraction<S, A> {
  // Per action, its parameters in canonical (sorted) order with their keys printed once.
  const printers = new Map(
    Object.entries(actions).map(([name, params]) => {
      const names = Object.keys(params).sort();
      const keys = names.map((n, k) => `${k === 0 ? "{" : ","}${JSON.stringify(n)}:`);
      return [name, { names, keys, params }] as const;
    }),
  );
  return {
    actionName: (a) => a.name,
    paramsJson(a) {
      const p = printers.get(a.name);
      if (p === undefined) throw new RangeError(`action ${a.name} is not in the action table`);
      if (p.names.length === 0) return "{}";
      let s = "";
      for (let k = 0; k < p.names.length; k++) {
        const n = p.names[k] as string;
        const value = p.params[n] as SpecValue<unknown>;
        s += `${p.keys[k] as string}${value.json((a as unknown as Record<string, unknown>)[n])}`;
      }
      return `${s}}`;
    },
    encoder: (o) => stateEncoder(variables, o),
  };
}

export interface TraceHeader {
  readonly protocol: string;
  readonly seed: number;
  readonly servers: ReadonlyArray<string>;
  /** The spec's constants the run instantiates, in the order the spec declares them. */
  readonly constants: ReadonlyArray<readonly [string, ItfValue]>;
  /** Default TRACE_VERSION. */
  readonly version?: TraceVersion;
}

/** The header line (without the newline). It names the values a run used, so it comes last. */
export function headerLine(h: TraceHeader): string {
  const constants = h.constants
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    .join(",");
  return (
    `{"format":"${TRACE_FORMAT}","version":${h.version ?? TRACE_VERSION},"protocol":${JSON.stringify(h.protocol)},` +
    `"seed":${h.seed},"servers":${JSON.stringify(h.servers)},"constants":{${constants}}}`
  );
}

/**
 * Event 0 and every event of version 1 carry `state`; later events `changed` (version 2) or
 * `updates` (version 3).
 */
const MEMBER: Record<TraceVersion, string> = { 1: "state", 2: "changed", 3: "updates" };
const eventPrefix = <S, A>(
  t: TraceAbstraction<S, A>,
  i: number,
  a: A | undefined,
  version: TraceVersion,
): string =>
  a === undefined
    ? `{"i":${i},"action":"Init","params":{},"state":`
    : `{"i":${i},"action":"${t.actionName(a)}","params":${t.paramsJson(a)},"${MEMBER[version]}":`;

/** A version-1 event line (without the newline), printed from scratch. */
export const eventLine = <S, A>(
  t: TraceAbstraction<S, A>,
  i: number,
  a: A | undefined,
  s: S,
): string => {
  const enc = t.encoder();
  return `${eventPrefix(t, i, a, 1)}${stateText(enc.variables, enc.encode(s))}}`;
};

/** Per variable, its key opening the object (`{"x":`) and following a member (`,"x":`). */
type Keys = readonly [string, string];
const keyTexts = (names: ReadonlyArray<string>): Keys[] =>
  names.map((n) => [`{${JSON.stringify(n)}:`, `,${JSON.stringify(n)}:`]);

const TEXT_CHUNK = 1 << 16;
/** Pending text is encoded once it is this long (UTF-8 needs at most 3 bytes per unit). */
const PENDING_MAX = TEXT_CHUNK / 12;
/** writev takes at most IOV_MAX (1024 on Linux) buffers per call. */
export const MAX_PARTS = 1024;

/**
 * Writes NDJSON as lists of buffers for `writev`. Text is joined as a string and encoded once
 * per few kilobytes into a shared chunk, since encoding many short strings one by one costs more
 * than the bytes. In version 1, which repeats every variable on every line, each variable's
 * member is kept as bytes until it changes, so an unchanged variable costs a reference, not a
 * copy. Version 2 prints the variables that changed, version 3 their updates. `write` gets at
 * most MAX_PARTS buffers per call; they stay valid after it returns.
 */
export class TraceWriter<S, A> {
  private parts: Buffer[] = [];
  private text = Buffer.allocUnsafe(TEXT_CHUNK);
  private pos = 0;
  /** Text of the events since the last buffer part, not yet encoded. */
  private pending = "";
  private readonly encoder: StateEncoder<S>;
  private readonly keys: Keys[];
  /** Version 1: per variable, its member (key and value) as bytes, while unchanged. */
  private readonly members: Buffer[] = [];

  constructor(
    private readonly abstraction: TraceAbstraction<S, A>,
    private readonly write: (parts: ReadonlyArray<Buffer>) => void,
    private readonly version: TraceVersion = TRACE_VERSION,
  ) {
    this.encoder = abstraction.encoder({ updates: version === 3 });
    this.keys = keyTexts(this.encoder.variables);
  }

  /** Append the line of event i (Init when action is undefined). */
  event(i: number, action: A | undefined, next: S): void {
    const vars = this.encoder.encode(next);
    if (action !== undefined && this.version === 1) {
      this.fullEvent(i, action, vars);
      return;
    }
    const full = action === undefined;
    const updates = !full && this.version === 3;
    let s = eventPrefix(this.abstraction, i, action, full ? 1 : this.version);
    let first = true;
    for (let k = 0; k < vars.length; k++) {
      const v = vars[k] as VariableText;
      if (updates ? v.updates === "" : !full && !v.changed) continue;
      s += (this.keys[k] as Keys)[first ? 0 : 1] + (updates ? v.updates : v.text);
      first = false;
    }
    this.pending += s + (first ? "{}}\n" : "}}\n");
    if (this.pending.length >= PENDING_MAX) this.encodePending();
  }

  /** A version-1 line after Init: every variable, each member reused as bytes while unchanged. */
  private fullEvent(i: number, action: A, vars: ReadonlyArray<VariableText>): void {
    this.pending += eventPrefix(this.abstraction, i, action, 1);
    this.encodePending();
    for (let k = 0; k < vars.length; k++) {
      const v = vars[k] as VariableText;
      let m = this.members[k];
      if (m === undefined || v.changed) {
        m = Buffer.from((this.keys[k] as Keys)[k === 0 ? 0 : 1] + v.text);
        this.members[k] = m;
      }
      this.push(m);
    }
    this.pending += "}}\n";
  }

  /** Append a line of text (the newline is added). */
  line(s: string): void {
    this.pending += `${s}\n`;
    if (this.pending.length >= PENDING_MAX) this.encodePending();
  }

  flush(): void {
    this.encodePending();
    if (this.parts.length > 0) this.write(this.parts);
    this.parts = [];
  }

  private push(b: Buffer): void {
    if (this.parts.length >= MAX_PARTS) {
      this.write(this.parts);
      this.parts = [];
    }
    this.parts.push(b);
  }

  private encodePending(): void {
    const s = this.pending;
    if (s.length === 0) return;
    this.pending = "";
    // UTF-8 needs at most 3 bytes per UTF-16 unit; earlier slices keep the old chunk alive.
    const max = 3 * s.length;
    if (max > TEXT_CHUNK) {
      this.push(Buffer.from(s));
      return;
    }
    if (this.pos + max > this.text.length) {
      this.text = Buffer.allocUnsafe(TEXT_CHUNK);
      this.pos = 0;
    }
    const start = this.pos;
    this.pos += this.text.write(s, start);
    this.push(this.text.subarray(start, this.pos));
  }
}

/** What a protocol's run leaves behind that the runner of `npm run sim` reads. */
export interface RunOutcome {
  /** Events after Init. */
  readonly steps: number;
  readonly violation: O.Option<Violation>;
  readonly stats: { readonly actions: Readonly<Record<string, number | undefined>> };
}

/**
 * The format version a run's options ask for: `traceVersion` if given, else version 1 for
 * `fullState` (the --full-state flag), else TRACE_VERSION. A bare boolean is `fullState`.
 */
export function traceVersionOf(o: boolean | undefined | TraceFormatOptions): TraceVersion {
  const opts: TraceFormatOptions =
    typeof o === "object" ? o : o === true ? { fullState: true } : {};
  return opts.traceVersion ?? (opts.fullState === true ? 1 : TRACE_VERSION);
}

/** The options of a run that choose its trace format. */
export interface TraceFormatOptions {
  readonly fullState?: boolean;
  readonly traceVersion?: TraceVersion;
}

/**
 * The runner of one seed (see SimProtocol.prepare): runs `simulate`, printing its events
 * through a TraceWriter when given somewhere to `write`, in the format version `format` asks for
 * (traceVersionOf: the run's options, or just their `fullState`).
 */
export function traceRunner<S, A, R extends RunOutcome>(
  abstraction: TraceAbstraction<S, A>,
  format: Parameters<typeof traceVersionOf>[0],
  simulate: (seed: number, sink?: EventSink<S, A>) => R,
  header: (r: R, version: TraceVersion) => string,
  summary: (r: R) => string,
): (seed: number, write?: TraceSink) => RunReport {
  return (seed, write) => {
    const version = traceVersionOf(format);
    const w = write === undefined ? undefined : new TraceWriter(abstraction, write, version);
    const r = simulate(seed, w === undefined ? undefined : (i, a, c) => w.event(i, a, c));
    w?.flush();
    return {
      steps: r.steps,
      violation: r.violation,
      header: header(r, version),
      summary: summary(r),
      actions: Object.fromEntries(
        Object.entries(r.stats.actions).filter((e): e is [string, number] => e[1] !== undefined),
      ),
    };
  };
}
