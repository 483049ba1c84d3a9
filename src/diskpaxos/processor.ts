/**
 * A processor: one spec action per export, same name in camelCase, each a guard `enabled` and
 * a next step `next` (core/action.ts). A processor only sees its own state and, for its guards,
 * the disk operations in flight (InFlight); the two answers a disk gives, a write landed and a
 * block read, reach it through `writeDone` and `readDone`, the processor's half of the spec's
 * CompleteWrite and CompleteRead (the disk's half is disk.ts).
 */
import type { GuardedAction } from "../core/action.js";
import {
  blocksOfReads,
  initDB,
  isMajority,
  nextBallot,
  phase1Value,
  recovered,
} from "./operators.js";
import type {
  Block,
  BlockRead,
  DiskId,
  Effect,
  Env,
  InFlight,
  ProcId,
  ProcState,
  ReadOp,
  Step,
  WriteOp,
} from "./types.js";
import { blockReads, ids, readOps, writeOps } from "./values.js";

export type ProcStep = Step<ProcState>;

/** A spec action of a processor, with the arguments it takes besides the processor. */
export type ProcAction<Args extends ReadonlyArray<unknown>> = GuardedAction<
  Env,
  ProcState,
  Args,
  Step<ProcState>
>;

// ---------------------------------------------------------------------------------------------
// The spec's operators on a processor

/** Inst(p): its current instance. */
export const inst = (s: ProcState): number => s.dblock.length;

/** Cur(p): its block of the current instance. */
export const cur = (s: ProcState): Block => s.dblock[s.dblock.length - 1] as Block;

/** SetCur(p, b): dblock[p] with the current instance's block replaced. */
const withCur = (s: ProcState, b: Block): ReadonlyArray<Block> => [...s.dblock.slice(0, -1), b];

export const sameBlock = (a: Block, b: Block): boolean =>
  a === b || (a.mbal === b.mbal && a.bal === b.bal && a.inp === b.inp);

/** [d \in Disk |-> {}]. */
const noReads = (env: Env): ReadonlyMap<DiskId, ReadonlyArray<BlockRead>> =>
  new Map(env.disks.map((d) => [d, blockReads.empty]));

/** hasRead(p, d, q). */
export const hasRead = (s: ProcState, d: DiskId, q: ProcId): boolean =>
  (s.blocksRead.get(d) ?? []).some((r) => r.proc === q);

/** WritePending(p, d): a write of p to d is in flight (of any phase, instance or incarnation). */
export const writePending = (io: InFlight, p: ProcId, d: DiskId): boolean =>
  io.writes.some((w) => w.proc === p && w.disk === d);

/** DoneDisks(p): its block of this phase landed there, and every other block was read. */
export const doneDisks = (env: Env, s: ProcState): ReadonlyArray<DiskId> =>
  s.disksWritten.filter((d) => env.procs.every((q) => q === s.id || hasRead(s, d, q)));

/** The write of p's current block to d (WriteOp(p, d, Inst(p), Cur(p))). */
export const writeOf = (s: ProcState, d: DiskId): WriteOp => ({
  proc: s.id,
  disk: d,
  inst: inst(s),
  block: cur(s),
});

const abandonReads = (s: ProcState): Effect => ({ type: "abandonReads", proc: s.id });

/**
 * InitializePhase(p): nothing written or read in the new phase; the reads in flight belong to
 * the phase left behind and are abandoned (an effect: the I/O path holds them).
 */
function initializePhase(
  env: Env,
  s: ProcState,
  change: Partial<Pick<ProcState, "phase" | "dblock" | "input">>,
  effects: ReadonlyArray<Effect> = [],
): Step<ProcState> {
  return {
    state: { ...s, ...change, disksWritten: ids.empty, blocksRead: noReads(env) },
    effects: [abandonReads(s), ...effects],
  };
}

/** NewBallot(p, m): phase 1 of p's next ballot above m, keeping its vote. */
const newBallot = (env: Env, s: ProcState, m: number): Step<ProcState> =>
  initializePhase(env, s, {
    phase: 1,
    dblock: withCur(s, { ...cur(s), mbal: nextBallot(env, s.id, m) }),
  });

// ---------------------------------------------------------------------------------------------
// The processor in the spec's Init, and restarted

/** A processor in the spec's Init: phase 0 of instance 1 with its first input. */
export const initialProc = (env: Env, id: ProcId, input: string): ProcState => ({
  id,
  input,
  phase: 0,
  dblock: [initDB],
  disksWritten: ids.empty,
  blocksRead: noReads(env),
});

// ---------------------------------------------------------------------------------------------
// Processor actions

/** StartBallot(p): it gives up its ballot (its timer fired) for its next one, in phase 1. */
export const startBallot: ProcAction<[]> = {
  enabled: (_env, s) => s.phase === 1 || s.phase === 2,
  next: (env, s) => newBallot(env, s, cur(s).mbal),
};

/**
 * IssueWrite(p, d): it hands the write of its current block to d to the I/O path, once per
 * phase, unless an earlier write of its own to d is still in flight (under BugStaleWrite, even
 * then).
 */
export const issueWrite: ProcAction<[io: InFlight, d: DiskId]> = {
  enabled: (env, s, io, d) =>
    (s.phase === 1 || s.phase === 2) &&
    env.disks.includes(d) &&
    !ids.has(s.disksWritten, d) &&
    !writeOps.has(io.writes, writeOf(s, d)) &&
    (env.bugs.staleWrite || !writePending(io, s.id, d)),
  next: (_env, s, _io, d) => ({ state: s, effects: [{ type: "write", op: writeOf(s, d) }] }),
};

/**
 * IssueRead(p, d, q): it hands the read of q's block on d to the I/O path: its own block in
 * phase 0, once its writes to d in flight have landed; another's in phases 1 and 2, once its
 * block of this phase has landed on d (under BugReadBeforeWrite, once that write is issued).
 */
export const issueRead: ProcAction<[io: InFlight, d: DiskId, q: ProcId]> = {
  enabled: (env, s, io, d, q) => {
    const op: ReadOp = { proc: s.id, disk: d, of: q };
    if (!env.disks.includes(d) || !env.procs.includes(q)) return false;
    if (readOps.has(io.reads, op) || hasRead(s, d, q)) return false;
    if (s.phase === 0) return q === s.id && !writePending(io, s.id, d);
    if (s.phase === 3 || q === s.id) return false;
    return (
      ids.has(s.disksWritten, d) ||
      (env.bugs.readBeforeWrite && writeOps.has(io.writes, writeOf(s, d)))
    );
  },
  next: (_env, s, _io, d, q) => ({
    state: s,
    effects: [{ type: "read", op: { proc: s.id, disk: d, of: q } }],
  }),
};

/**
 * EndPhase0(p): it has read its own block from a majority of disks; it takes its last vote
 * and its next ballot above every mbal it read (Recovered), and starts phase 1.
 */
export const endPhase0: ProcAction<[]> = {
  enabled: (env, s) =>
    s.phase === 0 && isMajority(env, env.disks.filter((d) => hasRead(s, d, s.id)).length),
  next: (env, s) =>
    initializePhase(env, s, {
      phase: 1,
      dblock: withCur(s, recovered(env, s.id, blocksOfReads(s.blocksRead))),
    }),
};

/**
 * EndPhase1(p): phase 1 is done on a majority of disks; it votes for Phase1Value(p) in its
 * ballot and starts phase 2.
 */
export const endPhase1: ProcAction<[]> = {
  enabled: (env, s) => s.phase === 1 && isMajority(env, doneDisks(env, s).length),
  next: (env, s) => {
    const b = cur(s);
    const inp = phase1Value(env, blocksOfReads(s.blocksRead), b, s.input);
    return initializePhase(env, s, { phase: 2, dblock: withCur(s, { ...b, bal: b.mbal, inp }) });
  },
};

/** EndPhase2(p): phase 2 is done on a majority of disks; it outputs its vote (phase 3). */
export const endPhase2: ProcAction<[]> = {
  enabled: (env, s) => s.phase === 2 && isMajority(env, doneDisks(env, s).length),
  next: (env, s) =>
    initializePhase(env, s, { phase: 3 }, [
      { type: "output", proc: s.id, inst: inst(s), value: cur(s).inp as string },
    ]),
};

/** NextInstance(p, v): after its output it takes the next command v and starts phase 0 there. */
export const nextInstance: ProcAction<[v: string]> = {
  enabled: (_env, s) => s.phase === 3,
  next: (_env, s, v) => ({
    state: { ...s, phase: 0, dblock: [...s.dblock, initDB], input: v },
    effects: [{ type: "input", proc: s.id, value: v }],
  }),
};

/**
 * Restart(p, v): it crashed and comes back with input v, knowing nothing: instance 1, phase 0
 * (under BugRestartWithoutPhase0: phase 1 of its first ballot, from an initial block).
 */
export const restart: ProcAction<[v: string]> = {
  enabled: () => true,
  next: (env, s, v) => {
    const fresh = initialProc(env, s.id, v);
    const state: ProcState = env.bugs.restartWithoutPhase0
      ? { ...fresh, phase: 1, dblock: [{ ...initDB, mbal: nextBallot(env, s.id, 0) }] }
      : fresh;
    return { state, effects: [abandonReads(s), { type: "input", proc: s.id, value: v }] };
  },
};

// ---------------------------------------------------------------------------------------------
// The answers of the disks (the processor's half of CompleteWrite and CompleteRead)

/** Its write w landed: it counts for this phase if it is the block of this phase. */
export const writeDone: ProcAction<[w: WriteOp]> = {
  enabled: (_env, s, w) => w.proc === s.id,
  next: (_env, s, w) =>
    (s.phase === 1 || s.phase === 2) && w.inst === inst(s) && sameBlock(w.block, cur(s))
      ? { state: { ...s, disksWritten: ids.add(s.disksWritten, w.disk) }, effects: [] }
      : { state: s, effects: [] },
};

/**
 * Its read r returned `block`: kept in phase 0, and in phases 1 and 2 if its mbal is below the
 * processor's ballot; otherwise it abandons its ballot for its next one above that mbal.
 */
export const readDone: ProcAction<[r: ReadOp, block: Block]> = {
  enabled: (_env, s, r) => r.proc === s.id,
  next: (env, s, r, block) => {
    if (s.phase !== 0 && block.mbal >= cur(s).mbal) return newBallot(env, s, block.mbal);
    const got = blockReads.add(s.blocksRead.get(r.disk) ?? blockReads.empty, {
      block,
      proc: r.of,
    });
    const blocksRead = new Map(s.blocksRead).set(r.disk, got);
    return { state: { ...s, blocksRead }, effects: [] };
  },
};
