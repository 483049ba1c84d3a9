/** Raft's action lists: Next's binders pair with the descriptor's parameters; the harness refuses a mismatch. */
import { describe, expect, it } from "vitest";
import { checkActionLists, readActions, unwrapActions } from "../../src/tla/next.js";
import { modelActions } from "../../src/trace/generate.js";
import { harnessModule } from "../../src/trace/harness.js";
import { traceProtocolNamed } from "../../src/trace/protocol.js";

const raft = traceProtocolNamed("raft");

describe("Raft's Next and MCNext", () => {
  it("pair the descriptor's parameters with Next's binders, one by one", () => {
    const next = readActions(raft.specDir, raft.module);
    for (const c of next) expect(c.binders.length, c.action).toBe(raft.actions[c.action]?.length);
    expect(next.find((c) => c.action === "RequestVote")?.binders).toEqual([
      { name: "i", domain: "Server" },
      { name: "j", domain: "Server" },
    ]);
    expect(next.find((c) => c.action === "UpdateTerm")?.binders).toEqual([
      { name: "m", domain: "DOMAIN messages" },
    ]);
  });

  it("give the trace generator MCNext's calls, faults behind their switch", () => {
    const actions = modelActions(raft, "MCRaft");
    expect(actions).toContainEqual(["Restart", "\\E i \\in Server", "FaultRestart(i)"]);
    expect(actions).toContainEqual(["RequestVote", "\\E i, j \\in Server", "RequestVote(i, j)"]);
    expect(actions).toContainEqual([
      "Reconfigure",
      "\\E i \\in Server : \\E newSet \\in NewConfigs",
      "Reconfigure(i, newSet)",
    ]);
  });
});

describe("MCRaftHistory's HistoryNext", () => {
  it("performs MCNext's actions, bound as MCNext binds them, each through a wrapper that records the history", () => {
    const next = readActions(raft.specDir, raft.module);
    const names = next.map((c) => c.action);
    const mc = unwrapActions(raft.specDir, "MCRaft", "MCNext", names);
    const history = unwrapActions(raft.specDir, "MCRaftHistory", "HistoryNext", names);
    expect(checkActionLists(raft.actions, next, history).map((d) => d.message)).toEqual([]);
    expect(history.map((c) => [c.action, c.binders])).toEqual(mc.map((c) => [c.action, c.binders]));
    for (const c of history) expect(c.operator, c.action).toMatch(/^H[A-Z]/);
  });
});

describe("the generated harness", () => {
  it("refuses a descriptor whose actions Next does not have", () => {
    const broken = {
      ...raft,
      actions: { ...raft.actions, Crash: raft.actions.Timeout ?? [] },
    };
    expect(() => harnessModule(broken)).toThrow(
      /cannot generate the trace harness of raft: Crash is in the trace descriptor of raft but not in Next \(spec\/raft\/Raft\.tla\)/,
    );
  });
});
