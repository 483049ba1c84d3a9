/**
 * Mencius's committed example traces (traces/mencius): the model the generator extends
 * (MCMencius), the good traces TLC finds in it, and the bad ones, each a good one with one
 * deliberate corruption and the event a validator must reject.
 */
import type { FixtureSet, GoodFixture } from "../trace/fixtures.js";
import { type Corruption, updateIn, withState } from "../trace/fixtures.js";
import { cfgSet, type Generator, strSet } from "../trace/generate.js";
import { fun, int, rec, seq, set, str, type Value } from "../trace/itf.js";

const s = (x: string) => str(x);

/** Constants of MCMencius (besides the Bug* switches, always FALSE here). */
export interface MenciusModel {
  /** In round-robin order (the spec's ServerOrder is the set of this list's prefixes). */
  servers: string[];
  values: string[];
  maxInstance: number;
  maxBallot: number;
  maxMessages: number;
  faults: ("restart" | "drop" | "duplicate")[];
  revokers: string[];
}

const prefixes = (xs: string[]) => xs.map((_, k) => xs.slice(0, k + 1));

export const menciusGenerator: Generator<MenciusModel> = {
  protocol: "mencius",
  mcModule: "MCMencius",
  calm: {
    Revoke: 'TLCGet("level") % 11 = 0 /\\ ',
    Restart: 'TLCGet("level") % 29 = 0 /\\ ',
    DropMessage: 'TLCGet("level") % 17 = 0 /\\ ',
    DuplicateMessage: 'TLCGet("level") % 19 = 0 /\\ ',
  },
  calmDefinitions: "",
  constants: (m) => [
    `    Server = ${cfgSet(m.servers)}`,
    `    ServerOrder = {${prefixes(m.servers).map(cfgSet).join(", ")}}`,
    `    Value = ${cfgSet(m.values)}`,
    "    NoOp = NoOp",
    `    MaxInstance = ${m.maxInstance}`,
    `    MaxBallot = ${m.maxBallot}`,
    `    MaxMessages = ${m.maxMessages}`,
    `    Faults = {${m.faults.map((f) => `"${f}"`).join(", ")}}`,
    `    Revokers = ${cfgSet(m.revokers)}`,
    "    BugRevokeWithoutRead = FALSE",
    "    BugSuggestSkipped = FALSE",
    "    BugExecuteEarly = FALSE",
    "    BugNoPromise = FALSE",
  ],
  given: (m) => ({
    Server: strSet(m.servers),
    ServerOrder: set(prefixes(m.servers).map(strSet)),
    Value: strSet(m.values),
    NoOp: str("NoOp"),
  }),
  servers: (m) => m.servers,
};

const S3 = ["s1", "s2", "s3"];

export const menciusGoodFixtures: readonly GoodFixture<MenciusModel>[] = [
  {
    name: "revoke",
    about:
      "shortest behaviour in which s3 revokes s1's instance, its phase 1 reads s1's suggestion and s3 votes for s1's command at its own ballot (MCMenciusRevokeReachable)",
    model: {
      servers: S3,
      values: ["v1"],
      maxInstance: 1,
      maxBallot: 3,
      maxMessages: 3,
      faults: [],
      revokers: ["s3"],
    },
    mode: { kind: "goal", invariant: "NoCommandRevoked" },
  },
  {
    name: "skip",
    about:
      "shortest behaviour in which s1 skips its instance on seeing s2's suggestion for a later one (Rule 2), the skip rides on its ACCEPT, and s2 executes past it (MCMenciusSkipReachable)",
    model: {
      servers: ["s1", "s2"],
      values: ["v1"],
      maxInstance: 2,
      maxBallot: 2,
      maxMessages: 2,
      faults: [],
      revokers: [],
    },
    mode: { kind: "goal", invariant: "NoExecutionPastSkip" },
  },
  {
    name: "random-walk",
    about:
      "a random behaviour of 30 events TLC draws from MCMencius: three servers, three instances, two commands, revocations, restarts and message loss now and then",
    model: {
      servers: S3,
      values: ["v1", "v2"],
      maxInstance: 3,
      maxBallot: 6,
      maxMessages: 6,
      faults: ["restart", "drop", "duplicate"],
      revokers: S3,
    },
    mode: { kind: "random", events: 30, seed: 3, calm: true },
  },
];

const vote = (bal: number, val: string): Value =>
  rec([
    ["bal", int(bal)],
    ["val", s(val)],
  ]);

export const menciusCorruptions: readonly Corruption[] = [
  {
    name: "revoked-without-read",
    from: "revoke",
    about:
      "s3, with a majority of promises one of which carries s1's vote for v1, votes for the no-op at its ballot instead (a revocation that ignores what phase 1 read)",
    event: 10,
    action: "HandlePromise",
    diff: ["accepted"],
    apply: (e) =>
      withState(e, "accepted", (v) =>
        updateIn(v, [s("s3")], () => fun([[int(1), vote(3, "NoOp")]])),
      ),
  },
  {
    name: "promise-not-recorded",
    from: "random-walk",
    about: "s3 answers s1's PREPARE for instance 3 at ballot 1 without recording the promise",
    event: 12,
    action: "HandlePrepare",
    diff: ["promised"],
    apply: (e) => withState(e, "promised", (v) => updateIn(v, [s("s3")], () => fun([]))),
  },
  {
    name: "skip-not-taken",
    from: "skip",
    about:
      "s1, seeing s2's SUGGEST for instance 2, moves past its own instance 1 without skipping it (Rule 2 half done)",
    event: 2,
    action: "HandleSuggest",
    diff: ["skipped"],
    apply: (e) => withState(e, "skipped", (v) => updateIn(v, [s("s1")], () => set([]))),
  },
  {
    name: "executed-past-unexecuted",
    from: "skip",
    about: "s2 executes instance 2's v1 at once, jumping over instance 1 it has not executed",
    event: 4,
    action: "Execute",
    diff: ["executedUpTo", "executed"],
    apply: (e) => {
      const out = withState(e, "executedUpTo", (v) => updateIn(v, [s("s2")], () => int(2)));
      return withState(out, "executed", (v) => updateIn(v, [s("s2")], () => seq([s("v1")])));
    },
  },
  {
    name: "learned-other-value",
    from: "revoke",
    about: "s2 learns the no-op for instance 1 although s1's LEARN says v1",
    event: 6,
    action: "HandleLearn",
    diff: ["learned"],
    apply: (e) =>
      withState(e, "learned", (v) => updateIn(v, [s("s2")], () => fun([[int(1), s("NoOp")]]))),
  },
];

export const menciusFixtures: FixtureSet<MenciusModel> = {
  generator: menciusGenerator,
  good: menciusGoodFixtures,
  goalDefinitions: "",
  corruptions: menciusCorruptions,
};
