/**
 * The simulator's NDJSON trace (traces/FORMAT.md), for any protocol: a header line, then one
 * line per event. A protocol supplies its TraceAbstraction (action names and parameters, and
 * an encoder from its state to the spec variables' canonical JSON).
 *
 * Version 2 (the default) logs after Init only the variables that changed; version 1 logs every
 * variable on every line, for tools that want each state whole.
 */
import type * as O from "fp-ts/lib/Option.js";
import { canonicalJson, type ItfValue } from "../core/itf.js";
import { partsText, type TextPart } from "../core/text.js";
import type { EventSink, Violation } from "./engine.js";
import type { RunReport, TraceSink } from "./protocol.js";

export const TRACE_FORMAT = "lockstep-trace";
export type TraceVersion = 1 | 2;
/** The version the simulator writes unless asked for full states. */
export const TRACE_VERSION: TraceVersion = 2;

/** One spec variable as printed for one state. */
export interface VariableText {
  /** Pieces whose concatenation is the variable's canonical JSON (large reused text as bytes). */
  readonly parts: ReadonlyArray<TextPart>;
  /**
   * False only if the value equals the previous call's (compared by identity of the state's
   * persistent parts, so true may also mean "equal but rebuilt"); true on the first call.
   */
  readonly changed: boolean;
}

/** A variable's text as one string. */
export const variableText = (v: VariableText): string => partsText(v.parts);

/** Prints a run's states; one per run, as it reuses text between consecutive states. */
export interface StateEncoder<S> {
  /** The spec's variables in canonical (sorted) order: the order of encode's result. */
  readonly variables: ReadonlyArray<string>;
  /** Each variable's text; valid until the next call. */
  encode(s: S): ReadonlyArray<VariableText>;
}

/** How a protocol's actions and states appear in a trace. */
export interface TraceAbstraction<S, A> {
  readonly actionName: (a: A) => string;
  /** The canonical JSON of the action's parameters, named as in the spec. */
  readonly paramsJson: (a: A) => string;
  readonly encoder: () => StateEncoder<S>;
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

/** Event 0 and every event of version 1 carry `state`; later version-2 events `changed`. */
const eventPrefix = <S, A>(
  t: TraceAbstraction<S, A>,
  i: number,
  a: A | undefined,
  full: boolean,
): string =>
  a === undefined
    ? `{"i":${i},"action":"Init","params":{},"state":`
    : `{"i":${i},"action":"${t.actionName(a)}","params":${t.paramsJson(a)},"${full ? "state" : "changed"}":`;

/** The canonical JSON of a whole state, from what `enc.encode` returned for it. */
export const stateText = <S>(enc: StateEncoder<S>, vars: ReadonlyArray<VariableText>): string =>
  `{${vars.map((v, k) => `${JSON.stringify(enc.variables[k])}:${variableText(v)}`).join(",")}}`;

/** A version-1 event line (without the newline), printed from scratch. */
export const eventLine = <S, A>(
  t: TraceAbstraction<S, A>,
  i: number,
  a: A | undefined,
  s: S,
): string => {
  const enc = t.encoder();
  return `${eventPrefix(t, i, a, true)}${stateText(enc, enc.encode(s))}}`;
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
 * Writes NDJSON as lists of buffers for `writev`. Small text (action, parameters, the variables
 * that changed) is joined as a string and encoded once per few kilobytes into a shared chunk,
 * since encoding many short strings one by one costs more than the bytes; large text the state
 * encoder reuses from event to event comes as buffers, passed on by reference. In version 1,
 * which repeats every variable on every line, each variable's member text is also kept as
 * bytes until it changes, so an unchanged variable costs references, not a copy. `write` gets
 * at most MAX_PARTS buffers per call; they stay valid after it returns.
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
  private readonly members: Buffer[][] = [];

  constructor(
    private readonly abstraction: TraceAbstraction<S, A>,
    private readonly write: (parts: ReadonlyArray<Buffer>) => void,
    private readonly version: TraceVersion = TRACE_VERSION,
  ) {
    this.encoder = abstraction.encoder();
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
    let s = eventPrefix(this.abstraction, i, action, full);
    let first = true;
    for (let k = 0; k < vars.length; k++) {
      const v = vars[k] as VariableText;
      if (!full && !v.changed) continue;
      s += (this.keys[k] as Keys)[first ? 0 : 1];
      first = false;
      for (const p of v.parts) {
        if (typeof p === "string") s += p;
        else {
          this.pending += s;
          s = "";
          this.encodePending();
          this.push(p);
        }
      }
    }
    this.pending += s + (first ? "{}}\n" : "}}\n");
    if (this.pending.length >= PENDING_MAX) this.encodePending();
  }

  /** A version-1 line after Init: every variable, each member reused as bytes while unchanged. */
  private fullEvent(i: number, action: A, vars: ReadonlyArray<VariableText>): void {
    this.pending += eventPrefix(this.abstraction, i, action, true);
    this.encodePending();
    for (let k = 0; k < vars.length; k++) {
      const v = vars[k] as VariableText;
      let m = this.members[k];
      if (m === undefined || v.changed) {
        m = memberBytes((this.keys[k] as Keys)[k === 0 ? 0 : 1], v.parts);
        this.members[k] = m;
      }
      for (const b of m) this.push(b);
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

/** A member `key` + value as bytes: runs of strings encoded together, buffers kept. */
function memberBytes(key: string, parts: ReadonlyArray<TextPart>): Buffer[] {
  const out: Buffer[] = [];
  let s = key;
  for (const p of parts) {
    if (typeof p === "string") s += p;
    else {
      if (s.length > 0) out.push(Buffer.from(s));
      s = "";
      out.push(p);
    }
  }
  if (s.length > 0) out.push(Buffer.from(s));
  return out;
}

/** What a protocol's run leaves behind that the runner of `npm run sim` reads. */
export interface RunOutcome {
  /** Events after Init. */
  readonly steps: number;
  readonly violation: O.Option<Violation>;
}

/**
 * The runner of one seed (see SimProtocol.prepare): runs `simulate`, printing its events
 * through a TraceWriter when given somewhere to `write`, in format version 1 if `fullState`.
 */
export function traceRunner<S, A, R extends RunOutcome>(
  abstraction: TraceAbstraction<S, A>,
  fullState: boolean | undefined,
  simulate: (seed: number, sink?: EventSink<S, A>) => R,
  header: (r: R, version: TraceVersion) => string,
  summary: (r: R) => string,
): (seed: number, write?: TraceSink) => RunReport {
  return (seed, write) => {
    const version = fullState === true ? 1 : TRACE_VERSION;
    const w = write === undefined ? undefined : new TraceWriter(abstraction, write, version);
    const r = simulate(seed, w === undefined ? undefined : (i, a, c) => w.event(i, a, c));
    w?.flush();
    return {
      steps: r.steps,
      violation: r.violation,
      header: header(r, version),
      summary: summary(r),
    };
  };
}
