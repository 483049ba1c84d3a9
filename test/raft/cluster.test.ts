/** Cluster-level transitions: the message bag, whole scenarios and the effects a runtime sees. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { countOf, emptyBag, toArray, withMessage, withoutMessage } from "../../src/raft/bag.js";
import * as C from "../../src/raft/cluster.js";
import { configEntry } from "../../src/raft/log.js";
import type { Message } from "../../src/raft/types.js";
import { deliver, elect, env, exec, fresh, msg, nodeAt, replicate, to } from "./helpers.js";

const rv: Message = {
  mtype: "RequestVoteRequest",
  mterm: 1,
  mlastLogTerm: 0,
  mlastLogIndex: 0,
  msource: "s1",
  mdest: "s2",
};

describe("the message bag", () => {
  it("counts copies and identifies messages by value", () => {
    const b = withMessage(withMessage(emptyBag, rv), { ...rv });
    expect(b.size).toBe(2);
    expect(b.items).toHaveLength(1);
    expect(
      countOf(b, {
        mdest: "s2",
        msource: "s1",
        mlastLogIndex: 0,
        mlastLogTerm: 0,
        mterm: 1,
        mtype: "RequestVoteRequest",
      }),
    ).toBe(2);
    const one = withoutMessage(b, rv);
    expect(countOf(one, rv)).toBe(1);
    expect(withoutMessage(one, rv)).toEqual(emptyBag);
  });

  it("DropMessage and DuplicateMessage remove and add one copy of a message in flight", () => {
    const c = exec(exec(fresh(), { name: "Timeout", i: "s1" }), {
      name: "RequestVote",
      i: "s1",
      j: "s2",
    });
    expect(C.dropMessage(fresh(), rv)).toEqual(O.none);
    const dup = exec(c, { name: "DuplicateMessage", m: rv });
    expect(countOf(dup.messages, rv)).toBe(2);
    expect(countOf(exec(dup, { name: "DropMessage", m: rv }).messages, rv)).toBe(1);
    expect(exec(c, { name: "DropMessage", m: rv }).messages).toEqual(emptyBag);
  });
});

describe("message handlers", () => {
  const c = exec(exec(fresh(), { name: "Timeout", i: "s1" }), {
    name: "RequestVote",
    i: "s1",
    j: "s2",
  });

  it("need the message in flight", () => {
    expect(C.updateTerm(fresh(), rv)).toEqual(O.none);
    expect(O.isSome(C.updateTerm(c, rv))).toBe(true);
  });

  it("UpdateTerm leaves the message in flight; the handler then consumes it and replies", () => {
    const c1 = exec(c, { name: "UpdateTerm", m: rv });
    expect(nodeAt(c1, "s2").persistent.currentTerm).toBe(1);
    expect(toArray(c1.messages)).toEqual([rv]);
    expect(C.receive(c, rv)).toEqual(O.some("UpdateTerm"));
    expect(C.receive(c1, rv)).toEqual(O.some("HandleRequestVoteRequest"));
    const c2 = exec(c1, { name: "HandleRequestVoteRequest", m: rv });
    expect(toArray(c2.messages)).toEqual([
      { mtype: "RequestVoteResponse", mterm: 1, mvoteGranted: true, msource: "s2", mdest: "s1" },
    ]);
  });

  it("receive names DropStaleResponse for old responses and nothing for a same-term leader", () => {
    let x = elect(fresh(), "s1", ["s2"]);
    x = exec(x, { name: "AppendEntries", i: "s1", j: "s2" });
    const response = (mterm: number): Message => ({
      mtype: "AppendEntriesResponse",
      mterm,
      msuccess: true,
      mmatchIndex: 0,
      msource: "s2",
      mdest: "s1",
    });
    // s1 restarts and starts an election in term 2: a term-1 response is now stale.
    const y = exec(exec(x, { name: "Restart", i: "s1" }), { name: "Timeout", i: "s1" });
    const z = { ...y, messages: withMessage(y.messages, response(1)) };
    expect(C.receive(z, response(1))).toEqual(O.some("DropStaleResponse"));
    // An AppendEntries of s1's own term addressed to s1 has no handler (it cannot happen
    // while ElectionSafety holds): only the network can drop it.
    const own = {
      ...msg(x, to("s2", "AppendEntriesRequest")),
      msource: "s2",
      mdest: "s1",
    } as Message;
    const w = { ...x, messages: withMessage(x.messages, own) };
    expect(C.receive(w, own)).toEqual(O.none);
    expect(C.handleAppendEntriesRequest(w, own)).toEqual(O.none);
  });
});

describe("a run", () => {
  it("elects, replicates, commits and applies in order", () => {
    let c = elect(fresh(), "s1", ["s2"]);
    expect(nodeAt(c, "s1").volatile.state).toBe("Leader");
    c = exec(c, { name: "ClientRequest", i: "s1", v: "v1" });
    c = exec(c, { name: "ClientRequest", i: "s1", v: "v2" });
    c = replicate(c, "s1", "s2");
    c = replicate(c, "s1", "s2");
    const s = C.advanceCommitIndex(c, "s1");
    expect(
      O.isSome(s) && s.value.effects.map((e) => (e.type === "apply" ? e.entry.value : e.type)),
    ).toEqual(["v1", "v2"]);
    c = exec(c, { name: "AdvanceCommitIndex", i: "s1" });
    expect(nodeAt(c, "s1").volatile.commitIndex).toBe(2);
    // The follower learns the commit index from the next AppendEntries.
    c = replicate(c, "s1", "s2");
    expect(nodeAt(c, "s2").volatile.commitIndex).toBe(2);
    expect(c.messages).toEqual(emptyBag);
  });

  it("Restart keeps term, vote and log and forgets the rest", () => {
    let c = elect(fresh(), "s1", ["s2"]);
    c = exec(c, { name: "ClientRequest", i: "s1", v: "v1" });
    c = exec(replicate(c, "s1", "s2"), { name: "AdvanceCommitIndex", i: "s1" });
    const before = nodeAt(c, "s1");
    const s = C.restart(c, "s1");
    expect(O.isSome(s) && s.value.effects).toEqual([{ type: "reset" }]);
    const after = nodeAt(exec(c, { name: "Restart", i: "s1" }), "s1");
    expect(after.persistent).toBe(before.persistent);
    expect(after.volatile).toMatchObject({
      state: "Follower",
      commitIndex: 0,
      votesGranted: [],
      lastApplied: 0,
    });
  });

  it("a new leader overwrites a conflicting uncommitted suffix", () => {
    let c = elect(fresh(), "s1", ["s2"]);
    c = exec(c, { name: "ClientRequest", i: "s1", v: "v1" });
    c = replicate(c, "s1", "s2"); // s1, s2: [1:v1]
    c = exec(c, { name: "ClientRequest", i: "s1", v: "v2" }); // only s1: [1:v1, 1:v2]
    c = exec(c, { name: "Restart", i: "s1" });
    c = elect(c, "s2", ["s3"]); // term 2
    c = exec(c, { name: "ClientRequest", i: "s2", v: "v3" }); // s2: [1:v1, 2:v3]
    c = replicate(c, "s2", "s1");
    expect(nodeAt(c, "s1").persistent.log.map((e) => [e.term, e.value])).toEqual([
      [1, "v1"],
      [2, "v3"],
    ]);
    expect(nodeAt(c, "s2").volatile.matchIndex.get("s1")).toBe(2);
  });

  it("joint consensus: C(old,new) then C(new); the removed leader steps down after C(new) commits", () => {
    const e = env({ initConfig: ["s1", "s2", "s3"] });
    let c = elect(fresh(e), "s1", ["s2"]);
    c = exec(c, { name: "Reconfigure", i: "s1", newSet: ["s2", "s3"] });
    expect(nodeAt(c, "s1").persistent.log).toEqual([
      configEntry(1, ["s1", "s2", "s3"], ["s2", "s3"]),
    ]);
    c = replicate(c, "s1", "s2");
    // Old majority {s1, s2} but new majority needs both s2 and s3.
    expect(C.advanceCommitIndex(c, "s1")).toEqual(O.none);
    c = replicate(c, "s1", "s3");
    c = exec(c, { name: "AdvanceCommitIndex", i: "s1" });
    c = exec(c, { name: "AppendNewConfig", i: "s1" });
    c = replicate(replicate(c, "s1", "s2"), "s1", "s3");
    c = exec(c, { name: "AdvanceCommitIndex", i: "s1" });
    expect(nodeAt(c, "s1").volatile).toMatchObject({ state: "Follower", commitIndex: 2 });
    expect(C.timeout(c, "s1")).toEqual(O.none);
    expect(O.isSome(C.timeout(c, "s2"))).toBe(true);
  });

  it("a candidate hearing from the leader of its term returns to follower", () => {
    let c = exec(fresh(), { name: "Timeout", i: "s2" }); // s2 candidate in term 1
    c = elect(c, "s1", ["s3"]); // s1 leader in term 1
    c = exec(c, { name: "AppendEntries", i: "s1", j: "s2" });
    c = deliver(c, "s2", "AppendEntriesRequest");
    expect(nodeAt(c, "s2").volatile.state).toBe("Follower");
  });
});
