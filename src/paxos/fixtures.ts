/**
 * Multi-Paxos's committed example traces (traces/paxos): the model the generator extends
 * (MCMultiPaxos), the good traces TLC finds in it, and the bad ones, each a good one with one
 * deliberate corruption and the event a validator must reject.
 */
import type { FixtureSet, GoodFixture } from "../trace/fixtures.js";
import { type Corruption, updateIn, withState } from "../trace/fixtures.js";
import { cfgSet, type Generator, strSet } from "../trace/generate.js";
import { bool, int, rec, seq, set, str, type Value } from "../trace/itf.js";

const s = (x: string) => str(x);

/** Constants of MCMultiPaxos (besides the Bug* switches, always FALSE here). */
export interface PaxosModel {
  acceptors: string[];
  /** In ballot tie-break order (the spec's LeaderOrder is the set of this list's prefixes). */
  leaders: string[];
  replicas: string[];
  values: string[];
  newLeaderSets: string[][];
  initLeaders: string[];
  window: number;
  maxRound: number;
  maxSlot: number;
  maxMessages: number;
  faults: ("restart" | "drop" | "duplicate")[];
  /** MCMultiPaxos's Collect: replicas report their slotOut and slots are collected. */
  collect?: boolean;
}

const prefixes = (xs: string[]) => xs.map((_, k) => xs.slice(0, k + 1));

export const paxosGenerator: Generator<PaxosModel> = {
  protocol: "paxos",
  mcModule: "MCMultiPaxos",
  calm: {
    LeaderTimeout: "NoActiveLeader /\\ ",
    RestartLeader: 'TLCGet("level") % 29 = 0 /\\ ',
    DropMessage: 'TLCGet("level") % 17 = 0 /\\ ',
    DuplicateMessage: 'TLCGet("level") % 19 = 0 /\\ ',
  },
  calmDefinitions: "NoActiveLeader == \\A x \\in Leader : ~active[x] /\\ ~scouting[x]",
  constants: (m) => [
    `    Acceptor = ${cfgSet(m.acceptors)}`,
    `    Leader = ${cfgSet(m.leaders)}`,
    `    Replica = ${cfgSet(m.replicas)}`,
    `    LeaderOrder = {${prefixes(m.leaders).map(cfgSet).join(", ")}}`,
    `    Value = ${cfgSet(m.values)}`,
    `    NewLeaderSets = {${m.newLeaderSets.map(cfgSet).join(", ")}}`,
    `    InitLeaders = ${cfgSet(m.initLeaders)}`,
    `    Window = ${m.window}`,
    "    Nil = Nil",
    `    MaxRound = ${m.maxRound}`,
    `    MaxSlot = ${m.maxSlot}`,
    `    MaxMessages = ${m.maxMessages}`,
    `    Faults = {${m.faults.map((f) => `"${f}"`).join(", ")}}`,
    "    PairRequests = FALSE",
    `    Collect = ${m.collect === true ? "TRUE" : "FALSE"}`,
    "    BugIgnorePvalues = FALSE",
    "    BugAcceptLowerBallot = FALSE",
    "    BugExecuteOutOfOrder = FALSE",
    "    BugMinorityAdoption = FALSE",
    "    BugP2bForAnyCommander = FALSE",
    "    BugKeepLowerPvalue = FALSE",
    "    BugCollectUnexecuted = FALSE",
  ],
  given: (m) => ({
    Acceptor: strSet(m.acceptors),
    Leader: strSet(m.leaders),
    Replica: strSet(m.replicas),
    LeaderOrder: set(prefixes(m.leaders).map(strSet)),
    Value: strSet(m.values),
    NewLeaderSets: set(m.newLeaderSets.map(strSet)),
    InitLeaders: strSet(m.initLeaders),
    Window: int(m.window),
    Nil: str("Nil"),
  }),
};

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
  {
    name: "collect",
    about:
      "shortest behaviour in which both replicas executed slot 1 and reported it, the acceptor collected it, r2 dropped its decision and the leader, scouting again, learned the watermark from P1b (MCMultiPaxosCollectReachable)",
    model: {
      acceptors: ["a1"],
      leaders: ["l1"],
      replicas: ["r1", "r2"],
      initLeaders: ["l1"],
      window: 1,
      values: ["v1", "v2"],
      newLeaderSets: [],
      maxRound: 1,
      maxSlot: 2,
      maxMessages: 2,
      faults: [],
      collect: true,
    },
    mode: { kind: "goal", invariant: "GarbageNeverCollected" },
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
    name: "collected-unreported",
    from: "collect",
    about:
      "a1, told by r2 alone that slot 1 is executed, collects slot 1 (drops its pvalue) although r1 has not reported yet",
    event: 16,
    action: "HandleExecuted",
    diff: ["accepted"],
    apply: (e) => withState(e, "accepted", (v) => updateIn(v, [s("a1")], () => set([]))),
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
