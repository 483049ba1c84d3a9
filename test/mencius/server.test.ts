/**
 * Mencius's rules on scripted runs: the owner's one-round-trip suggestion, skips (the owner's
 * own and Rule 2's, piggybacked on ACCEPT), revocation by a full ballot round that reads what
 * was accepted, and execution in instance order.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { perform } from "../../src/mencius/cluster.js";
import { violatedInvariants } from "../../src/mencius/invariants.js";
import type { Message } from "../../src/mencius/types.js";
import {
  deliver,
  exec,
  executeAll,
  fresh,
  from,
  inFlight,
  ofType,
  run,
  server,
  to,
} from "./helpers.js";

describe("the owner's suggestion", () => {
  it("is chosen in one round trip to a majority at ballot 0, with no phase 1", () => {
    let c = exec(fresh(), { name: "Suggest", p: "s1", v: "v1" });
    expect(server(c, "s1").durable.nextInst).toBe(4);
    expect(inFlight(c, ofType("suggest")).map((m) => m.mdest)).toEqual(["s2", "s3"]);
    expect(inFlight(c, ofType("prepare"))).toEqual([]);
    c = deliver(c, to("s2", "suggest"));
    c = deliver(c, to("s1", "accept"));
    expect(server(c, "s1").durable.learned.get(1)).toBe("v1");
    expect(inFlight(c, ofType("learn")).map((m) => m.mdest)).toEqual(["s2", "s3"]);
    c = executeAll(c, "s1");
    expect(server(c, "s1").durable.executed).toEqual(["v1"]);
    expect(violatedInvariants(c)).toEqual([]);
  });

  it("is refused in an instance whose owner promised a revoker a higher ballot", () => {
    // s1 revokes s2's instance 2 (s1 reached instance 4 by suggesting in 1); s2 promises.
    let c = exec(fresh(), { name: "Suggest", p: "s1", v: "v1" });
    c = exec(c, { name: "Revoke", p: "s1", i: 2 });
    c = deliver(c, to("s2", "prepare"));
    expect(server(c, "s2").durable.promised.get(2)).toBe(1);
    expect(O.isNone(perform(c, { name: "Suggest", p: "s2", v: "v2" }))).toBe(true);
    // It skips the instance instead and suggests in its next one.
    c = exec(c, { name: "Skip", p: "s2" });
    expect(server(c, "s2").durable.skipped).toEqual([2]);
    c = exec(c, { name: "Suggest", p: "s2", v: "v2" });
    expect(inFlight(c, from("s2", "suggest")).map((m) => ("minst" in m ? m.minst : 0))).toEqual([
      5, 5,
    ]);
  });
});

describe("skips", () => {
  it("Skip gives the owner's next instance up: learned as the no-op at once, SKIP to the others", () => {
    const c = exec(fresh(), { name: "Skip", p: "s2" });
    const s2 = server(c, "s2").durable;
    expect(s2.nextInst).toBe(5);
    expect(s2.skipped).toEqual([2]);
    expect(s2.learned.get(2)).toBe(null);
    const skips = inFlight(c, ofType("skip")) as ReadonlyArray<Extract<Message, { mtype: "skip" }>>;
    expect(skips.map((m) => [m.mdest, m.minsts])).toEqual([
      ["s1", [2]],
      ["s3", [2]],
    ]);
  });

  it("Rule 2: a SUGGEST beyond the acceptor's next instance skips its lower instances, piggybacked on ACCEPT", () => {
    // s3 suggests in instance 3; s1 (next: 1) and s2 (next: 2) skip theirs.
    let c = exec(fresh(), { name: "Suggest", p: "s3", v: "v3" });
    c = deliver(c, to("s1", "suggest"));
    const s1 = server(c, "s1").durable;
    expect(s1.skipped).toEqual([1]);
    expect(s1.nextInst).toBe(4);
    const acc = inFlight(c, from("s1", "accept")) as ReadonlyArray<
      Extract<Message, { mtype: "accept" }>
    >;
    expect(acc.map((m) => [m.mdest, m.minst, m.mskips])).toEqual([["s3", 3, [1]]]);
    // The owner learns the skip from the ACCEPT; s2 hears it by a SKIP.
    expect(inFlight(c, from("s1", "skip")).map((m) => m.mdest)).toEqual(["s2"]);
    c = deliver(c, to("s3", "accept"));
    expect(server(c, "s3").durable.learned.get(1)).toBe(null);
    expect(server(c, "s3").durable.learned.get(3)).toBe("v3");
    // s3 cannot execute past s2's instance 2 until it learns it is skipped too.
    c = executeAll(c, "s3");
    expect(server(c, "s3").durable.executedUpTo).toBe(1);
    c = deliver(c, to("s2", "suggest"));
    c = deliver(c, (m) => m.mtype === "skip" && m.mdest === "s3");
    c = deliver(c, to("s3", "accept"));
    c = executeAll(c, "s3");
    expect(server(c, "s3").durable.executedUpTo).toBe(3);
    expect(server(c, "s3").durable.executed).toEqual(["v3"]);
    expect(violatedInvariants(c)).toEqual([]);
  });

  it("an owner never suggests in an instance it skipped", () => {
    const c = exec(fresh(), { name: "Skip", p: "s1" });
    const st = run(c, { name: "Suggest", p: "s1", v: "v1" });
    const sent = st.effects.flatMap((e) => (e.type === "send" ? [e.message] : []));
    expect(sent.every((m) => m.mtype === "suggest" && m.minst === 4)).toBe(true);
  });
});

describe("revocation", () => {
  it("reads the owner's vote in phase 1 and proposes it, not the no-op", () => {
    // s1 suggests v1; only s2 hears it; s3 revokes instance 1 (it reached it by skipping).
    let c = exec(fresh(), { name: "Suggest", p: "s1", v: "v1" });
    c = deliver(c, to("s2", "suggest"));
    c = exec(c, { name: "Skip", p: "s3" });
    c = exec(c, { name: "Revoke", p: "s3", i: 1 });
    expect(server(c, "s3").durable.promised.get(1)).toBe(3);
    expect(server(c, "s3").rounds.prepares.get(1)?.bal).toBe(3);
    c = deliver(c, to("s2", "prepare"));
    c = deliver(c, to("s3", "promise"));
    const proposes = inFlight(c, ofType("propose")) as ReadonlyArray<
      Extract<Message, { mtype: "propose" }>
    >;
    expect(proposes.map((m) => [m.mdest, m.mbal, m.mval])).toEqual([
      ["s1", 3, "v1"],
      ["s2", 3, "v1"],
    ]);
    c = deliver(c, to("s2", "propose"));
    c = deliver(c, to("s3", "accept"));
    expect(server(c, "s3").durable.learned.get(1)).toBe("v1");
    expect(violatedInvariants(c)).toEqual([]);
  });

  it("decides the no-op when no acceptor of the majority voted", () => {
    // s1 crashed before suggesting: s2 and s3 skip theirs, s3 revokes s1's instance 1.
    let c = exec(fresh(), { name: "Skip", p: "s3" });
    c = exec(c, { name: "Revoke", p: "s3", i: 1 });
    c = deliver(c, to("s2", "prepare"));
    c = deliver(c, to("s3", "promise"));
    c = deliver(c, to("s2", "propose"));
    c = deliver(c, to("s3", "accept"));
    expect(server(c, "s3").durable.learned.get(1)).toBe(null);
    // The owner, back, learns it and can no longer suggest there: it is promised away.
    c = deliver(c, to("s1", "prepare"));
    expect(O.isNone(perform(c, { name: "Suggest", p: "s1", v: "v1" }))).toBe(true);
    c = deliver(c, to("s1", "learn"));
    expect(server(c, "s1").durable.learned.get(1)).toBe(null);
    expect(violatedInvariants(c)).toEqual([]);
  });

  it("an acceptor ignores a PREPARE at or below its promise, and a later one wins", () => {
    let c = exec(fresh(), { name: "Skip", p: "s3" });
    c = exec(c, { name: "Skip", p: "s2" });
    c = exec(c, { name: "Revoke", p: "s2", i: 1 }); // ballot 2
    c = exec(c, { name: "Revoke", p: "s3", i: 1 }); // ballot 3
    c = deliver(c, (m) => m.mdest === "s1" && m.mtype === "prepare" && m.msource === "s3");
    expect(server(c, "s1").durable.promised.get(1)).toBe(3);
    const before = server(c, "s1");
    c = deliver(c, (m) => m.mdest === "s1" && m.mtype === "prepare" && m.msource === "s2");
    expect(server(c, "s1")).toBe(before);
    expect(inFlight(c, (m) => m.mtype === "promise" && m.mdest === "s2")).toEqual([]);
  });

  it("a restart loses the rounds a server coordinates, not its promises", () => {
    let c = exec(fresh(), { name: "Skip", p: "s3" });
    c = exec(c, { name: "Revoke", p: "s3", i: 1 });
    c = exec(c, { name: "Restart", p: "s3" });
    expect(server(c, "s3").rounds.prepares.size).toBe(0);
    expect(server(c, "s3").durable.promised.get(1)).toBe(3);
    // A PROMISE for the lost round is stale and discarded.
    c = deliver(c, to("s2", "prepare"));
    c = deliver(c, to("s3", "promise"));
    expect(inFlight(c, ofType("propose"))).toEqual([]);
  });
});

describe("execution", () => {
  it("goes in instance order: a learned instance waits for every lower one", () => {
    let c = exec(fresh(), { name: "Suggest", p: "s2", v: "v2" });
    c = deliver(c, (m) => m.mtype === "suggest" && m.mdest === "s3");
    c = deliver(c, to("s2", "accept"));
    expect(server(c, "s2").durable.learned.get(2)).toBe("v2");
    expect(O.isNone(perform(c, { name: "Execute", p: "s2" }))).toBe(true);
    c = deliver(c, to("s1", "suggest"));
    c = deliver(c, to("s2", "accept"));
    c = executeAll(c, "s2");
    expect(server(c, "s2").durable.executedUpTo).toBe(2);
    expect(server(c, "s2").durable.executed).toEqual(["v2"]);
  });
});
