/** Raft state and effect types. Codec-backed types (entries, messages, disk) live in codec.ts. */
import type { ServerId, ValueId } from "../core/ids.js";
import type { Entry, Message, PersistentState, Snapshot } from "./codec.js";

export type {
  AppendEntriesRequest,
  AppendEntriesResponse,
  Command,
  Entry,
  InstallSnapshotRequest,
  Message,
  PersistentState,
  RequestVoteRequest,
  RequestVoteResponse,
  Snapshot,
} from "./codec.js";

export type Role = "Follower" | "Candidate" | "Leader";

/** State lost on Restart; rebuilt by `initialVolatile`. */
export interface VolatileState {
  readonly state: Role;
  readonly commitIndex: number;
  /** Canonical set (sorted, unique). */
  readonly votesGranted: ReadonlyArray<ServerId>;
  /** Defined for every server of the cluster, as the spec's nextIndex[i] is a function on Server. */
  readonly nextIndex: ReadonlyMap<ServerId, number>;
  readonly matchIndex: ReadonlyMap<ServerId, number>;
  /** Entries 1..lastApplied went to the state machine. Implementation-only: not in the spec. */
  readonly lastApplied: number;
}

export interface RaftNode {
  readonly id: ServerId;
  readonly persistent: PersistentState;
  readonly volatile: VolatileState;
}

/** The spec's Bug* constants: test-only switches for classic mistakes. */
export interface Bugs {
  readonly oldTermCommit: boolean;
  readonly noLogCheck: boolean;
  readonly oneStepReconfig: boolean;
  readonly forgetVote: boolean;
  readonly installOldSnapshot: boolean;
}
export type BugName = keyof Bugs;
export const bugNames: ReadonlyArray<BugName> = [
  "oldTermCommit",
  "noLogCheck",
  "oneStepReconfig",
  "forgetVote",
  "installOldSnapshot",
];
export const noBugs: Bugs = {
  oldTermCommit: false,
  noLogCheck: false,
  oneStepReconfig: false,
  forgetVote: false,
  installOldSnapshot: false,
};

/** The spec's constants that transitions read. */
export interface Env {
  /** Server: every server that may ever be a member (canonical set). */
  readonly servers: ReadonlyArray<ServerId>;
  /** InitConfig: the members while a log holds no configuration entry (canonical set). */
  readonly initConfig: ReadonlyArray<ServerId>;
  readonly bugs: Bugs;
}

/** A configuration as the spec's ConfigOf returns it; joint iff old ≠ new. */
export interface Config {
  readonly old: ReadonlyArray<ServerId>;
  readonly new: ReadonlyArray<ServerId>;
}

/**
 * What a transition asks its runtime to do. The simulator performs them; a real runtime would
 * write `persist` to disk before sending anything.
 */
export type Effect =
  | { readonly type: "persist"; readonly state: PersistentState }
  | { readonly type: "send"; readonly message: Message }
  /** Remove one copy of a message from the network (it was handled or lost). */
  | { readonly type: "discard"; readonly message: Message }
  /** Hand a committed entry to the state machine; entries come in index order. */
  | { readonly type: "apply"; readonly index: number; readonly entry: Entry }
  /** Replace the state machine by a snapshot's value (an installed snapshot). */
  | { readonly type: "restore"; readonly snapshot: Snapshot }
  /** Volatile state, the state machine included, was lost: start it again from scratch. */
  | { readonly type: "reset" };

export interface NodeStep {
  readonly node: RaftNode;
  readonly effects: ReadonlyArray<Effect>;
}

/** Log entries a client request appends carry this value id; config entries carry null. */
export type EntryValue = ValueId | null;
