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
    // format version 1), re-recorded with the time model off when the p2b gained `mcballot`.
    const recorded: ReadonlyArray<readonly [RunOptions, number, string]> = [
      [
        { steps: 500, faults: faultNames },
        1,
        "894fbc731473d08912503ed1ca074e6dbcf184a52fb12be259167f4f6131812a",
      ],
      [
        { steps: 500, faults: faultNames },
        2,
        "b7ca5c24b45d9fc4755e74c84fefe84428121ad133fa7927b03a3aa47a37deca",
      ],
      [
        { steps: 500, faults: faultNames },
        3,
        "1ac1f76485526ca65efd1aea155e805f41d69aa2d114cceb48c18b14958ce1db",
      ],
      [
        { steps: 500, faults: [] },
        4,
        "8724bd2f75b989f758653eb0b55adaa8f45abb44eeafa4b2ac3e1ea492b83215",
      ],
      [
        { steps: 500, faults: [] },
        5,
        "f339c322473bcf499926f6f81a118fa6f56e0dc2a3bd49407c567c7f2dfe512b",
      ],
      [
        {
          steps: 500,
          faults: faultNames,
          sizes: { acceptors: 5, leaders: 3, replicas: 3 },
          traceVersion: 1,
        },
        1,
        "ef20d7228c21be3f75d85edcd201a1e90e8c343c2ce9696ddfc108aa9512c20b",
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
