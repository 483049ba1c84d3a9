/**
 * The abstraction from a cluster to the spec's eleven variables, and from an action to the spec
 * action with its parameters: tables the trace encoder, the validator and the tests share
 * (traces/FORMAT.md describes the values). Per-processor variables are functions keyed by
 * processor id, `disk` one keyed by disk id, `failed` the set of the disks that failed.
 */
import * as V from "../core/spec-value.js";
import {
  type ActionParams,
  gathered,
  perProcess,
  type Variable,
  whole,
} from "../core/variables.js";
import type { Action, Cluster } from "./cluster.js";
import type { DiskState, ProcState } from "./types.js";
import { block, blockRead, id, idSet, readOp, value, writeOp } from "./values.js";

const procs = (c: Cluster): ReadonlyMap<string, ProcState> => c.procs;
const disks = (c: Cluster): ReadonlyMap<string, DiskState> => c.disks;

/** The spec's variables, in the order of its VARIABLES line. */
export const variables: ReadonlyArray<Variable<Cluster>> = [
  perProcess("input", procs, (p) => p.input, value),
  perProcess("phase", procs, (p) => p.phase, V.int),
  perProcess("dblock", procs, (p) => p.dblock, V.seq(block)),
  perProcess("disksWritten", procs, (p) => p.disksWritten, idSet),
  perProcess("blocksRead", procs, (p) => p.blocksRead, V.fn(id, V.set(blockRead))),
  perProcess("disk", disks, (d) => d.blocks, V.fn(id, V.fn(V.int, block))),
  whole("writes", (c) => c.writes, V.set(writeOp)),
  whole("reads", (c) => c.reads, V.set(readOp)),
  gathered(
    "failed",
    disks,
    (d) => d.failed,
    (d, failed: boolean) => (failed ? [d] : []),
    id,
  ),
  whole("chosen", (c) => c.chosen, V.seq(value)),
  whole("allInput", (c) => c.allInput, idSet),
];

/** Each action's parameters, named and ordered as the spec operator takes them. */
export const actions: ActionParams<Action> = {
  StartBallot: { p: id },
  IssueWrite: { p: id, d: id },
  IssueRead: { p: id, d: id, q: id },
  EndPhase0: { p: id },
  EndPhase1: { p: id },
  EndPhase2: { p: id },
  NextInstance: { p: id, v: value },
  Restart: { p: id, v: value },
  CompleteWrite: { w: writeOp },
  CompleteRead: { r: readOp },
  DiskFail: { d: id },
};
