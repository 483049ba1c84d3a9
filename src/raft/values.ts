/**
 * Raft's values as the spec has them (traces/FORMAT.md): ids as strings, log entries, snapshots
 * and the five RPCs as records with exactly the spec's fields, Nil for "no value", sets of servers.
 * Canonical order, equality, the trace encoding and the schemas all derive from these.
 */
import * as V from "../core/spec-value.js";
import type {
  AppendEntriesRequest,
  AppendEntriesResponse,
  Command,
  Entry,
  InstallSnapshotRequest,
  Message,
  RequestVoteRequest,
  RequestVoteResponse,
  Snapshot,
} from "./codec.js";

/** The spec's Nil model value. */
export const NIL = "Nil";

export const server = V.str;
export const serverSet = V.set(V.str);

/** A log entry: a client value (old = new = {}) or a configuration (value = Nil). */
export const entry = V.record<Entry>({
  term: V.int,
  value: V.nilOr(V.str, NIL),
  old: serverSet,
  new: serverSet,
});

export const log = V.seq(entry);

/** A state-machine command: an entry without its term (the spec's CommandOf). */
export const command = V.record<Command>({
  value: V.nilOr(V.str, NIL),
  old: serverSet,
  new: serverSet,
});

/** A snapshot: last included index and term, configuration there, commands applied. */
export const snapshot = V.record<Snapshot>({
  index: V.int,
  term: V.int,
  old: serverSet,
  new: serverSet,
  value: V.seq(command),
});

export const message = V.tagged<Message, "mtype">("mtype", {
  RequestVoteRequest: V.record<RequestVoteRequest>({
    mtype: V.literal(),
    mterm: V.int,
    mlastLogTerm: V.int,
    mlastLogIndex: V.int,
    msource: server,
    mdest: server,
  }),
  RequestVoteResponse: V.record<RequestVoteResponse>({
    mtype: V.literal(),
    mterm: V.int,
    mvoteGranted: V.bool,
    msource: server,
    mdest: server,
  }),
  AppendEntriesRequest: V.record<AppendEntriesRequest>({
    mtype: V.literal(),
    mterm: V.int,
    mprevLogIndex: V.int,
    mprevLogTerm: V.int,
    mentries: log,
    mcommitIndex: V.int,
    msource: server,
    mdest: server,
  }),
  AppendEntriesResponse: V.record<AppendEntriesResponse>({
    mtype: V.literal(),
    mterm: V.int,
    msuccess: V.bool,
    mmatchIndex: V.int,
    msource: server,
    mdest: server,
  }),
  InstallSnapshotRequest: V.record<InstallSnapshotRequest>({
    mtype: V.literal(),
    mterm: V.int,
    msnapshot: snapshot,
    msource: server,
    mdest: server,
  }),
});
