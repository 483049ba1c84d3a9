/**
 * A disk: not a process and not an acceptor. It cannot compare ballots, refuse a write or
 * tell anyone anything unasked; it stores one block per processor and instance and offers the
 * two operations of a block device, read a block and write a block, until it fails and stops
 * answering. The cluster (cluster.ts) completes an operation in flight by calling one of these
 * and handing the answer to the processor that issued it.
 */
import { mapWith } from "../core/maps.js";
import { initDB } from "./operators.js";
import type { Block, DiskId, DiskState, Env, ProcId } from "./types.js";

/** No block of any instance written. */
const noBlocks = (): ReadonlyMap<number, Block> => new Map();

/** A disk in the spec's Init: no block written. */
export const initialDisk = (env: Env, id: DiskId): DiskState => ({
  id,
  blocks: new Map(env.procs.map((p) => [p, noBlocks()])),
  failed: false,
});

/** The disk answers (it has not failed). */
export const answers = (d: DiskState): boolean => !d.failed;

/** BlockAt(d, q, i): q's block of instance i (InitDB until q writes one). */
export const readBlock = (d: DiskState, q: ProcId, i: number): Block =>
  d.blocks.get(q)?.get(i) ?? initDB;

/** The disk with `block` stored as p's block of instance i. */
export function writeBlock(d: DiskState, p: ProcId, i: number, block: Block): DiskState {
  const mine = d.blocks.get(p) ?? noBlocks();
  return { ...d, blocks: mapWith(d.blocks, p, mapWith(mine, i, block)) };
}

/** DiskFail(d): the disk stops answering for good. */
export const fail = (d: DiskState): DiskState => ({ ...d, failed: true });
