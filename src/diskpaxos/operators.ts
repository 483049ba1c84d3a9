/**
 * The spec's operators on values: ballot numbers (Rank, IsBallotOf, NextBallot), InitDB,
 * majorities of disks (IsMajority, with BugHalfIsMajority), and the choices phases 0 and 1 make
 * among the blocks a processor read (Recovered, Phase1Value).
 */
import type { Block, BlockRead, DiskId, Env, ProcId } from "./types.js";

/** InitDB == [mbal |-> 0, bal |-> 0, inp |-> NotAnInput]. */
export const initDB: Block = { mbal: 0, bal: 0, inp: null };

/** Rank(p): p's position in ProcOrder, from 1. */
export const rank = (env: Env, p: ProcId): number => env.procOrder.indexOf(p) + 1;

/** IsBallotOf(b, p): b is one of Rank(p), Rank(p) + N, Rank(p) + 2N, … */
export const isBallotOf = (env: Env, b: number, p: ProcId): boolean => {
  const n = env.procOrder.length;
  return b > 0 && b % n === rank(env, p) % n;
};

/** NextBallot(p, b): p's smallest ballot above b. */
export const nextBallot = (env: Env, p: ProcId, b: number): number => {
  const r = rank(env, p);
  const n = env.procOrder.length;
  return b < r ? r : r + n * (Math.floor((b - r) / n) + 1);
};

/** IsMajority(S) for a set of `count` disks (half of them under BugHalfIsMajority). */
export const isMajority = (env: Env, count: number): boolean =>
  env.bugs.halfIsMajority ? 2 * count >= env.disks.length : 2 * count > env.disks.length;

/** Every subset of the disks that is a majority (MajoritySet). */
export function majoritySets(env: Env): ReadonlyArray<ReadonlyArray<DiskId>> {
  const out: DiskId[][] = [];
  const ds = env.disks;
  for (let mask = 0; mask < 1 << ds.length; mask++) {
    const set = ds.filter((_, k) => (mask & (1 << k)) !== 0);
    if (isMajority(env, set.length)) out.push(set);
  }
  return out;
}

/** The blocks of a processor's reads, of every disk (AllBlocksRead). */
export const blocksOfReads = (reads: ReadonlyMap<DiskId, ReadonlyArray<BlockRead>>): Block[] =>
  [...reads.values()].flatMap((rs) => rs.map((r) => r.block));

/** The largest of the numbers, for a non-empty list (Max). */
const max = (xs: ReadonlyArray<number>): number => Math.max(...xs);

/**
 * Recovered(p, own): from p's own blocks read in phase 0 (not empty), the one with the largest
 * bal, with p's next ballot above every mbal among them. Blocks of p with the same bal hold
 * the same vote, so which of them is taken does not matter.
 */
export function recovered(env: Env, p: ProcId, own: ReadonlyArray<Block>): Block {
  const last = own.reduce((a, b) => (b.bal > a.bal ? b : a));
  return { ...last, mbal: nextBallot(env, p, max(own.map((b) => b.mbal))) };
}

/**
 * Above(x, y): the order Phase1Value picks the top block by: bal (under BugValueByMbal: mbal,
 * ties broken by bal).
 */
const above = (env: Env, x: Block, y: Block): boolean =>
  env.bugs.valueByMbal ? x.mbal > y.mbal || (x.mbal === y.mbal && x.bal >= y.bal) : x.bal >= y.bal;

/**
 * Phase1Value(p): the vote of the top block among those read and p's own, or p's input when
 * none of them holds a vote. Voted blocks with the largest bal hold the same value.
 */
export function phase1Value(
  env: Env,
  seen: ReadonlyArray<Block>,
  own: Block,
  input: string,
): string {
  const voted = [...seen, own].filter((b) => b.inp !== null);
  const top = voted.find((b) => voted.every((c) => above(env, b, c)));
  return top?.inp ?? input;
}
