/** io-ts codecs: the wire shape of messages, entries and the persisted state. */
import { isLeft, isRight } from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { KvCommand } from "../../src/core/kv.js";
import { Entry, Message, PersistentState } from "../../src/raft/codec.js";

const ae = {
  mtype: "AppendEntriesRequest",
  mterm: 2,
  mprevLogIndex: 1,
  mprevLogTerm: 1,
  mentries: [{ term: 2, value: null, old: ["s2", "s1"], new: ["s1"] }],
  mcommitIndex: 1,
  msource: "s1",
  mdest: "s2",
};

describe("Message", () => {
  it("decodes the four RPCs with exactly the spec's fields", () => {
    const r = Message.decode({ ...ae, extra: 1 });
    expect(isRight(r) && r.right).toEqual({
      ...ae,
      mentries: [{ term: 2, value: null, old: ["s1", "s2"], new: ["s1"] }],
    });
    for (const m of [
      {
        mtype: "RequestVoteRequest",
        mterm: 1,
        mlastLogTerm: 0,
        mlastLogIndex: 0,
        msource: "s1",
        mdest: "s2",
      },
      { mtype: "RequestVoteResponse", mterm: 1, mvoteGranted: true, msource: "s1", mdest: "s2" },
      {
        mtype: "AppendEntriesResponse",
        mterm: 1,
        msuccess: false,
        mmatchIndex: 0,
        msource: "s1",
        mdest: "s2",
      },
    ])
      expect(Message.decode(m)).toEqual({ _tag: "Right", right: m });
  });

  it("rejects missing fields, wrong types and negative terms", () => {
    const { mcommitIndex: _, ...missing } = ae;
    expect(isLeft(Message.decode(missing))).toBe(true);
    expect(isLeft(Message.decode({ ...ae, mterm: -1 }))).toBe(true);
    expect(isLeft(Message.decode({ ...ae, mtype: "Hello" }))).toBe(true);
    expect(isLeft(Message.decode({ ...ae, mterm: 1.5 }))).toBe(true);
  });
});

describe("Entry", () => {
  it("has one record shape: value entries with empty sets, config entries without a value", () => {
    expect(isRight(Entry.decode({ term: 1, value: "v1", old: [], new: [] }))).toBe(true);
    expect(isRight(Entry.decode({ term: 1, value: null, old: ["s1"], new: ["s1"] }))).toBe(true);
    expect(isLeft(Entry.decode({ term: 1, value: "v1", old: [], new: ["s1"] }))).toBe(true);
    expect(isLeft(Entry.decode({ term: 1, value: null, old: ["s1"], new: [] }))).toBe(true);
  });
});

describe("PersistentState", () => {
  it("stores the vote as a server or null and round-trips", () => {
    const p = {
      currentTerm: 3,
      votedFor: O.some("s2"),
      log: [{ term: 1, value: "v1", old: [], new: [] }],
    };
    const disk = PersistentState.encode(p);
    expect(disk).toEqual({ ...p, votedFor: "s2" });
    expect(PersistentState.decode(JSON.parse(JSON.stringify(disk)))).toEqual({
      _tag: "Right",
      right: p,
    });
    expect(PersistentState.decode({ ...disk, votedFor: null })).toEqual({
      _tag: "Right",
      right: { ...p, votedFor: O.none },
    });
    expect(PersistentState.is(p)).toBe(true);
  });
});

describe("KvCommand", () => {
  it("accepts put/get/delete and nothing else", () => {
    expect(isRight(KvCommand.decode({ op: "put", key: "a", value: "1" }))).toBe(true);
    expect(isRight(KvCommand.decode({ op: "get", key: "a" }))).toBe(true);
    expect(isLeft(KvCommand.decode({ op: "put", key: "a" }))).toBe(true);
    expect(isLeft(KvCommand.decode({ op: "cas", key: "a" }))).toBe(true);
  });
});
