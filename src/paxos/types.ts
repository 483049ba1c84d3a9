/**
 * Multi-Paxos (PMMC) state and effect types. Codec-backed types (ballots, commands, pvalues,
 * messages, persisted state) live in codec.ts. Leader and acceptor state is split into what
 * survives a restart and what does not, so RestartLeader is "keep the one, rebuild the other".
 */
import type { ServerId, ValueId } from "../core/ids.js";
import type {
  AcceptorPersistent,
  Ballot,
  Command,
  LeaderPersistent,
  Message,
  Pvalue,
  SlotCmd,
} from "./codec.js";

export type {
  AcceptorPersistent,
  Ballot,
  CollectedMsg,
  Command,
  DecisionMsg,
  ExecutedMsg,
  LeaderPersistent,
  Message,
  P1aMsg,
  P1bMsg,
  P2aMsg,
  P2bMsg,
  ProposeMsg,
  Pvalue,
  SlotCmd,
} from "./codec.js";

export type ReplicaId = ServerId;
export type LeaderId = ServerId;
export type AcceptorId = ServerId;

/** A replica (PMMC's Replica): it has no persistent state in the spec and never restarts. */
export interface ReplicaState {
  readonly id: ReplicaId;
  readonly slotIn: number;
  readonly slotOut: number;
  /** Canonical sets (values.ts). */
  readonly requests: ReadonlyArray<Command>;
  readonly proposals: ReadonlyArray<SlotCmd>;
  readonly decisions: ReadonlyArray<SlotCmd>;
  /** replicaLeaders[r]: the leaders it proposes to (canonical id set). */
  readonly leaders: ReadonlyArray<LeaderId>;
  /** The client commands applied to the state machine, in order. */
  readonly executed: ReadonlyArray<Command>;
}

/** A commander (PMMC phase 2) of its leader; `leader` is implicit in where it lives. */
export interface Commander {
  readonly ballot: Ballot;
  readonly slot: number;
  readonly cmd: Command;
  /** Acceptors whose P2b it still waits for (canonical id set). */
  readonly waitFor: ReadonlyArray<AcceptorId>;
}

/** A leader's state lost on RestartLeader, its scout and its commanders included. */
export interface LeaderVolatile {
  readonly active: boolean;
  /** leaderProposals[l] (canonical set). */
  readonly proposals: ReadonlyArray<SlotCmd>;
  /** leaderCollected[l]: the highest watermark an acceptor told it (slots below are collected). */
  readonly collected: number;
  /** A scout (PMMC phase 1) for ballotNum is running. */
  readonly scouting: boolean;
  readonly scoutWaitFor: ReadonlyArray<AcceptorId>;
  readonly scoutPvalues: ReadonlyArray<Pvalue>;
  /** Canonical set (values.ts: commanders). */
  readonly commanders: ReadonlyArray<Commander>;
}

export interface LeaderState {
  readonly id: LeaderId;
  readonly persistent: LeaderPersistent;
  readonly volatile: LeaderVolatile;
}

/** An acceptor: all its state is persistent. */
export interface AcceptorState {
  readonly id: AcceptorId;
  readonly persistent: AcceptorPersistent;
}

/** The spec's Bug* constants: test-only switches for classic mistakes. */
export interface Bugs {
  /** A scout's adoption keeps the leader's own proposals instead of the highest pvalues. */
  readonly ignorePvalues: boolean;
  /** An acceptor accepts a P2a whatever its ballot. */
  readonly acceptLowerBallot: boolean;
  /** A replica performs any decided slot at or after slotOut, skipping undecided ones. */
  readonly executeOutOfOrder: boolean;
  /** A scout declares adoption after any P1b of its ballot, not a majority. */
  readonly minorityAdoption: boolean;
  /** A commander counts a P2b at its ballot that answers another commander's P2a. */
  readonly p2bForAnyCommander: boolean;
  /** An acceptor accepting a slot it holds a pvalue for keeps the old pvalue there. */
  readonly keepLowerPvalue: boolean;
  /** An acceptor collects the slots below the highest slotOut reported, not the lowest. */
  readonly collectUnexecuted: boolean;
}
export type BugName = keyof Bugs;
export const bugNames: ReadonlyArray<BugName> = [
  "ignorePvalues",
  "acceptLowerBallot",
  "executeOutOfOrder",
  "minorityAdoption",
  "p2bForAnyCommander",
  "keepLowerPvalue",
  "collectUnexecuted",
];
export const noBugs: Bugs = {
  ignorePvalues: false,
  acceptLowerBallot: false,
  executeOutOfOrder: false,
  minorityAdoption: false,
  p2bForAnyCommander: false,
  keepLowerPvalue: false,
  collectUnexecuted: false,
};

/** The spec's constants that transitions read. */
export interface Env {
  /** Acceptor (canonical set). */
  readonly acceptors: ReadonlyArray<AcceptorId>;
  /** LeaderOrder: every leader once; Rank(l) is its position + 1. */
  readonly leaderOrder: ReadonlyArray<LeaderId>;
  /** Replica (canonical set). */
  readonly replicas: ReadonlyArray<ReplicaId>;
  /** InitLeaders (canonical set). */
  readonly initLeaders: ReadonlyArray<LeaderId>;
  /** Window (>= 1). */
  readonly window: number;
  readonly bugs: Bugs;
}

/** What a transition asks its runtime to do. */
export type Effect =
  | { readonly type: "send"; readonly message: Message }
  /** Remove one copy of a message from the network (it was handled or lost). */
  | { readonly type: "discard"; readonly message: Message }
  /** Write a leader's ballot to disk before sending anything. */
  | { readonly type: "persistLeader"; readonly state: LeaderPersistent }
  /** Write an acceptor's state to disk before replying. */
  | { readonly type: "persistAcceptor"; readonly state: AcceptorPersistent }
  /** Hand a performed client operation to the state machine; they come in slot order. */
  | { readonly type: "apply"; readonly slot: number; readonly op: ValueId };

/** A transition's result: the role's next state and what the runtime must do. */
export interface Step<S> {
  readonly state: S;
  readonly effects: ReadonlyArray<Effect>;
}
