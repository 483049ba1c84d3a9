/**
 * Per-node traces of real runs (traces/FORMAT.md, "Per-node traces of real runs"): each process
 * of a real cluster logs the spec actions it takes with its own part of the per-process spec
 * variables (currentTerm[self], log[self], …), a Lamport timestamp and a clock reading; the
 * validator merges the files of one run into one partial trace (src/trace/merge.ts).
 *
 * This module is the writing side a protocol's replica uses: `OwnState` prints one process's
 * part of every per-process variable of the protocol's variable table, whole (for the first
 * event of a run) or as version-3 updates whose paths start at the process's own key.
 */
import type { Schema } from "../core/schema.js";
import type { Variable } from "../core/variables.js";
import { diffPart } from "./updates.js";

export const NODE_TRACE_FORMAT = "lockstep-node-trace";
export const NODE_TRACE_VERSION = 1;

/**
 * The clock a node trace's `clock` member reads, in milliseconds: the wall clock at the
 * process's start (performance.timeOrigin) plus the monotonic time since (performance.now()).
 * The processes of one machine read the same system clock at their start, so their readings
 * are comparable to within how far the wall clock was slewed in between (NTP), and no reading
 * goes backwards within a process. The merge orders by Lamport timestamps; the clock only breaks
 * their ties, so a skewed clock cannot put a receive before its send.
 */
export const traceClock = (): number =>
  Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;

/** The per-process variables of a table: functions from process ids to a part's value. */
const perProcessVariables = <S>(variables: ReadonlyArray<Variable<S>>) =>
  variables.flatMap((v) =>
    v.processes !== undefined && v.schema.t === "fun" ? [{ v, val: v.schema.val as Schema }] : [],
  );

/** One process's part of the per-process spec variables, printed as its node trace logs them. */
export class OwnState<P> {
  private readonly vars: ReadonlyArray<{ v: Variable<unknown>; val: Schema }>;
  private readonly key: string;
  /** The text of each variable's part at the last call (canonical JSON). */
  private shares: string[] | undefined;

  constructor(
    // biome-ignore lint/suspicious/noExplicitAny: any protocol's state type
    variables: ReadonlyArray<Variable<any>>,
    readonly id: string,
  ) {
    this.vars = perProcessVariables(variables);
    this.key = JSON.stringify(id);
  }

  /** The variables a node logs (its own part of each). */
  get logged(): ReadonlyArray<string> {
    return this.vars.map((x) => x.v.name);
  }

  private read(p: P): string[] {
    return this.vars.map(({ v }) => v.partJson(this.id, v.part(p)));
  }

  /** `{"<variable>":<p's part>,…}`: the first event's own state. */
  stateJson(p: P): string {
    this.shares = this.read(p);
    const shares = this.shares;
    return `{${this.vars.map(({ v }, k) => `${JSON.stringify(v.name)}:${shares[k]}`).join(",")}}`;
  }

  /** `{"<variable>":[operations],…}`: what changed in p's parts since the last call. */
  updatesJson(p: P): string {
    const next = this.read(p);
    const prev = this.shares;
    this.shares = next;
    const out: string[] = [];
    this.vars.forEach(({ v, val }, k) => {
      const b = next[k] as string;
      const a = prev?.[k];
      if (a === b) return;
      const ops: string[] = [];
      if (a === undefined) ops.push(`{"op":"set","path":[${this.key}],"value":${b}}`);
      else diffPart(val, a, b, [this.key], ops);
      out.push(`${JSON.stringify(v.name)}:[${ops.join(",")}]`);
    });
    return `{${out.join(",")}}`;
  }

  /**
   * `{"<variable>":[set p's part],…}` for every variable: the event of a process that starts
   * again from its durable state, which does not know what its previous run logged last (the
   * validator then checks the recovered state against it).
   */
  resetJson(p: P): string {
    this.shares = this.read(p);
    const shares = this.shares;
    return `{${this.vars
      .map(
        ({ v }, k) =>
          `${JSON.stringify(v.name)}:[{"op":"set","path":[${this.key}],"value":${shares[k]}}]`,
      )
      .join(",")}}`;
  }
}
