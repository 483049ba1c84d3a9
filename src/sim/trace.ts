/** The simulator's NDJSON trace (traces/FORMAT.md): a header line, then one line per event. */
import { canonicalJson, type ItfValue, itfSet } from "../core/itf.js";
import { actionParamsJson, StateEncoder, stateJson } from "../raft/abstraction.js";
import type { Action, Cluster } from "../raft/cluster.js";
import { NIL } from "../raft/itf.js";
import type { SimResult } from "./simulator.js";

export const TRACE_FORMAT = "lockstep-trace";
export const TRACE_VERSION = 1;

const eventPrefix = (i: number, action: Action | undefined): string =>
  action === undefined
    ? `{"i":${i},"action":"Init","params":{},"state":`
    : `{"i":${i},"action":"${action.name}","params":${actionParamsJson(action)},"state":`;

/** One event line (without the newline). */
export const eventLine = (i: number, action: Action | undefined, next: Cluster): string =>
  `${eventPrefix(i, action)}${stateJson(next)}}`;

/** The spec's constants this run instantiates, in the order Raft.tla declares them. */
export function traceConstants(r: SimResult): ReadonlyArray<readonly [string, ItfValue]> {
  const { env } = r.cluster;
  return [
    ["Server", itfSet(env.servers)],
    ["Value", itfSet(r.values)],
    ["InitConfig", itfSet(env.initConfig)],
    ["NewConfigs", itfSet(r.newConfigs.map((s) => itfSet(s)))],
    ["Nil", NIL],
    ["BugOldTermCommit", env.bugs.oldTermCommit],
    ["BugNoLogCheck", env.bugs.noLogCheck],
    ["BugOneStepReconfig", env.bugs.oneStepReconfig],
    ["BugForgetVote", env.bugs.forgetVote],
  ];
}

/** The header line (without the newline). It names the values the run used, so it comes last. */
export function headerLine(r: SimResult): string {
  const constants = traceConstants(r)
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    .join(",");
  return (
    `{"format":"${TRACE_FORMAT}","version":${TRACE_VERSION},"protocol":"raft","seed":${r.options.seed},` +
    `"servers":${JSON.stringify(r.cluster.env.servers)},"constants":{${constants}}}`
  );
}

const TEXT_CHUNK = 1 << 16;
/** writev takes at most IOV_MAX (1024 on Linux) buffers per call. */
export const MAX_PARTS = 1024;
const LINE_END = Buffer.from("}\n");

/**
 * Writes NDJSON as lists of buffers for `writev`: each event line is its prefix (action and
 * parameters, printed into a shared text chunk) followed by the StateEncoder's fragments, which
 * are reused unchanged from event to event — so unchanged variables cost a reference, not a
 * copy. `write` gets at most MAX_PARTS buffers per call; they stay valid after it returns.
 */
export class TraceWriter {
  private parts: Buffer[] = [];
  private text = Buffer.allocUnsafe(TEXT_CHUNK);
  private pos = 0;
  private readonly encoder = new StateEncoder();

  constructor(private readonly write: (parts: ReadonlyArray<Buffer>) => void) {}

  /** Append the line of event i (Init when action is undefined). */
  event(i: number, action: Action | undefined, next: Cluster): void {
    const fragments = this.encoder.encode(next);
    if (this.parts.length + fragments.length + 2 > MAX_PARTS) this.flush();
    this.print(eventPrefix(i, action));
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
