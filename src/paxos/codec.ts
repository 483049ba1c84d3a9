/**
 * io-ts codecs for what crosses a boundary: ballots, commands, pvalues, the six PMMC messages
 * (exactly the fields of the spec's message records) and the persisted leader and acceptor
 * state. Sets decode into their canonical form (sorted by canonical JSON, no duplicates), so a
 * decoded value compares equal to the one the transitions build. The TS types derive from the
 * codecs, so the wire shape and the spec shape cannot drift apart.
 */
import { isRight } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { Nat, refined, ServerSet } from "../core/codec.js";
import { setOps } from "../core/set.js";
import type { SpecValue } from "../core/spec-value.js";
import { command, pvalue, slotCmd } from "./values.js";

export { Nat, ServerSet };

/** Slots start at 1. */
export const Slot = new t.Type<number, number, unknown>(
  "Slot",
  (u): u is number => Nat.is(u) && u >= 1,
  (u, c) => (Nat.is(u) && u >= 1 ? t.success(u) : t.failure(u, c, "slots start at 1")),
  (n) => n,
);

/** A set of records decoded into canonical order, that of their spec values (core/set.ts). */
export const canonicalSet = <C extends t.Mixed>(codec: C, value: SpecValue<t.TypeOf<C>>) => {
  const set = setOps(value);
  return new t.Type<ReadonlyArray<t.TypeOf<C>>, ReadonlyArray<t.OutputOf<C>>, unknown>(
    `Set<${codec.name}>`,
    (u): u is ReadonlyArray<t.TypeOf<C>> =>
      Array.isArray(u) &&
      u.every((x) => codec.is(x)) &&
      u.every((x, k) => k === 0 || value.json(u[k - 1]) < value.json(x)),
    (u, c) => {
      const r = t.readonlyArray(codec).validate(u, c);
      return isRight(r) ? t.success(set.of(r.right)) : r;
    },
    (xs) => xs.map((x) => codec.encode(x)),
  );
};

/** [round |-> n, leader |-> l]; Bottom's leader is Nil (null here). */
export const Ballot = t.readonly(t.strict({ round: Nat, leader: t.union([t.string, t.null]) }));
export type Ballot = t.TypeOf<typeof Ballot>;

const CommandShape = t.readonly(t.strict({ op: t.union([t.string, t.null]), leaders: ServerSet }));

/**
 * A client operation [op |-> v, leaders |-> {}] or a reconfiguration
 * [op |-> Nil, leaders |-> S] with S non-empty.
 */
export const Command = refined(
  "Command",
  CommandShape,
  commandWellFormed,
  "a client command has no leaders; a reconfiguration has no op",
);
export type Command = t.TypeOf<typeof Command>;

function commandWellFormed(c: t.TypeOf<typeof CommandShape>): boolean {
  return c.op === null ? c.leaders.length > 0 : c.leaders.length === 0;
}

/** [slot |-> s, cmd |-> c]: a replica's or leader's proposal, a decision. */
export const SlotCmd = t.readonly(t.strict({ slot: Slot, cmd: Command }));
export type SlotCmd = t.TypeOf<typeof SlotCmd>;

/** [ballot |-> b, slot |-> s, cmd |-> c]: what an acceptor accepts. */
export const Pvalue = t.readonly(t.strict({ ballot: Ballot, slot: Slot, cmd: Command }));
export type Pvalue = t.TypeOf<typeof Pvalue>;

export const CommandSet = canonicalSet(Command, command);
export const SlotCmdSet = canonicalSet(SlotCmd, slotCmd);
export const PvalueSet = canonicalSet(Pvalue, pvalue);

const Id = t.string;

export const ProposeMsg = t.readonly(
  t.strict({ mtype: t.literal("propose"), mslot: Slot, mcmd: Command, msource: Id, mdest: Id }),
);
export const P1aMsg = t.readonly(
  t.strict({ mtype: t.literal("p1a"), mballot: Ballot, msource: Id, mdest: Id }),
);
export const P1bMsg = t.readonly(
  t.strict({
    mtype: t.literal("p1b"),
    mballot: Ballot,
    maccepted: PvalueSet,
    /** The acceptor's watermark: it has collected every slot below it. */
    mcollected: Slot,
    msource: Id,
    mdest: Id,
  }),
);
export const P2aMsg = t.readonly(
  t.strict({
    mtype: t.literal("p2a"),
    mballot: Ballot,
    mslot: Slot,
    mcmd: Command,
    msource: Id,
    mdest: Id,
  }),
);
/** mballot is the acceptor's ballot; mcballot the ballot of the P2a it answers (its commander's). */
export const P2bMsg = t.readonly(
  t.strict({
    mtype: t.literal("p2b"),
    mballot: Ballot,
    mcballot: Ballot,
    mslot: Slot,
    msource: Id,
    mdest: Id,
  }),
);
export const DecisionMsg = t.readonly(
  t.strict({ mtype: t.literal("decision"), mslot: Slot, mcmd: Command, msource: Id, mdest: Id }),
);

/** A replica's report to an acceptor: it has executed every slot below mslot (its slotOut). */
export const ExecutedMsg = t.readonly(
  t.strict({ mtype: t.literal("executed"), mslot: Slot, msource: Id, mdest: Id }),
);
/** An acceptor's watermark to a replica: every replica has executed every slot below mslot. */
export const CollectedMsg = t.readonly(
  t.strict({ mtype: t.literal("collected"), mslot: Slot, msource: Id, mdest: Id }),
);

export const Message = t.union([
  ProposeMsg,
  P1aMsg,
  P1bMsg,
  P2aMsg,
  P2bMsg,
  DecisionMsg,
  ExecutedMsg,
  CollectedMsg,
]);
export type Message = t.TypeOf<typeof Message>;
export type ProposeMsg = t.TypeOf<typeof ProposeMsg>;
export type P1aMsg = t.TypeOf<typeof P1aMsg>;
export type P1bMsg = t.TypeOf<typeof P1bMsg>;
export type P2aMsg = t.TypeOf<typeof P2aMsg>;
export type P2bMsg = t.TypeOf<typeof P2bMsg>;
export type DecisionMsg = t.TypeOf<typeof DecisionMsg>;
export type ExecutedMsg = t.TypeOf<typeof ExecutedMsg>;
export type CollectedMsg = t.TypeOf<typeof CollectedMsg>;

/** What a leader keeps on disk: its ballot survives RestartLeader. */
export const LeaderPersistent = t.readonly(t.strict({ ballotNum: Ballot }));
export type LeaderPersistent = t.TypeOf<typeof LeaderPersistent>;

/**
 * What an acceptor keeps on disk: its ballot, per slot the pvalue of the highest ballot, and
 * the highest slotOut each replica reported (`reported`, keyed by replica id).
 */
export const AcceptorPersistent = t.readonly(
  t.strict({
    acceptorBallot: Ballot,
    accepted: PvalueSet,
    reported: t.readonly(t.record(t.string, Slot)),
  }),
);
export type AcceptorPersistent = t.TypeOf<typeof AcceptorPersistent>;
