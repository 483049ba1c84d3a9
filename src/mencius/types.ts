/**
 * Mencius state and effect types. Codec-backed types (votes, messages, the durable state) live
 * in codec.ts. A server's state is split into what survives a restart (its disk) and the
 * rounds it coordinates (lost), so Restart is "keep the one, rebuild the other".
 */
import type { ServerId, ValueId } from "../core/ids.js";
import type { Command, Durable, Message, Vote } from "./codec.js";

export type {
  AcceptMsg,
  Command,
  Durable,
  LearnMsg,
  Message,
  PrepareMsg,
  PromiseMsg,
  ProposeMsg,
  SkipMsg,
  SuggestMsg,
  Vote,
} from "./codec.js";

/** A revoker's phase 1 in one instance: its ballot, who promised, the highest vote read. */
export interface PrepareRound {
  readonly bal: number;
  /** Canonical id set. */
  readonly heard: ReadonlyArray<ServerId>;
  readonly vote: Vote;
}

/** A coordinator's phase 2 in one instance (ballot 0: the owner's suggestion). */
export interface AcceptRound {
  readonly bal: number;
  readonly val: Command;
  /** Canonical id set: the acceptors that accepted. */
  readonly heard: ReadonlyArray<ServerId>;
}

/** The rounds a server coordinates, per instance: lost on Restart. */
export interface Rounds {
  readonly prepares: ReadonlyMap<number, PrepareRound>;
  readonly accepts: ReadonlyMap<number, AcceptRound>;
}

/** One Mencius server: owner of its instances, acceptor and learner of all, and a replica. */
export interface ServerState {
  readonly id: ServerId;
  readonly durable: Durable;
  readonly rounds: Rounds;
}

/** The spec's Bug* constants: test-only switches for classic mistakes. */
export interface Bugs {
  /** A revocation proposes the no-op at once, without phase 1. */
  readonly revokeWithoutRead: boolean;
  /** An owner suggests in its lowest skipped instance (Rule 1 forgetting the skips). */
  readonly suggestSkipped: boolean;
  /** A server executes the lowest learned instance above its last, unlearned ones skipped. */
  readonly executeEarly: boolean;
  /** An acceptor answers PREPARE without recording its promise. */
  readonly noPromise: boolean;
}
export type BugName = keyof Bugs;
export const bugNames: ReadonlyArray<BugName> = [
  "revokeWithoutRead",
  "suggestSkipped",
  "executeEarly",
  "noPromise",
];
export const noBugs: Bugs = {
  revokeWithoutRead: false,
  suggestSkipped: false,
  executeEarly: false,
  noPromise: false,
};

/** The spec's constants that transitions read. */
export interface Env {
  /** Server, in ServerOrder: instance k * N + r + 1 belongs to servers[r]. */
  readonly servers: ReadonlyArray<ServerId>;
  readonly bugs: Bugs;
}

/** What a transition asks its runtime to do. */
export type Effect =
  | { readonly type: "send"; readonly message: Message }
  /** Remove one copy of a message from the network (it was handled or lost). */
  | { readonly type: "discard"; readonly message: Message }
  /** Write the server's durable state to disk before sending anything. */
  | { readonly type: "persist"; readonly state: Durable }
  /** Hand an executed client command to the state machine; they come in instance order. */
  | { readonly type: "apply"; readonly inst: number; readonly op: ValueId };

/** A transition's result: the server's next state and what the runtime must do. */
export interface Step<S> {
  readonly state: S;
  readonly effects: ReadonlyArray<Effect>;
}
