/**
 * Log and configuration helpers: the spec's LastTerm, ValueEntry, ConfigEntry, LastConfigIndex,
 * ConfigOf, IsJoint, Members, MayStandForElection and IsQuorum.
 */
import type { ServerId, Term, ValueId } from "../core/ids.js";
import { compareIds, idSet, sameIdSet } from "../core/ids.js";
import type { Config, Entry } from "./types.js";

/** ValueEntry(t, v). */
export const valueEntry = (term: Term, value: ValueId): Entry => ({
  term,
  value,
  old: [],
  new: [],
});

/** ConfigEntry(t, o, n); old and new must be canonical sets. */
export const configEntry = (
  term: Term,
  old: ReadonlyArray<ServerId>,
  nw: ReadonlyArray<ServerId>,
): Entry => ({ term, value: null, old, new: nw });

/** IsConfigEntry(e). */
export const isConfigEntry = (e: Entry): boolean => e.new.length > 0;

/** LastTerm(xlog). */
export const lastTerm = (log: ReadonlyArray<Entry>): Term => log[log.length - 1]?.term ?? 0;

/** Entry equality as TLA+ record equality (sets are canonical arrays). */
export const entryEquals = (a: Entry | undefined, b: Entry | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.term === b.term &&
    a.value === b.value &&
    sameIdSet(a.old, b.old) &&
    sameIdSet(a.new, b.new));

/** LastConfigIndex(xlog): index of the latest configuration entry, 0 if none. */
export function lastConfigIndex(log: ReadonlyArray<Entry>): number {
  let k = log.length;
  while (k > 0 && !isConfigEntry(log[k - 1] as Entry)) k--;
  return k;
}

/** ConfigOf(xlog): the latest configuration entry's sets, committed or not, else InitConfig. */
export function configOf(initConfig: ReadonlyArray<ServerId>, log: ReadonlyArray<Entry>): Config {
  const e = log[lastConfigIndex(log) - 1];
  return e === undefined ? { old: initConfig, new: initConfig } : { old: e.old, new: e.new };
}

/** IsJoint(c). */
export const isJoint = (c: Config): boolean => !sameIdSet(c.old, c.new);

/** Members(c) as a canonical set. */
export const members = (c: Config): ReadonlyArray<ServerId> =>
  c.old === c.new || sameIdSet(c.old, c.new) ? c.new : idSet([...c.old, ...c.new]);

/** j ∈ Members(c), without building the union. */
export const isMember = (c: Config, j: ServerId): boolean => c.new.includes(j) || c.old.includes(j);

/**
 * MayStandForElection(i): a member of its configuration, or one that configuration excludes
 * before i knows it committed (a server C(new) removes may be needed until C(new) commits).
 */
export const mayStandForElection = (
  c: Config,
  i: ServerId,
  log: ReadonlyArray<Entry>,
  commitIndex: number,
): boolean => isMember(c, i) || lastConfigIndex(log) > commitIndex;

const countIn = (set: ReadonlyArray<ServerId>, has: (s: ServerId) => boolean): number => {
  let n = 0;
  for (const s of set) if (has(s)) n++;
  return n;
};

/** IsQuorum(c, S), with S given by its membership test: majorities of both old and new. */
export const isQuorumBy = (c: Config, has: (s: ServerId) => boolean): boolean =>
  2 * countIn(c.old, has) > c.old.length && 2 * countIn(c.new, has) > c.new.length;

/** IsQuorum(c, S). */
export const isQuorum = (c: Config, s: ReadonlyArray<ServerId>): boolean =>
  isQuorumBy(c, (x) => s.includes(x));

/** AtLeastAsUpToDate(log1, log2): the voting rule's comparison. */
export const atLeastAsUpToDate = (a: ReadonlyArray<Entry>, b: ReadonlyArray<Entry>): boolean => {
  const ta = lastTerm(a);
  const tb = lastTerm(b);
  return ta > tb || (ta === tb && a.length >= b.length);
};

/** Insert into a canonical set. */
export const withId = (set: ReadonlyArray<ServerId>, x: ServerId): ReadonlyArray<ServerId> =>
  set.includes(x) ? set : [...set, x].sort(compareIds);
