/** The generated harness and trace generator for Multi-Paxos, read from MultiPaxos.tla's Next and MCNext. */
import { describe, expect, it } from "vitest";
import { modelActions } from "../../src/trace/generate.js";
import { harnessModule } from "../../src/trace/harness.js";
import { traceProtocolNamed } from "../../src/trace/protocol.js";

const paxos = traceProtocolNamed("paxos");

describe("Multi-Paxos's harness and generator", () => {
  it("bind each action as Next binds it", () => {
    expect(harnessModule(paxos)).toContain(
      '\\E a \\in Arg(E, "a", Acceptor), m \\in Arg(E, "m", DOMAIN messages) :\n                HandleP2a(a, m)',
    );
  });

  it("give the generator MCNext's call for client requests", () => {
    expect(modelActions(paxos, "MCMultiPaxos")).toContainEqual([
      "ClientRequest",
      "\\E r \\in Replica, c \\in Commands",
      "Request(r, c)",
    ]);
  });
});
