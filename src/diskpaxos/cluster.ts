/**
 * Cluster-level DiskPaxos: the spec's whole state (processors, disks, the disk operations in
 * flight, the history variables), one transition per spec action with the same name in
 * camelCase, and the actions enabled in a state. A processor action runs on the processor it
 * concerns (processor.ts) and the I/O path takes its share of the effects (operations issued,
 * reads abandoned); a disk action completes an operation on the disk (disk.ts) and hands the
 * answer to its processor. The history variables `chosen` and `allInput` follow the outputs
 * and inputs the effects report; they are the spec's, kept for the invariants and traces.
 */
import { absurd } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import type { ValueId } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import type { Step } from "../core/step.js";
import * as D from "./disk.js";
import * as P from "./processor.js";
import type {
  DiskId,
  DiskState,
  Effect,
  Env,
  InFlight,
  ProcId,
  ProcState,
  ReadOp,
  WriteOp,
} from "./types.js";
import { ids, readOps, writeOps } from "./values.js";

export interface Cluster extends InFlight {
  readonly env: Env;
  readonly procs: ReadonlyMap<ProcId, ProcState>;
  readonly disks: ReadonlyMap<DiskId, DiskState>;
  /** writes, reads: the disk operations in flight (canonical sets). */
  readonly writes: ReadonlyArray<WriteOp>;
  readonly reads: ReadonlyArray<ReadOp>;
  /** The decided sequence: chosen[i] is the first value output for instance i. */
  readonly chosen: ReadonlyArray<ValueId>;
  /** Every input any processor has held (canonical set). */
  readonly allInput: ReadonlyArray<ValueId>;
}

/** A cluster transition's result: the next cluster and its effects. */
export type ClusterStep = Step<Cluster, Effect>;

/** The spec's Init, with each processor's first input. */
export function initCluster(env: Env, input: (p: ProcId) => ValueId): Cluster {
  return {
    env,
    procs: new Map(env.procs.map((p) => [p, P.initialProc(env, p, input(p))])),
    disks: new Map(env.disks.map((d) => [d, D.initialDisk(env, d)])),
    writes: writeOps.empty,
    reads: readOps.empty,
    chosen: [],
    allInput: ids.of(env.procs.map(input)),
  };
}

/** A spec action with its parameters, as data: what a scheduler chooses and a trace names. */
export type Action =
  | { readonly name: "StartBallot"; readonly p: ProcId }
  | { readonly name: "IssueWrite"; readonly p: ProcId; readonly d: DiskId }
  | { readonly name: "IssueRead"; readonly p: ProcId; readonly d: DiskId; readonly q: ProcId }
  | { readonly name: "EndPhase0"; readonly p: ProcId }
  | { readonly name: "EndPhase1"; readonly p: ProcId }
  | { readonly name: "EndPhase2"; readonly p: ProcId }
  | { readonly name: "NextInstance"; readonly p: ProcId; readonly v: ValueId }
  | { readonly name: "Restart"; readonly p: ProcId; readonly v: ValueId }
  | { readonly name: "CompleteWrite"; readonly w: WriteOp }
  | { readonly name: "CompleteRead"; readonly r: ReadOp }
  | { readonly name: "DiskFail"; readonly d: DiskId };

export type ActionName = Action["name"];
export type ActionOf<K extends ActionName> = Extract<Action, { readonly name: K }>;

/** The I/O path's and the history's share of an effect. */
function apply(c: Cluster, e: Effect): Cluster {
  switch (e.type) {
    case "write":
      return { ...c, writes: writeOps.add(c.writes, e.op) };
    case "read":
      return { ...c, reads: readOps.add(c.reads, e.op) };
    case "abandonReads":
      return c.reads.some((r) => r.proc === e.proc)
        ? { ...c, reads: c.reads.filter((r) => r.proc !== e.proc) }
        : c;
    case "output":
      return e.inst > c.chosen.length ? { ...c, chosen: [...c.chosen, e.value] } : c;
    case "input":
      return { ...c, allInput: ids.add(c.allInput, e.value) };
    default:
      return absurd(e);
  }
}

/** The cluster with processor p's step taken, and the step's effects applied. */
function stepped(c: Cluster, p: ProcId, s0: ProcState, st: P.ProcStep): ClusterStep {
  const procs = st.state === s0 ? c.procs : mapWith(c.procs, p, st.state);
  return { next: st.effects.reduce(apply, { ...c, procs }), effects: st.effects };
}

/** Run a processor action on processor p. */
function onProc<Args extends ReadonlyArray<unknown>>(
  c: Cluster,
  p: ProcId,
  action: P.ProcAction<Args>,
  ...args: Args
): O.Option<ClusterStep> {
  const s = c.procs.get(p);
  if (s === undefined || !action.enabled(c.env, s, ...args)) return O.none;
  return O.some(stepped(c, p, s, action.next(c.env, s, ...args)));
}

/** A disk operation can complete: it is in flight, its disk answers, its issuer exists. */
const canComplete = (c: Cluster, inFlight: boolean, op: { disk: DiskId; proc: ProcId }) => {
  const disk = c.disks.get(op.disk);
  return inFlight && disk !== undefined && D.answers(disk) && c.procs.has(op.proc);
};
const canCompleteWrite = (c: Cluster, w: WriteOp) => canComplete(c, writeOps.has(c.writes, w), w);
const canCompleteRead = (c: Cluster, r: ReadOp) => canComplete(c, readOps.has(c.reads, r), r);

/** CompleteWrite(w): the disk applies w, and its writer takes the acknowledgement. */
function completeWrite(c: Cluster, w: WriteOp): O.Option<ClusterStep> {
  const disk = c.disks.get(w.disk);
  const s = c.procs.get(w.proc);
  if (!canCompleteWrite(c, w) || disk === undefined || s === undefined) return O.none;
  const landed: Cluster = {
    ...c,
    disks: mapWith(c.disks, w.disk, D.writeBlock(disk, w.proc, w.inst, w.block)),
    writes: writeOps.remove(c.writes, w),
  };
  return O.some(stepped(landed, w.proc, s, P.writeDone.next(c.env, s, w)));
}

/** CompleteRead(r): the disk answers r with the block as it is now, to its reader. */
function completeRead(c: Cluster, r: ReadOp): O.Option<ClusterStep> {
  const disk = c.disks.get(r.disk);
  const s = c.procs.get(r.proc);
  if (!canCompleteRead(c, r) || disk === undefined || s === undefined) return O.none;
  const block = D.readBlock(disk, r.of, P.inst(s));
  const answered: Cluster = { ...c, reads: readOps.remove(c.reads, r) };
  return O.some(stepped(answered, r.proc, s, P.readDone.next(c.env, s, r, block)));
}

/** DiskFail(d). */
function diskFail(c: Cluster, d: DiskId): O.Option<ClusterStep> {
  const disk = c.disks.get(d);
  if (disk === undefined || disk.failed) return O.none;
  return O.some({ next: { ...c, disks: mapWith(c.disks, d, D.fail(disk)) }, effects: [] });
}

/** Each action's transition, by name: the TS side of the spec's Next. */
export const transitions: {
  readonly [K in ActionName]: (c: Cluster, a: ActionOf<K>) => O.Option<ClusterStep>;
} = {
  StartBallot: (c, a) => onProc(c, a.p, P.startBallot),
  IssueWrite: (c, a) => onProc(c, a.p, P.issueWrite, c, a.d),
  IssueRead: (c, a) => onProc(c, a.p, P.issueRead, c, a.d, a.q),
  EndPhase0: (c, a) => onProc(c, a.p, P.endPhase0),
  EndPhase1: (c, a) => onProc(c, a.p, P.endPhase1),
  EndPhase2: (c, a) => onProc(c, a.p, P.endPhase2),
  NextInstance: (c, a) => onProc(c, a.p, P.nextInstance, a.v),
  Restart: (c, a) => onProc(c, a.p, P.restart, a.v),
  CompleteWrite: (c, a) => completeWrite(c, a.w),
  CompleteRead: (c, a) => completeRead(c, a.r),
  DiskFail: (c, a) => diskFail(c, a.d),
};

/** Perform an action given as data; None when its guard is false. */
export const perform = (c: Cluster, a: Action): O.Option<ClusterStep> =>
  (transitions[a.name] as (c: Cluster, a: Action) => O.Option<ClusterStep>)(c, a);

/**
 * The enabled actions of processor p, each judged by its own guard, in the order of the spec's
 * Next: StartBallot, IssueWrite(d) and IssueRead(d, q) in disk and processor order, EndPhase0
 * to EndPhase2, then NextInstance(v) and Restart(v) for the inputs the environment offers.
 */
export function enabledAtProc(
  c: Cluster,
  p: ProcId,
  inputs: ReadonlyArray<ValueId>,
): ReadonlyArray<Action> {
  const s = c.procs.get(p);
  if (s === undefined) return [];
  const { env } = c;
  const out: Action[] = [];
  if (P.startBallot.enabled(env, s)) out.push({ name: "StartBallot", p });
  for (const d of env.disks)
    if (P.issueWrite.enabled(env, s, c, d)) out.push({ name: "IssueWrite", p, d });
  for (const d of env.disks)
    for (const q of env.procs)
      if (P.issueRead.enabled(env, s, c, d, q)) out.push({ name: "IssueRead", p, d, q });
  if (P.endPhase0.enabled(env, s)) out.push({ name: "EndPhase0", p });
  if (P.endPhase1.enabled(env, s)) out.push({ name: "EndPhase1", p });
  if (P.endPhase2.enabled(env, s)) out.push({ name: "EndPhase2", p });
  for (const v of inputs)
    if (P.nextInstance.enabled(env, s, v)) out.push({ name: "NextInstance", p, v });
  for (const v of inputs) if (P.restart.enabled(env, s, v)) out.push({ name: "Restart", p, v });
  return out;
}

/** CompleteWrite(w) if w is in flight and its disk answers. */
export const enabledOnWrite = (c: Cluster, w: WriteOp): ReadonlyArray<Action> =>
  canCompleteWrite(c, w) ? [{ name: "CompleteWrite", w }] : [];

/** CompleteRead(r) if r is in flight and its disk answers. */
export const enabledOnRead = (c: Cluster, r: ReadOp): ReadonlyArray<Action> =>
  canCompleteRead(c, r) ? [{ name: "CompleteRead", r }] : [];

/** DiskFail(d) if d has not failed. */
export const enabledAtDisk = (c: Cluster, d: DiskId): ReadonlyArray<Action> =>
  c.disks.get(d)?.failed === false ? [{ name: "DiskFail", d }] : [];

/**
 * Every enabled action, for the given inputs: the processors' in processor order, then the
 * completions of the operations in flight in canonical order, then the disks' failures.
 */
export const enabled = (c: Cluster, inputs: ReadonlyArray<ValueId>): ReadonlyArray<Action> => [
  ...c.env.procs.flatMap((p) => enabledAtProc(c, p, inputs)),
  ...c.writes.flatMap((w) => enabledOnWrite(c, w)),
  ...c.reads.flatMap((r) => enabledOnRead(c, r)),
  ...c.env.disks.flatMap((d) => enabledAtDisk(c, d)),
];
