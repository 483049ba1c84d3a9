/**
 * The wide-area network the Mencius simulator runs on: latency classes (near links, and the
 * last server far away), a copy deliverable only once its link's latency has elapsed.
 */
import { describe, expect, it } from "vitest";
import { Prng } from "../../src/core/prng.js";
import { owner } from "../../src/mencius/operators.js";
import { linkLatency, withDefaults } from "../../src/mencius/sim/options.js";
import { simulate } from "../../src/mencius/sim/simulate.js";
import type { Message } from "../../src/mencius/types.js";
import { Candidates } from "../../src/sim/candidates.js";
import { Network } from "../../src/sim/network.js";

const learn = (source: string, dest: string): Message => ({
  mtype: "learn",
  minst: 1,
  mval: "v1",
  msource: source,
  mdest: dest,
});

describe("the wide-area network", () => {
  it("has near links, far links to and from the last server, and none to a site itself", () => {
    const lat = linkLatency({ latency: 2, far: 9 }, ["s1", "s2", "s3"]);
    expect([
      lat("s1", "s2"),
      lat("s2", "s1"),
      lat("s1", "s3"),
      lat("s3", "s2"),
      lat("s3", "s3"),
    ]).toEqual([2, 2, 9, 9, 0]);
  });

  it("offers a copy for delivery (or loss) only once its link's latency has elapsed", () => {
    const ctx = { rng: new Prng(1), tick: 0 };
    const net = new Network<Message>(
      ctx,
      new Set(["drop"]),
      { source: (m) => m.msource, dest: (m) => m.mdest, key: (m) => JSON.stringify(m) },
      linkLatency({ latency: 2, far: 9 }, ["s1", "s2", "s3"]),
    );
    net.send(learn("s1", "s3"));
    net.send(learn("s1", "s2"));
    const offered = () => {
      const out = new Candidates<string>();
      net.enumerate(out, {
        deliver: (m) => `deliver ${m.mdest}`,
        drop: (m) => `drop ${m.mdest}`,
        dup: (m) => `dup ${m.mdest}`,
        weights: { deliver: 1, drop: 1, dup: 1 },
      });
      return out.count;
    };
    expect(offered()).toBe(0);
    expect(net.nextWake()).toBe(2);
    ctx.tick = 2;
    expect(offered()).toBe(2); // the near copy: delivered or dropped
    expect(net.nextWake()).toBe(9);
    ctx.tick = 9;
    expect(offered()).toBe(3); // the oldest deliverable copy, and either copy dropped
  });

  it("slows a run with a far server down in simulated time, not in what it decides", () => {
    const near = simulate(withDefaults({ seed: 3, latency: 2, far: 2 }));
    const far = simulate(withDefaults({ seed: 3, latency: 2, far: 40 }));
    expect(far.stats.ticks).toBeGreaterThan(near.stats.ticks);
    expect(far.stats.executed).toBeGreaterThan(0);
    expect(far.violation._tag).toBe("None");
  });

  it("measures commit latency at the client's site: at least a round trip to a majority", () => {
    const r = simulate(withDefaults({ seed: 2, latency: 10, far: 40, steps: 1500 }));
    expect(r.stats.latencies.length).toBeGreaterThan(0);
    expect(r.stats.latencies.length).toBeLessThanOrEqual(r.stats.executed);
    expect(Math.min(...r.stats.latencies)).toBeGreaterThanOrEqual(2 * 10);
  });

  it("puts clients at the first sites only with clientSites: the other owners only skip", () => {
    const r = simulate(withDefaults({ seed: 2, steps: 800, knobs: { clientSites: 1 } }));
    expect(r.stats.executed).toBeGreaterThan(0);
    for (const s of r.cluster.servers.values())
      for (const [i, v] of s.durable.accepted)
        if (v.bal === 0) expect(owner(r.cluster.env, i), `instance ${i}`).toBe("s1");
  });
});
