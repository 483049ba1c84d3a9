/**
 * The spec's invariants over a cluster, transcribed from Mencius.tla: OneValuePerInstance,
 * ExecutedPrefixAgree, SkippedNeverExecuted, OwnerNeverSuggestsSkipped, VoteBelowPromise,
 * ChosenIsKept, and the action property PromisesGrow as a check between two states. TypeOK is
 * what the TS types and codecs already guarantee.
 */
import { toArray } from "./bag.js";
import type { Cluster } from "./cluster.js";
import { majority, owner, promisedAt, voteAt } from "./operators.js";
import type { Command, Vote } from "./types.js";

export const invariantNames = [
  "OneValuePerInstance",
  "ExecutedPrefixAgree",
  "SkippedNeverExecuted",
  "OwnerNeverSuggestsSkipped",
  "VoteBelowPromise",
  "ChosenIsKept",
] as const;
export type InvariantName = (typeof invariantNames)[number];

/** The step properties: action properties checked between two consecutive states. */
export const stepPropertyNames = ["PromisesGrow"] as const;
export type StepPropertyName = (typeof stepPropertyNames)[number];

/** Known: every server's learned instances, the LEARNs and the SKIPs in flight agree. */
function oneValuePerInstance(c: Cluster): boolean {
  const known = new Map<number, Command>();
  const agrees = (i: number, v: Command): boolean => {
    if (!known.has(i)) {
      known.set(i, v);
      return true;
    }
    return known.get(i) === v;
  };
  for (const s of c.servers.values())
    for (const [i, v] of s.durable.learned) if (!agrees(i, v)) return false;
  for (const m of toArray(c.messages)) {
    if (m.mtype === "learn" && !agrees(m.minst, m.mval)) return false;
    if (m.mtype === "skip") for (const i of m.minsts) if (!agrees(i, null)) return false;
  }
  return true;
}

const isPrefix = (s: ReadonlyArray<string>, t: ReadonlyArray<string>): boolean =>
  s.length <= t.length && s.every((x, k) => x === t[k]);

function executedPrefixAgree(c: Cluster): boolean {
  const xs = [...c.servers.values()].map((s) => s.durable.executed);
  return xs.every((a) => xs.every((b) => isPrefix(a, b) || isPrefix(b, a)));
}

/** What a server executed in an instance its owner skipped is the no-op. */
function skippedNeverExecuted(c: Cluster): boolean {
  const skipped = (i: number) =>
    c.servers.get(owner(c.env, i))?.durable.skipped.includes(i) ?? false;
  for (const s of c.servers.values())
    for (const [i, v] of s.durable.learned)
      if (i <= s.durable.executedUpTo && v !== null && skipped(i)) return false;
  return true;
}

/** No ballot-0 vote, SUGGEST in flight or ballot-0 round for an instance its owner skipped. */
function ownerNeverSuggestsSkipped(c: Cluster): boolean {
  const skipped = (p: string, i: number) => c.servers.get(p)?.durable.skipped.includes(i) ?? false;
  for (const a of c.servers.values()) {
    for (const [i, w] of a.durable.accepted)
      if (w.bal === 0 && skipped(owner(c.env, i), i)) return false;
    for (const [i, r] of a.rounds.accepts) if (r.bal === 0 && skipped(a.id, i)) return false;
  }
  for (const m of toArray(c.messages))
    if (m.mtype === "suggest" && skipped(m.msource, m.minst)) return false;
  return true;
}

function voteBelowPromise(c: Cluster): boolean {
  for (const a of c.servers.values())
    for (const [i, w] of a.durable.accepted) if (w.bal > promisedAt(a.durable, i)) return false;
  return true;
}

const sameVote = (a: Vote, b: Vote): boolean => a.bal === b.bal && a.val === b.val;

/**
 * Chosen(i, w) for a vote w some acceptor holds ⇒ every vote, PROPOSE in flight and round in i
 * at a ballot above w's carries w's value.
 */
function chosenIsKept(c: Cluster): boolean {
  const servers = [...c.servers.values()];
  const proposes = toArray(c.messages).filter((m) => m.mtype === "propose");
  for (const a of servers)
    for (const [i, w] of a.durable.accepted) {
      const holders = servers.filter((x) => sameVote(voteAt(x.durable, i), w)).map((x) => x.id);
      if (!majority(c.env, holders)) continue;
      for (const x of servers) {
        const u = voteAt(x.durable, i);
        if (u.bal > w.bal && u.val !== w.val) return false;
        const r = x.rounds.accepts.get(i);
        if (r !== undefined && r.bal > w.bal && r.val !== w.val) return false;
      }
      for (const m of proposes)
        if (m.mtype === "propose" && m.minst === i && m.mbal > w.bal && m.mval !== w.val)
          return false;
    }
  return true;
}

const checks: ReadonlyArray<readonly [InvariantName, (c: Cluster) => boolean]> = [
  ["OneValuePerInstance", oneValuePerInstance],
  ["ExecutedPrefixAgree", executedPrefixAgree],
  ["SkippedNeverExecuted", skippedNeverExecuted],
  ["OwnerNeverSuggestsSkipped", ownerNeverSuggestsSkipped],
  ["VoteBelowPromise", voteBelowPromise],
  ["ChosenIsKept", chosenIsKept],
];

/** The names of the invariants (of `names`, default all) the cluster violates, in spec order. */
export function violatedInvariants(
  c: Cluster,
  names: ReadonlyArray<InvariantName> = invariantNames,
): ReadonlyArray<InvariantName> {
  return checks.filter(([n, holds]) => names.includes(n) && !holds(c)).map(([n]) => n);
}

/** PromisesGrowStep between two states: no promise is forgotten or lowered. */
export function violatedStepProperties(
  before: Cluster,
  after: Cluster,
): ReadonlyArray<StepPropertyName> {
  for (const [id, x] of before.servers) {
    const y = after.servers.get(id);
    if (y === undefined || y.durable.promised === x.durable.promised) continue;
    for (const [i, b] of x.durable.promised) {
      const b2 = y.durable.promised.get(i);
      if (b2 === undefined || b2 < b) return ["PromisesGrow"];
    }
  }
  return [];
}
