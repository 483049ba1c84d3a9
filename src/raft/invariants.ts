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
import { atLeastAsUpToDate, configOf, entryEquals, isMember } from "./log.js";
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
  const n = ids.length;
  // One pass, no callbacks: the view is built after every step that changes its inputs.
  const leader = new Array<boolean>(n);
  const terms = new Array<number>(n);
  const logs = new Array<Log>(n);
  const commits = new Array<number>(n);
  const configs = new Array<Config>(n);
  for (let k = 0; k < n; k++) {
    const node = c.nodes.get(ids[k] as ServerId) as RaftNode;
    const log = node.persistent.log;
    leader[k] = node.volatile.state === "Leader";
    terms[k] = node.persistent.currentTerm;
    logs[k] = log;
    commits[k] = node.volatile.commitIndex;
    configs[k] = configOf(c.env.initConfig, log);
  }
  return { ids, leader, terms, logs, commits, configs };
}

/** 2 * |set ∩ S| > |set|, S given as a predicate on server positions. */
function majorityOf(v: View, set: ReadonlyArray<ServerId>, has: (k: number) => boolean): boolean {
  let n = 0;
  for (const s of set) if (has(v.ids.indexOf(s))) n++;
  return 2 * n > set.length;
}

/** IsQuorum(c, S) with S given as a predicate on server positions (isQuorumBy, unwrapped). */
const quorumOf = (v: View, c: Config, has: (k: number) => boolean): boolean =>
  majorityOf(v, c.old, has) && majorityOf(v, c.new, has);

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
      const lacks = new Array<boolean>(v.logs.length);
      for (let s = 0; s < v.logs.length; s++) lacks[s] = !entryEquals((v.logs[s] as Log)[k - 1], e);
      const lacking = (s: number) => s >= 0 && (lacks[s] as boolean);
      for (let j = 0; j < v.ids.length; j++)
        if (!lacking(j) && quorumOf(v, v.configs[j] as Config, lacking)) return false;
    }
    return true;
  },
};

/** An invariant's check; `lm` is LogMatching's verdict, computed first as the others rely on it. */
type Check = readonly [InvariantName, (v: View, lm: boolean) => boolean];
const logMatchingVerdict = (_: View, lm: boolean): boolean => lm;

/** The checks in spec order; `impl` supplies the four that have a faster form. */
const checksWith = (impl: typeof fast): ReadonlyArray<Check> => [
  ["ElectionSafety", literal.electionSafety],
  ["LogMatching", logMatchingVerdict],
  ["LeaderCompleteness", impl.leaderCompleteness],
  ["ElectableLeaderComplete", impl.electableLeaderComplete],
  ["StateMachineSafety", impl.stateMachineSafety],
  ["CommittedEntriesSurviveReconfig", impl.committedEntriesSurviveReconfig],
];
const literalChecks = checksWith(literal);
const fastChecks = checksWith(fast);

const NONE: ReadonlyArray<InvariantName> = [];

/** Every commitIndex is within its log. */
function commitsWithinLogs(v: View): boolean {
  for (let k = 0; k < v.logs.length; k++)
    if ((v.commits[k] as number) > (v.logs[k] as Log).length) return false;
  return true;
}

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
  const checks = lm && commitsWithinLogs(v) ? fastChecks : literalChecks;
  const all = names === invariantNames;
  let bad: InvariantName[] | undefined;
  for (const [name, holds] of checks)
    if ((all || names.includes(name)) && !holds(v, lm)) {
      bad ??= [];
      bad.push(name);
    }
  return bad ?? NONE;
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
