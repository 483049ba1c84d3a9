/**
 * The simulator's NDJSON trace (traces/FORMAT.md), for any protocol: a header line, then one
 * line per event. A protocol supplies its TraceAbstraction (action names and parameters, and
 * an encoder from its state to the spec variables' canonical JSON).
 */
import { canonicalJson, type ItfValue } from "../core/itf.js";

export const TRACE_FORMAT = "lockstep-trace";
export const TRACE_VERSION = 1;

/** Prints a run's states; one per run, as it may reuse text between consecutive states. */
export interface StateEncoder<S> {
  /** Buffers whose concatenation is the state's canonical JSON; valid until the next call. */
  encode(s: S): ReadonlyArray<Buffer>;
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
}

/** The header line (without the newline). It names the values a run used, so it comes last. */
export function headerLine(h: TraceHeader): string {
  const constants = h.constants
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    .join(",");
  return (
    `{"format":"${TRACE_FORMAT}","version":${TRACE_VERSION},"protocol":${JSON.stringify(h.protocol)},` +
    `"seed":${h.seed},"servers":${JSON.stringify(h.servers)},"constants":{${constants}}}`
  );
}

const eventPrefix = <S, A>(t: TraceAbstraction<S, A>, i: number, a: A | undefined): string =>
  a === undefined
    ? `{"i":${i},"action":"Init","params":{},"state":`
    : `{"i":${i},"action":"${t.actionName(a)}","params":${t.paramsJson(a)},"state":`;

/** One event line (without the newline), printed from scratch. */
export const eventLine = <S, A>(
  t: TraceAbstraction<S, A>,
  i: number,
  a: A | undefined,
  s: S,
): string => `${eventPrefix(t, i, a)}${Buffer.concat(t.encoder().encode(s)).toString("utf8")}}`;

const TEXT_CHUNK = 1 << 16;
/** writev takes at most IOV_MAX (1024 on Linux) buffers per call. */
export const MAX_PARTS = 1024;
const LINE_END = Buffer.from("}\n");

/**
 * Writes NDJSON as lists of buffers for `writev`: each event line is its prefix (action and
 * parameters, printed into a shared text chunk) followed by the state encoder's fragments,
 * which it may reuse unchanged from event to event — so unchanged variables cost a reference,
 * not a copy. `write` gets at most MAX_PARTS buffers per call; they stay valid after it returns.
 */
export class TraceWriter<S, A> {
  private parts: Buffer[] = [];
  private text = Buffer.allocUnsafe(TEXT_CHUNK);
  private pos = 0;
  private readonly encoder: StateEncoder<S>;

  constructor(
    private readonly abstraction: TraceAbstraction<S, A>,
    private readonly write: (parts: ReadonlyArray<Buffer>) => void,
  ) {
    this.encoder = abstraction.encoder();
  }

  /** Append the line of event i (Init when action is undefined). */
  event(i: number, action: A | undefined, next: S): void {
    const fragments = this.encoder.encode(next);
    if (this.parts.length + fragments.length + 2 > MAX_PARTS) this.flush();
    this.print(eventPrefix(this.abstraction, i, action));
    for (const b of fragments) this.parts.push(b);
    this.parts.push(LINE_END);
  }

  /** Append a line of text (the newline is added). */
  line(s: string): void {
    if (this.parts.length + 1 > MAX_PARTS) this.flush();
    this.print(`${s}\n`);
  }

  flush(): void {
    if (this.parts.length > 0) this.write(this.parts);
    this.parts = [];
  }

  private print(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; earlier slices keep the old chunk alive.
    const max = 3 * s.length;
    if (max > TEXT_CHUNK) {
      this.parts.push(Buffer.from(s));
      return;
    }
    if (this.pos + max > this.text.length) {
      this.text = Buffer.allocUnsafe(TEXT_CHUNK);
      this.pos = 0;
    }
    const start = this.pos;
    this.pos += this.text.write(s, start);
    this.parts.push(this.text.subarray(start, this.pos));
  }
}
