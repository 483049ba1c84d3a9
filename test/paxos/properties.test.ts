/**
 * Property tests: a small random scheduler drives the cluster through enabled actions (faults
 * included) and every reachable state keeps the spec's invariants; each bug switch, on, lets
 * some random run break one.
 */
import fc from "fast-check";
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { Prng } from "../../src/core/prng.js";
import { type Action, type Cluster, enabled, perform } from "../../src/paxos/cluster.js";
import { violatedInvariants, violatedStepProperties } from "../../src/paxos/invariants.js";
import type { Bugs } from "../../src/paxos/types.js";
import { env, fresh, toL2, v1, v2 } from "./helpers.js";

const COMMANDS = [v1, v2, toL2];

/** Faults and timeouts are rarer than deliveries, so runs get somewhere. */
const WEIGHT: Readonly<Record<Action["name"], number>> = {
  ClientRequest: 2,
  Propose: 4,
  ResendPropose: 1,
  HandleDecision: 6,
  Perform: 6,
  ReportExecuted: 1,
  HandleCollected: 6,
  LeaderTimeout: 1,
  HandlePropose: 6,
  HandleP1b: 6,
  HandleP2b: 6,
  RestartLeader: 0.3,
  HandleP1a: 6,
  HandleP2a: 6,
  HandleExecuted: 6,
  DropMessage: 0.5,
  DuplicateMessage: 0.5,
};

/** One run of `steps` weighted random choices; `visit` sees each step. */
function randomRun(
  c0: Cluster,
  choose: (weights: ReadonlyArray<number>) => number,
  steps: number,
  visit: (before: Cluster, a: Action, after: Cluster) => boolean,
): void {
  let c = c0;
  for (let k = 0; k < steps; k++) {
    // Keep requests few, so that slots, not requests, grow.
    const acts = enabled(c, { commands: COMMANDS }).filter(
      (a) => a.name !== "ClientRequest" || k < 30,
    );
    const i = choose(acts.map((a) => WEIGHT[a.name]));
    const a = acts[i];
    if (a === undefined) return;
    const s = perform(c, a);
    expect(O.isSome(s), `${a.name} was listed as enabled`).toBe(true);
    if (O.isNone(s)) return;
    if (!visit(c, a, s.value.next)) return;
    c = s.value.next;
  }
}

describe("random runs of the correct protocol", () => {
  it("keep every invariant and grow every ballot", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, wide) => {
        const rng = new Prng(seed);
        randomRun(
          fresh(env({ window: wide ? 2 : 1 })),
          (w) => rng.weighted(w),
          300,
          (b, _a, c) => {
            expect(violatedInvariants(c)).toEqual([]);
            expect(violatedStepProperties(b, c)).toEqual([]);
            return true;
          },
        );
      }),
      // A fixed seed: CI must not depend on which 60 runs fast-check happens to draw.
      { numRuns: 60, seed: 1 },
    );
  });

  // Found by this property under a random seed (fast-check counterexample [1582523541, false])
  // when a "p2b" named only leader and slot: slot 2 was decided twice, a reconfiguration at
  // (14, l2) accepted by a1 alone, then v2 at (17, l1). a2, promised to (14, l2), rejected l2's
  // older P2a (13, slot 2) with p2b(14, slot 2), and l2's commander (14, slot 2) counted that as
  // a vote it never got. Now the p2b carries the P2a's ballot too (mcballot) and only the
  // commander it answers counts it; the old behaviour is the bug switch p2bForAnyCommander
  // (bugs.test.ts, sim-bugs.test.ts, MCMultiPaxosBugP2bForAnyCommander). The p2b's new field
  // changes the bag's order, so this seed no longer replays the old run under the switch.
  const seed1582523541 = (bugs: Partial<Bugs>): ReadonlyArray<string> => {
    const rng = new Prng(1582523541);
    let found: ReadonlyArray<string> = [];
    randomRun(
      fresh(env({ window: 1, bugs })),
      (w) => rng.weighted(w),
      300,
      (_b, _a, c) => {
        found = violatedInvariants(c);
        return found.length === 0;
      },
    );
    return found;
  };

  it("seed 1582523541, window 1 (once a counterexample) keeps every invariant", () => {
    expect(seed1582523541({})).toEqual([]);
  });

  it("make progress: some runs perform commands at every replica", () => {
    let best = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = new Prng(seed);
      randomRun(
        fresh(),
        (w) => rng.weighted(w),
        400,
        (_b, _a, c) => {
          best = Math.max(
            best,
            Math.min(...[...c.replicas.values()].map((r) => r.executed.length)),
          );
          return true;
        },
      );
    }
    expect(best).toBeGreaterThanOrEqual(1);
  });
});

describe("random runs with a bug switched on", () => {
  const firstViolation = (bugs: Partial<Bugs>, seeds: number, window = 1): string | undefined => {
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = new Prng(seed);
      let found: string | undefined;
      randomRun(
        fresh(env({ bugs, window })),
        (w) => rng.weighted(w),
        300,
        (_b, _a, c) => {
          found = violatedInvariants(c)[0];
          return found === undefined;
        },
      );
      if (found !== undefined) return found;
    }
    return undefined;
  };

  for (const bug of [
    "minorityAdoption",
    "ignorePvalues",
    "acceptLowerBallot",
    "executeOutOfOrder",
  ] as const)
    it(`${bug} breaks an invariant within 300 seeds`, () => {
      expect(
        firstViolation({ [bug]: true }, 300, bug === "executeOutOfOrder" ? 2 : 1),
      ).toBeDefined();
    });
});
