/**
 * The spec's invariants over a cluster, transcribed from MultiPaxos.tla: OneValuePerSlot,
 * DecidedWasAccepted, ExecutedPrefixAgree, OnePvaluePerSlot, AcceptanceHeld, AcceptedBelowBallot,
 * ChosenIsProposed, ExecutedAtMostOnce, CollectedWasExecuted, and the
 * action property AcceptorBallotsGrow as a check between two states. TypeOK is what the TS
 * types and codecs already guarantee.
 */
import { collected } from "./acceptor.js";
import { toArray } from "./bag.js";
import type { Cluster } from "./cluster.js";
import { ballotEquals, commandEquals, compareBallots } from "./operators.js";
import type { Ballot, Command, Pvalue, SlotCmd } from "./types.js";
import { command, pvalue } from "./values.js";

export const invariantNames = [
  "OneValuePerSlot",
  "DecidedWasAccepted",
  "ExecutedPrefixAgree",
  "OnePvaluePerSlot",
  "AcceptanceHeld",
  "AcceptedBelowBallot",
  "ChosenIsProposed",
  "ExecutedAtMostOnce",
  "CollectedWasExecuted",
] as const;
export type InvariantName = (typeof invariantNames)[number];

/** The step properties: action properties checked between two consecutive states. */
export const stepPropertyNames = ["AcceptorBallotsGrow", "LeaderBallotsGrow"] as const;
export type StepPropertyName = (typeof stepPropertyNames)[number];

/** DecisionsSent ∪ UNION {decisions[r]}: the decisions made, in flight or at a replica. */
function decided(c: Cluster): SlotCmd[] {
  const all: SlotCmd[] = [...c.replicas.values()].flatMap((r) => r.decisions);
  for (const m of toArray(c.messages))
    if (m.mtype === "decision") all.push({ slot: m.mslot, cmd: m.mcmd });
  return all;
}

/** Every slot has at most one decided command. */
function oneValuePerSlot(c: Cluster): boolean {
  const all = decided(c);
  const bySlot = new Map<number, Command>();
  for (const d of all) {
    const seen = bySlot.get(d.slot);
    if (seen === undefined) bySlot.set(d.slot, d.cmd);
    else if (!commandEquals(seen, d.cmd)) return false;
  }
  return true;
}

/** Collected(a) of every acceptor. */
const watermarks = (c: Cluster): number[] =>
  [...c.acceptors.values()].map((a) => collected(c.env, a));

/**
 * Every decided command is held for its slot by a majority of acceptors, until an acceptor
 * collects the slot.
 */
function decidedWasAccepted(c: Cluster): boolean {
  const marks = watermarks(c);
  const holders = (d: SlotCmd) =>
    [...c.acceptors.values()].filter((a) =>
      a.persistent.accepted.some((p) => p.slot === d.slot && commandEquals(p.cmd, d.cmd)),
    ).length;
  return decided(c).every(
    (d) => marks.some((w) => d.slot < w) || 2 * holders(d) > c.env.acceptors.length,
  );
}

/**
 * Nothing is collected that a replica has still to execute: no acceptor's or leader's
 * watermark, nor one in a "collected" or "p1b" message, is above a replica's slotOut.
 */
function collectedWasExecuted(c: Cluster): boolean {
  const marks = [...watermarks(c), ...[...c.leaders.values()].map((l) => l.volatile.collected)];
  for (const m of toArray(c.messages))
    if (m.mtype === "collected") marks.push(m.mslot);
    else if (m.mtype === "p1b") marks.push(m.mcollected);
  const low = Math.min(...[...c.replicas.values()].map((r) => r.slotOut));
  return marks.every((w) => w <= low);
}

const isPrefix = (s: ReadonlyArray<Command>, t: ReadonlyArray<Command>): boolean =>
  s.length <= t.length && s.every((x, k) => commandEquals(x, t[k] as Command));

function executedPrefixAgree(c: Cluster): boolean {
  const xs = [...c.replicas.values()].map((r) => r.executed);
  return xs.every((a) => xs.every((b) => isPrefix(a, b) || isPrefix(b, a)));
}

function executedAtMostOnce(c: Cluster): boolean {
  for (const r of c.replicas.values()) {
    const keys = r.executed.map(command.json);
    if (new Set(keys).size !== keys.length) return false;
  }
  return true;
}

function onePvaluePerSlot(c: Cluster): boolean {
  for (const a of c.acceptors.values()) {
    const slots = a.persistent.accepted.map((p) => p.slot);
    if (new Set(slots).size !== slots.length) return false;
  }
  return true;
}

/**
 * Holds(a, s, b): acceptor a holds a pvalue for slot s at ballot b or a higher one, or has
 * collected s.
 */
const holds = (c: Cluster, a: string, s: number, b: Ballot): boolean => {
  const x = c.acceptors.get(a);
  if (x === undefined) return false;
  return (
    s < collected(c.env, x) ||
    x.persistent.accepted.some((p) => p.slot === s && compareBallots(c.env, b, p.ballot) <= 0)
  );
};

/** Every acceptance counted by a commander or reported by a P2b in flight is still held. */
function acceptanceHeld(c: Cluster): boolean {
  for (const l of c.leaders.values())
    for (const k of l.volatile.commanders)
      for (const a of c.env.acceptors)
        if (!k.waitFor.includes(a) && !holds(c, a, k.slot, k.ballot)) return false;
  for (const m of toArray(c.messages))
    if (
      m.mtype === "p2b" &&
      ballotEquals(m.mballot, m.mcballot) &&
      !holds(c, m.msource, m.mslot, m.mballot)
    )
      return false;
  return true;
}

function acceptedBelowBallot(c: Cluster): boolean {
  for (const a of c.acceptors.values())
    for (const p of a.persistent.accepted)
      if (compareBallots(c.env, p.ballot, a.persistent.acceptorBallot) > 0) return false;
  return true;
}

/**
 * Chosen(b, s, c) for an accepted p ⇒ every accepted pvalue, commander and P2a in flight for
 * s with a higher ballot carries c.
 */
function chosenIsProposed(c: Cluster): boolean {
  const env = c.env;
  const holders = new Map<string, number>();
  const pvs = new Map<string, Pvalue>();
  for (const a of c.acceptors.values())
    for (const p of a.persistent.accepted) {
      const k = pvalue.json(p);
      holders.set(k, (holders.get(k) ?? 0) + 1);
      pvs.set(k, p);
    }
  const later: Pvalue[] = [...pvs.values()];
  for (const l of c.leaders.values())
    for (const k of l.volatile.commanders)
      later.push({ ballot: k.ballot, slot: k.slot, cmd: k.cmd });
  for (const m of toArray(c.messages))
    if (m.mtype === "p2a") later.push({ ballot: m.mballot, slot: m.mslot, cmd: m.mcmd });
  for (const [k, p] of pvs) {
    if (2 * (holders.get(k) ?? 0) <= env.acceptors.length) continue;
    for (const q of later)
      if (
        q.slot === p.slot &&
        compareBallots(env, p.ballot, q.ballot) < 0 &&
        !commandEquals(q.cmd, p.cmd)
      )
        return false;
  }
  return true;
}

const checks: ReadonlyArray<readonly [InvariantName, (c: Cluster) => boolean]> = [
  ["OneValuePerSlot", oneValuePerSlot],
  ["DecidedWasAccepted", decidedWasAccepted],
  ["ExecutedPrefixAgree", executedPrefixAgree],
  ["OnePvaluePerSlot", onePvaluePerSlot],
  ["AcceptanceHeld", acceptanceHeld],
  ["AcceptedBelowBallot", acceptedBelowBallot],
  ["ChosenIsProposed", chosenIsProposed],
  ["ExecutedAtMostOnce", executedAtMostOnce],
  ["CollectedWasExecuted", collectedWasExecuted],
];

/** The names of the invariants (of `names`, default all) the cluster violates, in spec order. */
export function violatedInvariants(
  c: Cluster,
  names: ReadonlyArray<InvariantName> = invariantNames,
): ReadonlyArray<InvariantName> {
  return checks.filter(([n, holds]) => names.includes(n) && !holds(c)).map(([n]) => n);
}

/**
 * AcceptorBallotsGrowStep between two states; also leaders' ballots, which the spec keeps
 * growing by construction (only SpawnScout, Preempt and RestartLeader change them, upwards).
 */
export function violatedStepProperties(
  before: Cluster,
  after: Cluster,
): ReadonlyArray<StepPropertyName> {
  const env = before.env;
  const out: StepPropertyName[] = [];
  const grows = <S>(xs: ReadonlyMap<string, S>, ys: ReadonlyMap<string, S>, b: (s: S) => Ballot) =>
    [...xs].every(([id, x]) => {
      const y = ys.get(id);
      return y === undefined || compareBallots(env, b(x), b(y)) <= 0;
    });
  if (!grows(before.acceptors, after.acceptors, (a) => a.persistent.acceptorBallot))
    out.push("AcceptorBallotsGrow");
  if (!grows(before.leaders, after.leaders, (l) => l.persistent.ballotNum))
    out.push("LeaderBallotsGrow");
  return out;
}
