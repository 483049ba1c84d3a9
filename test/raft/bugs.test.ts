/**
 * Each of the spec's Bug* switches, turned on in the implementation, lets the simulator break a
 * TS invariant within 200 seeds. Each bug gets the faults that expose it (a bug in
 * reconfiguration needs reconfiguration, a forgotten vote needs crashes).
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { invariantNames } from "../../src/raft/invariants.js";
import { withDefaults } from "../../src/raft/sim/options.js";
import { simulate, type Violation } from "../../src/raft/sim/simulate.js";
import { type BugName, noBugs } from "../../src/raft/types.js";
import { type Fault, faultNames } from "../../src/sim/faults.js";

const sound = invariantNames;
const noReconfig: ReadonlyArray<Fault> = ["crash", "partition", "drop", "dup", "reorder"];

const cases: ReadonlyArray<{ bug: BugName; faults: ReadonlyArray<Fault>; servers: number }> = [
  { bug: "oldTermCommit", faults: noReconfig, servers: 3 },
  { bug: "noLogCheck", faults: noReconfig, servers: 3 },
  { bug: "oneStepReconfig", faults: faultNames, servers: 4 },
  { bug: "forgetVote", faults: noReconfig, servers: 3 },
];

function firstViolation(
  bug: BugName,
  faults: ReadonlyArray<Fault>,
  servers: number,
): Violation | undefined {
  for (let seed = 1; seed <= 200; seed++) {
    const r = simulate(
      withDefaults({
        seed,
        steps: 1000,
        servers,
        faults,
        bugs: { ...noBugs, [bug]: true },
        invariants: sound,
      }),
    );
    if (O.isSome(r.violation)) return r.violation.value;
  }
  return undefined;
}

describe("the simulator finds each spec bug through the TS invariants", () => {
  for (const { bug, faults, servers } of cases)
    it(`${bug} (${servers} servers, ${faults.join(",")})`, () => {
      const v = firstViolation(bug, faults, servers);
      expect(v, `no seed in 1..200 broke an invariant with ${bug}`).toBeDefined();
      expect(v?.invariants.length).toBeGreaterThan(0);
    });

  it("and the same runs without the bug break nothing", () => {
    for (const { faults, servers } of cases)
      for (let seed = 1; seed <= 25; seed++) {
        const r = simulate(withDefaults({ seed, steps: 1000, servers, faults, invariants: sound }));
        expect(r.violation).toEqual(O.none);
      }
  });
});
