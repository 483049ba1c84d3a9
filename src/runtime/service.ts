/**
 * What the runtime needs from a protocol to run it as a real service: a replica of a
 * replicated log that a process feeds with ticks, peers' frames, client values and member
 * changes, and that answers each with its work (records to make durable, then frames to send,
 * then committed values to apply). A protocol module supplies a `ReplicaFactory`; this folder
 * knows no protocol.
 */

/** A protocol's work after one input, in the order the runtime must do it. */
export interface Work {
  /** Records to append to the durable log before anything below happens. */
  readonly records: ReadonlyArray<unknown>;
  /** Frames for peers (JSON values the protocol's codec made). */
  readonly send: ReadonlyArray<{ readonly to: string; readonly frame: unknown }>;
  /** The state machine starts again from scratch before `commit` is applied. */
  readonly reset: boolean;
  /** Newly committed log entries, in index order: client values, or null for the protocol's own. */
  readonly commit: ReadonlyArray<{ readonly index: number; readonly value: string | null }>;
  /** With tracing on: the spec actions this input took, in order (traces/FORMAT.md). */
  readonly trace?: ReadonlyArray<TraceStep>;
}

/**
 * One spec action of a node's trace (traces/FORMAT.md, "Per-node traces of real runs"): its
 * name, its parameters and what it changed in the node's own part of the spec variables, as
 * JSON texts the protocol's trace tables printed; the runtime adds the Lamport timestamp and
 * the clock.
 */
export interface TraceStep {
  readonly action: string;
  /** `{"<param>":<ITF value>,…}`. */
  readonly params: string;
  /** Version-3 updates, every path starting at the node's own id. */
  readonly updates: string;
  /** Elements this step adds to set-valued constants (e.g. a client value), as ITF sets. */
  readonly constants?: Readonly<Record<string, unknown>>;
}

/** What a node trace starts with: the header's facts and the node's first event. */
export interface TraceStart {
  readonly protocol: string;
  /** The spec's constants as far as this node knows them (ITF values). */
  readonly constants: Readonly<Record<string, unknown>>;
  /** The per-process variables the node logs its part of. */
  readonly logged: ReadonlyArray<string>;
  /** A node booting with an empty durable log: its part of Init's state, `{"<variable>":…}`. */
  readonly init: string;
  /** A node booting from its durable log: the spec's restart of it, every own part set. */
  readonly restart: TraceStep;
}

export type Outcome =
  | { readonly ok: true; readonly work: Work }
  | { readonly ok: false; readonly reason: string; readonly leader: string | undefined };

export interface Replica {
  /** One tick of the process clock. */
  tick(): Work;
  /** A frame from a peer; a frame the protocol's codec rejects is an error (the text says why). */
  receive(
    frame: unknown,
  ): { readonly ok: true; readonly work: Work } | { readonly ok: false; readonly reason: string };
  /** A client value to replicate: accepted by a leader, else refused with the leader it knows. */
  propose(value: string): Outcome;
  /** An operator's new member set. */
  changeMembers(members: ReadonlyArray<string>): Outcome;
  /** The leader this replica knows of, if any. */
  leader(): string | undefined;
  isLeader(): boolean;
  /** Facts for a status request (term, role, commit index, members …). */
  status(): Readonly<Record<string, unknown>>;
  /** With tracing on (ReplicaOptions.trace), how this node's trace starts; else undefined. */
  traceStart?(): TraceStart | undefined;
}

export interface ReplicaOptions {
  readonly id: string;
  /** Every server that may ever be a member. */
  readonly servers: ReadonlyArray<string>;
  /** The members before any membership change (default: all servers). */
  readonly initialMembers: ReadonlyArray<string>;
  /** The records the durable log held on start (a UserError if they do not decode). */
  readonly records: ReadonlyArray<unknown>;
  /** Seeds the protocol's randomized timers. */
  readonly seed: number;
  /** Log the spec actions taken (Work.trace). */
  readonly trace?: boolean;
}

export interface ReplicaFactory {
  create(o: ReplicaOptions): Replica;
}
