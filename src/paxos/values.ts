/**
 * The spec's value operators: ballot order (round, then Rank of the leader), Bottom, command
 * constructors, quorums, pmax and ◁, and the canonical-set operations for each record kind.
 */

import { idSet, type ServerId, type ValueId } from "../core/ids.js";
import { canonicalJson } from "../core/itf.js";
import type { Ballot, Command, Pvalue, SlotCmd } from "./codec.js";
import { ballotItf, commandItf, commandKey, pvalueKey, slotCmdKey } from "./itf.js";
import * as S from "./set.js";
import type { Commander, Env, LeaderId } from "./types.js";

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

/** A client operation: [op |-> v, leaders |-> {}]. */
export const clientCommand = (op: ValueId): Command => ({ op, leaders: [] });

/** A reconfiguration: [op |-> Nil, leaders |-> S]. */
export const reconfigCommand = (leaders: ReadonlyArray<LeaderId>): Command => ({
  op: null,
  leaders: idSet(leaders),
});

export const isReconfig = (c: Command): boolean => c.op === null;

export const commandEquals = (a: Command, b: Command): boolean =>
  a === b || commandKey(a) === commandKey(b);

/** More than half of all acceptors, given as the acceptors still waited for. */
export const isMajorityLeft = (env: Env, waitFor: ReadonlyArray<ServerId>): boolean =>
  2 * waitFor.length < env.acceptors.length;

/** pmax(pvals): per slot, every command accepted at that slot's highest ballot. */
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

/** x ◁ y: y, plus the entries of x for slots y has nothing for. */
export function override(
  x: ReadonlyArray<SlotCmd>,
  y: ReadonlyArray<SlotCmd>,
): ReadonlyArray<SlotCmd> {
  const taken = new Set(y.map((d) => d.slot));
  return slotCmds.union(
    y,
    x.filter((d) => !taken.has(d.slot)),
  );
}

const ops = <T>(key: S.KeyOf<T>) => ({
  key,
  of: S.setOf(key),
  has: S.member(key),
  add: S.insert(key),
  remove: S.remove(key),
  union: S.union(key),
});

export const commands = ops(commandKey);
export const slotCmds = ops(slotCmdKey);
export const pvalues = ops(pvalueKey);

const commanderMemo = new WeakMap<Commander, string>();
/** A commander's identity (without its leader, which is where it lives). */
export const commanderKey = (k: Commander): string => {
  let s = commanderMemo.get(k);
  if (s === undefined) {
    s = canonicalJson({
      ballot: ballotItf(k.ballot),
      slot: k.slot,
      cmd: commandItf(k.cmd),
      waitFor: { "#set": k.waitFor },
    });
    commanderMemo.set(k, s);
  }
  return s;
};
export const commanderSet = ops(commanderKey);

/** Canonical id sets. */
export const ids = ops<string>((x) => x);

/** The decisions for slot s (more than one only when OneValuePerSlot is broken). */
export const decidedAt = (ds: ReadonlyArray<SlotCmd>, s: number): ReadonlyArray<SlotCmd> =>
  ds.filter((d) => d.slot === s);
