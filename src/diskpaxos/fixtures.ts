/**
 * DiskPaxos's committed example traces (traces/diskpaxos): the model the generator extends
 * (MCDiskPaxos), the good traces TLC finds in it, and the bad ones, each a good one with one
 * deliberate corruption and the event a validator must reject.
 */
import {
  type Corruption,
  type FixtureSet,
  type GoodFixture,
  updateIn,
  withState,
} from "../trace/fixtures.js";
import { cfgSet, type Generator, strSet } from "../trace/generate.js";
import { fun, int, rec, seq, set, str } from "../trace/itf.js";

/** Constants of MCDiskPaxos (besides the Bug* switches, always FALSE here). */
export interface DiskpaxosModel {
  /** In ballot order (the spec's ProcOrder is the set of this list's prefixes). */
  procs: string[];
  disks: string[];
  inputs: string[];
  maxBallot: number;
  maxInstance: number;
  faults: ("restart" | "diskfail")[];
}

const prefixes = (xs: string[]) => xs.map((_, k) => xs.slice(0, k + 1));

export const diskpaxosGenerator: Generator<DiskpaxosModel> = {
  protocol: "diskpaxos",
  mcModule: "MCDiskPaxos",
  calm: {
    StartBallot: 'TLCGet("level") % 23 = 0 /\\ ',
    Restart: 'TLCGet("level") % 29 = 0 /\\ ',
    DiskFail: 'TLCGet("level") % 31 = 0 /\\ ',
  },
  calmDefinitions: "",
  constants: (m) => [
    `    Proc = ${cfgSet(m.procs)}`,
    `    ProcOrder = {${prefixes(m.procs).map(cfgSet).join(", ")}}`,
    `    Disk = ${cfgSet(m.disks)}`,
    `    Inputs = ${cfgSet(m.inputs)}`,
    "    NotAnInput = NotAnInput",
    `    MaxBallot = ${m.maxBallot}`,
    `    MaxInstance = ${m.maxInstance}`,
    `    Faults = {${m.faults.map((f) => `"${f}"`).join(", ")}}`,
    "    BugReadBeforeWrite = FALSE",
    "    BugRestartWithoutPhase0 = FALSE",
    "    BugStaleWrite = FALSE",
    "    BugHalfIsMajority = FALSE",
    "    BugValueByMbal = FALSE",
  ],
  given: (m) => ({
    Proc: strSet(m.procs),
    ProcOrder: set(prefixes(m.procs).map(strSet)),
    Disk: strSet(m.disks),
    Inputs: strSet(m.inputs),
    NotAnInput: str("NotAnInput"),
  }),
  servers: (m) => [...m.procs, ...m.disks],
};

const P2 = ["p1", "p2"];
const V2 = ["v1", "v2"];

export const diskpaxosGoodFixtures: readonly GoodFixture<DiskpaxosModel>[] = [
  {
    name: "adopt",
    about:
      "shortest behaviour in which a processor outputs the value another one proposed: p1 votes for v1 at ballot 1 on both disks, p2 reads that vote in phase 1 of ballot 2 and outputs v1 (the AdoptReachable model)",
    model: { procs: P2, disks: ["d1", "d2"], inputs: V2, maxBallot: 2, maxInstance: 1, faults: [] },
    mode: { kind: "goal", invariant: "NoOutputOfOthers" },
  },
  {
    name: "recover",
    about:
      "shortest behaviour in which a processor votes, crashes and reads its vote back from the disk in phase 0 (the RecoverReachable model)",
    model: {
      procs: P2,
      disks: ["d1"],
      inputs: V2,
      maxBallot: 3,
      maxInstance: 1,
      faults: ["restart"],
    },
    mode: { kind: "goal", invariant: "VoteNeverReadBack" },
  },
  {
    name: "log",
    about: "shortest behaviour in which two instances are decided (the LogReachable model)",
    model: { procs: P2, disks: ["d1"], inputs: V2, maxBallot: 2, maxInstance: 2, faults: [] },
    mode: { kind: "goal", invariant: "NeverTwoDecided" },
  },
  {
    name: "random-walk",
    about:
      "a random 120-event behaviour of 2 processors on 3 disks with timeouts, restarts and a disk failure (TLC -simulate, seed 5)",
    model: {
      procs: P2,
      disks: ["d1", "d2", "d3"],
      inputs: ["v1", "v2", "v3"],
      maxBallot: 8,
      maxInstance: 3,
      faults: ["restart", "diskfail"],
    },
    mode: { kind: "random", events: 120, seed: 5, calm: true },
  },
];

// The goals are MCDiskPaxos's reachability witnesses; nothing to add.
const GOALS = "";

const s = (x: string) => str(x);
/** [mbal |-> m, bal |-> b, inp |-> v] (NotAnInput spelt out). */
const blk = (mbal: number, bal: number, inp: string) =>
  rec([
    ["bal", int(bal)],
    ["inp", s(inp)],
    ["mbal", int(mbal)],
  ]);

export const diskpaxosCorruptions: readonly Corruption[] = [
  {
    name: "own-value-over-vote",
    from: "adopt",
    about:
      "p2 ends phase 1 of ballot 2 voting for its own input v2, although it read p1's vote for v1 at ballot 1 (the vote with the largest bal must win)",
    event: 30,
    action: "EndPhase1",
    diff: ["dblock"],
    apply: (e) =>
      withState(e, "dblock", (v) => updateIn(v, [s("p2")], () => seq([blk(2, 2, "v2")]))),
  },
  {
    name: "read-returns-old-block",
    from: "adopt",
    about:
      "d1 answers p2's read of p1's block with the block p1 had there before its vote landed (a read returns the block as it is when the read completes)",
    event: 28,
    action: "CompleteRead",
    diff: ["blocksRead"],
    apply: (e) =>
      withState(e, "blocksRead", (v) =>
        updateIn(v, [s("p2"), s("d1")], () =>
          set([
            rec([
              ["block", blk(1, 0, "NotAnInput")],
              ["proc", s("p1")],
            ]),
          ]),
        ),
      ),
  },
  {
    name: "output-other-value",
    from: "adopt",
    about: "p2 ends phase 2 and the decided sequence records v2, not the v1 p2 voted for",
    event: 39,
    action: "EndPhase2",
    diff: ["chosen"],
    apply: (e) => withState(e, "chosen", () => seq([s("v2")])),
  },
  {
    name: "restart-skips-phase0",
    from: "recover",
    about:
      "p1 crashes and restarts straight into phase 1 instead of reading its own block back from the disks (phase 0)",
    event: 10,
    action: "Restart",
    diff: ["phase"],
    apply: (e) => withState(e, "phase", (v) => updateIn(v, [s("p1")], () => int(1))),
  },
  {
    name: "write-lost",
    from: "recover",
    about:
      "d1 acknowledges p1's write of its vote but keeps the block it had (blocks are written whole, and only a failed disk loses a write)",
    event: 11,
    action: "CompleteWrite",
    diff: ["disk"],
    apply: (e) =>
      withState(e, "disk", (v) =>
        updateIn(v, [s("d1"), s("p1")], () => fun([[int(1), blk(1, 0, "NotAnInput")]])),
      ),
  },
];

/**
 * The model `npm run bench` draws random behaviours from: every fault, 3 disks; bounds far
 * enough out that a 5,000-event random behaviour stays inside them (a behaviour ends where it
 * leaves them).
 */
const benchModel: DiskpaxosModel = {
  procs: P2,
  disks: ["d1", "d2", "d3"],
  inputs: ["v1", "v2", "v3"],
  maxBallot: 400,
  maxInstance: 20,
  faults: ["restart", "diskfail"],
};

export const diskpaxosFixtures: FixtureSet<DiskpaxosModel> = {
  generator: diskpaxosGenerator,
  good: diskpaxosGoodFixtures,
  goalDefinitions: GOALS,
  corruptions: diskpaxosCorruptions,
  benchModel,
  benchFallback: "random-walk",
};
