/**
 * The lock service's state (spec/locks/Locks.tla), grouped as the spec's prose groups it: the
 * master's replicated state (what the log holds: sessions, the lease logged at creation, the
 * locks), its volatile state (the leases KeepAlives extend without a log write, which a new
 * master does not know), each client's own view, the network, the downstream resource, and
 * real time. Sets are canonical arrays (core/set.ts), so equal states are equal values.
 */
export type ClientId = string;
export type LockId = string;

/** The master's view of a session (session[c]). */
export type SessionStatus = "none" | "live" | "ended";
/** The client's view of its session (cs[c]): "lost" once it gave the session up. */
export type ClientSessionStatus = "none" | "live" | "lost";
/** Whether a KeepAlive's answer is on its way to the client (ka[c]). */
export type KeepAliveStatus = "idle" | "answered";
/** The modes a client asks for. */
export type LockMode = "exclusive" | "shared";
/** A lock's mode on the service: "none" while it is free. */
export type HeldMode = LockMode | "none";

/** A queued acquire: [client, mode]. */
export interface Waiter {
  readonly client: ClientId;
  readonly mode: LockMode;
}

/**
 * A sequenced message: a release request, a grant or a write, each [client, lock, gen] (the
 * spec's ReleaseRequest, Grant and Write have the same fields).
 */
export interface Sequenced {
  readonly client: ClientId;
  readonly lock: LockId;
  readonly gen: number;
}
export type ReleaseRequest = Sequenced;
export type Grant = Sequenced;
export type Write = Sequenced;

/** A session as the log has it: session[c] and loggedLease[c]. */
export interface LoggedSession {
  readonly status: SessionStatus;
  readonly loggedLease: number;
}

/** One lock on the service: holders, mode, gen, waiting and delayUntil of l. */
export interface LockState {
  /** Canonical id set. */
  readonly holders: ReadonlyArray<ClientId>;
  readonly mode: HeldMode;
  readonly gen: number;
  /** Canonical set (values.ts waiters). */
  readonly waiting: ReadonlyArray<Waiter>;
  readonly delayUntil: number;
}

/** What the master's log holds: a new master starts from exactly this. */
export interface Replicated {
  readonly sessions: ReadonlyMap<ClientId, LoggedSession>;
  readonly locks: ReadonlyMap<LockId, LockState>;
}

/** What only the serving master knows: each session's current lease (lease[c]). */
export interface Volatile {
  readonly lease: ReadonlyMap<ClientId, number>;
}

export interface Master {
  readonly replicated: Replicated;
  readonly volatile: Volatile;
}

/** One client: its clock, its view of its session and lease, its KeepAlive, its locks. */
export interface ClientState {
  readonly clock: number;
  readonly cs: ClientSessionStatus;
  /** Where its lease ends, on its own clock. */
  readonly expiry: number;
  readonly ka: KeepAliveStatus;
  /** Its clock when it sent the KeepAlive whose answer is on its way (0: none). */
  readonly kaSent: number;
  /** The generation it believes it holds each lock under (0: it does not). */
  readonly held: ReadonlyMap<LockId, number>;
}

/** The messages in flight, each a canonical set (a copy of a request is the same element). */
export interface Network {
  readonly requests: ReadonlyArray<ReleaseRequest>;
  readonly grants: ReadonlyArray<Grant>;
  readonly writes: ReadonlyArray<Write>;
}

/**
 * The last write the resource applied to a lock; NoWrite is client "none", gen 0. `stale` is the
 * spec's history field (read by no transition): whether that write's sequencer was stale when
 * applied, so that ResourceNeverStale is a state invariant.
 */
export interface Applied {
  readonly client: ClientId | "none";
  readonly gen: number;
  readonly stale: boolean;
}

/** The spec's whole state, with the constants the transitions read. */
export interface State {
  readonly env: Env;
  /** Real time, and the master's clock. */
  readonly now: number;
  readonly master: Master;
  readonly clients: ReadonlyMap<ClientId, ClientState>;
  readonly network: Network;
  readonly resource: ReadonlyMap<LockId, Applied>;
}

/** The spec's Bug* constants: test-only switches for classic mistakes. */
export interface Bugs {
  /** The resource accepts any sequencer. */
  readonly noFencing: boolean;
  /** A waiter is granted the lock without re-checking its session (etcd#11456). */
  readonly grantWithoutSessionCheck: boolean;
  /** A release frees the lock by name, whoever holds it now (etcd#22082). */
  readonly releaseByName: boolean;
  /** A new master restores each lease from the log instead of extending it. */
  readonly noLeaseExtension: boolean;
  /** The client does not shorten its lease by the clock-error bound. */
  readonly noDriftMargin: boolean;
}
export type BugName = keyof Bugs;
export const bugNames: ReadonlyArray<BugName> = [
  "noFencing",
  "grantWithoutSessionCheck",
  "releaseByName",
  "noLeaseExtension",
  "noDriftMargin",
];
export const noBugs: Bugs = {
  noFencing: false,
  grantWithoutSessionCheck: false,
  releaseByName: false,
  noLeaseExtension: false,
  noDriftMargin: false,
};

/** The spec's constants (Client, Lock, Mode, Lease, Grace, LockDelay, Drift) and its bugs. */
export interface Env {
  readonly clients: ReadonlyArray<ClientId>;
  readonly locks: ReadonlyArray<LockId>;
  readonly modes: ReadonlyArray<LockMode>;
  readonly lease: number;
  readonly grace: number;
  readonly lockDelay: number;
  readonly drift: number;
  readonly bugs: Bugs;
}
