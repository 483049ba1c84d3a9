/**
 * Log, snapshot and configuration helpers: the spec's ValueEntry, ConfigEntry, CommandOf,
 * InitSnapshot, LastIndex, EntryAt, TermAt, LastTerm, CommandsOf, LogConfigIndex, ConfigIn,
 * LastConfigIndex, Config, IsJoint, Members, MayStandForElection and IsQuorum. A server's log
 * holds the entries after its snapshot: index k is log[k - snapshot.index - 1].
 */
import type { ServerId, Term, ValueId } from "../core/ids.js";
import { compareIds, idSet, sameIdSet } from "../core/ids.js";
import type { Command, Config, Entry, PersistentState, Snapshot } from "./types.js";

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

/** CommandOf(e): an entry without its term. */
export const commandOf = (e: Entry): Command => ({ value: e.value, old: e.old, new: e.new });

/** InitSnapshot: nothing compacted yet (no configuration but the initial one). */
export const initSnapshot: Snapshot = { index: 0, term: 0, old: [], new: [], value: [] };

/** snapshot[i]: a server that has none yet has InitSnapshot. */
export const snapshotOf = (p: PersistentState): Snapshot => p.snapshot ?? initSnapshot;

/** LastIndexOf(sn, xlog) / LastIndex(i). */
export const lastIndex = (p: PersistentState): number => snapshotOf(p).index + p.log.length;

/** EntryAt(i, k), for k after the snapshot's index. */
export const entryAt = (p: PersistentState, k: number): Entry | undefined =>
  p.log[k - snapshotOf(p).index - 1];

/** TermAt(i, k), for k from the snapshot's index on (undefined past the log). */
export const termAt = (p: PersistentState, k: number): Term | undefined => {
  const sn = snapshotOf(p);
  return k === sn.index ? sn.term : entryAt(p, k)?.term;
};

/** LastTerm(i). */
export const lastTerm = (p: PersistentState): Term => termAt(p, lastIndex(p)) ?? 0;

/** CommandsOf(sn, xlog, n): the commands of entries 1..n. */
export const commandsOf = (
  sn: Snapshot,
  log: ReadonlyArray<Entry>,
  n: number,
): ReadonlyArray<Command> =>
  n <= sn.index
    ? sn.value.slice(0, n)
    : [...sn.value, ...log.slice(0, n - sn.index).map(commandOf)];

/** CommandAt(i, k). */
export const commandAt = (p: PersistentState, k: number): Command | undefined => {
  const sn = snapshotOf(p);
  if (k <= sn.index) return sn.value[k - 1];
  const e = entryAt(p, k);
  return e === undefined ? undefined : commandOf(e);
};

/** Command equality as TLA+ record equality. */
export const commandEquals = (a: Command | undefined, b: Command | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.value === b.value &&
    sameIdSet(a.old, b.old) &&
    sameIdSet(a.new, b.new));

/** Entry equality as TLA+ record equality (sets are canonical arrays). */
export const entryEquals = (a: Entry | undefined, b: Entry | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.term === b.term &&
    a.value === b.value &&
    sameIdSet(a.old, b.old) &&
    sameIdSet(a.new, b.new));

/** LogConfigIndex(xlog): index in xlog of its latest configuration entry, 0 if none. */
export function logConfigIndex(log: ReadonlyArray<Entry>): number {
  let k = log.length;
  while (k > 0 && !isConfigEntry(log[k - 1] as Entry)) k--;
  return k;
}

/**
 * SnapshotConfigIn(sn, xlog): xlog's latest configuration entry's sets, committed or not, else
 * the snapshot's (new = [] when there has been none).
 */
export function snapshotConfigIn(sn: Snapshot, log: ReadonlyArray<Entry>): Config {
  const e = log[logConfigIndex(log) - 1];
  return e === undefined ? { old: sn.old, new: sn.new } : { old: e.old, new: e.new };
}

/** ConfigIn(sn, xlog): the same, InitConfig where there has been none. */
export function configIn(
  initConfig: ReadonlyArray<ServerId>,
  sn: Snapshot,
  log: ReadonlyArray<Entry>,
): Config {
  const c = snapshotConfigIn(sn, log);
  return c.new.length === 0 ? { old: initConfig, new: initConfig } : c;
}

/** Config(i): the configuration in force at a server. */
export const configOf = (initConfig: ReadonlyArray<ServerId>, p: PersistentState): Config =>
  configIn(initConfig, snapshotOf(p), p.log);

/** LastConfigIndex(i): the latest configuration entry's index (the snapshot's if none after it). */
export const lastConfigIndex = (p: PersistentState): number =>
  snapshotOf(p).index + logConfigIndex(p.log);

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
  p: PersistentState,
  commitIndex: number,
): boolean => isMember(c, i) || lastConfigIndex(p) > commitIndex;

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

/** AtLeastAsUpToDate(a, b): the voting rule's comparison of two servers' logs. */
export const atLeastAsUpToDate = (a: PersistentState, b: PersistentState): boolean => {
  const ta = lastTerm(a);
  const tb = lastTerm(b);
  return ta > tb || (ta === tb && lastIndex(a) >= lastIndex(b));
};

/** Insert into a canonical set. */
export const withId = (set: ReadonlyArray<ServerId>, x: ServerId): ReadonlyArray<ServerId> =>
  set.includes(x) ? set : [...set, x].sort(compareIds);
