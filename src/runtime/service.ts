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
}

export interface ReplicaFactory {
  create(o: ReplicaOptions): Replica;
}
