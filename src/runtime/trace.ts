/**
 * A node's trace of its spec actions (`npm run node -- --trace FILE`; traces/FORMAT.md,
 * "Per-node traces of real runs"): the replica says which actions each input took and what
 * they changed in its own part of the spec variables (Work.trace); this writer stamps each with
 * a Lamport timestamp and the machine's clock and appends it to the file. Frames to peers carry
 * the sender's Lamport clock (a `lamport` member next to the protocol's fields), and a received
 * one moves this node's clock past it, so a receive is stamped after its send.
 *
 * A node that starts with an empty durable log writes the header and its part of Init; one that
 * starts from its log (a restart) appends the spec's restart of it to the trace of its earlier
 * runs, continuing their Lamport clock. Lines are written with one write per batch of work,
 * before the batch's records go to the durable log (see node.ts).
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../core/errors.js";
import { NODE_TRACE_FORMAT, NODE_TRACE_VERSION, traceClock } from "../trace/node-trace.js";
import type { Replica, TraceStep, Work } from "./service.js";

/** The member of a peer frame that carries the sender's Lamport clock. */
export const STAMP = "lamport";

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** A peer frame without its Lamport stamp, and the stamp (undefined: none, or not a count). */
export function unstamp(frame: unknown): { frame: unknown; lamport: number | undefined } {
  if (!isObject(frame) || !(STAMP in frame)) return { frame, lamport: undefined };
  const { [STAMP]: l, ...rest } = frame;
  const ok = typeof l === "number" && Number.isSafeInteger(l) && l >= 0;
  return { frame: rest, lamport: ok ? l : undefined };
}

export class TraceWriter {
  private pending: string[] = [];

  constructor(
    private readonly fd: number,
    private lamport: number,
  ) {}

  /** One event line: the step stamped with the next Lamport timestamp and the clock. */
  line(s: TraceStep): string {
    this.lamport++;
    const constants =
      s.constants === undefined ? "" : `,"constants":${JSON.stringify(s.constants)}`;
    return `{"lamport":${this.lamport},"clock":${traceClock()},"action":${JSON.stringify(s.action)},"params":${s.params},"updates":${s.updates}${constants}}\n`;
  }

  /** Stamp the steps of a replica's work now, in order; they are written by `flush`. */
  steps(w: Work): void {
    for (const s of w.trace ?? []) this.pending.push(this.line(s));
  }

  /** Write the stamped lines (one write, to the page cache: a kill -9 keeps them). */
  flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
  }

  /** A frame to a peer with this node's Lamport clock (at least its sending event's stamp). */
  stamp(frame: unknown): unknown {
    return isObject(frame) ? { ...frame, [STAMP]: this.lamport } : frame;
  }

  /** A frame from a peer: this node's clock moves past the sender's; the frame without it. */
  receive(frame: unknown): unknown {
    const u = unstamp(frame);
    if (u.lamport !== undefined) this.lamport = Math.max(this.lamport, u.lamport);
    return u.frame;
  }

  /**
   * Close the file. Lines not yet flushed are dropped: their batch's records never reached the
   * durable log, so for the spec those steps did not happen (nothing of them was sent either).
   */
  close(): void {
    this.pending = [];
    closeSync(this.fd);
  }
}

const readOrEmpty = (file: string): string => {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw new UserError(
      `--trace ${file}: cannot read (${(e as NodeJS.ErrnoException).code}); check the path`,
    );
  }
};

/**
 * Open node `id`'s trace file: a new trace (header and Init) when the file is absent or empty,
 * else the restart appended to it. `records`: how many records the durable log held on start.
 */
export function openTrace(
  file: string,
  id: string,
  servers: ReadonlyArray<string>,
  replica: Replica,
  records: number,
): TraceWriter {
  const start = replica.traceStart?.();
  if (start === undefined)
    throw new UserError("--trace: this protocol's replica does not write traces");
  const text = readOrEmpty(file);
  if (text.trim() === "") {
    if (records > 0)
      throw new UserError(
        `--trace ${file}: the node's durable log holds ${records} records but its trace is new; a trace starts at the node's first boot (give the trace of its earlier runs, or remove the data directory to start afresh)`,
      );
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(file, "w");
    const header = {
      format: NODE_TRACE_FORMAT,
      version: NODE_TRACE_VERSION,
      protocol: start.protocol,
      node: id,
      servers,
      logged: start.logged,
      constants: start.constants,
    };
    const init = `{"lamport":1,"clock":${traceClock()},"action":"Init","params":{},"state":${start.init}}\n`;
    writeSync(fd, `${JSON.stringify(header)}\n${init}`);
    return new TraceWriter(fd, 1);
  }
  // A restart: continue after the last complete line (a torn last line is cut off).
  const end = text.endsWith("\n") ? text.length : text.lastIndexOf("\n") + 1;
  const lines = text
    .slice(0, end)
    .split("\n")
    .filter((l) => l.trim() !== "");
  const parse = (l: string | undefined): Record<string, unknown> | undefined => {
    try {
      const v: unknown = JSON.parse(l ?? "");
      return isObject(v) ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const header = parse(lines[0]);
  if (header?.format !== NODE_TRACE_FORMAT || header.node !== id)
    throw new UserError(
      `--trace ${file}: not the trace of node ${id} (its first line is not a ${NODE_TRACE_FORMAT} header of ${id}); give this node's trace file or a new path`,
    );
  const last = parse(lines.at(-1))?.lamport;
  if (lines.length < 2 || typeof last !== "number")
    throw new UserError(
      `--trace ${file}: its last line has no Lamport timestamp; give this node's trace file or a new path`,
    );
  const fd = openSync(file, "r+");
  if (end < Buffer.byteLength(text)) ftruncateSync(fd, Buffer.byteLength(text.slice(0, end)));
  closeSync(fd);
  const w = new TraceWriter(openSync(file, "a"), last);
  w.steps({ records: [], send: [], reset: false, commit: [], trace: [start.restart] });
  w.flush();
  return w;
}
