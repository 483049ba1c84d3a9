/**
 * Raft's committed example traces (traces/raft): the model the generator extends (MCRaft), the
 * good traces TLC finds in it, and the bad ones, each a good one with one deliberate
 * corruption and the event a validator must reject.
 */
import type { FixtureSet, GoodFixture } from "../trace/fixtures.js";
import { type Corruption, updateIn, withState } from "../trace/fixtures.js";
import { cfgSet, type Generator, strSet } from "../trace/generate.js";
import {
  asString,
  bool,
  equals,
  field,
  fun,
  int,
  seq,
  set,
  str,
  type Value,
} from "../trace/itf.js";

/** Constants of MCRaft (besides the Bug* switches, always FALSE here). */
export interface RaftModel {
  servers: string[];
  values: string[];
  initConfig: string[];
  newConfigs: string[][];
  maxTerm: number;
  maxLogLen: number;
  maxMessages: number;
  faults: ("restart" | "drop" | "duplicate")[];
  /** MCRaft's Compaction: servers compact their logs (and send snapshots); default off. */
  compaction?: boolean;
}

export const raftGenerator: Generator<RaftModel> = {
  protocol: "raft",
  mcModule: "MCRaft",
  calm: {
    Restart: 'TLCGet("level") % 29 = 0 /\\ ',
    Timeout: 'NoLeader /\\ (\\A s \\in Server : state[s] # "Candidate") /\\ ',
    DropMessage: 'TLCGet("level") % 17 = 0 /\\ ',
    DuplicateMessage: 'TLCGet("level") % 19 = 0 /\\ ',
  },
  calmDefinitions: 'NoLeader == \\A s \\in Server : state[s] # "Leader"',
  constants: (m) => [
    `    Server = ${cfgSet(m.servers)}`,
    `    Value = ${cfgSet(m.values)}`,
    `    InitConfig = ${cfgSet(m.initConfig)}`,
    `    NewConfigs = {${m.newConfigs.map(cfgSet).join(", ")}}`,
    "    Nil = Nil",
    `    MaxTerm = ${m.maxTerm}`,
    `    MaxLogLen = ${m.maxLogLen}`,
    `    MaxMessages = ${m.maxMessages}`,
    `    Faults = {${m.faults.map((f) => `"${f}"`).join(", ")}}`,
    `    Compaction = ${m.compaction === true ? "TRUE" : "FALSE"}`,
    "    BugOldTermCommit = FALSE",
    "    BugNoLogCheck = FALSE",
    "    BugOneStepReconfig = FALSE",
    "    BugForgetVote = FALSE",
    "    BugInstallOldSnapshot = FALSE",
  ],
  given: (m) => ({
    Server: strSet(m.servers),
    Value: strSet(m.values),
    InitConfig: strSet(m.initConfig),
    NewConfigs: set(m.newConfigs.map(strSet)),
    Nil: str("Nil"),
  }),
  servers: (m) => m.servers,
};

const S3 = ["s1", "s2", "s3"];

export const goodFixtures: readonly GoodFixture<RaftModel>[] = [
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
      "a random 120-event behaviour with elections, replication, commits, log compaction, crash-restarts, message loss and duplication (TLC -simulate, seed 5)",
    model: {
      servers: S3,
      values: ["v1", "v2"],
      initConfig: S3,
      newConfigs: [["s1", "s2"], ["s2", "s3"], S3],
      maxTerm: 20,
      maxLogLen: 6,
      maxMessages: 3,
      faults: ["restart", "drop", "duplicate"],
      compaction: true,
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

/** The model `npm run bench` draws random behaviours from: three servers, reconfiguration, every fault. */
const benchModel: RaftModel = {
  servers: ["s1", "s2", "s3"],
  values: ["v1", "v2"],
  initConfig: ["s1", "s2", "s3"],
  newConfigs: [
    ["s1", "s2"],
    ["s2", "s3"],
    ["s1", "s2", "s3"],
  ],
  maxTerm: 1000,
  maxLogLen: 30,
  maxMessages: 4,
  faults: ["restart", "drop", "duplicate"],
};

export const raftFixtures: FixtureSet<RaftModel> = {
  generator: raftGenerator,
  good: goodFixtures,
  goalDefinitions: GOAL_DEFINITIONS,
  corruptions,
  benchModel,
  benchFallback: "random-walk",
  benchLogged: ["currentTerm", "state", "votedFor", "log", "commitIndex"],
  benchUnlogged: ["DropMessage"],
};
