/** The simulator: determinism, invariants under faults, trace shape. */
import fc from "fast-check";
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import type { ActionName } from "../../src/raft/cluster.js";
import { type InvariantName, invariantNames } from "../../src/raft/invariants.js";
import { withDefaults } from "../../src/raft/sim/options.js";
import { simulate } from "../../src/raft/sim/simulate.js";
import { eventLine, headerLine, traceWriter } from "../../src/raft/sim/trace.js";
import type { RaftNode } from "../../src/raft/types.js";
import { type Fault, faultNames } from "../../src/sim/faults.js";
import { determinismTests, traceOf } from "../sim/helpers.js";

const simulator = { withDefaults, simulate, traceWriter, headerLine, eventLine };

/** The trace of a run, as NDJSON text (format version 2 unless asked for 1). */
const trace = traceOf(simulator);

/** The invariants a correct run must keep: all of Raft.tla's, whatever the faults. */
const invariantsFor = (_faults: ReadonlyArray<Fault>): ReadonlyArray<InvariantName> =>
  invariantNames;

describe("determinism", () => {
  determinismTests(simulator);
});

describe("the trace", () => {
  const text = trace({ seed: 3, steps: 300, faults: ["crash", "drop"] });
  const [header, ...events] = text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

  it("starts with the header of traces/FORMAT.md, naming the values the run used", () => {
    expect(header).toMatchObject({
      format: "lockstep-trace",
      version: 2,
      protocol: "raft",
      seed: 3,
      servers: ["s1", "s2", "s3"],
    });
    expect(Object.keys(header.constants)).toEqual([
      "Server",
      "Value",
      "InitConfig",
      "NewConfigs",
      "Nil",
      "BugOldTermCommit",
      "BugNoLogCheck",
      "BugOneStepReconfig",
      "BugForgetVote",
    ]);
    const used = events.filter((e) => e.action === "ClientRequest").map((e) => e.params.v);
    expect(used.length).toBeGreaterThan(0);
    expect(header.constants.Value["#set"]).toEqual([...used].sort());
  });

  it("numbers events from 0 = Init, each with the action, its parameters and the ten variables", () => {
    expect(events[0]).toMatchObject({ i: 0, action: "Init", params: {} });
    events.forEach((e, k) => {
      expect(e.i).toBe(k);
      // Version 2: the full state at Init, then only the variables that changed.
      if (k === 0) expect(Object.keys(e.state)).toHaveLength(10);
      else {
        expect(e.state).toBeUndefined();
        expect(Object.keys(e.changed).length).toBeLessThanOrEqual(9);
      }
    });
    expect(events).toHaveLength(301);
  });

  it("in version 2 an event carries only what its action changed", () => {
    const keys = (a: string) =>
      new Set(events.filter((e) => e.action === a).flatMap((e) => Object.keys(e.changed)));
    expect([...keys("Timeout")].sort()).toEqual([
      "currentTerm",
      "state",
      "votedFor",
      "votesGranted",
    ]);
    expect([...keys("DropMessage")]).toEqual(["messages"]);
    expect([...keys("ClientRequest")]).toEqual(["log"]);
  });
});

describe("invariants hold on every step of correct runs", () => {
  it("with any mix of faults, 3 to 5 servers", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.subarray([...faultNames]),
        fc.integer({ min: 3, max: 5 }),
        (seed, faults, servers) => {
          const r = simulate(
            withDefaults({ seed, steps: 400, servers, faults, invariants: invariantsFor(faults) }),
          );
          expect(r.violation).toEqual(O.none);
          expect(r.steps).toBe(400);
        },
      ),
      { numRuns: 120, seed: 1 },
    );
  });
});

describe("runs make progress and exercise the whole spec", () => {
  it("every spec action occurs across a few seeds with all faults", () => {
    const seen = new Set<ActionName>();
    // 16 seeds: DropStaleResponse is rare (about one seed in four).
    for (let seed = 1; seed <= 16; seed++) {
      const r = simulate(
        withDefaults({
          seed,
          steps: 600,
          faults: faultNames,
          invariants: invariantsFor(faultNames),
        }),
      );
      for (const [a, n] of Object.entries(r.stats.actions))
        if ((n ?? 0) > 0) seen.add(a as ActionName);
    }
    expect([...seen].sort()).toEqual(
      [
        "Restart",
        "Timeout",
        "RequestVote",
        "BecomeLeader",
        "ClientRequest",
        "Reconfigure",
        "AppendNewConfig",
        "AppendEntries",
        "InstallSnapshot",
        "CompactLog",
        "AdvanceCommitIndex",
        "UpdateTerm",
        "HandleRequestVoteRequest",
        "HandleRequestVoteResponse",
        "HandleAppendEntriesRequest",
        "HandleAppendEntriesResponse",
        "HandleInstallSnapshotRequest",
        "DropStaleResponse",
        "DropMessage",
        "DuplicateMessage",
      ].sort(),
    );
  });

  it("without faults a leader is elected and client commands commit", () => {
    const r = simulate(withDefaults({ seed: 9, steps: 500 }));
    expect(r.stats.actions.BecomeLeader).toBeGreaterThanOrEqual(1);
    expect(r.stats.maxCommit).toBeGreaterThan(10);
    expect(r.stats.maxTerm).toBeLessThanOrEqual(3);
  });

  it("replicas that applied the same number of entries hold the same key-value state", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = simulate(withDefaults({ seed, steps: 600, faults: ["crash", "drop", "reorder"] }));
      const reps = [...r.replicas];
      for (const [id, rep] of reps) {
        expect(rep.applied).toBe((r.cluster.nodes.get(id) as RaftNode).volatile.lastApplied);
        for (const [, other] of reps)
          if (other.applied === rep.applied) expect([...other.kv]).toEqual([...rep.kv]);
      }
    }
  });

  it("keeps at most maxMessages + 1 copies in flight", () => {
    simulate(
      withDefaults({ seed: 4, steps: 500, faults: ["dup", "reorder"], maxMessages: 4 }),
      (_i, _a, c) => expect(c.messages.size).toBeLessThanOrEqual(5),
    );
  });
});

describe("maxClientRequests", () => {
  it("stops the clients after that many requests while the run goes on", () => {
    const capped = simulate(
      withDefaults({ seed: 2, steps: 2000, faults: faultNames, knobs: { maxClientRequests: 5 } }),
    );
    const free = simulate(withDefaults({ seed: 2, steps: 2000, faults: faultNames }));
    expect(capped.stats.actions.ClientRequest).toBe(5);
    expect(capped.steps).toBe(2000);
    expect(free.stats.actions.ClientRequest ?? 0).toBeGreaterThan(5);
  });
});
