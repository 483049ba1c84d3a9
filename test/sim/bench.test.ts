/** The benchmark hook runs and reports; how fast is printed by `npm run bench`, never asserted. */
import { describe, expect, it } from "vitest";
import { benchmark } from "../../src/sim/bench.js";

describe("benchmark", () => {
  it("simulates the requested transitions with tracing and reports rates", () => {
    let bytes = 0;
    const r = benchmark({
      transitions: 3000,
      stepsPerRun: 500,
      write: (parts) => {
        for (const p of parts) bytes += p.length;
      },
    });
    expect(r.transitions).toBe(3000);
    expect(r.runs).toBe(6);
    expect(r.bytes).toBe(bytes);
    expect(r.transitionsPerSecond).toBeGreaterThan(0);
    expect(r.transitionsPerCpuSecond).toBeGreaterThan(0);
  });
});
