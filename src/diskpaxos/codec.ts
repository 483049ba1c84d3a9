/**
 * io-ts codecs for what crosses a boundary: a disk block (what a disk stores for one processor
 * and instance: exactly the spec's [mbal, bal, inp]) and the two disk operations a processor
 * hands to its I/O path, a block write and a block read. The TS types derive from the codecs,
 * so the on-disk shape and the spec shape cannot drift apart.
 */
import * as t from "io-ts";
import { Nat, refined } from "../core/codec.js";

export { Nat };

const BlockShape = t.readonly(t.strict({ mbal: Nat, bal: Nat, inp: t.union([t.string, t.null]) }));

/**
 * [mbal |-> m, bal |-> b, inp |-> v]: the highest ballot its owner has begun, and the ballot and
 * value of its last vote (bal 0 and inp NotAnInput, null here, before the first); bal <= mbal.
 */
export const Block = refined(
  "Block",
  BlockShape,
  (b) => b.bal <= b.mbal && (b.bal === 0) === (b.inp === null),
  "a block votes (bal > 0) exactly when it has an input, and bal <= mbal",
);
export type Block = t.TypeOf<typeof Block>;

/** Instances start at 1. */
export const Instance = new t.Type<number, number, unknown>(
  "Instance",
  (u): u is number => Nat.is(u) && u >= 1,
  (u, c) => (Nat.is(u) && u >= 1 ? t.success(u) : t.failure(u, c, "instances start at 1")),
  (n) => n,
);

/** [proc, disk, inst, block]: processor `proc` writes `block` as its block of `inst` on `disk`. */
export const WriteOp = t.readonly(
  t.strict({ proc: t.string, disk: t.string, inst: Instance, block: Block }),
);
export type WriteOp = t.TypeOf<typeof WriteOp>;

/**
 * [proc, disk, of]: processor `proc` reads `of`'s block of its current instance on `disk` (the
 * instance is the reader's: a read outlives neither its phase nor, so, its instance).
 */
export const ReadOp = t.readonly(t.strict({ proc: t.string, disk: t.string, of: t.string }));
export type ReadOp = t.TypeOf<typeof ReadOp>;

/** [block, proc]: a block as a processor read it, with its owner. */
export const BlockRead = t.readonly(t.strict({ block: Block, proc: t.string }));
export type BlockRead = t.TypeOf<typeof BlockRead>;
