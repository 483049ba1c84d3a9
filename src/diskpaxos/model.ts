/**
 * MCDiskPaxos.tla over the implementation: its initial states (MCInit, MCInitPhase1), wrappers
 * (BoundedNextInstance, FaultRestart, FaultDiskFail) and constraints (StateConstraint,
 * OneOperationInFlight) around the cluster's own enabled actions, for graph equality with the
 * spec and the explorer (src/conform).
 */
import * as O from "fp-ts/lib/Option.js";
import type {
  ImplModel,
  ModelConstants,
  ModelHook,
  Relations,
  Successor,
} from "../conform/model.js";
import { bugsOn, constants, expectRelations, inOrder } from "../conform/model.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { invariantNames, violatedInvariants } from "./invariants.js";
import { initDB, nextBallot } from "./operators.js";
import { cur, inst } from "./processor.js";
import { type Bugs, bugNames, type Env, noBugs, type ProcState } from "./types.js";

/** Every function from the processors to the inputs, as a list of values in processor order. */
function assignments(n: number, inputs: ReadonlyArray<string>): string[][] {
  if (n === 0) return [[]];
  return assignments(n - 1, inputs).flatMap((rest) => inputs.map((v) => [v, ...rest]));
}

function build(c0: ModelConstants, forced: ReadonlyArray<string>, relations: Relations) {
  expectRelations(relations, {
    init: ["MCInit", "MCInitPhase1"],
    next: ["MCNext"],
    constraints: ["StateConstraint", "OneOperationInFlight"],
  });
  const c = constants(c0);
  const on = new Set([...bugsOn(c0), ...forced]);
  const bugs: Bugs = {
    ...noBugs,
    ...(Object.fromEntries(bugNames.map((b) => [b, on.has(b)])) as unknown as Bugs),
  };
  const procs = c.strings("Proc");
  const env: Env = {
    procs,
    procOrder: inOrder(procs, c.stringSets("ProcOrder")),
    disks: c.strings("Disk"),
    bugs,
  };
  const inputs = c.strings("Inputs");
  const faults = new Set(c.strings("Faults"));
  const maxBallot = c.int("MaxBallot");
  const maxInstance = c.int("MaxInstance");
  const oneOp = relations.constraints.includes("OneOperationInFlight");
  // MCInit: distinct inputs when there are enough of them; MCInitPhase1 also starts every
  // processor in phase 1 with its first ballot.
  const distinct = inputs.length >= procs.length;
  const init = assignments(procs.length, inputs)
    .filter((xs) => !distinct || new Set(xs).size === xs.length)
    .map((xs) => {
      const input = (p: string) => xs[procs.indexOf(p)] as string;
      const c1 = initCluster(env, input);
      if (relations.init !== "MCInitPhase1") return c1;
      const phase1 = (s: ProcState): ProcState => ({
        ...s,
        phase: 1,
        dblock: [{ ...initDB, mbal: nextBallot(env, s.id, 0) }],
      });
      return { ...c1, procs: new Map([...c1.procs].map(([p, s]) => [p, phase1(s)])) };
    });
  const proc = (s: Cluster, p: string) => s.procs.get(p) as ProcState;
  const failed = (s: Cluster) => [...s.disks.values()].filter((d) => d.failed).length;
  /** The MC wrapper's extra conditions on an action. */
  const admitted = (s: Cluster, a: Action): boolean => {
    switch (a.name) {
      case "NextInstance":
        return inst(proc(s, a.p)) < maxInstance;
      case "Restart":
        return faults.has("restart") && a.v === proc(s, a.p).input;
      case "DiskFail":
        return faults.has("diskfail") && 2 * (failed(s) + 1) < env.disks.length;
      default:
        return true;
    }
  };
  const model: ImplModel<Cluster, Action> = {
    init,
    next: (s) => {
      const out: Successor<Cluster, Action>[] = [];
      for (const a of enabled(s, inputs)) {
        if (!admitted(s, a)) continue;
        const r = perform(s, a);
        if (O.isSome(r)) out.push({ action: a, next: r.value.next });
      }
      return out;
    },
    within: (s) =>
      [...s.procs.values()].every((p) => cur(p).mbal <= maxBallot) &&
      (!oneOp || s.writes.length + s.reads.length <= 1),
    violated: (s) => violatedInvariants(s, invariantNames),
  };
  return model;
}

/** The model module's name, which the models' names extend. */
const MC = "MCDiskPaxos";

export const diskpaxosModel: ModelHook = {
  build,
  cases: [
    // Three controls catch the five switches (the other controls' graphs npm run tlc compares).
    {
      model: `${MC}BugRestartWithoutPhase0/control`,
      bugs: ["restartWithoutPhase0", "readBeforeWrite"],
    },
    { model: `${MC}BugStaleWrite/control`, bugs: ["staleWrite", "valueByMbal"] },
    // One input instead of two (1,525 states instead of 3,346).
    {
      model: `${MC}BugHalfIsMajority/control`,
      constants: { Inputs: "{v1}" },
      bugs: ["halfIsMajority"],
    },
  ],
  explore: [{ label: `${MC}Faults (TLC's reach)`, model: `${MC}Faults` }],
};
