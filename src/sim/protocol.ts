/**
 * What `npm run sim` needs from a protocol, and the registry of those it can simulate. A new
 * protocol implements a SimDriver (engine.ts) and a TraceAbstraction (trace.ts), wraps them in
 * a SimProtocol and adds it to `simProtocols`.
 */
import type * as O from "fp-ts/lib/Option.js";
import type { Violation } from "./engine.js";
import type { Fault } from "./faults.js";
import { paxosProtocol } from "./paxos/protocol.js";
import { raftProtocol } from "./raft/protocol.js";

/** Options as the command line gives them; the protocol-specific lists are still text. */
export interface RunOptions {
  readonly steps: number;
  /** Raft: |Server| (default 3). */
  readonly servers?: number;
  /** Paxos: |Acceptor|, |Leader|, |Replica| and WINDOW (default 3, 2, 2, 2: f = 1). */
  readonly acceptors?: number;
  readonly leaders?: number;
  readonly replicas?: number;
  readonly window?: number;
  readonly faults: ReadonlyArray<Fault>;
  /** Comma-separated bug switches (the protocol's names). */
  readonly bugs?: string;
  /** Comma-separated invariants to check (default: all). */
  readonly invariants?: string;
  readonly maxMessages?: number;
  /** Write trace format version 1 (every variable on every line) instead of version 2. */
  readonly fullState?: boolean;
}

export interface RunReport {
  /** Events after Init. */
  readonly steps: number;
  readonly violation: O.Option<Violation>;
  /** The trace's header line (without the newline). */
  readonly header: string;
  /** Facts about a run for its one-line summary, e.g. "events=500 leaders=3". */
  readonly summary: string;
}

/** Writes one run's event lines (see TraceWriter); the header is returned, not written. */
export type TraceSink = (parts: ReadonlyArray<Buffer>) => void;

export interface SimProtocol {
  readonly name: string;
  readonly bugNames: ReadonlyArray<string>;
  readonly invariantNames: ReadonlyArray<string>;
  /**
   * Check the options (throw an Error with a one-line message naming a bad value) and return
   * the runner of one seed; without `write` no trace is printed.
   */
  prepare(o: RunOptions): (seed: number, write?: TraceSink) => RunReport;
}

export const simProtocols: ReadonlyMap<string, SimProtocol> = new Map(
  [raftProtocol, paxosProtocol].map((p) => [p.name, p]),
);

/** The protocol called `name`, or a one-line Error listing the known ones. */
export function simProtocol(name: string): SimProtocol {
  const p = simProtocols.get(name);
  if (p === undefined)
    throw new Error(
      `unknown protocol "${name}"; known protocols: ${[...simProtocols.keys()].join(", ")}`,
    );
  return p;
}
