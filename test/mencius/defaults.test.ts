/** The simulator's defaults give healthy runs at every allowed size (src/mencius/sim/options.ts). */
import { describe, expect, it } from "vitest";
import { defaultOptions, defaultsFor, withDefaults } from "../../src/mencius/sim/options.js";
import { menciusSimulator } from "../../src/mencius/sim/protocol.js";
import { simulate } from "../../src/mencius/sim/simulate.js";

const bounds = (name: string) => {
  const f = menciusSimulator.sizes.find((s) => s.name === name);
  if (f === undefined) throw new Error(`no --${name}`);
  return f;
};

describe("the Mencius simulator's defaults", () => {
  it("are the fixed defaults at 3 servers and the default latencies", () => {
    expect(defaultsFor({})).toEqual(defaultOptions);
    expect(defaultsFor({ servers: 3, latency: 2, far: 6 })).toEqual(defaultOptions);
  });

  it("execute commands within the default steps at every allowed number of servers", () => {
    const f = bounds("servers");
    for (let servers = f.min; servers <= f.max; servers++)
      for (let seed = 1; seed <= 3; seed++) {
        const r = simulate(withDefaults({ seed, servers }));
        expect(r.steps).toBe(defaultOptions.steps);
        expect(r.stats.executed, `${servers} servers, seed ${seed}`).toBeGreaterThan(0);
      }
  });

  it("execute commands at the smallest and largest latencies, the suspicion timeout following them", () => {
    const lat = bounds("latency");
    const far = bounds("far");
    for (const latency of [lat.min, lat.max])
      for (const f of [far.min, far.max])
        for (const servers of [bounds("servers").min, bounds("servers").max]) {
          const o = withDefaults({ seed: 1, servers, latency, far: f });
          expect(o.suspect).toBeGreaterThanOrEqual(5 * Math.max(latency, f));
          const r = simulate(o);
          expect(r.stats.executed, `${servers} servers, ${latency}/${f} ticks`).toBeGreaterThan(0);
        }
  });
});
