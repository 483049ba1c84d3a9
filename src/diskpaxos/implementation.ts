/**
 * The cluster of processors and disks as a transition system for replaying the spec's counterexamples
 * (src/trace/replay.ts): the spec's constants give the processors in their order, the disks and
 * the commands a processor may take up; each processor's first input is the one the spec's Init
 * chose (the counterexample's initial `input`). A model that starts every processor in phase 1
 * with its first ballot (MCInitPhase1) is started there too.
 */
import * as O from "fp-ts/lib/Option.js";
import type { Implementation } from "../protocol.js";
import { asString, equals, field, int } from "../trace/itf.js";
import { bugSwitches, orderOf, stringsOf } from "../trace/replay.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { initDB, nextBallot } from "./operators.js";
import { type Bugs, bugNames, type ProcState } from "./types.js";

export const implementation: Implementation = {
  start(constants, bugs, init) {
    const procOrder = orderOf(constants.ProcOrder, "ProcOrder");
    const env = {
      procs: stringsOf(constants.Proc, "Proc"),
      procOrder,
      disks: stringsOf(constants.Disk, "Disk"),
      bugs: bugSwitches(bugNames, bugs) as Bugs,
    };
    const inputs = stringsOf(constants.Inputs, "Inputs");
    const first = (p: string) => {
      const v = init.input === undefined ? undefined : asString(field(init.input, p));
      if (v === undefined) throw new RangeError(`the initial state gives no input[${p}]`);
      return v;
    };
    const c0 = initCluster(env, first);
    const inPhase1 = (p: string) => {
      const v = init.phase === undefined ? undefined : field(init.phase, p);
      return v !== undefined && equals(v, int(1));
    };
    const phase1 = (s: ProcState): ProcState =>
      inPhase1(s.id)
        ? { ...s, phase: 1, dblock: [{ ...initDB, mbal: nextBallot(env, s.id, 0) }] }
        : s;
    return {
      initial: { ...c0, procs: new Map([...c0.procs].map(([p, s]) => [p, phase1(s)])) },
      enabled: (c: Cluster) => enabled(c, inputs),
      perform: (c: Cluster, a: Action) => O.map((s: { next: Cluster }) => s.next)(perform(c, a)),
    };
  },
};
