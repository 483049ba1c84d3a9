/**
 * The pipeline end to end: the simulator's traces of the TypeScript Raft, with every fault on,
 * are behaviours of spec/raft/Raft.tla (embedded engine always, TLC too when a jar is found);
 * and with any of the spec's bugs switched on in the implementation, a seed in 1..200 yields a
 * run that breaks a TS invariant or a trace that validation rejects.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { type BugName, noBugs } from "../../src/raft/types.js";
import { type Fault, faultNames } from "../../src/sim/faults.js";
import { withDefaults } from "../../src/sim/raft/options.js";
import { simulate } from "../../src/sim/raft/simulate.js";
import { headerLine, traceWriter } from "../../src/sim/raft/trace.js";
import { parseTrace, type Trace } from "../../src/trace/codec.js";
import { tlcAvailable } from "../tla/helpers.js";
import { catchBug, expectBehaviours, expectTlcAccepts, simTrace } from "./helpers.js";

/** One seeded run and its trace; `violation` when a TS invariant broke. */
function run(
  seed: number,
  steps: number,
  faults: ReadonlyArray<Fault>,
  bug?: BugName,
  servers = 3,
) {
  return simTrace(traceWriter, headerLine, (sink) =>
    simulate(
      withDefaults({
        seed,
        steps,
        servers,
        faults,
        bugs: bug ? { ...noBugs, [bug]: true } : noBugs,
      }),
      sink,
    ),
  );
}

const SEEDS = Array.from({ length: 50 }, (_, k) => k + 1);
const good: Trace[] = SEEDS.map((seed) => {
  const r = run(seed, 200, faultNames);
  expect(r.violation).toEqual(O.none);
  return parseTrace(r.text, `seed-${seed}.ndjson`);
});

describe("simulator traces are behaviours of Raft.tla", () => {
  it("50 seeds with every fault on validate with the embedded engine", async () => {
    // The runs are not trivial: they elect leaders, commit and reconfigure somewhere.
    await expectBehaviours(good, 50, [
      "BecomeLeader",
      "AdvanceCommitIndex",
      "Reconfigure",
      "Restart",
      "DropMessage",
    ]);
  });

  it.skipIf(!tlcAvailable)("the same 50 traces validate with TLC", async () => {
    await expectTlcAccepts(good);
  });
});

describe("each bug switched on in the implementation is caught within 200 seeds", () => {
  const cases: ReadonlyArray<{ bug: BugName; faults: ReadonlyArray<Fault>; servers: number }> = [
    { bug: "oldTermCommit", faults: ["crash", "partition", "drop", "dup", "reorder"], servers: 3 },
    { bug: "noLogCheck", faults: ["crash", "partition", "drop", "dup", "reorder"], servers: 3 },
    { bug: "oneStepReconfig", faults: faultNames, servers: 4 },
    { bug: "forgetVote", faults: ["crash", "partition", "drop", "dup", "reorder"], servers: 3 },
  ];
  for (const { bug, faults, servers } of cases)
    it(bug, async () => {
      const caught = await catchBug((seed) => run(seed, 300, faults, bug, servers));
      expect(caught, `${bug} went unnoticed for 200 seeds`).toBeDefined();
    });
});
