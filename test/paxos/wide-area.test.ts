/**
 * The Multi-Paxos simulator's opt-in wide-area time model: sites hosting one replica, acceptor
 * and leader each, near and far links, clients at their site's replica, commit latency
 * recorded. Off (the default), runs are what they were before the model existed.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { linkLatency, siteOf, withDefaults } from "../../src/paxos/sim/options.js";
import { paxosSimulator } from "../../src/paxos/sim/protocol.js";
import { simulate } from "../../src/paxos/sim/simulate.js";
import { faultNames } from "../../src/sim/faults.js";
import type { RunOptions } from "../../src/sim/protocol.js";

/** The trace file `npm run sim` writes for one seed (header line, then the events). */
function traceText(o: RunOptions, seed: number): string {
  const parts: Buffer[] = [];
  const r = paxosSimulator.prepare(o)(seed, (x) => parts.push(...x));
  return `${r.header}\n${Buffer.concat(parts).toString()}`;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("the wide-area time model", () => {
  it("places role k at site k, with near links, far links of the last site, none within a site", () => {
    expect(["r2", "a2", "l2", "a10"].map(siteOf)).toEqual([2, 2, 2, 10]);
    const lat = linkLatency({ latency: 5, far: 40 }, 3);
    expect([
      lat("l1", "a1"),
      lat("l1", "a2"),
      lat("r2", "l1"),
      lat("l1", "a3"),
      lat("a3", "l2"),
      lat("r3", "a3"),
    ]).toEqual([0, 5, 5, 40, 40, 0]);
  });

  it("commits no command faster than a round trip from its leader to a majority of acceptors", () => {
    // A majority of three acceptors spans two sites, so every decision needs a leader's P2a to
    // cross a link and its P2b to come back: at least twice the near latency, even for a
    // client at the leader's site, with or without faults.
    const near = 10;
    for (const faults of [[], faultNames]) {
      const all: number[] = [];
      for (let seed = 1; seed <= 4; seed++) {
        const r = simulate(
          withDefaults({
            seed,
            steps: 1500,
            faults,
            sites: { latency: near, far: 40, clientSites: 3, arrival: [30, 90] },
          }),
        );
        expect(r.violation._tag).toBe("None");
        all.push(...r.stats.latencies);
      }
      expect(all.length).toBeGreaterThan(20);
      expect(Math.min(...all)).toBeGreaterThanOrEqual(2 * near);
    }
  });

  it("with clients at the leader's site only, commits in about that round trip", () => {
    // The stable leader l1 at site 1 with acceptors a1 (here) and a2 (near): each command takes
    // l1's round trip to a2 plus a few ticks of processing (one event per tick).
    const r = simulate(
      withDefaults({
        seed: 2,
        steps: 2000,
        acceptors: 3,
        replicas: 3,
        sites: { latency: 50, far: 250, clientSites: 1, arrival: [100, 300] },
      }),
    );
    const xs = [...r.stats.latencies].sort((a, b) => a - b);
    expect(xs.length).toBeGreaterThan(20);
    expect(xs[0]).toBeGreaterThanOrEqual(100);
    expect(xs[Math.floor(xs.length / 2)]).toBeLessThan(115);
    expect(r.stats.actions.LeaderTimeout).toBe(1);
  });

  it("is off by default: traces are byte for byte those recorded before it existed", () => {
    // sha256 of `npm run sim -- --protocol paxos --seed N …` trace files written by the
    // simulator before the time model was added (all faults; no faults; a larger system in
    // format version 1), re-recorded with the time model off when the p2b gained `mcballot` and again when
    // acceptors came to keep one pvalue per slot, and again when the leaders' timers moved into
    // the protocol and the ready batch to a simulated disk (every run draws differently).
    const recorded: ReadonlyArray<readonly [RunOptions, number, string]> = [
      [
        { steps: 500, faults: faultNames },
        1,
        "5e9169beb4d3f217c4a2a7cc4f6f66f8b5ebff10f96092a1788a172323966b85",
      ],
      [
        { steps: 500, faults: faultNames },
        2,
        "0849cc70d1a9ebeedf22390c60de120c7f9cb00651a31a4de85039c23079fbc4",
      ],
      [
        { steps: 500, faults: faultNames },
        3,
        "ed42ba7af6495b9791db3a76b55c437e670a546cf444d20adf88e12c9b1edd8d",
      ],
      [
        { steps: 500, faults: [] },
        4,
        "82560c7ef48327d30b0998978624dfd52ccb7db156631bde55aa754e45c7dbd7",
      ],
      [
        { steps: 500, faults: [] },
        5,
        "0541ef98659f2927aaba0cde4491721aca95134f561c3d7673aef3d4c007cecd",
      ],
      [
        {
          steps: 500,
          faults: faultNames,
          sizes: { acceptors: 5, leaders: 3, replicas: 3 },
          traceVersion: 1,
        },
        1,
        "0faaee3b2d693a48e5d42b20768670ccf92c88e4fc88e83db8119966a9efd960",
      ],
    ];
    for (const [o, seed, digest] of recorded) expect(sha256(traceText(o, seed))).toBe(digest);
  });

  it("on, changes the run (so the comparison above is not vacuous)", () => {
    const o: RunOptions = { steps: 500, faults: faultNames };
    const timed: RunOptions = { ...o, sizes: { latency: 3 } };
    expect(traceText(timed, 1)).not.toBe(traceText(o, 1));
  });
});
