/**
 * The committed example traces (traces/<protocol>/good, traces/<protocol>/bad): how the good ones
 * are made from the spec (genuine behaviours found by TLC, see generate.ts) and the one
 * deliberate corruption each bad one carries, with the event and variables a validator must
 * blame. A `FixtureSet` holds one protocol's; `raftFixtures` and `paxosFixtures` are the two.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { TlcSetup } from "../tla/tlc.js";
import { encodeTrace, readTrace, type Trace, type TraceEvent } from "./codec.js";
import {
  type GenerateMode,
  type Generator,
  generateTrace,
  type PaxosModel,
  paxosGenerator,
  type RaftModel,
  raftGenerator,
} from "./generate.js";
import {
  apply,
  asString,
  bool,
  equals,
  field,
  fun,
  int,
  rec,
  seq,
  set,
  str,
  type Value,
} from "./itf.js";
import { writeNdjson } from "./ndjson.js";

export interface GoodFixture<M = RaftModel> {
  name: string;
  about: string;
  model: M;
  mode: GenerateMode;
}

const S3 = ["s1", "s2", "s3"];

export const goodFixtures: readonly GoodFixture[] = [
  {
    name: "reconfig",
    about:
      "shortest behaviour through a whole joint reconfiguration C{s1,s2} -> C{s1,s2},{s2,s3} -> C{s2,s3}, both committed (MCRaftReconfigReachable)",
    model: {
      servers: S3,
      values: ["v1"],
      initConfig: ["s1", "s2"],
      newConfigs: [["s2", "s3"]],
      maxTerm: 1,
      maxLogLen: 2,
      maxMessages: 1,
      faults: [],
    },
    mode: { kind: "goal", invariant: "ReconfigNeverCompletes" },
  },
  {
    name: "vote-denied",
    about:
      "two candidates in term 1; a third server grants its vote to the first and, having voted, denies the second",
    model: {
      servers: S3,
      values: ["v1"],
      initConfig: S3,
      newConfigs: [],
      maxTerm: 1,
      maxLogLen: 0,
      maxMessages: 3,
      faults: [],
    },
    mode: { kind: "goal", invariant: "NoVoteDeniedForAnother" },
  },
  {
    name: "random-walk",
    about:
      "a random 120-event behaviour with elections, replication, commits, crash-restarts, message loss and duplication (TLC -simulate, seed 5)",
    model: {
      servers: S3,
      values: ["v1", "v2"],
      initConfig: S3,
      newConfigs: [["s1", "s2"], ["s2", "s3"], S3],
      maxTerm: 20,
      maxLogLen: 6,
      maxMessages: 3,
      faults: ["restart", "drop", "duplicate"],
    },
    mode: { kind: "random", events: 120, seed: 5, calm: true },
  },
];

/** Extra definitions the goal invariants above need (written into the generator module). */
export const GOAL_DEFINITIONS = [
  "\\* Goal: a server that is no candidate denied a vote because it had voted for another one.",
  "NoVoteDeniedForAnother ==",
  "    ~\\E m \\in DOMAIN messages :",
  '        /\\ m.mtype = "RequestVoteResponse"',
  "        /\\ ~m.mvoteGranted",
  "        /\\ m.mterm = currentTerm[m.msource]",
  "        /\\ votedFor[m.msource] \\notin {Nil, m.mdest, m.msource}",
].join("\n");

/** One protocol's fixtures: how to generate its good traces and how to corrupt them. */
export interface FixtureSet<M> {
  generator: Generator<M>;
  good: readonly GoodFixture<M>[];
  goalDefinitions: string;
  corruptions: readonly Corruption[];
}

export async function makeGoodFixture<M>(
  f: GoodFixture<M>,
  tlc: TlcSetup,
  set: FixtureSet<M> = raftFixtures as unknown as FixtureSet<M>,
): Promise<Trace> {
  const { trace } = await generateTrace(
    f.model,
    f.mode,
    tlc,
    { definitions: set.goalDefinitions },
    set.generator,
  );
  return { ...trace, file: `${f.name}.ndjson` };
}

// ---------------------------------------------------------------------------------------------
// Corruptions

export interface Corruption {
  /** File name (without .ndjson) under bad/; says what is wrong. */
  name: string;
  /** The good fixture it is made from. */
  from: string;
  about: string;
  /** The event changed; validation must fail exactly here. */
  event: number;
  /** Variables the diff must name. */
  diff: string[];
  /** Change the event's logged post-state (the event is checked to be the expected action). */
  action: string;
  apply: (e: TraceEvent) => TraceEvent;
}

/** v with the value at key path `keys` replaced by f(old). */
export function updateIn(v: Value, keys: readonly Value[], f: (old: Value) => Value): Value {
  const [k, ...rest] = keys;
  if (!k) return f(v);
  const old = apply(v, k);
  if (!old) throw new Error("updateIn: no such key");
  const next = updateIn(old, rest, f);
  switch (v.kind) {
    case "fun":
      return fun(v.pairs.map(([key, x]) => [key, equals(key, k) ? next : x] as const));
    case "rec":
      return rec(
        v.fields.map(
          ([name, x]) => [name, k.kind === "str" && name === k.value ? next : x] as const,
        ),
      );
    case "seq":
      return seq(v.elems.map((x, i) => (k.kind === "int" && BigInt(i + 1) === k.value ? next : x)));
    default:
      throw new Error("updateIn: not a function");
  }
}

const withState = (e: TraceEvent, name: string, f: (v: Value) => Value): TraceEvent => ({
  ...e,
  state: { ...e.state, [name]: f(e.state[name] as Value) },
});

const s = (x: string) => str(x);

export const corruptions: readonly Corruption[] = [
  {
    name: "wrong-term",
    from: "reconfig",
    about: "s2 times out into term 2 instead of term 1",
    event: 1,
    action: "Timeout",
    diff: ["currentTerm"],
    apply: (e) => withState(e, "currentTerm", (v) => updateIn(v, [s("s2")], () => int(2))),
  },
  {
    name: "vote-granted-twice",
    from: "vote-denied",
    about:
      "s3, having voted for one candidate in term 1, grants its vote to the second one too (votedFor and the response both say so)",
    event: 7,
    action: "HandleRequestVoteRequest",
    diff: ["votedFor", "messages"],
    apply: (e) => {
      const candidate = field(e.params.m as Value, "msource") as Value;
      const voter = field(e.params.m as Value, "mdest") as Value;
      const out = withState(e, "votedFor", (v) => updateIn(v, [voter], () => candidate));
      return withState(out, "messages", (bag) => {
        if (bag.kind !== "fun") throw new Error("messages is not a function");
        // The response to this request: from the voter to the candidate, vote denied.
        const denial = (m: Value) =>
          asString(field(m, "mtype")) === "RequestVoteResponse" &&
          equals(field(m, "msource") as Value, voter) &&
          equals(field(m, "mdest") as Value, candidate);
        return fun(
          bag.pairs.map(
            ([m, n]) =>
              [denial(m) ? updateIn(m, [s("mvoteGranted")], () => bool(true)) : m, n] as const,
          ),
        );
      });
    },
  },
  {
    name: "entry-out-of-place",
    from: "reconfig",
    about: "the follower puts the new entry C(new) before its existing entry instead of after it",
    event: 18,
    action: "HandleAppendEntriesRequest",
    diff: ["log"],
    apply: (e) => {
      const follower = field(e.params.m as Value, "mdest") as Value;
      return withState(e, "log", (v) =>
        updateIn(v, [follower], (l) => (l.kind === "seq" ? seq([...l.elems].reverse()) : l)),
      );
    },
  },
  {
    name: "commit-index-too-high",
    from: "reconfig",
    about: "the leader advances its commit index to 2 while its log holds one entry",
    event: 15,
    action: "AdvanceCommitIndex",
    diff: ["commitIndex"],
    apply: (e) => {
      const leader = e.params.i as Value;
      return withState(e, "commitIndex", (v) => updateIn(v, [leader], () => int(2)));
    },
  },
  {
    name: "config-entry-skipped",
    from: "reconfig",
    about: "the leader appends C(new) = C{s2,s3} directly, skipping the joint C(old,new)",
    event: 7,
    action: "Reconfigure",
    diff: ["log"],
    apply: (e) => {
      const leader = e.params.i as Value;
      return withState(e, "log", (v) =>
        updateIn(v, [leader], (l) => {
          if (l.kind !== "seq") return l;
          const last = l.elems.at(-1) as Value;
          const skipped = updateIn(last, [s("old")], () => field(last, "new") as Value);
          return seq([...l.elems.slice(0, -1), skipped]);
        }),
      );
    },
  },
];

export const raftFixtures: FixtureSet<RaftModel> = {
  generator: raftGenerator,
  good: goodFixtures,
  goalDefinitions: GOAL_DEFINITIONS,
  corruptions,
};

// ---------------------------------------------------------------------------------------------
// Multi-Paxos

const F1 = {
  acceptors: ["a1", "a2", "a3"],
  leaders: ["l1", "l2"],
  replicas: ["r1", "r2"],
  initLeaders: ["l1", "l2"],
  window: 1,
};

export const paxosGoodFixtures: readonly GoodFixture<PaxosModel>[] = [
  {
    name: "preempt",
    about:
      "shortest behaviour in which a leader learns an accepted command from P1b, re-proposes it at its own ballot and the slot is decided (MCMultiPaxosPreemptReachable)",
    model: {
      ...F1,
      values: ["v1", "v2"],
      newLeaderSets: [],
      maxRound: 0,
      maxSlot: 1,
      maxMessages: 4,
      faults: [],
    },
    mode: { kind: "goal", invariant: "NoDecisionAfterPreemption" },
  },
  {
    name: "reconfig",
    about:
      "shortest behaviour in which a reconfiguration to {l2} decided in slot 1 takes effect and slot 2 is decided (MCMultiPaxosReconfigReachable)",
    model: {
      ...F1,
      values: ["v1"],
      newLeaderSets: [["l2"]],
      maxRound: 0,
      maxSlot: 2,
      maxMessages: 4,
      faults: [],
    },
    mode: { kind: "goal", invariant: "ReconfigNeverTakesEffect" },
  },
];

// The goals are MCMultiPaxos's reachability witnesses; nothing to add.
const PAXOS_GOALS = "";

const cmdOf = (op: string) =>
  rec([
    ["op", s(op)],
    ["leaders", set([])],
  ]);
const ballotOf = (round: number, leader: string) =>
  rec([
    ["round", int(round)],
    ["leader", s(leader)],
  ]);
/** Add x to the set at key k of the function-valued variable. */
const addTo = (k: string, x: Value) => (v: Value) =>
  updateIn(v, [s(k)], (old) => (old.kind === "set" ? set([...old.elems, x]) : old));

export const paxosCorruptions: readonly Corruption[] = [
  {
    name: "two-commands-decided",
    from: "preempt",
    about: "r2 learns a decision for slot 1 with v2 although v1 was decided there",
    event: 17,
    action: "HandleDecision",
    diff: ["decisions"],
    apply: (e) =>
      withState(e, "decisions", (v) =>
        updateIn(v, [s("r2")], () =>
          set([
            rec([
              ["slot", int(1)],
              ["cmd", cmdOf("v2")],
            ]),
          ]),
        ),
      ),
  },
  {
    name: "acceptor-ballot-down",
    from: "preempt",
    about: "a1, answering l2's P1a, goes back to the bottom ballot instead of adopting l2's",
    event: 19,
    action: "HandleP1a",
    diff: ["acceptorBallot"],
    apply: (e) =>
      withState(e, "acceptorBallot", (v) => updateIn(v, [s("a1")], () => ballotOf(0, "Nil"))),
  },
  {
    name: "accepted-below-ballot",
    from: "preempt",
    about: "a1, whose ballot is l2's, also accepts v2 for slot 1 at l1's lower ballot",
    event: 25,
    action: "HandleP2a",
    diff: ["accepted"],
    apply: (e) =>
      withState(
        e,
        "accepted",
        addTo(
          "a1",
          rec([
            ["ballot", ballotOf(0, "l1")],
            ["slot", int(1)],
            ["cmd", cmdOf("v2")],
          ]),
        ),
      ),
  },
  {
    name: "executed-before-decided",
    from: "preempt",
    about: "r1 proposes its command for slot 1 and applies it at once, before slot 1 is decided",
    event: 2,
    action: "Propose",
    diff: ["slotOut", "executed"],
    apply: (e) => {
      const c = e.params.c as Value;
      const out = withState(e, "slotOut", (v) => updateIn(v, [s("r1")], () => int(2)));
      return withState(out, "executed", (v) => updateIn(v, [s("r1")], () => seq([c])));
    },
  },
  {
    name: "adopted-on-minority",
    from: "preempt",
    about: "l1's scout declares its ballot adopted on the first P1b, one acceptor of three",
    event: 7,
    action: "HandleP1b",
    diff: ["active", "scouting"],
    apply: (e) => {
      const out = withState(e, "active", (v) => updateIn(v, [s("l1")], () => bool(true)));
      return withState(out, "scouting", (v) => updateIn(v, [s("l1")], () => bool(false)));
    },
  },
  {
    name: "leaders-switched-early",
    from: "reconfig",
    about:
      "r1 proposes the reconfiguration to {l2} for slot 1 and switches to {l2} at once, before the slot is decided and Window slots pass",
    event: 2,
    action: "Propose",
    diff: ["replicaLeaders"],
    apply: (e) =>
      withState(e, "replicaLeaders", (v) => updateIn(v, [s("r1")], () => set([s("l2")]))),
  },
];

export const paxosFixtures: FixtureSet<PaxosModel> = {
  generator: paxosGenerator,
  good: paxosGoodFixtures,
  goalDefinitions: PAXOS_GOALS,
  corruptions: paxosCorruptions,
};

/** The bad trace: the good one with the corruption applied to its one event. */
export function corrupt(good: Trace, c: Corruption): Trace {
  const e = good.events[c.event];
  if (!e) throw new Error(`${c.name}: ${c.from} has no event ${c.event}`);
  if (e.action !== c.action)
    throw new Error(
      `${c.name}: event ${c.event} of ${c.from} is ${e.action}, expected ${c.action}`,
    );
  const events = good.events.map((x, k) => (k === c.event ? c.apply(x) : x));
  return { ...good, file: `${c.name}.ndjson`, events };
}

/**
 * (Re)write the fixtures under `dir` (traces/<protocol>): the good traces when TLC is available
 * (they are genuine behaviours only TLC can find), then every bad trace from its committed good
 * one.
 */
export async function writeFixtures<M>(
  dir: string,
  tlc: TlcSetup | null,
  log: (line: string) => void = () => {},
  set: FixtureSet<M> = raftFixtures as unknown as FixtureSet<M>,
): Promise<void> {
  mkdirSync(join(dir, "good"), { recursive: true });
  mkdirSync(join(dir, "bad"), { recursive: true });
  if (tlc)
    for (const f of set.good) {
      const t = await makeGoodFixture(f, tlc, set);
      writeNdjson(join(dir, "good", `${f.name}.ndjson`), encodeTrace(t));
      log(`wrote good/${f.name}.ndjson (${t.events.length} events)`);
    }
  else log("TLC not found: keeping the committed good traces");
  for (const c of set.corruptions) {
    const good = readTrace(join(dir, "good", `${c.from}.ndjson`));
    writeNdjson(join(dir, "bad", `${c.name}.ndjson`), encodeTrace(corrupt(good, c)));
    log(`wrote bad/${c.name}.ndjson (event ${c.event} of ${c.from} corrupted: ${c.about})`);
  }
}
