/**
 * The Paxos pipeline end to end: the simulator's traces of the TypeScript Multi-Paxos, with
 * every fault on, are behaviours of spec/paxos/MultiPaxos.tla (embedded engine always, TLC too
 * when a jar is found); and with any of the spec's bugs switched on in the implementation, a
 * seed in 1..200 yields a run that breaks a TS invariant or a trace that validation rejects.
 * Runs only once the trace layer knows the paxos protocol (its spec and harness).
 */
import * as O from "fp-ts/lib/Option.js";
import { beforeAll, describe, expect, it } from "vitest";
import { withDefaults } from "../../src/paxos/sim/options.js";
import { simulate } from "../../src/paxos/sim/simulate.js";
import { headerLine, traceWriter } from "../../src/paxos/sim/trace.js";
import { type BugName, bugNames, noBugs } from "../../src/paxos/types.js";
import { faultNames } from "../../src/sim/faults.js";
import { parseTrace, type Trace } from "../../src/trace/codec.js";
import { traceProtocols } from "../../src/trace/protocol.js";
import { tlcAvailable } from "../tla/helpers.js";
import { catchBug, expectBehaviours, expectTlcAccepts, simTrace } from "../trace/helpers.js";

const known = traceProtocols().has("paxos");

/** One seeded run and its trace; `violation` when a TS invariant broke. */
function run(seed: number, steps: number, bug?: BugName) {
  return simTrace(traceWriter, headerLine, (sink) =>
    simulate(
      withDefaults({
        seed,
        steps,
        faults: faultNames,
        bugs: bug ? { ...noBugs, [bug]: true } : noBugs,
      }),
      sink,
    ),
  );
}

const SEEDS = Array.from({ length: 50 }, (_, k) => k + 1);

describe.skipIf(!known)("Paxos simulator traces are behaviours of MultiPaxos.tla", () => {
  let good: Trace[] = [];
  beforeAll(() => {
    good = SEEDS.map((seed) => {
      const r = run(seed, 200);
      expect(r.violation).toEqual(O.none);
      return parseTrace(r.text, `paxos-seed-${seed}.ndjson`);
    });
  });

  it("50 seeds with every fault on validate with the embedded engine", async () => {
    // The runs are not trivial: they elect leaders, decide, perform and reconfigure somewhere.
    await expectBehaviours(good, 50, [
      "LeaderTimeout",
      "HandleP1b",
      "HandleP2b",
      "Perform",
      "RestartLeader",
      "DropMessage",
    ]);
  });

  it.skipIf(!tlcAvailable)("the same 50 traces validate with TLC", async () => {
    await expectTlcAccepts(good);
  });
});

describe.skipIf(!known)("each Paxos bug switched on is caught within 200 seeds", () => {
  for (const bug of bugNames)
    it(bug, async () => {
      const caught = await catchBug((seed) => run(seed, 300, bug));
      expect(caught, `${bug} went unnoticed for 200 seeds`).toBeDefined();
    });
});
