/** Builders for DiskPaxos tests: environments, scripted runs of the cluster. */
import * as O from "fp-ts/lib/Option.js";
import { type Action, type Cluster, initCluster, perform } from "../../src/diskpaxos/cluster.js";
import { type InvariantName, violatedInvariants } from "../../src/diskpaxos/invariants.js";
import { cur } from "../../src/diskpaxos/processor.js";
import {
  type Block,
  type Bugs,
  type Env,
  noBugs,
  type ProcState,
  type WriteOp,
} from "../../src/diskpaxos/types.js";

export const env = (o: { bugs?: Partial<Bugs>; disks?: ReadonlyArray<string> } = {}): Env => ({
  procs: ["p1", "p2"],
  procOrder: ["p1", "p2"],
  disks: o.disks ?? ["d1"],
  bugs: { ...noBugs, ...o.bugs },
});

/** Init with p1 proposing v1 and p2 v2. */
export const fresh = (e: Env = env()): Cluster => initCluster(e, (p) => (p === "p1" ? "v1" : "v2"));

export const proc = (c: Cluster, p: string): ProcState => {
  const s = c.procs.get(p);
  if (s === undefined) throw new Error(`no processor ${p}`);
  return s;
};

/** Perform a, which must be enabled. */
export function exec(c: Cluster, a: Action): Cluster {
  const s = perform(c, a);
  if (O.isNone(s)) throw new Error(`not enabled: ${JSON.stringify(a)}`);
  return s.value.next;
}

/** A step of a script: the action to take in this state, or undefined if there is none. */
export type ScriptStep = (c: Cluster) => Action | undefined;

export const act =
  (a: Action): ScriptStep =>
  () =>
    a;

/** The write of p to d in flight whose block matches `which` (the first, if any). */
export const landWrite =
  (p: string, d: string, which: (b: Block) => boolean = () => true): ScriptStep =>
  (c) => {
    const w: WriteOp | undefined = c.writes.find(
      (x) => x.proc === p && x.disk === d && which(x.block),
    );
    return w === undefined ? undefined : { name: "CompleteWrite", w };
  };

export const answerRead =
  (p: string, d: string, q: string): ScriptStep =>
  () => ({ name: "CompleteRead", r: { proc: p, disk: d, of: q } });

/** Phase 0 of p on these disks: read its own block from each, then end the phase. */
export const phase0 = (p: string, disks: ReadonlyArray<string>): ScriptStep[] => [
  ...disks.map((d) => act({ name: "IssueRead", p, d, q: p })),
  ...disks.map((d) => answerRead(p, d, p)),
  act({ name: "EndPhase0", p }),
];

/** p's current block lands on d: issue its write and let the disk apply it. */
export const writeNow = (p: string, d: string): ScriptStep[] => [
  act({ name: "IssueWrite", p, d }),
  (c) => landWrite(p, d, (b) => equalBlocks(b, cur(proc(c, p))))(c),
];

/** p reads q's block on d, and the disk answers at once. */
export const readNow = (p: string, d: string, q: string): ScriptStep[] => [
  act({ name: "IssueRead", p, d, q }),
  answerRead(p, d, q),
];

const equalBlocks = (a: Block, b: Block) => a.mbal === b.mbal && a.bal === b.bal && a.inp === b.inp;

export interface Played {
  readonly cluster: Cluster;
  /** Steps whose action was not enabled (or that had none), by index. */
  readonly skipped: ReadonlyArray<number>;
  /** Every invariant violated in some state of the run. */
  readonly violated: ReadonlyArray<InvariantName>;
}

/**
 * Run a script from c: each step's action if it is enabled (skipped otherwise), every invariant
 * checked after each step.
 */
export function play(c0: Cluster, steps: ReadonlyArray<ScriptStep>): Played {
  let c = c0;
  const skipped: number[] = [];
  const violated = new Set<InvariantName>(violatedInvariants(c));
  steps.forEach((step, k) => {
    const a = step(c);
    const s = a === undefined ? O.none : perform(c, a);
    if (O.isNone(s)) {
      skipped.push(k);
      return;
    }
    c = s.value.next;
    for (const v of violatedInvariants(c)) violated.add(v);
  });
  return { cluster: c, skipped, violated: [...violated] };
}
