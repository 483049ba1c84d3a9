/** The simulator's defaults give healthy runs at every allowed size (src/diskpaxos/sim/options.ts). */
import { describe, expect, it } from "vitest";
import { defaultOptions, withDefaults } from "../../src/diskpaxos/sim/options.js";
import { diskpaxosSimulator } from "../../src/diskpaxos/sim/protocol.js";
import { simulate } from "../../src/diskpaxos/sim/simulate.js";

const bounds = (name: string): ReadonlyArray<number> => {
  const f = diskpaxosSimulator.sizes.find((s) => s.name === name);
  if (f === undefined) throw new Error(`no --${name}`);
  return Array.from({ length: f.max - f.min + 1 }, (_, k) => f.min + k);
};

describe("the DiskPaxos simulator's defaults", () => {
  it("decide an instance within the default steps at every allowed size", () => {
    for (const procs of bounds("procs"))
      for (const disks of bounds("disks"))
        for (let seed = 1; seed <= 3; seed++) {
          const r = simulate(withDefaults({ seed, procs, disks }));
          const at = `${procs} processors, ${disks} disks, seed ${seed}`;
          expect(r.steps, at).toBe(defaultOptions.steps);
          expect(r.cluster.chosen.length, at).toBeGreaterThan(0);
        }
  });
});
