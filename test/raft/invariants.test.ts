/** The TS mirrors of Raft.tla's invariants. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ServerId } from "../../src/core/ids.js";
import { emptyBag } from "../../src/raft/bag.js";
import type { Cluster } from "../../src/raft/cluster.js";
import { violatedInvariants } from "../../src/raft/invariants.js";
import { valueEntry } from "../../src/raft/log.js";
import { withDefaults } from "../../src/raft/sim/options.js";
import { simulate } from "../../src/raft/sim/simulate.js";
import type { Entry, RaftNode } from "../../src/raft/types.js";
import { faultNames } from "../../src/sim/faults.js";
import { elect, env, exec, fresh, node, replicate } from "./helpers.js";

const e = env();
const cluster = (...nodes: RaftNode[]): Cluster => {
  const byId = new Map<ServerId, RaftNode>(e.servers.map((i) => [i, node(e, i)]));
  for (const n of nodes) byId.set(n.id, n);
  return { env: e, nodes: byId, messages: emptyBag };
};
const v = (term: number, value: string): Entry => valueEntry(term, value);

describe("each invariant catches its violation", () => {
  it("ElectionSafety: two leaders in one term", () => {
    const c = cluster(
      node(e, "s1", { term: 1, state: "Leader" }),
      node(e, "s2", { term: 1, state: "Leader" }),
    );
    expect(violatedInvariants(c)).toEqual(["ElectionSafety"]);
    const ok = cluster(
      node(e, "s1", { term: 1, state: "Leader" }),
      node(e, "s2", { term: 2, state: "Leader" }),
    );
    expect(violatedInvariants(ok)).toEqual([]);
  });

  it("LogMatching: equal terms at an index over different prefixes", () => {
    const c = cluster(
      node(e, "s1", { log: [v(1, "a"), v(2, "b")] }),
      node(e, "s2", { log: [v(1, "x"), v(2, "b")] }),
    );
    expect(violatedInvariants(c)).toEqual(["LogMatching"]);
  });

  it("LeaderCompleteness: a later leader misses a committed entry", () => {
    const c = cluster(
      node(e, "s1", { term: 1, log: [v(1, "a")], commitIndex: 1 }),
      node(e, "s2", { term: 2, state: "Leader", log: [v(1, "a")] }),
      node(e, "s3", { term: 3, state: "Leader", log: [v(2, "z")] }),
    );
    expect(violatedInvariants(c)).toContain("LeaderCompleteness");
  });

  it("ElectableLeaderComplete: a server that could win misses a committed entry", () => {
    const c = cluster(
      node(e, "s1", { term: 2, log: [v(1, "a")], commitIndex: 1 }),
      node(e, "s2", { term: 2, log: [v(1, "a")] }),
      node(e, "s3", { term: 2, log: [v(2, "z")] }),
    );
    expect(violatedInvariants(c)).toEqual(["ElectableLeaderComplete"]);
  });

  it("StateMachineSafety: two servers committed different entries at one index", () => {
    const c = cluster(
      node(e, "s1", { log: [v(1, "a")], commitIndex: 1 }),
      node(e, "s2", { log: [v(2, "b")], commitIndex: 1 }),
    );
    expect(violatedInvariants(c)).toContain("StateMachineSafety");
  });

  it("a commitIndex past the log never passes the prefix comparisons", () => {
    const c = cluster(
      node(e, "s1", { log: [v(1, "a")], commitIndex: 2 }),
      node(e, "s2", { log: [v(1, "a")] }),
    );
    expect(violatedInvariants(c)).toContain("ElectableLeaderComplete");
  });

  it("CommitIndexInLog: a server knows more entries as committed than its log holds", () => {
    const c = cluster(node(e, "s1", { log: [v(1, "a")], commitIndex: 2 }));
    expect(violatedInvariants(c)).toContain("CommitIndexInLog");
    const ok = cluster(node(e, "s1", { log: [v(1, "a")], commitIndex: 1 }));
    expect(violatedInvariants(ok, ["CommitIndexInLog"])).toEqual([]);
  });

  it("only the requested invariants are checked", () => {
    const c = cluster(
      node(e, "s1", { term: 1, state: "Leader" }),
      node(e, "s2", { term: 1, state: "Leader" }),
    );
    expect(violatedInvariants(c, ["LogMatching"])).toEqual([]);
  });
});

describe("CommittedEntriesSurviveReconfig", () => {
  it("holds when only a server that lacks the entry still uses a stale configuration", () => {
    // C{s1,s2,s3} -> C({s1,s2,s3},{s1}) -> C{s1}; s1 then commits v1 alone. s3 never heard of
    // any of it and still uses C{s1,s2,s3}, in which {s2, s3} (who lack v1) is a quorum —
    // although neither can win an election (their logs are behind s1's). Only the
    // configurations of servers holding v1 count, and there {s2, s3} is no quorum.
    let c = elect(fresh(e), "s1", ["s2"]);
    c = exec(c, { name: "Reconfigure", i: "s1", newSet: ["s1"] });
    c = replicate(c, "s1", "s2");
    c = exec(c, { name: "AdvanceCommitIndex", i: "s1" });
    c = exec(c, { name: "AppendNewConfig", i: "s1" });
    c = exec(c, { name: "AdvanceCommitIndex", i: "s1" });
    c = exec(c, { name: "ClientRequest", i: "s1", v: "v1" });
    c = exec(c, { name: "AdvanceCommitIndex", i: "s1" });
    expect(violatedInvariants(c)).toEqual([]);
  });
});

describe("correct runs keep every invariant", () => {
  it("on every state of random runs with any faults, 3 to 5 servers", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.subarray([...faultNames]),
        fc.integer({ min: 3, max: 5 }),
        (seed, faults, servers) => {
          simulate(
            withDefaults({ seed, steps: 200, servers, faults, invariants: [] }),
            (_i, _a, c) => expect(violatedInvariants(c)).toEqual([]),
          );
        },
      ),
      { numRuns: 60, seed: 1 },
    );
  });
});
