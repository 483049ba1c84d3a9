/**
 * io-ts codecs for everything that crosses a boundary: log entries, snapshots, the five RPCs
 * (with exactly the fields of the spec's message records) and the persisted state. The TS types are derived
 * from the codecs, so the wire shape and the spec shape cannot drift apart.
 */
import { isRight } from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { Nat, refined, ServerSet } from "../core/codec.js";

export { Nat, ServerSet };

export const ServerIdC = t.string;

const EntryShape = t.readonly(
  t.strict({ term: Nat, value: t.union([t.string, t.null]), old: ServerSet, new: ServerSet }),
);

/**
 * One record shape for every log entry, as in the spec: a client value (old = new = {}) or a
 * configuration (value = Nil, new non-empty; joint iff old ≠ new).
 */
export const Entry = refined(
  "Entry",
  EntryShape,
  wellFormed,
  "a value entry has no members; a config entry has no value",
);
export type Entry = t.TypeOf<typeof Entry>;

function wellFormed(e: t.TypeOf<typeof EntryShape>): boolean {
  return e.value === null ? e.new.length > 0 : e.old.length === 0 && e.new.length === 0;
}

/** A command of the state machine: an entry without its term (the spec's CommandOf). */
export const Command = t.readonly(
  t.strict({ value: t.union([t.string, t.null]), old: ServerSet, new: ServerSet }),
);
export type Command = t.TypeOf<typeof Command>;

const SnapshotShape = t.readonly(
  t.strict({
    index: Nat,
    term: Nat,
    old: ServerSet,
    new: ServerSet,
    value: t.readonlyArray(Command),
  }),
);

/**
 * A snapshot as the spec has it: the last index and term it includes, the configuration in
 * force there, and the state machine's value there, abstracted as the commands of entries
 * 1..index (what a replica has applied).
 */
export const Snapshot = refined(
  "Snapshot",
  SnapshotShape,
  (s) => s.value.length === s.index,
  "a snapshot's value holds one command per index it includes",
);
export type Snapshot = t.TypeOf<typeof Snapshot>;

export const RequestVoteRequest = t.readonly(
  t.strict({
    mtype: t.literal("RequestVoteRequest"),
    mterm: Nat,
    mlastLogTerm: Nat,
    mlastLogIndex: Nat,
    msource: ServerIdC,
    mdest: ServerIdC,
  }),
);
export type RequestVoteRequest = t.TypeOf<typeof RequestVoteRequest>;

export const RequestVoteResponse = t.readonly(
  t.strict({
    mtype: t.literal("RequestVoteResponse"),
    mterm: Nat,
    mvoteGranted: t.boolean,
    msource: ServerIdC,
    mdest: ServerIdC,
  }),
);
export type RequestVoteResponse = t.TypeOf<typeof RequestVoteResponse>;

export const AppendEntriesRequest = t.readonly(
  t.strict({
    mtype: t.literal("AppendEntriesRequest"),
    mterm: Nat,
    mprevLogIndex: Nat,
    mprevLogTerm: Nat,
    mentries: t.readonlyArray(Entry),
    mcommitIndex: Nat,
    msource: ServerIdC,
    mdest: ServerIdC,
  }),
);
export type AppendEntriesRequest = t.TypeOf<typeof AppendEntriesRequest>;

export const AppendEntriesResponse = t.readonly(
  t.strict({
    mtype: t.literal("AppendEntriesResponse"),
    mterm: Nat,
    msuccess: t.boolean,
    mmatchIndex: Nat,
    msource: ServerIdC,
    mdest: ServerIdC,
  }),
);
export type AppendEntriesResponse = t.TypeOf<typeof AppendEntriesResponse>;

export const InstallSnapshotRequest = t.readonly(
  t.strict({
    mtype: t.literal("InstallSnapshotRequest"),
    mterm: Nat,
    msnapshot: Snapshot,
    msource: ServerIdC,
    mdest: ServerIdC,
  }),
);
export type InstallSnapshotRequest = t.TypeOf<typeof InstallSnapshotRequest>;

export const Message = t.union([
  RequestVoteRequest,
  RequestVoteResponse,
  AppendEntriesRequest,
  AppendEntriesResponse,
  InstallSnapshotRequest,
]);
export type Message = t.TypeOf<typeof Message>;

const isOption = (u: unknown): u is O.Option<unknown> =>
  typeof u === "object" &&
  u !== null &&
  ((u as { _tag?: unknown })._tag === "None" || (u as { _tag?: unknown })._tag === "Some");

/** Option<A> in memory, A | null on disk. */
export const optionFromNullable = <C extends t.Mixed>(codec: C) =>
  new t.Type<O.Option<t.TypeOf<C>>, t.OutputOf<C> | null, unknown>(
    `Option<${codec.name}>`,
    (u): u is O.Option<t.TypeOf<C>> => isOption(u) && (O.isNone(u) || codec.is(u.value)),
    (u, c) => {
      if (u === null) return t.success(O.none);
      const r = codec.validate(u, c);
      return isRight(r) ? t.success(O.some(r.right)) : r;
    },
    (a) => (O.isSome(a) ? codec.encode(a.value) : null),
  );

/**
 * What a server keeps on disk: it survives Restart. The log holds the entries after the
 * snapshot; without a snapshot (none taken or installed yet) it is the spec's InitSnapshot:
 * index 0, the initial configuration, no commands.
 */
export const PersistentState = t.readonly(
  t.intersection([
    t.strict({
      currentTerm: Nat,
      votedFor: optionFromNullable(ServerIdC),
      log: t.readonlyArray(Entry),
    }),
    t.exact(t.partial({ snapshot: Snapshot })),
  ]),
);
export type PersistentState = t.TypeOf<typeof PersistentState>;
