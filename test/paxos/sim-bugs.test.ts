/**
 * Each of MultiPaxos.tla's Bug* switches, turned on in the implementation, lets the Paxos
 * simulator break a TS invariant within 200 seeds, with every fault on; the same runs without
 * the bug break nothing.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/paxos/sim/options.js";
import { simulate, type Violation } from "../../src/paxos/sim/simulate.js";
import { type BugName, bugNames, noBugs } from "../../src/paxos/types.js";
import { faultNames } from "../../src/sim/faults.js";

function firstViolation(bug: BugName): Violation | undefined {
  for (let seed = 1; seed <= 200; seed++) {
    const r = simulate(
      withDefaults({ seed, steps: 300, faults: faultNames, bugs: { ...noBugs, [bug]: true } }),
    );
    if (O.isSome(r.violation)) return r.violation.value;
  }
  return undefined;
}

describe("the Paxos simulator finds each spec bug through the TS invariants", () => {
  for (const bug of bugNames)
    it(bug, () => {
      const v = firstViolation(bug);
      expect(v, `no seed in 1..200 broke an invariant with ${bug}`).toBeDefined();
      expect(v?.invariants.length).toBeGreaterThan(0);
      expect(v?.step).toBeGreaterThan(0);
    });

  it("and the same runs without the bug break nothing", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = simulate(withDefaults({ seed, steps: 300, faults: faultNames }));
      expect(r.violation, `seed ${seed}`).toEqual(O.none);
    }
  });
});
