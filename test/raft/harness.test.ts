/** The generated trace-validation modules for Raft: the data module and the harness. */
import { describe, expect, it } from "vitest";
import { readTrace } from "../../src/trace/codec.js";
import { dataModule, harnessModule } from "../../src/trace/harness.js";
import { traceProtocolNamed } from "../../src/trace/protocol.js";
import { traceFixtures } from "../trace/helpers.js";

const raft = traceProtocolNamed("raft");
const { good } = traceFixtures("raft");

describe("the data module", () => {
  it("stores each event's changes once, sharing messages by name", () => {
    const t = readTrace(good("vote-denied"));
    const text = dataModule(raft, [t]);
    expect(text).toMatch(/^---- MODULE TraceRaftData ----$/m);
    expect(text).toMatch(/^TraceCount == 1$/m);
    expect(text).toMatch(/^TraceLen\(t\) == <<8>>\[t\]$/m);
    expect(text).toContain(
      'TDe1_2 == [a |-> "Timeout", p |-> [i |-> "s1"], d |-> [currentTerm |-> ',
    );
    // The request s1 sends to s3 is defined once and named where the bag holds it.
    const request =
      /^(TDv\d+) == \[mdest \|-> "s3", mlastLogIndex \|-> 0, mlastLogTerm \|-> 0, msource \|-> "s1"/m.exec(
        text,
      );
    expect(request?.[1]).toBeDefined();
    expect(text.split(`${request?.[1]} :>`).length).toBeGreaterThan(2);
  });
});

describe("the harness module", () => {
  it("is generated from the descriptor's variables and Next's actions, over the shared module", () => {
    const text = harnessModule(raft);
    expect(text).toMatch(/^---- MODULE TraceRaft ----$/m);
    expect(text).toMatch(/^EXTENDS Raft, TraceValidation, TraceRaftData$/m);
    // Each action bound as Next binds it, over the logged parameter the descriptor names.
    expect(text).toContain(
      [
        '      [] E.a = "Reconfigure" ->',
        '            \\E i \\in Arg(E, "i", Server) : \\E newSet \\in Arg(E, "newSet", NewConfigs) :',
        "                Reconfigure(i, newSet)",
      ].join("\n"),
    );
    expect(text.match(/^ {6}\[\] E\.a = |^ {4}CASE E\.a = /gm)).toHaveLength(
      Object.keys(raft.actions).length,
    );
    for (const { name } of raft.variables) {
      expect(text).toContain(`/\\ ${name}'`);
      expect(text).toMatch(
        new RegExp(`/\\\\ ${name} += TraceInitState\\(traceId\\)\\.${name}$`, "m"),
      );
    }
    // The speed trick the shared module explains: the next event is a variable.
    expect(text).toContain("/\\ ev' = NextEvent(traceId, cursor + 2)");
  });
});
