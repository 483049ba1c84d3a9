/** The generated harness and trace generator for Multi-Paxos, read from MultiPaxos.tla's Next and MCNext. */
import { describe, expect, it } from "vitest";
import { checkActionLists, readActions, unwrapActions } from "../../src/tla/next.js";
import { modelActions } from "../../src/trace/generate.js";
import { harnessModule } from "../../src/trace/harness.js";
import { traceProtocolNamed } from "../../src/trace/protocol.js";

const paxos = traceProtocolNamed("paxos");

describe("Multi-Paxos's harness and generator", () => {
  it("bind each action as Next binds it", () => {
    expect(harnessModule(paxos)).toContain(
      '\\E a \\in Arg(E, "a", Acceptor) : \\E m \\in Arg(E, "m", DOMAIN messages) :\n                HandleP2a(a, m)',
    );
  });

  it("give the generator MCNext's call for client requests", () => {
    expect(modelActions(paxos, "MCMultiPaxos")).toContainEqual([
      "ClientRequest",
      "\\E r \\in Replica : \\E c \\in Commands",
      "Request(r, c)",
    ]);
  });
});

describe("MCMultiPaxosHistory's HNext", () => {
  it("performs MCNext's actions, bound as MCNext binds them, each through a wrapper that records the votes", () => {
    const next = readActions(paxos.specDir, paxos.module);
    const names = next.map((c) => c.action);
    const mc = unwrapActions(paxos.specDir, "MCMultiPaxos", "MCNext", names);
    const history = unwrapActions(paxos.specDir, "MCMultiPaxosHistory", "HNext", names);
    expect(checkActionLists(paxos.actions, next, history).map((d) => d.message)).toEqual([]);
    expect(history.map((c) => [c.action, c.binders])).toEqual(mc.map((c) => [c.action, c.binders]));
    for (const c of history) expect(c.operator, c.action).toMatch(/^H[A-Z]/);
  });
});
