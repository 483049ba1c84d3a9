/** The simulator's defaults give healthy runs at every allowed size (src/raft/sim/options.ts). */
import { describe, expect, it } from "vitest";
import { defaultOptions, withDefaults } from "../../src/raft/sim/options.js";
import { raftSimulator } from "../../src/raft/sim/protocol.js";
import { simulate } from "../../src/raft/sim/simulate.js";

describe("the Raft simulator's defaults", () => {
  it("elect a leader and commit within the default steps at every allowed size", () => {
    const f = raftSimulator.sizes.find((s) => s.name === "servers");
    expect(f).toBeDefined();
    for (let servers = f?.min ?? 1; servers <= (f?.max ?? 0); servers++)
      for (let seed = 1; seed <= 10; seed++) {
        const r = simulate(withDefaults({ seed, servers }));
        expect(r.steps).toBe(defaultOptions.steps);
        expect(
          r.stats.actions.BecomeLeader ?? 0,
          `${servers} servers, seed ${seed}`,
        ).toBeGreaterThan(0);
        expect(r.stats.maxCommit, `${servers} servers, seed ${seed}`).toBeGreaterThan(0);
      }
  });
});
