/**
 * The spec's state invariants over a cluster, with the definitions of Raft.tla. They read only
 * currentTerm, state, log and commitIndex (and the configurations the logs put in force).
 *
 * `literal` holds direct transcriptions of the spec, used whenever LogMatching fails or a
 * commitIndex exceeds its log. Otherwise the checks below take the same verdicts faster:
 * under LogMatching, two logs agree up to n iff their entries at n are equal, and the servers
 * holding a server's entry k can only shrink as k grows, so each "for every committed k" needs
 * only k = commitIndex[i]. A test holds both paths equal on random states.
 */
import type { ServerId } from "../core/ids.js";
import type { Cluster } from "./cluster.js";
import { atLeastAsUpToDate, configOf, entryEquals, isMember, isQuorumBy } from "./log.js";
import type { Config, Entry, RaftNode } from "./types.js";

export const invariantNames = [
  "ElectionSafety",
  "LogMatching",
  "LeaderCompleteness",
  "ElectableLeaderComplete",
  "StateMachineSafety",
  "CommittedEntriesSurviveReconfig",
] as const;
export type InvariantName = (typeof invariantNames)[number];

type Log = ReadonlyArray<Entry>;

/** The columns the invariants read, indexed like env.servers. */
interface View {
  readonly ids: ReadonlyArray<ServerId>;
  readonly leader: ReadonlyArray<boolean>;
  readonly terms: ReadonlyArray<number>;
  readonly logs: ReadonlyArray<Log>;
  readonly commits: ReadonlyArray<number>;
  readonly configs: ReadonlyArray<Config>;
}

function view(c: Cluster): View {
  const ids = c.env.servers;
  const nodes = ids.map((i) => c.nodes.get(i) as RaftNode);
  const logs = nodes.map((n) => n.persistent.log);
  return {
    ids,
    leader: nodes.map((n) => n.volatile.state === "Leader"),
    terms: nodes.map((n) => n.persistent.currentTerm),
    logs,
    commits: nodes.map((n) => n.volatile.commitIndex),
    configs: logs.map((l) => configOf(c.env.initConfig, l)),
  };
}

/** IsQuorum(c, S) with S given as a predicate on server positions. */
const quorumOf = (v: View, c: Config, has: (k: number) => boolean): boolean =>
  isQuorumBy(c, (s) => has(v.ids.indexOf(s)));

/** s ∈ Members(Config(s)) ∧ IsQuorum(Config(s), {q : AtLeastAsUpToDate(log[s], log[q])}). */
const electable = (v: View, s: number): boolean =>
  isMember(v.configs[s] as Config, v.ids[s] as ServerId) &&
  quorumOf(
    v,
    v.configs[s] as Config,
    (q) => q >= 0 && atLeastAsUpToDate(v.logs[s] as Log, v.logs[q] as Log),
  );

/** Literal transcriptions of Raft.tla's invariants. */
const literal = {
  /** SubSeq(a, 1, n) = SubSeq(b, 1, n); a prefix longer than its log never matches. */
  samePrefix(a: Log, b: Log, n: number): boolean {
    if (n > a.length || n > b.length) return false;
    for (let k = 0; k < n; k++) if (!entryEquals(a[k], b[k])) return false;
    return true;
  },
  electionSafety(v: View): boolean {
    for (let i = 0; i < v.ids.length; i++)
      for (let j = 0; j < v.ids.length; j++)
        if (i !== j && v.leader[i] && v.leader[j] && v.terms[i] === v.terms[j]) return false;
    return true;
  },
  logMatching(v: View): boolean {
    for (const a of v.logs)
      for (const b of v.logs)
        for (let k = 1; k <= Math.min(a.length, b.length); k++)
          if ((a[k - 1] as Entry).term === (b[k - 1] as Entry).term && !literal.samePrefix(a, b, k))
            return false;
    return true;
  },
  leaderCompleteness(v: View): boolean {
    for (let i = 0; i < v.ids.length; i++)
      for (let l = 0; l < v.ids.length; l++)
        if (
          v.leader[l] &&
          (v.terms[l] as number) > (v.terms[i] as number) &&
          !(
            (v.commits[i] as number) <= (v.logs[l] as Log).length &&
            literal.samePrefix(v.logs[l] as Log, v.logs[i] as Log, v.commits[i] as number)
          )
        )
          return false;
    return true;
  },
  electableLeaderComplete(v: View): boolean {
    for (let i = 0; i < v.ids.length; i++)
      for (let s = 0; s < v.ids.length; s++)
        if (
          electable(v, s) &&
          !(
            (v.commits[i] as number) <= (v.logs[s] as Log).length &&
            literal.samePrefix(v.logs[s] as Log, v.logs[i] as Log, v.commits[i] as number)
          )
        )
          return false;
    return true;
  },
  stateMachineSafety(v: View): boolean {
    for (let i = 0; i < v.ids.length; i++)
      for (let j = 0; j < v.ids.length; j++) {
        const n = Math.min(v.commits[i] as number, v.commits[j] as number);
        for (let k = 0; k < n; k++)
          if (!entryEquals((v.logs[i] as Log)[k], (v.logs[j] as Log)[k])) return false;
      }
    return true;
  },
  committedEntriesSurviveReconfig(v: View): boolean {
    for (let i = 0; i < v.ids.length; i++)
      for (let k = 1; k <= (v.commits[i] as number); k++) {
        const e = (v.logs[i] as Log)[k - 1];
        const lacking = (s: number) =>
          !(k <= (v.logs[s] as Log).length && entryEquals((v.logs[s] as Log)[k - 1], e));
        // Only configurations of servers that hold the entry (as in Raft.tla).
        for (let j = 0; j < v.ids.length; j++)
          if (!lacking(j) && quorumOf(v, v.configs[j] as Config, (s) => s >= 0 && lacking(s)))
            return false;
      }
    return true;
  },
};

/** LogMatching, per pair: prefixes are equal exactly below the first differing entry d, so no index from d on may agree in term. */
function logMatching(v: View): boolean {
  const logs = v.logs;
  for (let x = 0; x < logs.length; x++)
    for (let y = x + 1; y < logs.length; y++) {
      const a = logs[x] as Log;
      const b = logs[y] as Log;
      if (a === b) continue;
      const n = Math.min(a.length, b.length);
      let d = 0;
      while (d < n && entryEquals(a[d], b[d])) d++;
      for (let k = d; k < n; k++) if ((a[k] as Entry).term === (b[k] as Entry).term) return false;
    }
  return true;
}

/** SubSeq(a, 1, n) = SubSeq(b, 1, n), given LogMatching and n within both logs' reach. */
const agreeUpTo = (a: Log, b: Log, n: number): boolean =>
  n === 0 || (n <= a.length && n <= b.length && entryEquals(a[n - 1], b[n - 1]));

/** Fast versions, valid when LogMatching holds and every commitIndex is within its log. */
const fast = {
  leaderCompleteness(v: View): boolean {
    for (let l = 0; l < v.ids.length; l++) {
      if (!v.leader[l]) continue;
      for (let i = 0; i < v.ids.length; i++)
        if (
          (v.terms[l] as number) > (v.terms[i] as number) &&
          !agreeUpTo(v.logs[l] as Log, v.logs[i] as Log, v.commits[i] as number)
        )
          return false;
    }
    return true;
  },
  electableLeaderComplete(v: View): boolean {
    for (let s = 0; s < v.ids.length; s++) {
      let complete = true;
      for (let i = 0; i < v.ids.length && complete; i++)
        complete = agreeUpTo(v.logs[s] as Log, v.logs[i] as Log, v.commits[i] as number);
      if (!complete && electable(v, s)) return false;
    }
    return true;
  },
  stateMachineSafety(v: View): boolean {
    for (let i = 0; i < v.ids.length; i++)
      for (let j = i + 1; j < v.ids.length; j++) {
        const n = Math.min(v.commits[i] as number, v.commits[j] as number);
        if (!agreeUpTo(v.logs[i] as Log, v.logs[j] as Log, n)) return false;
      }
    return true;
  },
  committedEntriesSurviveReconfig(v: View): boolean {
    for (let i = 0; i < v.ids.length; i++) {
      const k = v.commits[i] as number;
      if (k === 0) continue;
      const e = (v.logs[i] as Log)[k - 1];
      const lacking = (s: number) => s >= 0 && !entryEquals((v.logs[s] as Log)[k - 1], e);
      for (let j = 0; j < v.ids.length; j++)
        if (!lacking(j) && quorumOf(v, v.configs[j] as Config, lacking)) return false;
    }
    return true;
  },
};

const checks = (lm: boolean, fastOk: boolean) =>
  [
    ["ElectionSafety", literal.electionSafety],
    ["LogMatching", () => lm],
    ["LeaderCompleteness", fastOk ? fast.leaderCompleteness : literal.leaderCompleteness],
    [
      "ElectableLeaderComplete",
      fastOk ? fast.electableLeaderComplete : literal.electableLeaderComplete,
    ],
    ["StateMachineSafety", fastOk ? fast.stateMachineSafety : literal.stateMachineSafety],
    [
      "CommittedEntriesSurviveReconfig",
      fastOk ? fast.committedEntriesSurviveReconfig : literal.committedEntriesSurviveReconfig,
    ],
  ] as const satisfies ReadonlyArray<readonly [InvariantName, (v: View) => boolean]>;

/**
 * The names of the invariants (of `names`, default all) that the cluster violates, in the
 * spec's order; [] when they all hold.
 */
export function violatedInvariants(
  c: Cluster,
  names: ReadonlyArray<InvariantName> = invariantNames,
): ReadonlyArray<InvariantName> {
  const v = view(c);
  const lm = logMatching(v);
  const fastOk = lm && v.commits.every((k, i) => k <= (v.logs[i] as Log).length);
  const bad: InvariantName[] = [];
  for (const [name, holds] of checks(lm, fastOk))
    if (names.includes(name) && !holds(v)) bad.push(name);
  return bad;
}

/** The verdicts of the literal transcriptions alone (for tests of the fast path). */
export function violatedInvariantsLiteral(c: Cluster): ReadonlyArray<InvariantName> {
  const v = view(c);
  const all: ReadonlyArray<readonly [InvariantName, (v: View) => boolean]> = [
    ["ElectionSafety", literal.electionSafety],
    ["LogMatching", literal.logMatching],
    ["LeaderCompleteness", literal.leaderCompleteness],
    ["ElectableLeaderComplete", literal.electableLeaderComplete],
    ["StateMachineSafety", literal.stateMachineSafety],
    ["CommittedEntriesSurviveReconfig", literal.committedEntriesSurviveReconfig],
  ];
  return all.filter(([, holds]) => !holds(v)).map(([name]) => name);
}
