/** The wide-area latency comparison of `npm run bench`: its summary and every module's runs. */
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { latencyDeployments, latencyRows, summarize } from "../../src/sim/latency.js";

describe("the latency comparison", () => {
  it("summarizes latencies as median, 95th percentile and mean", () => {
    const xs = Array.from({ length: 20 }, (_, k) => 20 - k);
    expect(summarize("d", xs)).toEqual({
      deployment: "d",
      commands: 20,
      median: 10,
      p95: 19,
      mean: 10.5,
    });
    expect(summarize("none", []).commands).toBe(0);
  });

  it("gets commit latencies of at least a near round trip from every module that has it", () => {
    const short = latencyDeployments.slice(0, 1).map((d) => ({ ...d, events: 600 }));
    const withBench = protocols().filter((p) => p.latencyBench !== undefined);
    for (const p of withBench) {
      const [row] = latencyRows(p, 2, short);
      const d = short[0];
      expect(row?.commands, p.name).toBeGreaterThan(0);
      expect(row?.median ?? 0, p.name).toBeGreaterThanOrEqual(2 * (d?.latency ?? 0));
    }
  });
});
