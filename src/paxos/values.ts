/**
 * Multi-Paxos's values as the spec has them (traces/FORMAT.md): ids as strings, ballots,
 * commands, slot entries, pvalues, commanders and the six PMMC messages as records with exactly
 * the spec's fields, Nil for a missing leader or op. Canonical order, equality, the trace
 * encoding and the schemas all derive from these; so do the canonical sets the roles keep.
 */
import { setOps } from "../core/set.js";
import * as V from "../core/spec-value.js";
import type {
  Ballot,
  CollectedMsg,
  Command,
  DecisionMsg,
  ExecutedMsg,
  Message,
  P1aMsg,
  P1bMsg,
  P2aMsg,
  P2bMsg,
  ProposeMsg,
  Pvalue,
  SlotCmd,
} from "./codec.js";
import type { Commander, LeaderId } from "./types.js";

/** The spec's Nil model value. */
export const NIL = "Nil";

export const id = V.str;
export const idSet = V.set(V.str);

/** [round |-> n, leader |-> l]; Bottom's leader is Nil. */
export const ballot = V.record<Ballot>({ round: V.int, leader: V.nilOr(id, NIL) });

/** [op |-> v, leaders |-> {}] or [op |-> Nil, leaders |-> S]. */
export const command = V.record<Command>({ op: V.nilOr(V.str, NIL), leaders: idSet });

/** [slot |-> s, cmd |-> c]. */
export const slotCmd = V.record<SlotCmd>({ slot: V.int, cmd: command });

/** [ballot |-> b, slot |-> s, cmd |-> c]. */
export const pvalue = V.record<Pvalue>({ ballot, slot: V.int, cmd: command });

/** A commander as its leader keeps it: the spec's record without `leader`. */
export const commander = V.record<Commander>({
  ballot,
  slot: V.int,
  cmd: command,
  waitFor: idSet,
});

/** A commander of leader `leader`: the spec's [leader, ballot, slot, cmd, waitFor]. */
export interface LeaderCommander extends Commander {
  readonly leader: LeaderId;
}
export const leaderCommander = V.record<LeaderCommander>({
  leader: id,
  ballot,
  slot: V.int,
  cmd: command,
  waitFor: idSet,
});

export const message = V.tagged<Message, "mtype">("mtype", {
  propose: V.record<ProposeMsg>({
    mtype: V.literal(),
    mslot: V.int,
    mcmd: command,
    msource: id,
    mdest: id,
  }),
  p1a: V.record<P1aMsg>({ mtype: V.literal(), mballot: ballot, msource: id, mdest: id }),
  p1b: V.record<P1bMsg>({
    mtype: V.literal(),
    mballot: ballot,
    maccepted: V.set(pvalue),
    mcollected: V.int,
    msource: id,
    mdest: id,
  }),
  p2a: V.record<P2aMsg>({
    mtype: V.literal(),
    mballot: ballot,
    mslot: V.int,
    mcmd: command,
    msource: id,
    mdest: id,
  }),
  p2b: V.record<P2bMsg>({
    mtype: V.literal(),
    mballot: ballot,
    mcballot: ballot,
    mslot: V.int,
    msource: id,
    mdest: id,
  }),
  decision: V.record<DecisionMsg>({
    mtype: V.literal(),
    mslot: V.int,
    mcmd: command,
    msource: id,
    mdest: id,
  }),
  executed: V.record<ExecutedMsg>({ mtype: V.literal(), mslot: V.int, msource: id, mdest: id }),
  collected: V.record<CollectedMsg>({ mtype: V.literal(), mslot: V.int, msource: id, mdest: id }),
});

/** Canonical sets of each kind (core/set.ts). */
export const ids = setOps(id);
export const commands = setOps(command);
export const slotCmds = setOps(slotCmd);
export const pvalues = setOps(pvalue);
export const commanders = setOps(commander);
