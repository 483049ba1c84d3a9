/**
 * io-ts codecs for what crosses a boundary: votes, the seven Mencius messages (exactly the
 * fields of the spec's message records) and a server's durable state. Sets decode into their
 * canonical form and per-instance maps into maps, so a decoded value compares equal to the one
 * the transitions build. The TS types derive from the codecs, so the wire shape and the spec
 * shape cannot drift apart.
 */
import { isRight } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { Nat, ServerSet } from "../core/codec.js";
import { insts } from "./values.js";

export { Nat, ServerSet };

/** Instances start at 1. */
export const Inst = new t.Type<number, number, unknown>(
  "Inst",
  (u): u is number => Nat.is(u) && u >= 1,
  (u, c) => (Nat.is(u) && u >= 1 ? t.success(u) : t.failure(u, c, "instances start at 1")),
  (n) => n,
);

/** A ballot of a vote: -1 (NoVote), 0 (the owner's) or a revoker's. */
export const VoteBallot = new t.Type<number, number, unknown>(
  "VoteBallot",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= -1,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= -1
      ? t.success(u)
      : t.failure(u, c, "a vote's ballot is -1 or more"),
  (n) => n,
);

/** A client command, or null for the no-op. */
export const Command = t.union([t.string, t.null]);
export type Command = t.TypeOf<typeof Command>;

/** [bal |-> b, val |-> v]: what an acceptor accepted in one instance. */
export const Vote = t.readonly(t.strict({ bal: VoteBallot, val: Command }));
export type Vote = t.TypeOf<typeof Vote>;

/** A set of instances, decoded into canonical order. */
export const InstSet = new t.Type<ReadonlyArray<number>, ReadonlyArray<number>, unknown>(
  "InstSet",
  (u): u is ReadonlyArray<number> =>
    Array.isArray(u) &&
    u.every((x) => Inst.is(x)) &&
    u.every((x, k) => k === 0 || String(u[k - 1]) < String(x)),
  (u, c) => {
    const r = t.readonlyArray(Inst).validate(u, c);
    return isRight(r) ? t.success(insts.of(r.right)) : r;
  },
  (xs) => xs,
);

/** A map over instances, as the list of its [instance, value] pairs. */
export const instMap = <C extends t.Mixed>(codec: C) =>
  new t.Type<ReadonlyMap<number, t.TypeOf<C>>, ReadonlyArray<[number, t.OutputOf<C>]>, unknown>(
    `InstMap<${codec.name}>`,
    (u): u is ReadonlyMap<number, t.TypeOf<C>> =>
      u instanceof Map && [...u].every(([k, v]) => Inst.is(k) && codec.is(v)),
    (u, c) => {
      const r = t.readonlyArray(t.tuple([Inst, codec])).validate(u, c);
      if (!isRight(r)) return r;
      const m = new Map<number, t.TypeOf<C>>(r.right.map(([k, v]) => [k, v] as const));
      return m.size === r.right.length ? t.success(m) : t.failure(u, c, "an instance twice");
    },
    (m) => [...m].map(([k, v]) => [k, codec.encode(v)] as [number, t.OutputOf<C>]),
  );

const Id = t.string;

export const SuggestMsg = t.readonly(
  t.strict({ mtype: t.literal("suggest"), minst: Inst, mval: t.string, msource: Id, mdest: Id }),
);
export const SkipMsg = t.readonly(
  t.strict({ mtype: t.literal("skip"), minsts: InstSet, msource: Id, mdest: Id }),
);
export const PrepareMsg = t.readonly(
  t.strict({ mtype: t.literal("prepare"), minst: Inst, mbal: Nat, msource: Id, mdest: Id }),
);
export const PromiseMsg = t.readonly(
  t.strict({
    mtype: t.literal("promise"),
    minst: Inst,
    mbal: Nat,
    mvote: Vote,
    msource: Id,
    mdest: Id,
  }),
);
export const ProposeMsg = t.readonly(
  t.strict({
    mtype: t.literal("propose"),
    minst: Inst,
    mbal: Nat,
    mval: Command,
    msource: Id,
    mdest: Id,
  }),
);
export const AcceptMsg = t.readonly(
  t.strict({
    mtype: t.literal("accept"),
    minst: Inst,
    mbal: Nat,
    mskips: InstSet,
    msource: Id,
    mdest: Id,
  }),
);
export const LearnMsg = t.readonly(
  t.strict({ mtype: t.literal("learn"), minst: Inst, mval: Command, msource: Id, mdest: Id }),
);

export const Message = t.union([
  SuggestMsg,
  SkipMsg,
  PrepareMsg,
  PromiseMsg,
  ProposeMsg,
  AcceptMsg,
  LearnMsg,
]);
export type Message = t.TypeOf<typeof Message>;
export type SuggestMsg = t.TypeOf<typeof SuggestMsg>;
export type SkipMsg = t.TypeOf<typeof SkipMsg>;
export type PrepareMsg = t.TypeOf<typeof PrepareMsg>;
export type PromiseMsg = t.TypeOf<typeof PromiseMsg>;
export type ProposeMsg = t.TypeOf<typeof ProposeMsg>;
export type AcceptMsg = t.TypeOf<typeof AcceptMsg>;
export type LearnMsg = t.TypeOf<typeof LearnMsg>;

/**
 * What a server keeps on disk: its next instance and its skips (so that it never suggests
 * where it skipped, nor twice in one instance), its promises and votes (so that it never goes
 * back on them), and what it learned and executed.
 */
export const Durable = t.readonly(
  t.strict({
    nextInst: Inst,
    skipped: InstSet,
    promised: instMap(Nat),
    accepted: instMap(Vote),
    learned: instMap(Command),
    executedUpTo: Nat,
    executed: t.readonlyArray(t.string),
  }),
);
export type Durable = t.TypeOf<typeof Durable>;
