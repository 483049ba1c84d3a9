/** The simulator's defaults give healthy runs at every allowed size (src/paxos/sim/options.ts). */
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/paxos/sim/options.js";
import { paxosSimulator } from "../../src/paxos/sim/protocol.js";
import { simulate } from "../../src/paxos/sim/simulate.js";

describe("the Multi-Paxos simulator's defaults", () => {
  it("decide commands within the default steps at the smallest, middle and largest sizes", () => {
    const bounds = (name: string) => {
      const f = paxosSimulator.sizes.find((s) => s.name === name);
      if (f === undefined) throw new Error(`no --${name}`);
      return [f.min, Math.round((f.min + f.max) / 2), f.max];
    };
    for (const acceptors of bounds("acceptors"))
      for (const leaders of bounds("leaders"))
        for (const replicas of bounds("replicas"))
          for (let seed = 1; seed <= 5; seed++) {
            const r = simulate(withDefaults({ seed, acceptors, leaders, replicas }));
            expect(
              r.stats.maxSlot,
              `${acceptors}/${leaders}/${replicas}, seed ${seed}`,
            ).toBeGreaterThan(0);
          }
  });
});
