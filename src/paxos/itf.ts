/**
 * Paxos values as ITF (traces/FORMAT.md): ballots, commands, pvalues and messages as the spec's
 * records, Nil as "Nil", sets as {"#set": …}. The canonical JSON of a value's ITF form is also
 * its key in canonical sets and in the message bag (memoised by identity: values are immutable).
 */
import { canonicalJson, type ItfValue, itfSet } from "../core/itf.js";
import type { Ballot, Command, Message, Pvalue, SlotCmd } from "./codec.js";

/** The spec's Nil model value. */
export const NIL = "Nil";

export const ballotItf = (b: Ballot): ItfValue => ({ round: b.round, leader: b.leader ?? NIL });

export const commandItf = (c: Command): ItfValue => ({
  op: c.op ?? NIL,
  leaders: itfSet(c.leaders),
});

export const slotCmdItf = (d: SlotCmd): ItfValue => ({ slot: d.slot, cmd: commandItf(d.cmd) });

export const pvalueItf = (p: Pvalue): ItfValue => ({
  ballot: ballotItf(p.ballot),
  slot: p.slot,
  cmd: commandItf(p.cmd),
});

/** A message record with its nested values in ITF form. */
export function messageItf(m: Message): ItfValue {
  const ends = { msource: m.msource, mdest: m.mdest, mtype: m.mtype };
  switch (m.mtype) {
    case "propose":
    case "decision":
      return { ...ends, mslot: m.mslot, mcmd: commandItf(m.mcmd) };
    case "p1a":
      return { ...ends, mballot: ballotItf(m.mballot) };
    case "p1b":
      return {
        ...ends,
        mballot: ballotItf(m.mballot),
        maccepted: itfSet(m.maccepted.map(pvalueItf)),
      };
    case "p2a":
      return { ...ends, mballot: ballotItf(m.mballot), mslot: m.mslot, mcmd: commandItf(m.mcmd) };
    case "p2b":
      return { ...ends, mballot: ballotItf(m.mballot), mslot: m.mslot };
  }
}

const memoJson = <T extends object>(toItf: (x: T) => ItfValue) => {
  const memo = new WeakMap<T, string>();
  return (x: T): string => {
    let s = memo.get(x);
    if (s === undefined) {
      s = canonicalJson(toItf(x));
      memo.set(x, s);
    }
    return s;
  };
};

/** Canonical JSON of each value's ITF form: its identity in sets and in the bag. */
export const commandKey = memoJson(commandItf);
export const slotCmdKey = memoJson(slotCmdItf);
export const pvalueKey = memoJson(pvalueItf);

const q = JSON.stringify;
const ballotJson = (b: Ballot): string => `{"leader":${q(b.leader ?? NIL)},"round":${b.round}}`;

/**
 * canonicalJson(messageItf(m)), printed directly: fields in canonical order, the pvalues of a
 * p1b from their memoised keys (its set is canonical, so already in key order). Every message
 * the cluster sends is new, and a p1b carries an acceptor's whole history: this is the
 * simulator's hottest printer.
 */
function messageJson(m: Message): string {
  const ends = `"mdest":${q(m.mdest)}`;
  const tail = `"msource":${q(m.msource)},"mtype":${q(m.mtype)}}`;
  switch (m.mtype) {
    case "propose":
    case "decision":
      return `{"mcmd":${commandKey(m.mcmd)},${ends},"mslot":${m.mslot},${tail}`;
    case "p1a":
      return `{"mballot":${ballotJson(m.mballot)},${ends},${tail}`;
    case "p1b":
      return `{"maccepted":{"#set":[${m.maccepted.map(pvalueKey).join(",")}]},"mballot":${ballotJson(m.mballot)},${ends},${tail}`;
    case "p2a":
      return `{"mballot":${ballotJson(m.mballot)},"mcmd":${commandKey(m.mcmd)},${ends},"mslot":${m.mslot},${tail}`;
    case "p2b":
      return `{"mballot":${ballotJson(m.mballot)},${ends},"mslot":${m.mslot},${tail}`;
  }
}

const messageMemo = new WeakMap<Message, string>();
export const messageKey = (m: Message): string => {
  let s = messageMemo.get(m);
  if (s === undefined) {
    s = messageJson(m);
    messageMemo.set(m, s);
  }
  return s;
};
