/**
 * Mencius's values as the spec has them (traces/FORMAT.md): ids and client commands as
 * strings, the no-op as the model value NoOp, votes, the two kinds of round a server
 * coordinates, and the seven messages as records with exactly the spec's fields. Canonical
 * order, equality, the trace encoding and the schemas all derive from these.
 */
import { setOps } from "../core/set.js";
import * as V from "../core/spec-value.js";
import type {
  AcceptMsg,
  AcceptRound,
  Command,
  LearnMsg,
  Message,
  PrepareMsg,
  PrepareRound,
  PromiseMsg,
  ProposeMsg,
  SkipMsg,
  SuggestMsg,
  Vote,
} from "./types.js";

/** The spec's NoOp model value: what `null` stands for in a Command. */
export const NOOP = "NoOp";

export const id = V.str;
export const idSet = V.set(V.str);
export const instSet = V.set(V.int);

/** A client command, or NoOp. */
export const command: V.SpecValue<Command> = V.nilOr(V.str, NOOP);

/** [bal |-> b, val |-> v]; NoVote is [bal |-> -1, val |-> NoOp]. */
export const vote = V.record<Vote>({ bal: V.int, val: command });

/** A revoker's phase 1: [bal, heard, vote] (the highest vote read so far). */
export const prepareRound = V.record<PrepareRound>({ bal: V.int, heard: idSet, vote });

/** A coordinator's phase 2: [bal, val, heard] (ballot 0 for the owner's suggestion). */
export const acceptRound = V.record<AcceptRound>({ bal: V.int, val: command, heard: idSet });

export const message = V.tagged<Message, "mtype">("mtype", {
  suggest: V.record<SuggestMsg>({
    mtype: V.literal(),
    minst: V.int,
    mval: V.str,
    msource: id,
    mdest: id,
  }),
  skip: V.record<SkipMsg>({ mtype: V.literal(), minsts: instSet, msource: id, mdest: id }),
  prepare: V.record<PrepareMsg>({
    mtype: V.literal(),
    minst: V.int,
    mbal: V.int,
    msource: id,
    mdest: id,
  }),
  promise: V.record<PromiseMsg>({
    mtype: V.literal(),
    minst: V.int,
    mbal: V.int,
    mvote: vote,
    msource: id,
    mdest: id,
  }),
  propose: V.record<ProposeMsg>({
    mtype: V.literal(),
    minst: V.int,
    mbal: V.int,
    mval: command,
    msource: id,
    mdest: id,
  }),
  accept: V.record<AcceptMsg>({
    mtype: V.literal(),
    minst: V.int,
    mbal: V.int,
    mskips: instSet,
    msource: id,
    mdest: id,
  }),
  learn: V.record<LearnMsg>({
    mtype: V.literal(),
    minst: V.int,
    mval: command,
    msource: id,
    mdest: id,
  }),
});

/** Canonical sets of ids and of instances (core/set.ts). */
export const ids = setOps(id);
export const insts = setOps(V.int);
