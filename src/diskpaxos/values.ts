/**
 * DiskPaxos's values as the spec has them (traces/FORMAT.md): ids and client commands as
 * strings, ballots as numbers, blocks, block reads and the two disk operations as records with
 * exactly the spec's fields, NotAnInput for a block without a vote. Canonical order, equality,
 * the trace encoding and the schemas all derive from these; so do the canonical sets kept.
 */
import { setOps } from "../core/set.js";
import * as V from "../core/spec-value.js";
import type { Block, BlockRead, ReadOp, WriteOp } from "./codec.js";

/** The spec's NotAnInput model value. */
export const NOT_AN_INPUT = "NotAnInput";

export const id = V.str;
export const idSet = V.set(V.str);
export const value = V.str;

/** [mbal |-> m, bal |-> b, inp |-> v]; no vote is NotAnInput. */
export const block = V.record<Block>({
  mbal: V.int,
  bal: V.int,
  inp: V.nilOr(V.str, NOT_AN_INPUT),
});

/** [block |-> bk, proc |-> q]. */
export const blockRead = V.record<BlockRead>({ block, proc: id });

/** [proc |-> p, disk |-> d, inst |-> i, block |-> bk]. */
export const writeOp = V.record<WriteOp>({ proc: id, disk: id, inst: V.int, block });

/** [proc |-> p, disk |-> d, of |-> q]. */
export const readOp = V.record<ReadOp>({ proc: id, disk: id, of: id });

/** Canonical sets of each kind (core/set.ts). */
export const ids = setOps(id);
export const blockReads = setOps(blockRead);
export const writeOps = setOps(writeOp);
export const readOps = setOps(readOp);
