/** Acceptor transitions: HandleP1a and HandleP2a. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import * as A from "../../src/paxos/acceptor.js";
import { bottom } from "../../src/paxos/operators.js";
import type { AcceptorState, Ballot, Message } from "../../src/paxos/types.js";
import { act, env, sent, some, v1 } from "./helpers.js";

const e = env();
const b = (round: number, leader: string): Ballot => ({ round, leader });
const at = (ballot: Ballot): AcceptorState => ({
  id: "a1",
  persistent: { acceptorBallot: ballot, accepted: [], reported: { r1: 1, r2: 1 } },
});
const p1a = (mballot: Ballot): Message => ({ mtype: "p1a", mballot, msource: "l1", mdest: "a1" });
const p2a = (mballot: Ballot): Message => ({
  mtype: "p2a",
  mballot,
  mslot: 1,
  mcmd: v1,
  msource: "l1",
  mdest: "a1",
});

describe("HandleP1a", () => {
  it("adopts a higher ballot, persists it and answers with everything accepted", () => {
    const s = some(act(A.handleP1a, e, A.initialAcceptor(e, "a1"), p1a(b(0, "l1"))));
    expect(s.state.persistent.acceptorBallot).toEqual(b(0, "l1"));
    expect(s.effects.map((x) => x.type)).toEqual(["persistAcceptor", "send", "discard"]);
    expect(sent(s)).toEqual([
      {
        mtype: "p1b",
        mballot: b(0, "l1"),
        maccepted: [],
        mcollected: 1,
        msource: "a1",
        mdest: "l1",
      },
    ]);
  });

  it("keeps a higher own ballot (ranked by LeaderOrder) and tells the scout", () => {
    const s = some(act(A.handleP1a, e, at(b(0, "l2")), p1a(b(0, "l1"))));
    expect(s.state.persistent.acceptorBallot).toEqual(b(0, "l2"));
    expect(s.effects.map((x) => x.type)).toEqual(["send", "discard"]);
    expect(sent(s)[0]).toMatchObject({ mballot: b(0, "l2") });
  });

  it("ignores other message types and other acceptors' messages", () => {
    expect(act(A.handleP1a, e, at(bottom), p2a(b(0, "l1")))).toEqual(O.none);
    expect(act(A.handleP1a, e, at(bottom), { ...p1a(b(0, "l1")), mdest: "a2" })).toEqual(O.none);
  });
});

describe("HandleP2a", () => {
  it("accepts at its own ballot or above", () => {
    const s = some(act(A.handleP2a, e, at(b(0, "l1")), p2a(b(0, "l1"))));
    expect(s.state.persistent.accepted).toEqual([{ ballot: b(0, "l1"), slot: 1, cmd: v1 }]);
    expect(sent(s)).toEqual([
      {
        mtype: "p2b",
        mballot: b(0, "l1"),
        mcballot: b(0, "l1"),
        mslot: 1,
        msource: "a1",
        mdest: "l1",
      },
    ]);
    const up = some(act(A.handleP2a, e, at(bottom), p2a(b(1, "l1"))));
    expect(up.state.persistent.acceptorBallot).toEqual(b(1, "l1"));
  });

  it("rejects a lower ballot, answering with its own", () => {
    const s = some(act(A.handleP2a, e, at(b(1, "l1")), p2a(b(0, "l2"))));
    expect(s.state.persistent.accepted).toEqual([]);
    expect(sent(s)[0]).toMatchObject({ mballot: b(1, "l1"), mcballot: b(0, "l2") });
  });

  it("BugAcceptLowerBallot: accepts it anyway but keeps the higher ballot", () => {
    const bugged = env({ bugs: { acceptLowerBallot: true } });
    const s = some(act(A.handleP2a, bugged, at(b(1, "l1")), p2a(b(0, "l2"))));
    expect(s.state.persistent).toEqual({
      acceptorBallot: b(1, "l1"),
      accepted: [{ ballot: b(0, "l2"), slot: 1, cmd: v1 }],
      reported: { r1: 1, r2: 1 },
    });
  });
});
