/**
 * The spec's state invariants over a cluster, transcribed from Raft.tla. They read currentTerm,
 * state, log, snapshot and commitIndex (and the configurations the logs put in force).
 *
 * Every statement about two servers agreeing on indexes 1..n (the spec's AgreeUpTo: the same
 * commands, and the same entries wherever neither has compacted them) is decided by the length
 * of their agreement: it holds iff n is at most that length (agreement is closed under
 * prefixes, and never reaches past either log's end). That is the definition, not a shortcut
 * that relies on another invariant, so each check below says exactly what its spec operator
 * says.
 */
import type { ServerId } from "../core/ids.js";
import type { Cluster } from "./cluster.js";
import {
  atLeastAsUpToDate,
  commandAt,
  commandEquals,
  configOf,
  entryAt,
  entryEquals,
  isQuorum,
  lastIndex,
  mayStandForElection,
  snapshotOf,
} from "./log.js";
import type { Config, Entry, PersistentState, RaftNode } from "./types.js";

export const invariantNames = [
  "ElectionSafety",
  "LogMatching",
  "LeaderCompleteness",
  "ElectableLeaderComplete",
  "StateMachineSafety",
  "CommittedEntriesSurviveReconfig",
  "CommitIndexInLog",
] as const;
export type InvariantName = (typeof invariantNames)[number];

/** What the invariants read of each server. */
interface Server {
  readonly id: ServerId;
  readonly leader: boolean;
  readonly term: number;
  readonly p: PersistentState;
  /** snapshot[i].index and LastIndex(i). */
  readonly base: number;
  readonly last: number;
  readonly commit: number;
  readonly config: Config;
}

const serversOf = (c: Cluster): ReadonlyArray<Server> =>
  c.env.servers.map((id) => {
    const n = c.nodes.get(id) as RaftNode;
    return {
      id,
      leader: n.volatile.state === "Leader",
      term: n.persistent.currentTerm,
      p: n.persistent,
      base: snapshotOf(n.persistent).index,
      last: lastIndex(n.persistent),
      commit: n.volatile.commitIndex,
      config: configOf(c.env.initConfig, n.persistent),
    };
  });

/**
 * The largest n with AgreeUpTo(i, j, n): the commands agree on 1..n and the entries on the
 * indexes after both snapshots, within both logs.
 */
function agreement(i: Server, j: Server): number {
  const n = Math.min(i.last, j.last);
  const b = Math.min(n, Math.max(i.base, j.base));
  let k = 1;
  while (k <= b && commandEquals(commandAt(i.p, k), commandAt(j.p, k))) k++;
  if (k <= b) return k - 1;
  if (i.p.log === j.p.log && i.base === j.base) return n;
  while (k <= n && entryEquals(entryAt(i.p, k), entryAt(j.p, k))) k++;
  return k - 1;
}

/** At most one leader per term, across configurations. */
function electionSafety(ss: ReadonlyArray<Server>): boolean {
  for (const i of ss)
    for (const j of ss) if (i !== j && i.leader && j.leader && i.term === j.term) return false;
  return true;
}

/**
 * Equal terms at an index both still hold mean agreement up to it: no index past the
 * agreement (and past both snapshots) may hold entries of the same term.
 */
function logMatching(ss: ReadonlyArray<Server>): boolean {
  for (const i of ss)
    for (const j of ss) {
      const n = Math.min(i.last, j.last);
      for (let k = Math.max(agreement(i, j), i.base, j.base) + 1; k <= n; k++)
        if ((entryAt(i.p, k) as Entry).term === (entryAt(j.p, k) as Entry).term) return false;
    }
  return true;
}

/** AgreeUpTo(s, i, commitIndex[i]): s holds i's committed prefix. */
const holdsCommitted = (i: Server, s: Server): boolean => i.commit <= agreement(s, i);

/** Leader l of a later term than i's holds i's committed prefix. */
function leaderCompleteness(ss: ReadonlyArray<Server>): boolean {
  for (const l of ss)
    if (l.leader) for (const i of ss) if (l.term > i.term && !holdsCommitted(i, l)) return false;
  return true;
}

/** s could win an election now: it may stand, and its log is as up to date as a quorum's. */
function electable(ss: ReadonlyArray<Server>, s: Server): boolean {
  if (!mayStandForElection(s.config, s.id, s.p, s.commit)) return false;
  const voters: ServerId[] = [];
  for (const q of ss) if (atLeastAsUpToDate(s.p, q.p)) voters.push(q.id);
  return isQuorum(s.config, voters);
}

/** Every server that could be elected holds every committed prefix. */
function electableLeaderComplete(ss: ReadonlyArray<Server>): boolean {
  for (const s of ss)
    if (electable(ss, s)) for (const i of ss) if (!holdsCommitted(i, s)) return false;
  return true;
}

/** No two servers' committed prefixes disagree (a server trivially agrees with itself). */
function stateMachineSafety(ss: ReadonlyArray<Server>): boolean {
  for (const i of ss)
    for (const j of ss) {
      if (i === j) continue;
      if (Math.min(i.commit, j.commit) > agreement(i, j)) return false;
    }
  return true;
}

/** HoldsEntryOf(s, i, k): s has i's command at k, and i's entry where neither compacted it. */
const holdsEntryOf = (s: Server, i: Server, k: number): boolean =>
  k <= s.last &&
  commandEquals(commandAt(s.p, k), commandAt(i.p, k)) &&
  (k <= s.base || k <= i.base || entryEquals(entryAt(s.p, k), entryAt(i.p, k)));

/**
 * For every entry a server knows as committed, the servers lacking it never form a quorum of
 * the configuration of a server that holds it.
 */
function committedEntriesSurviveReconfig(ss: ReadonlyArray<Server>): boolean {
  // Up to the shortest agreement with i every server holds i's entry: none lacks it.
  for (const i of ss)
    for (let k = 1 + Math.min(...ss.map((s) => agreement(s, i))); k <= i.commit; k++) {
      const holders: Server[] = [];
      const lacking: ServerId[] = [];
      for (const s of ss)
        if (holdsEntryOf(s, i, k)) holders.push(s);
        else lacking.push(s.id);
      if (lacking.length > 0)
        for (const j of holders) if (isQuorum(j.config, lacking)) return false;
    }
  return true;
}

/** No server knows more entries as committed than its log holds, nor fewer than its snapshot. */
function commitIndexInLog(ss: ReadonlyArray<Server>): boolean {
  return ss.every((i) => i.base <= i.commit && i.commit <= i.last);
}

const checks: ReadonlyArray<readonly [InvariantName, (ss: ReadonlyArray<Server>) => boolean]> = [
  ["ElectionSafety", electionSafety],
  ["LogMatching", logMatching],
  ["LeaderCompleteness", leaderCompleteness],
  ["ElectableLeaderComplete", electableLeaderComplete],
  ["StateMachineSafety", stateMachineSafety],
  ["CommittedEntriesSurviveReconfig", committedEntriesSurviveReconfig],
  ["CommitIndexInLog", commitIndexInLog],
];

/**
 * The names of the invariants (of `names`, default all) that the cluster violates, in the
 * spec's order; [] when they all hold.
 */
export function violatedInvariants(
  c: Cluster,
  names: ReadonlyArray<InvariantName> = invariantNames,
): ReadonlyArray<InvariantName> {
  const ss = serversOf(c);
  const bad: InvariantName[] = [];
  for (const [name, holds] of checks) if (names.includes(name) && !holds(ss)) bad.push(name);
  return bad;
}
