/**
 * What `npm run sim` needs from a protocol: its size flags (with defaults and bounds), its bug
 * and invariant names, and the runner of one seed. A protocol module (src/<p>/module.ts)
 * supplies one; the command line and the benchmarks take everything protocol-specific from it.
 */
import type * as O from "fp-ts/lib/Option.js";
import { UserError } from "../core/errors.js";
import type { Violation } from "./engine.js";
import type { Fault } from "./faults.js";

/** A flag that sizes the simulated system, e.g. `--servers`. */
export interface SizeFlag {
  /** The flag's name without dashes, and the key of its value in RunOptions.sizes. */
  readonly name: string;
  readonly description: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** Options as the command line gives them; the protocol-specific lists are still text. */
export interface RunOptions {
  readonly steps: number;
  /** The protocol's size flags given on the command line (the rest take their defaults). */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly faults: ReadonlyArray<Fault>;
  /** Comma-separated bug switches (the protocol's names). */
  readonly bugs?: string;
  /** Comma-separated invariants to check (default: all). */
  readonly invariants?: string;
  readonly maxMessages?: number;
  /** Write trace format version 1 (every variable on every line); see traceVersion. */
  readonly fullState?: boolean;
  /** The trace format version to write (default 3, or 1 with fullState; traces/FORMAT.md). */
  readonly traceVersion?: 1 | 2 | 3;
}

export interface RunReport {
  /** Events after Init. */
  readonly steps: number;
  readonly violation: O.Option<Violation>;
  /** The trace's header line (without the newline). */
  readonly header: string;
  /** Facts about a run for its one-line summary, e.g. "events=500 leaders=3". */
  readonly summary: string;
  /** How often each action occurred. */
  readonly actions: Readonly<Record<string, number>>;
}

/** Writes one run's event lines (see TraceWriter); the header is returned, not written. */
export type TraceSink = (parts: ReadonlyArray<Buffer>) => void;

export interface SimProtocol {
  readonly sizes: ReadonlyArray<SizeFlag>;
  /** The fault kinds its simulator understands (`--faults all` means these). */
  readonly faults: ReadonlyArray<Fault>;
  readonly bugNames: ReadonlyArray<string>;
  readonly invariantNames: ReadonlyArray<string>;
  /**
   * Check the options (throw a UserError with a one-line message naming a bad value) and
   * return the runner of one seed; without `write` no trace is printed.
   */
  prepare(o: RunOptions): (seed: number, write?: TraceSink) => RunReport;
}

/** The size `name` of the options: given, else its default; a one-line error out of bounds. */
export function sizeOf(p: SimProtocol, o: RunOptions, name: string): number {
  const flag = p.sizes.find((f) => f.name === name);
  if (flag === undefined) throw new RangeError(`no size flag --${name}`);
  const n = o.sizes?.[name] ?? flag.default;
  if (!Number.isInteger(n) || n < flag.min || n > flag.max)
    throw new UserError(`--${name} ${n}: expected an integer from ${flag.min} to ${flag.max}`);
  return n;
}
