/** io-ts codecs: round trips, canonical sets, rejected shapes. */
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import {
  AcceptorPersistent,
  Command,
  LeaderPersistent,
  Message,
  Pvalue,
} from "../../src/paxos/codec.js";
import { toL2, v1, v2 } from "./helpers.js";

const b = { round: 1, leader: "l2" };
const pv = { ballot: b, slot: 1, cmd: v1 };
const messages: ReadonlyArray<Message> = [
  { mtype: "propose", mslot: 1, mcmd: v1, msource: "r1", mdest: "l1" },
  { mtype: "p1a", mballot: b, msource: "l2", mdest: "a1" },
  { mtype: "p1b", mballot: b, maccepted: [pv], mcollected: 1, msource: "a1", mdest: "l2" },
  { mtype: "p2a", mballot: b, mslot: 2, mcmd: toL2, msource: "l2", mdest: "a1" },
  { mtype: "p2b", mballot: b, mcballot: b, mslot: 2, msource: "a1", mdest: "l2" },
  { mtype: "decision", mslot: 2, mcmd: v2, msource: "l2", mdest: "r1" },
  { mtype: "executed", mslot: 3, msource: "r1", mdest: "a1" },
  { mtype: "collected", mslot: 2, msource: "a1", mdest: "r1" },
];

const roundTrip = <A, O>(
  codec: { encode: (a: A) => O; decode: (u: unknown) => E.Either<unknown, A> },
  a: A,
) => codec.decode(JSON.parse(JSON.stringify(codec.encode(a))));

describe("codecs", () => {
  it("round-trip the eight messages through JSON", () => {
    for (const m of messages) expect(roundTrip(Message, m)).toEqual(E.right(m));
  });

  it("round-trip persisted leader and acceptor state", () => {
    expect(roundTrip(LeaderPersistent, { ballotNum: b })).toEqual(E.right({ ballotNum: b }));
    const a = { acceptorBallot: { round: 0, leader: null }, accepted: [pv], reported: { r1: 2 } };
    expect(roundTrip(AcceptorPersistent, a)).toEqual(E.right(a));
  });

  it("decode sets into canonical order without duplicates", () => {
    const pv2 = { ...pv, slot: 2 };
    const reported = { r1: 1 };
    const r = AcceptorPersistent.decode({ acceptorBallot: b, accepted: [pv2, pv, pv2], reported });
    expect(r).toEqual(E.right({ acceptorBallot: b, accepted: [pv, pv2], reported }));
    expect(Command.decode({ op: null, leaders: ["l2", "l1", "l2"] })).toEqual(
      E.right({ op: null, leaders: ["l1", "l2"] }),
    );
  });

  it("reject ill-formed commands, slot 0 and unknown types; strip extra fields", () => {
    expect(E.isLeft(Command.decode({ op: "v1", leaders: ["l1"] }))).toBe(true);
    expect(E.isLeft(Command.decode({ op: null, leaders: [] }))).toBe(true);
    expect(E.isLeft(Pvalue.decode({ ...pv, slot: 0 }))).toBe(true);
    expect(E.isLeft(Message.decode({ ...messages[1], mtype: "p3a" }))).toBe(true);
    expect(Message.decode({ ...messages[1], extra: 1 })).toEqual(E.right(messages[1]));
  });
});
