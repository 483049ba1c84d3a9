/**
 * The pipeline end to end, for every registered protocol: the simulator's traces of the
 * TypeScript implementation, with every fault on, are behaviours of the protocol's spec
 * (embedded engine always, TLC too when a jar is found); the simulator reaches every action of
 * the spec; and each of the spec's bugs, switched on in the implementation, is caught within
 * 200 seeds by a TS invariant or by validation.
 *
 * The suite is split over four test files (simulation-<k>.test.ts: the protocols at places k,
 * k + 4, … of the registry), so that the test runner's workers share it and a new protocol
 * lands in the file with the fewest; vitest.config.ts starts these files first, since they
 * are the longest.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import type { ProtocolModule } from "../../src/protocol.js";
import { protocols } from "../../src/registry.js";
import { faultNames } from "../../src/sim/faults.js";
import { validateTraces } from "../../src/trace/validate.js";
import { tlcAvailable } from "../tla/helpers.js";
import { expectTlcAccepts } from "../trace/helpers.js";
import { huntBug, run, traceOf } from "./helpers.js";

/**
 * Seeds of 200 steps each protocol's traces are validated on, by each engine: 5,000 events per
 * protocol (about 15 s of the embedded engine; 50 seeds took a fifth of the CI's test phase).
 */
const SEEDS = 25;

/** The number of simulation-<k>.test.ts files the suite is split over. */
export const SIMULATION_FILES = 4;

/** The registered protocols file simulation-<k>.test.ts runs the suite for. */
export const protocolsOfFile = (k: number): ReadonlyArray<ProtocolModule> =>
  protocols().filter((_, i) => i % SIMULATION_FILES === k);

export function simulationSuite(p: ProtocolModule): void {
  describe(`${p.title} (${p.name})`, () => {
    const runs = Array.from({ length: SEEDS }, (_, k) =>
      run(p, k + 1, { steps: 200, faults: faultNames }),
    );
    const traces = runs.map((r, k) => traceOf(r, `${p.name}-seed-${k + 1}.ndjson`));

    it(`${SEEDS} seeds with every fault on keep the TS invariants and validate with the embedded engine`, async () => {
      expect(runs.filter((r) => O.isSome(r.violation)).map((r) => r.summary)).toEqual([]);
      const results = await validateTraces(traces, { engine: "embedded" });
      expect(results).toHaveLength(SEEDS);
      for (const r of results)
        expect(r, `${r.file}: ${JSON.stringify(r.diff)}`).toMatchObject({ ok: true });
    });

    it.skipIf(!tlcAvailable)(`the same ${SEEDS} traces validate with TLC`, async () => {
      await expectTlcAccepts(traces);
    });

    it("the simulator reaches every action of the spec", () => {
      const seen = new Set<string>();
      for (const r of runs) for (const [a, n] of Object.entries(r.actions)) if (n > 0) seen.add(a);
      for (let seed = 1; seed <= 12; seed++)
        for (const [a, n] of Object.entries(
          run(p, seed, { steps: 600, faults: faultNames }).actions,
        ))
          if (n > 0) seen.add(a);
      expect(Object.keys(p.trace.actions).filter((a) => !seen.has(a))).toEqual([]);
    });

    it("every bug has a hunt", () => {
      expect(p.bugHunts.map((h) => h.bug).sort()).toEqual([...p.sim.bugNames].sort());
    });

    for (const h of p.bugHunts)
      it(`the bug ${h.bug}, switched on, is caught within 200 seeds`, async () => {
        const caught = await huntBug(p, h);
        expect(caught, `${h.bug} went unnoticed for 200 seeds`).toBeDefined();
      });
  });
}
