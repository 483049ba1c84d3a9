/**
 * The spec's operators on values: ballot order (round, then Rank of the leader), Bottom, the
 * command constructors, quorums, PMax and Update (◁), and the entries of one slot.
 */
import { idSet, type ServerId, type ValueId } from "../core/ids.js";
import { equals } from "../core/spec-value.js";
import type { Ballot, Command, Pvalue, SlotCmd } from "./codec.js";
import type { Env, LeaderId } from "./types.js";
import { command, slotCmds } from "./values.js";

/** Bottom == [round |-> 0, leader |-> Nil]. */
export const bottom: Ballot = { round: 0, leader: null };

/** Rank(l): position in LeaderOrder, from 1; Rank(Nil) = 0. */
export const rank = (env: Env, l: LeaderId | null): number =>
  l === null ? 0 : env.leaderOrder.indexOf(l) + 1;

/** Ballot order: negative, 0 or positive as a < b, a = b, a > b. */
export const compareBallots = (env: Env, a: Ballot, b: Ballot): number =>
  a.round !== b.round ? a.round - b.round : rank(env, a.leader) - rank(env, b.leader);

export const ballotEquals = (a: Ballot, b: Ballot): boolean =>
  a === b || (a.round === b.round && a.leader === b.leader);

/** Op(v) == [op |-> v, leaders |-> {}]. */
export const clientCommand = (op: ValueId): Command => ({ op, leaders: [] });

/** Reconfig(S) == [op |-> Nil, leaders |-> S]. */
export const reconfigCommand = (leaders: ReadonlyArray<LeaderId>): Command => ({
  op: null,
  leaders: idSet(leaders),
});

/** IsReconfig(c). */
export const isReconfig = (c: Command): boolean => c.op === null;

export const commandEquals = (a: Command, b: Command): boolean => equals(command, a, b);

/** Adopted / Decided: more than half of all acceptors answered, given those still waited for. */
export const isMajorityLeft = (env: Env, waitFor: ReadonlyArray<ServerId>): boolean =>
  2 * waitFor.length < env.acceptors.length;

/** PMax(pvals): per slot, every command accepted at that slot's highest ballot. */
export function pmax(env: Env, pvals: ReadonlyArray<Pvalue>): ReadonlyArray<SlotCmd> {
  const top = new Map<number, Ballot>();
  for (const p of pvals) {
    const b = top.get(p.slot);
    if (b === undefined || compareBallots(env, p.ballot, b) > 0) top.set(p.slot, p.ballot);
  }
  return slotCmds.of(
    pvals
      .filter((p) => ballotEquals(p.ballot, top.get(p.slot) as Ballot))
      .map((p) => ({ slot: p.slot, cmd: p.cmd })),
  );
}

/** Update(x, y), PMMC's x ◁ y: y, plus the entries of x for slots y has nothing for. */
export const override = (
  x: ReadonlyArray<SlotCmd>,
  y: ReadonlyArray<SlotCmd>,
): ReadonlyArray<SlotCmd> => {
  const taken = new Set(y.map((d) => d.slot));
  return slotCmds.union(
    y,
    x.filter((d) => !taken.has(d.slot)),
  );
};

/** The entries for slot s (more than one decision only when OneValuePerSlot is broken). */
export const decidedAt = (ds: ReadonlyArray<SlotCmd>, s: number): ReadonlyArray<SlotCmd> =>
  ds.filter((d) => d.slot === s);

/** HasSlot(entries, s). */
export const hasSlot = (ds: ReadonlyArray<SlotCmd>, s: number): boolean =>
  ds.some((d) => d.slot === s);
