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
    // acceptors came to keep one pvalue per slot, again when the leaders' timers moved into
    // the protocol and the ready batch to a simulated disk, again when slots came to be collected,
    // and again when replicas came to resend undecided proposals (the runs without faults kept theirs).
    const recorded: ReadonlyArray<readonly [RunOptions, number, string]> = [
      [
        { steps: 500, faults: faultNames },
        1,
        "e626fa40f391d89e1a94731925c30a348c49be9ba4bcec9ee71d4f357e119058",
      ],
      [
        { steps: 500, faults: faultNames },
        2,
        "a6c73e062d44ab17a263f1a5bc260625720c0d0d425f94f74a0ba6b658d8c71f",
      ],
      [
        { steps: 500, faults: faultNames },
        3,
        "3888e9d50af5ccc6b6d77aa8527fe6ed14891a04242372fb29f10b1eecff269f",
      ],
      [
        { steps: 500, faults: [] },
        4,
        "cee7e103bc4f52180e1eaf48bc7c7ae9adc156516ae60d1c851ec0dc5389bd64",
      ],
      [
        { steps: 500, faults: [] },
        5,
        "63b510859d2199a8aad732283fb2eeaf5c730156eeb6a7006027d8c76c02f375",
      ],
      [
        {
          steps: 500,
          faults: faultNames,
          sizes: { acceptors: 5, leaders: 3, replicas: 3 },
          traceVersion: 1,
        },
        1,
        "a6c00717359a84cbab023ff8d33b52403a2963753f0650e14a3e8127fe6b1d89",
      ],
    ];
    expect(recorded.map(([o, seed]) => sha256(traceText(o, seed)))).toEqual(
      recorded.map((r) => r[2]),
    );
  });

  it("on, changes the run (so the comparison above is not vacuous)", () => {
    const o: RunOptions = { steps: 500, faults: faultNames };
    const timed: RunOptions = { ...o, sizes: { latency: 3 } };
    expect(traceText(timed, 1)).not.toBe(traceText(o, 1));
  });
});
