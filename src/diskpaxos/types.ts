/**
 * DiskPaxos state and effect types. Codec-backed types (blocks, disk operations) live in
 * codec.ts. A processor keeps nothing stable of its own: all its state is lost in a crash, and
 * what survives is its blocks on the disks. The disks are a component of their own (disk.ts):
 * they store blocks and answer reads and writes, nothing more.
 */
import type { ServerId, ValueId } from "../core/ids.js";
import type { Block, BlockRead, ReadOp, WriteOp } from "./codec.js";

export type { Block, BlockRead, ReadOp, WriteOp } from "./codec.js";

export type ProcId = ServerId;
export type DiskId = string;

/** 0: reading its own blocks back; 1 and 2: the two phases of a ballot; 3: output. */
export type Phase = 0 | 1 | 2 | 3;

/** A processor: everything here is volatile (Restart rebuilds it). */
export interface ProcState {
  readonly id: ProcId;
  /** input[p]: the client command it proposes in its current instance. */
  readonly input: ValueId;
  readonly phase: Phase;
  /**
   * dblock[p]: its block of each instance it has entered since it (re)started, the current
   * instance's last (for the earlier ones, the block it output from).
   */
  readonly dblock: ReadonlyArray<Block>;
  /** disksWritten[p]: the disks its block of this phase has landed on (canonical id set). */
  readonly disksWritten: ReadonlyArray<DiskId>;
  /** blocksRead[p][d]: the blocks it read from disk d in this phase, for every disk. */
  readonly blocksRead: ReadonlyMap<DiskId, ReadonlyArray<BlockRead>>;
}

/** A disk: per processor, its blocks by instance (only those written); and whether it failed. */
export interface DiskState {
  readonly id: DiskId;
  /** disk[d]: for every processor, its blocks on this disk by instance. */
  readonly blocks: ReadonlyMap<ProcId, ReadonlyMap<number, Block>>;
  /** It stopped answering for good. */
  readonly failed: boolean;
}

/** The spec's Bug* constants: test-only switches for classic mistakes. */
export interface Bugs {
  /** (a) A read of another's block on d is issued once p's write to d is issued, not landed. */
  readonly readBeforeWrite: boolean;
  /** (b) A restarted processor skips phase 0 and starts phase 1 from an initial block. */
  readonly restartWithoutPhase0: boolean;
  /** (c) A write to d is issued while an earlier one to d is in flight. */
  readonly staleWrite: boolean;
  /** (d) Half of the disks count as a majority. */
  readonly halfIsMajority: boolean;
  /** (e) Phase 1 takes the value of the block with the largest mbal, not the largest bal. */
  readonly valueByMbal: boolean;
}
export type BugName = keyof Bugs;
export const bugNames: ReadonlyArray<BugName> = [
  "readBeforeWrite",
  "restartWithoutPhase0",
  "staleWrite",
  "halfIsMajority",
  "valueByMbal",
];
export const noBugs: Bugs = {
  readBeforeWrite: false,
  restartWithoutPhase0: false,
  staleWrite: false,
  halfIsMajority: false,
  valueByMbal: false,
};

/** The spec's constants that transitions read. */
export interface Env {
  /** Proc (canonical set). */
  readonly procs: ReadonlyArray<ProcId>;
  /** ProcOrder: every processor once; Rank(p) is its position + 1. */
  readonly procOrder: ReadonlyArray<ProcId>;
  /** Disk (canonical set). */
  readonly disks: ReadonlyArray<DiskId>;
  readonly bugs: Bugs;
}

/**
 * The disk operations a processor has in flight, as its I/O path knows them: a processor's
 * guards read them (one write per disk at a time; in phase 0, no write still on its way).
 */
export interface InFlight {
  readonly writes: ReadonlyArray<WriteOp>;
  readonly reads: ReadonlyArray<ReadOp>;
}

/** What a transition asks its runtime to do. */
export type Effect =
  /** Hand a block write to the I/O path; the disk applies it later. */
  | { readonly type: "write"; readonly op: WriteOp }
  /** Hand a block read to the I/O path; the disk answers later. */
  | { readonly type: "read"; readonly op: ReadOp }
  /** The processor's reads in flight belong to a phase it left: their answers are ignored. */
  | { readonly type: "abandonReads"; readonly proc: ProcId }
  /** The processor outputs `value` as the decision of instance `inst`. */
  | {
      readonly type: "output";
      readonly proc: ProcId;
      readonly inst: number;
      readonly value: ValueId;
    }
  /** The processor takes `value` as its input (a client command to propose). */
  | { readonly type: "input"; readonly proc: ProcId; readonly value: ValueId };

/** A processor transition's result: its next state and what the runtime must do. */
export interface Step<S> {
  readonly state: S;
  readonly effects: ReadonlyArray<Effect>;
}
