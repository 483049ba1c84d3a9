/**
 * The spec's operators: ownership (Rank, Owns, Owner, NextOf), votes (NoVote, Promised,
 * VoteOf), the per-instance maps (Set, Unset, Learn, LearnNoOps) and quorums (Majority).
 */
import type { ServerId } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import type { Command, Durable, Env, Vote } from "./types.js";

/** Rank(s): s's position in ServerOrder, from 0. */
export const rank = (env: Env, s: ServerId): number => env.servers.indexOf(s);

/** Owns(s, i): instance i belongs to the server of rank (i - 1) % N. */
export const owns = (env: Env, s: ServerId, i: number): boolean =>
  rank(env, s) === (i - 1) % env.servers.length;

/** Owner(i). */
export const owner = (env: Env, i: number): ServerId =>
  env.servers[(i - 1) % env.servers.length] as ServerId;

/**
 * NextOf(s, x): the least x' > x with (x' - 1) % N = Rank(s) — s's next instance after x, and
 * its next ballot above x.
 */
export const nextOf = (env: Env, s: ServerId, x: number): number => {
  const n = env.servers.length;
  return x + 1 + ((rank(env, s) + n - (x % n)) % n);
};

/** Vote(b, v). */
export const voteFor = (bal: number, val: Command): Vote => ({ bal, val });

/** NoVote == [bal |-> -1, val |-> NoOp]. */
export const noVote: Vote = voteFor(-1, null);

/** Promised(a, i): the ballot promised in i, 0 (the owner's) if none. */
export const promisedAt = (d: Durable, i: number): number => d.promised.get(i) ?? 0;

/** VoteOf(a, i). */
export const voteAt = (d: Durable, i: number): Vote => d.accepted.get(i) ?? noVote;

/** The higher of two votes (ballots of one instance are unique to one value). */
export const higher = (a: Vote, b: Vote): Vote => (a.bal > b.bal ? a : b);

/** Set(f, x, y). */
export const setAt = mapWith;

/** Unset(f, x). */
export function unsetAt<V>(m: ReadonlyMap<number, V>, k: number): ReadonlyMap<number, V> {
  if (!m.has(k)) return m;
  const next = new Map(m);
  next.delete(k);
  return next;
}

/** Learn(f, i, v): a learner keeps what it learned first. */
export const learn = (
  m: ReadonlyMap<number, Command>,
  i: number,
  v: Command,
): ReadonlyMap<number, Command> => (m.has(i) ? m : mapWith(m, i, v));

/** LearnNoOps(f, K). */
export function learnNoOps(
  m: ReadonlyMap<number, Command>,
  ks: ReadonlyArray<number>,
): ReadonlyMap<number, Command> {
  const fresh = ks.filter((k) => !m.has(k));
  if (fresh.length === 0) return m;
  const next = new Map(m);
  for (const k of fresh) next.set(k, null);
  return next;
}

/** Majority(S): more than half of all servers. */
export const majority = (env: Env, heard: ReadonlyArray<ServerId>): boolean =>
  2 * heard.length > env.servers.length;

/** Others(p). */
export const others = (env: Env, p: ServerId): ReadonlyArray<ServerId> =>
  env.servers.filter((q) => q !== p);
