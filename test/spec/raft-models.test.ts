/**
 * The Raft models themselves: correct models pass, each bug variant is refuted with the
 * invariant it names, the reconfiguration witness is reachable, both engines agree on state
 * counts, and every bug model passes once its bug is switched off (so the violation is the
 * bug's doing, not the bounds').
 */
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/tla/engine.js";
import { tlcAvailable } from "../tla/helpers.js";
import { embedded, expectRefuted, protocolModels, tlc, tlcBugTests } from "./helpers.js";

const { models, byName, control } = protocolModels("raft");

const BUGS = [
  ["MCRaftBugOldTermCommit", "ElectableLeaderComplete", "BugOldTermCommit"],
  ["MCRaftBugNoLogCheck", "LeaderCompleteness", "BugNoLogCheck"],
  ["MCRaftBugOneStepReconfig", "ElectionSafety", "BugOneStepReconfig"],
  ["MCRaftBugForgetVote", "ElectionSafety", "BugForgetVote"],
] as const;

/** Count the leaders of each term in a printed state; ElectionSafety fails iff some count > 1. */
function leadersPerTerm(vars: Record<string, string>): Map<string, number> {
  const roles = new Map(
    [...(vars.state ?? "").matchAll(/(\w+) :> "(\w+)"/g)].map((m) => [m[1], m[2]]),
  );
  const terms = new Map(
    [...(vars.currentTerm ?? "").matchAll(/(\w+) :> (\d+)/g)].map((m) => [m[1], m[2]]),
  );
  const count = new Map<string, number>();
  for (const [server, role] of roles)
    if (role === "Leader") {
      const t = terms.get(server) ?? "?";
      count.set(t, (count.get(t) ?? 0) + 1);
    }
  return count;
}

describe("Raft models (discovery)", () => {
  it("has a correct model, a reconfiguration witness and all four bug variants in the default set", () => {
    const ci = models.filter((m) => m.tier === "ci").map((m) => m.name);
    expect(ci).toEqual(
      expect.arrayContaining(["MCRaft", "MCRaftReconfigReachable", ...BUGS.map(([n]) => n)]),
    );
    for (const [name, inv] of BUGS) expect(byName(name).expect).toBe(inv);
    expect(byName("MCRaftDeep").tier).toBe("deep");
  });
});

describe("Raft models (embedded engine)", () => {
  it("MCRaft passes every invariant and LeaderAppendOnly", async () => {
    const r = await checkModel(byName("MCRaft"), embedded);
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe("pass");
    expect(r.distinctStates ?? 0).toBeGreaterThan(1000);
  });

  it("reaches a committed C(new) through a joint configuration", async () => {
    const r = await checkModel(byName("MCRaftReconfigReachable"), embedded);
    expectRefuted(r, "ReconfigNeverCompletes");
    const log = r.counterexample?.at(-1)?.vars.log ?? "";
    // Record fields print in either order, so look at each entry's fields.
    const configs = [...log.matchAll(/\[([^\]]*)\]/g)].map((m) => {
      const field = (f: string) => new RegExp(`${f} \\|-> \\{([^}]*)\\}`).exec(m[1] ?? "")?.[1];
      return `${field("old")} -> ${field("new")}`;
    });
    // The joint entry C({s1,s2},{s2,s3}) and then C(new) = C({s2,s3}) are in some log.
    expect(configs).toContain("s1, s2 -> s2, s3");
    expect(configs).toContain("s2, s3 -> s2, s3");
  });

  for (const [name, inv] of BUGS)
    it(`refutes ${name} with ${inv}`, async () => {
      const r = await checkModel(byName(name), embedded);
      expectRefuted(r, inv);
      if (inv === "ElectionSafety") {
        const last = r.counterexample?.at(-1)?.vars ?? {};
        expect(Math.max(...leadersPerTerm(last).values())).toBe(2);
      }
    });

  it("passes MCRaftBugForgetVote's bounds once votedFor survives restart", async () => {
    const r = await checkModel(control("MCRaftBugForgetVote", "BugForgetVote"), embedded);
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe("pass");
  });
});

describe.skipIf(!tlcAvailable)("Raft models (TLC)", () => {
  const opts = { workers: 2 };

  it("MCRaft: TLC passes and counts the same distinct states as the embedded engine", async () => {
    const [t, e] = [
      await checkModel(byName("MCRaft"), tlc(), opts),
      await checkModel(byName("MCRaft"), embedded),
    ];
    expect(t.outcome).toBe("pass");
    expect(e.outcome).toBe("pass");
    expect(t.distinctStates).toBe(e.distinctStates);
    expect(t.depth ?? 0).toBeGreaterThan(10);
  });

  it("MCRaftFaults passes", async () => {
    const r = await checkModel(byName("MCRaftFaults"), tlc(), opts);
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe("pass");
  });

  tlcBugTests(BUGS, byName, control, opts);
});
