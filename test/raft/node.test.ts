/** Node-level transitions: each spec action's guard and its effect on state, as in Raft.tla. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { configEntry, valueEntry } from "../../src/raft/log.js";
import * as N from "../../src/raft/node.js";
import type { Message } from "../../src/raft/types.js";
import { effectTypes, env, log, node, S3, sent, some } from "./helpers.js";

const e = env();

describe("Restart", () => {
  it("keeps the persistent state and rebuilds the volatile state", () => {
    const n = node(e, "s1", {
      term: 3,
      votedFor: "s2",
      log: log(1, 3),
      state: "Leader",
      commitIndex: 2,
      votesGranted: ["s1", "s2"],
      nextIndex: { s2: 3 },
      matchIndex: { s2: 2 },
    });
    const s = some(N.run(N.restart, e, n));
    expect(s.node.persistent).toBe(n.persistent);
    expect(s.node.volatile).toEqual(N.initialVolatile(e));
    expect(effectTypes(s)).toEqual(["reset"]);
  });

  it("forgets the vote only under BugForgetVote", () => {
    const bug = env({ bugs: { forgetVote: true } });
    const n = node(bug, "s1", { term: 2, votedFor: "s2", log: log(1) });
    const s = some(N.run(N.restart, bug, n));
    expect(s.node.persistent).toEqual({ currentTerm: 2, votedFor: O.none, log: n.persistent.log });
    expect(effectTypes(s)).toEqual(["persist", "reset"]);
  });
});

describe("Timeout", () => {
  it("starts an election in the next term, voting for itself", () => {
    const n = node(e, "s2", { term: 1, votedFor: "s1", log: log(1), commitIndex: 1 });
    const s = some(N.run(N.timeout, e, n));
    expect(s.node.persistent).toEqual({
      currentTerm: 2,
      votedFor: O.some("s2"),
      log: n.persistent.log,
    });
    expect(s.node.volatile).toEqual({ ...n.volatile, state: "Candidate", votesGranted: ["s2"] });
    expect(effectTypes(s)).toEqual(["persist"]);
  });

  it("is enabled for candidates, not leaders", () => {
    expect(O.isSome(N.run(N.timeout, e, node(e, "s1", { state: "Candidate", term: 1 })))).toBe(
      true,
    );
    expect(N.run(N.timeout, e, node(e, "s1", { state: "Leader", term: 1 }))).toEqual(O.none);
  });

  it("for members, and for servers an uncommitted configuration removes (MayStandForElection)", () => {
    const e2 = env({ initConfig: ["s1", "s2"] });
    expect(N.run(N.timeout, e2, node(e2, "s3"))).toEqual(O.none);
    // s3 learns a configuration that includes it: now it may stand.
    const joined = node(e2, "s3", { log: log([1, ["s1", "s2"], ["s2", "s3"]]) });
    expect(O.isSome(N.run(N.timeout, e2, joined))).toBe(true);
    // Removed s1 holds C(new) uncommitted: it may still be needed for C(old,new), so it stands…
    const removed = node(e2, "s1", { log: log([1, ["s2", "s3"], ["s2", "s3"]]) });
    expect(O.isSome(N.run(N.timeout, e2, removed))).toBe(true);
    // …until it knows C(new) committed.
    const gone = { ...removed, volatile: { ...removed.volatile, commitIndex: 1 } };
    expect(N.run(N.timeout, e2, gone)).toEqual(O.none);
  });
});

describe("RequestVote", () => {
  const cand = node(e, "s1", {
    term: 2,
    votedFor: "s1",
    state: "Candidate",
    votesGranted: ["s1"],
    log: log(1, 2),
  });

  it("sends the spec's record: term and the last log term and index", () => {
    const s = some(N.run(N.requestVote, e, cand, "s2"));
    expect(s.node).toBe(cand);
    expect(sent(s)).toEqual([
      {
        mtype: "RequestVoteRequest",
        mterm: 2,
        mlastLogTerm: 2,
        mlastLogIndex: 2,
        msource: "s1",
        mdest: "s2",
      },
    ]);
  });

  it("only from candidates, to members that have not granted their vote", () => {
    expect(
      N.run(N.requestVote, e, { ...cand, volatile: { ...cand.volatile, state: "Follower" } }, "s2"),
    ).toEqual(O.none);
    expect(N.run(N.requestVote, e, cand, "s1")).toEqual(O.none);
    const e2 = env({ initConfig: ["s1", "s2"] });
    expect(
      N.run(N.requestVote, e2, node(e2, "s1", { state: "Candidate", votesGranted: ["s1"] }), "s3"),
    ).toEqual(O.none);
  });
});

describe("BecomeLeader", () => {
  it("needs a quorum and resets nextIndex to Len+1 and matchIndex to 0 for every server", () => {
    const n = node(e, "s1", {
      term: 2,
      state: "Candidate",
      votesGranted: ["s1"],
      log: log(1, 1),
      matchIndex: { s2: 5 },
    });
    expect(N.run(N.becomeLeader, e, n)).toEqual(O.none);
    const won = { ...n, volatile: { ...n.volatile, votesGranted: ["s1", "s3"] } };
    const s = some(N.run(N.becomeLeader, e, won));
    expect(s.node.volatile.state).toBe("Leader");
    expect([...s.node.volatile.nextIndex]).toEqual(S3.map((j) => [j, 3]));
    expect([...s.node.volatile.matchIndex]).toEqual(S3.map((j) => [j, 0]));
    expect(s.effects).toEqual([]);
  });

  it("while joint, needs a majority of the old and of the new set", () => {
    const e5 = env({ servers: ["s1", "s2", "s3", "s4", "s5"], initConfig: ["s1", "s2", "s3"] });
    const joint = log([1, ["s1", "s2", "s3"], ["s3", "s4", "s5"]]);
    const cand = (votes: string[]) =>
      node(e5, "s3", { term: 2, state: "Candidate", votesGranted: votes, log: joint });
    // Majority of old only, of new only, then of both.
    expect(N.run(N.becomeLeader, e5, cand(["s1", "s2", "s3"]))).toEqual(O.none);
    expect(N.run(N.becomeLeader, e5, cand(["s3", "s4", "s5"]))).toEqual(O.none);
    expect(O.isSome(N.run(N.becomeLeader, e5, cand(["s2", "s3", "s4"])))).toBe(true);
  });
});

describe("ClientRequest", () => {
  it("a leader appends a value entry of its term", () => {
    const n = node(e, "s1", { term: 3, state: "Leader", log: log(1) });
    const s = some(N.run(N.clientRequest, e, n, "v9"));
    expect(s.node.persistent.log).toEqual([
      ...n.persistent.log,
      { term: 3, value: "v9", old: [], new: [] },
    ]);
    expect(effectTypes(s)).toEqual(["persist"]);
    expect(N.run(N.clientRequest, e, node(e, "s1"), "v9")).toEqual(O.none);
  });
});

describe("Reconfigure and AppendNewConfig", () => {
  const e2 = env({ initConfig: ["s1", "s2"] });
  const leader = node(e2, "s1", { term: 1, state: "Leader" });

  it("appends C(old,new) from a simple, committed configuration to a different set", () => {
    const s = some(N.run(N.reconfigure, e2, leader, ["s3", "s2"]));
    expect(s.node.persistent.log).toEqual([configEntry(1, ["s1", "s2"], ["s2", "s3"])]);
    expect(N.run(N.reconfigure, e2, leader, ["s2", "s1"])).toEqual(O.none);
    expect(N.run(N.reconfigure, e2, node(e2, "s1", { term: 1 }), ["s2", "s3"])).toEqual(O.none);
  });

  it("waits for the configuration entry to commit and for the joint phase to end", () => {
    const joint = {
      ...leader,
      persistent: { ...leader.persistent, log: log([1, ["s1", "s2"], ["s2", "s3"]]) },
    };
    expect(N.run(N.reconfigure, e2, joint, ["s1"])).toEqual(O.none);
    expect(N.run(N.appendNewConfig, e2, joint)).toEqual(O.none);
    const committed = { ...joint, volatile: { ...joint.volatile, commitIndex: 1 } };
    expect(N.run(N.reconfigure, e2, committed, ["s1"])).toEqual(O.none);
    const s = some(N.run(N.appendNewConfig, e2, committed));
    expect(s.node.persistent.log[1]).toEqual(configEntry(1, ["s2", "s3"], ["s2", "s3"]));
    // C(new) is simple: no second AppendNewConfig.
    expect(
      N.run(N.appendNewConfig, e2, { ...s.node, volatile: { ...s.node.volatile, commitIndex: 2 } }),
    ).toEqual(O.none);
  });

  it("under BugOneStepReconfig appends C(new) directly", () => {
    const bug = env({ initConfig: ["s1", "s2"], bugs: { oneStepReconfig: true } });
    const s = some(N.run(N.reconfigure, bug, leader, ["s1"]));
    expect(s.node.persistent.log).toEqual([configEntry(1, ["s1"], ["s1"])]);
  });
});

describe("AppendEntries", () => {
  const l = node(e, "s1", {
    term: 2,
    state: "Leader",
    log: log(1, 1, 2),
    commitIndex: 2,
    nextIndex: { s2: 2, s3: 4 },
  });

  it("sends at most one entry, the previous index and term, and Min(commitIndex, lastEntry)", () => {
    expect(sent(some(N.run(N.appendEntries, e, l, "s2")))).toEqual([
      {
        mtype: "AppendEntriesRequest",
        mterm: 2,
        mprevLogIndex: 1,
        mprevLogTerm: 1,
        mentries: [l.persistent.log[1]],
        mcommitIndex: 2,
        msource: "s1",
        mdest: "s2",
      },
    ]);
    const first = {
      ...l,
      volatile: { ...l.volatile, nextIndex: new Map([...l.volatile.nextIndex, ["s2", 1]]) },
    };
    const [m] = sent(some(N.run(N.appendEntries, e, first, "s2"))) as [Message];
    expect(m).toMatchObject({ mprevLogIndex: 0, mprevLogTerm: 0, mcommitIndex: 1 });
  });

  it("is a heartbeat when nextIndex is past the log", () => {
    const [m] = sent(some(N.run(N.appendEntries, e, l, "s3"))) as [Message];
    expect(m).toMatchObject({ mprevLogIndex: 3, mprevLogTerm: 2, mentries: [], mcommitIndex: 2 });
  });

  it("only from a leader to another member", () => {
    expect(N.run(N.appendEntries, e, l, "s1")).toEqual(O.none);
    expect(
      N.run(N.appendEntries, e, { ...l, volatile: { ...l.volatile, state: "Candidate" } }, "s2"),
    ).toEqual(O.none);
    const e2 = env({ initConfig: ["s1", "s2"] });
    expect(N.run(N.appendEntries, e2, node(e2, "s1", { state: "Leader" }), "s3")).toEqual(O.none);
  });
});

describe("AdvanceCommitIndex", () => {
  const l = (o: {
    log?: ReturnType<typeof log>;
    match?: Record<string, number>;
    commit?: number;
    term?: number;
  }) =>
    node(e, "s1", {
      term: o.term ?? 2,
      state: "Leader",
      log: o.log ?? log(1, 2, 2),
      commitIndex: o.commit ?? 0,
      matchIndex: o.match ?? {},
    });

  it("commits the highest index a quorum holds and applies the new entries in order", () => {
    const n = l({ match: { s2: 3 } });
    const s = some(N.run(N.advanceCommitIndex, e, n));
    expect(s.node.volatile.commitIndex).toBe(3);
    expect(s.effects).toEqual(
      [1, 2, 3].map((k) => ({ type: "apply", index: k, entry: n.persistent.log[k - 1] })),
    );
  });

  it("never counts replicas of an earlier term's entry (unless BugOldTermCommit)", () => {
    const n = l({ log: log(1, 2, 2), match: { s2: 1 } });
    expect(N.run(N.advanceCommitIndex, e, n)).toEqual(O.none);
    const bug = env({ bugs: { oldTermCommit: true } });
    expect(some(N.run(N.advanceCommitIndex, bug, n)).node.volatile.commitIndex).toBe(1);
  });

  it("needs a new index: no quorum beyond commitIndex disables it", () => {
    expect(N.run(N.advanceCommitIndex, e, l({ match: { s2: 3 }, commit: 3 }))).toEqual(O.none);
    expect(N.run(N.advanceCommitIndex, e, l({}))).toEqual(O.none);
  });

  it("a leader outside C(new) steps down once C(new) commits, not before", () => {
    const e2 = env({ initConfig: ["s1", "s2", "s3"] });
    const xs = log(2, [2, ["s1", "s2", "s3"], ["s2", "s3"]], [2, ["s2", "s3"], ["s2", "s3"]]);
    const base = { term: 2, state: "Leader" as const, log: xs, commitIndex: 2 };
    // C(new) = {s2, s3} holds index 3 on s2 only: no quorum of {s2, s3} (the leader is not in it).
    expect(
      N.run(N.advanceCommitIndex, e2, node(e2, "s1", { ...base, matchIndex: { s2: 3 } })),
    ).toEqual(O.none);
    const s = some(
      N.run(N.advanceCommitIndex, e2, node(e2, "s1", { ...base, matchIndex: { s2: 3, s3: 3 } })),
    );
    expect(s.node.volatile).toMatchObject({ commitIndex: 3, state: "Follower" });
    // A leader that stays a member keeps leading.
    const stays = some(
      N.run(N.advanceCommitIndex, e2, node(e2, "s2", { ...base, matchIndex: { s3: 3 } })),
    );
    expect(stays.node.volatile.state).toBe("Leader");
  });

  it("while joint, needs majorities of both sets", () => {
    const e5 = env({ servers: ["s1", "s2", "s3", "s4", "s5"], initConfig: ["s1", "s2", "s3"] });
    const xs = log([2, ["s1", "s2", "s3"], ["s3", "s4", "s5"]], 2);
    const at = (match: Record<string, number>) =>
      N.run(
        N.advanceCommitIndex,
        e5,
        node(e5, "s3", { term: 2, state: "Leader", log: xs, matchIndex: match }),
      );
    expect(at({ s1: 2, s2: 2 })).toEqual(O.none); // old majority only
    expect(at({ s4: 2, s5: 2 })).toEqual(O.none); // new majority only
    expect(some(at({ s2: 2, s4: 2 })).node.volatile.commitIndex).toBe(2);
  });
});

const rvReq = (o: Partial<Extract<Message, { mtype: "RequestVoteRequest" }>> = {}): Message => ({
  mtype: "RequestVoteRequest",
  mterm: 2,
  mlastLogTerm: 1,
  mlastLogIndex: 1,
  msource: "s2",
  mdest: "s1",
  ...o,
});

describe("UpdateTerm", () => {
  it("adopts a newer term as a follower with no vote, leaves the message in flight", () => {
    const n = node(e, "s1", {
      term: 1,
      votedFor: "s1",
      state: "Leader",
      votesGranted: ["s1", "s3"],
      nextIndex: { s2: 4 },
    });
    const s = some(N.run(N.updateTerm, e, n, rvReq({ mterm: 3 })));
    expect(s.node.persistent).toEqual({ currentTerm: 3, votedFor: O.none, log: [] });
    expect(s.node.volatile).toEqual({ ...n.volatile, state: "Follower" });
    expect(effectTypes(s)).toEqual(["persist"]);
  });

  it("needs a strictly newer term", () => {
    expect(N.run(N.updateTerm, e, node(e, "s1", { term: 2 }), rvReq())).toEqual(O.none);
  });
});

describe("HandleRequestVoteRequest", () => {
  it("grants a vote in its term to an up-to-date candidate, and replies with its term", () => {
    const n = node(e, "s1", { term: 2, log: log(1) });
    const s = some(N.run(N.handleRequestVoteRequest, e, n, rvReq()));
    expect(s.node.persistent.votedFor).toEqual(O.some("s2"));
    expect(effectTypes(s)).toEqual(["persist", "send", "discard"]);
    expect(sent(s)).toEqual([
      { mtype: "RequestVoteResponse", mterm: 2, mvoteGranted: true, msource: "s1", mdest: "s2" },
    ]);
  });

  it("refuses a stale term, a second candidate, or a less up-to-date log", () => {
    const refuse = (n: ReturnType<typeof node>, m: Message) => {
      const s = some(N.run(N.handleRequestVoteRequest, e, n, m));
      expect(s.node).toBe(n);
      expect(sent(s)).toMatchObject([{ mvoteGranted: false, mterm: n.persistent.currentTerm }]);
    };
    refuse(node(e, "s1", { term: 3 }), rvReq());
    refuse(node(e, "s1", { term: 2, votedFor: "s3" }), rvReq());
    refuse(node(e, "s1", { term: 2, log: log(2) }), rvReq({ mlastLogTerm: 1, mlastLogIndex: 5 }));
    refuse(
      node(e, "s1", { term: 2, log: log(1, 1) }),
      rvReq({ mlastLogTerm: 1, mlastLogIndex: 1 }),
    );
  });

  it("grants again to the candidate it voted for; without the log check under BugNoLogCheck", () => {
    const again = some(
      N.run(N.handleRequestVoteRequest, e, node(e, "s1", { term: 2, votedFor: "s2" }), rvReq()),
    );
    expect(effectTypes(again)).toEqual(["send", "discard"]);
    expect(sent(again)).toMatchObject([{ mvoteGranted: true }]);
    const bug = env({ bugs: { noLogCheck: true } });
    const s = some(
      N.run(N.handleRequestVoteRequest, bug, node(bug, "s1", { term: 2, log: log(2) }), rvReq()),
    );
    expect(sent(s)).toMatchObject([{ mvoteGranted: true }]);
  });

  it("leaves newer terms to UpdateTerm", () => {
    expect(N.run(N.handleRequestVoteRequest, e, node(e, "s1", { term: 1 }), rvReq())).toEqual(
      O.none,
    );
  });
});

describe("HandleRequestVoteResponse", () => {
  const resp = (granted: boolean, mterm = 2): Message => ({
    mtype: "RequestVoteResponse",
    mterm,
    mvoteGranted: granted,
    msource: "s3",
    mdest: "s1",
  });
  const cand = node(e, "s1", { term: 2, state: "Candidate", votesGranted: ["s1"] });

  it("a candidate counts a granted vote of its term; the response is consumed", () => {
    const s = some(N.run(N.handleRequestVoteResponse, e, cand, resp(true)));
    expect(s.node.volatile.votesGranted).toEqual(["s1", "s3"]);
    expect(effectTypes(s)).toEqual(["discard"]);
    expect(some(N.run(N.handleRequestVoteResponse, e, cand, resp(false))).node).toBe(cand);
    const leader = { ...cand, volatile: { ...cand.volatile, state: "Leader" as const } };
    expect(some(N.run(N.handleRequestVoteResponse, e, leader, resp(true))).node).toBe(leader);
  });

  it("only for its current term (older ones are DropStaleResponse)", () => {
    expect(N.run(N.handleRequestVoteResponse, e, cand, resp(true, 1))).toEqual(O.none);
    expect(O.isSome(N.run(N.dropStaleResponse, e, cand, resp(true, 1)))).toBe(true);
    expect(N.run(N.dropStaleResponse, e, cand, resp(true, 2))).toEqual(O.none);
  });
});

const aeReq = (o: Partial<Extract<Message, { mtype: "AppendEntriesRequest" }>> = {}): Message => ({
  mtype: "AppendEntriesRequest",
  mterm: 2,
  mprevLogIndex: 0,
  mprevLogTerm: 0,
  mentries: [],
  mcommitIndex: 0,
  msource: "s2",
  mdest: "s1",
  ...o,
});

describe("HandleAppendEntriesRequest", () => {
  it("appends after a matching previous entry and learns the commit index", () => {
    const n = node(e, "s1", { term: 2, log: log(1) });
    const entry = valueEntry(2, "v7");
    const s = some(
      N.run(
        N.handleAppendEntriesRequest,
        e,
        n,
        aeReq({ mprevLogIndex: 1, mprevLogTerm: 1, mentries: [entry], mcommitIndex: 2 }),
      ),
    );
    expect(s.node.persistent.log).toEqual([...n.persistent.log, entry]);
    expect(s.node.volatile.commitIndex).toBe(2);
    expect(sent(s)).toEqual([
      {
        mtype: "AppendEntriesResponse",
        mterm: 2,
        msuccess: true,
        mmatchIndex: 2,
        msource: "s1",
        mdest: "s2",
      },
    ]);
    expect(effectTypes(s)).toEqual(["persist", "send", "discard", "apply", "apply"]);
  });

  it("on a conflict deletes the entry and everything after it", () => {
    const n = node(e, "s1", { term: 3, log: log(1, 1, 1) });
    const entry = valueEntry(3, "v9");
    const s = some(
      N.run(
        N.handleAppendEntriesRequest,
        e,
        n,
        aeReq({ mterm: 3, mprevLogIndex: 1, mprevLogTerm: 1, mentries: [entry] }),
      ),
    );
    expect(s.node.persistent.log).toEqual([n.persistent.log[0], entry]);
    expect(sent(s)).toMatchObject([{ msuccess: true, mmatchIndex: 2 }]);
  });

  it("keeps the log when it already holds the entry (a duplicate), or for a heartbeat", () => {
    const n = node(e, "s1", { term: 2, log: log(1, 2, 2) });
    const dup = some(
      N.run(
        N.handleAppendEntriesRequest,
        e,
        n,
        aeReq({ mprevLogIndex: 1, mprevLogTerm: 1, mentries: [valueEntry(2, "vX")] }),
      ),
    );
    expect(dup.node.persistent.log).toBe(n.persistent.log);
    expect(sent(dup)).toMatchObject([{ msuccess: true, mmatchIndex: 2 }]);
    const hb = some(
      N.run(N.handleAppendEntriesRequest, e, n, aeReq({ mprevLogIndex: 1, mprevLogTerm: 1 })),
    );
    expect(hb.node.persistent.log).toBe(n.persistent.log);
    expect(sent(hb)).toMatchObject([{ msuccess: true, mmatchIndex: 1 }]);
  });

  it("never lowers the commit index: Max(@, mcommitIndex)", () => {
    const n = node(e, "s1", { term: 2, log: log(1, 1), commitIndex: 2 });
    const s = some(
      N.run(
        N.handleAppendEntriesRequest,
        e,
        n,
        aeReq({ mprevLogIndex: 1, mprevLogTerm: 1, mcommitIndex: 1 }),
      ),
    );
    expect(s.node.volatile.commitIndex).toBe(2);
  });

  it("rejects a failed consistency check with mmatchIndex 0", () => {
    const n = node(e, "s1", { term: 2, log: log(1) });
    for (const m of [
      aeReq({ mprevLogIndex: 2, mprevLogTerm: 1 }),
      aeReq({ mprevLogIndex: 1, mprevLogTerm: 2 }),
    ]) {
      const s = some(N.run(N.handleAppendEntriesRequest, e, n, m));
      expect(s.node.persistent.log).toBe(n.persistent.log);
      expect(sent(s)).toEqual([
        {
          mtype: "AppendEntriesResponse",
          mterm: 2,
          msuccess: false,
          mmatchIndex: 0,
          msource: "s1",
          mdest: "s2",
        },
      ]);
    }
  });

  it("rejects a stale term, replying with its own term and leaving its state alone", () => {
    const n = node(e, "s1", { term: 3, state: "Candidate", votesGranted: ["s1"] });
    const s = some(N.run(N.handleAppendEntriesRequest, e, n, aeReq()));
    expect(s.node).toBe(n);
    expect(sent(s)).toMatchObject([{ mterm: 3, msuccess: false }]);
  });

  it("returns a candidate of the same term to follower, even when rejecting", () => {
    const n = node(e, "s1", { term: 2, state: "Candidate", votesGranted: ["s1"], log: log(1) });
    const s = some(
      N.run(N.handleAppendEntriesRequest, e, n, aeReq({ mprevLogIndex: 5, mprevLogTerm: 2 })),
    );
    expect(s.node.volatile).toEqual({ ...n.volatile, state: "Follower" });
  });

  it("is disabled for a leader of the same term and for newer terms", () => {
    expect(
      N.run(N.handleAppendEntriesRequest, e, node(e, "s1", { term: 2, state: "Leader" }), aeReq()),
    ).toEqual(O.none);
    expect(N.run(N.handleAppendEntriesRequest, e, node(e, "s1", { term: 1 }), aeReq())).toEqual(
      O.none,
    );
  });
});

describe("HandleAppendEntriesResponse", () => {
  const resp = (success: boolean, match: number, mterm = 2): Message => ({
    mtype: "AppendEntriesResponse",
    mterm,
    msuccess: success,
    mmatchIndex: match,
    msource: "s2",
    mdest: "s1",
  });
  const l = node(e, "s1", {
    term: 2,
    state: "Leader",
    log: log(1, 2, 2),
    nextIndex: { s2: 3 },
    matchIndex: { s2: 1 },
  });

  it("on success sets nextIndex to mmatchIndex+1 and matchIndex to mmatchIndex", () => {
    const s = some(N.run(N.handleAppendEntriesResponse, e, l, resp(true, 3)));
    expect(s.node.volatile.nextIndex.get("s2")).toBe(4);
    expect(s.node.volatile.matchIndex.get("s2")).toBe(3);
    expect(effectTypes(s)).toEqual(["discard"]);
  });

  it("on failure backs nextIndex up by one, never below 1", () => {
    expect(
      some(N.run(N.handleAppendEntriesResponse, e, l, resp(false, 0))).node.volatile.nextIndex.get(
        "s2",
      ),
    ).toBe(2);
    const atOne = {
      ...l,
      volatile: { ...l.volatile, nextIndex: new Map([...l.volatile.nextIndex, ["s2", 1]]) },
    };
    const s = some(N.run(N.handleAppendEntriesResponse, e, atOne, resp(false, 0)));
    expect(s.node.volatile.nextIndex.get("s2")).toBe(1);
    expect(s.node.volatile.matchIndex).toBe(l.volatile.matchIndex);
  });

  it("a non-leader just consumes it; an older term is DropStaleResponse's", () => {
    const f = node(e, "s1", { term: 2 });
    const s = some(N.run(N.handleAppendEntriesResponse, e, f, resp(true, 3)));
    expect(s.node).toBe(f);
    expect(effectTypes(s)).toEqual(["discard"]);
    expect(N.run(N.handleAppendEntriesResponse, e, l, resp(true, 3, 1))).toEqual(O.none);
    expect(O.isSome(N.run(N.dropStaleResponse, e, l, resp(true, 3, 1)))).toBe(true);
  });
});
