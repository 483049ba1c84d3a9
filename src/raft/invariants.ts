/**
 * The spec's state invariants over a cluster, transcribed from Raft.tla. They read currentTerm,
 * state, log and commitIndex (and the configurations the logs put in force).
 *
 * Every statement about two logs' prefixes, SubSeq(a, 1, n) = SubSeq(b, 1, n), is decided by
 * the length of their common prefix: it holds iff n is at most that length (a prefix longer
 * than a log never matches). That is the definition, not a shortcut that relies on another
 * invariant, so each check below says exactly what its spec operator says.
 */
import type { ServerId } from "../core/ids.js";
import type { Cluster } from "./cluster.js";
import { atLeastAsUpToDate, configOf, entryEquals, isQuorum, mayStandForElection } from "./log.js";
import type { Config, Entry, RaftNode } from "./types.js";

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

type Log = ReadonlyArray<Entry>;

/** The length of the longest common prefix of a and b. */
function commonPrefix(a: Log, b: Log): number {
  if (a === b) return a.length;
  const n = Math.min(a.length, b.length);
  let d = 0;
  while (d < n && entryEquals(a[d], b[d])) d++;
  return d;
}

/** SubSeq(a, 1, n) = SubSeq(b, 1, n). */
const samePrefix = (a: Log, b: Log, n: number): boolean => n <= commonPrefix(a, b);

/** What the invariants read of each server. */
interface Server {
  readonly id: ServerId;
  readonly leader: boolean;
  readonly term: number;
  readonly log: Log;
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
      log: n.persistent.log,
      commit: n.volatile.commitIndex,
      config: configOf(c.env.initConfig, n.persistent.log),
    };
  });

/** At most one leader per term, across configurations. */
function electionSafety(ss: ReadonlyArray<Server>): boolean {
  for (const i of ss)
    for (const j of ss) if (i !== j && i.leader && j.leader && i.term === j.term) return false;
  return true;
}

/**
 * Equal terms at an index mean equal prefixes up to it: with d the common prefix length, no
 * index past d (where the prefixes differ) may hold entries of the same term.
 */
function logMatching(ss: ReadonlyArray<Server>): boolean {
  for (const i of ss)
    for (const j of ss) {
      const n = Math.min(i.log.length, j.log.length);
      for (let k = commonPrefix(i.log, j.log); k < n; k++)
        if ((i.log[k] as Entry).term === (j.log[k] as Entry).term) return false;
    }
  return true;
}

/** i's committed prefix is a prefix of `log`. */
const holdsCommitted = (i: Server, log: Log): boolean =>
  i.commit <= log.length && samePrefix(log, i.log, i.commit);

/** Leader l of a later term than i's holds i's committed prefix. */
function leaderCompleteness(ss: ReadonlyArray<Server>): boolean {
  for (const l of ss)
    if (l.leader)
      for (const i of ss) if (l.term > i.term && !holdsCommitted(i, l.log)) return false;
  return true;
}

/** s could win an election now: it may stand, and its log is as up to date as a quorum's. */
function electable(ss: ReadonlyArray<Server>, s: Server): boolean {
  if (!mayStandForElection(s.config, s.id, s.log, s.commit)) return false;
  const voters: ServerId[] = [];
  for (const q of ss) if (atLeastAsUpToDate(s.log, q.log)) voters.push(q.id);
  return isQuorum(s.config, voters);
}

/** Every server that could be elected holds every committed prefix. */
function electableLeaderComplete(ss: ReadonlyArray<Server>): boolean {
  for (const s of ss)
    if (electable(ss, s)) for (const i of ss) if (!holdsCommitted(i, s.log)) return false;
  return true;
}

/** No two servers' committed prefixes disagree (a server trivially agrees with itself). */
function stateMachineSafety(ss: ReadonlyArray<Server>): boolean {
  for (const i of ss)
    for (const j of ss) {
      if (i === j) continue;
      const n = Math.min(i.commit, j.commit);
      if (n > Math.min(i.log.length, j.log.length) || !samePrefix(i.log, j.log, n)) return false;
    }
  return true;
}

/** log[s][k] = e. */
const holdsEntry = (s: Server, k: number, e: Entry | undefined): boolean =>
  k <= s.log.length && entryEquals(s.log[k - 1], e);

/**
 * For every entry a server knows as committed, the servers lacking it never form a quorum of
 * the configuration of a server that holds it.
 */
function committedEntriesSurviveReconfig(ss: ReadonlyArray<Server>): boolean {
  // Up to the shortest common prefix with i's log every server holds i's entry: none lacks it.
  for (const i of ss)
    for (let k = 1 + Math.min(...ss.map((s) => commonPrefix(s.log, i.log))); k <= i.commit; k++) {
      const holders: Server[] = [];
      const lacking: ServerId[] = [];
      for (const s of ss)
        if (holdsEntry(s, k, i.log[k - 1])) holders.push(s);
        else lacking.push(s.id);
      if (lacking.length > 0)
        for (const j of holders) if (isQuorum(j.config, lacking)) return false;
    }
  return true;
}

/** No server knows more entries as committed than its log holds. */
function commitIndexInLog(ss: ReadonlyArray<Server>): boolean {
  return ss.every((i) => i.commit <= i.log.length);
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
