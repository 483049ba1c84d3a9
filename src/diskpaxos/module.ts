/** DiskPaxos as a protocol module (src/protocol.ts): what the shared tools know of it. */
import { S } from "../core/schema.js";
import type { ProtocolModule } from "../protocol.js";
import { bool, str } from "../trace/itf.js";
import { actions, variables } from "./abstraction.js";
import { diskpaxosFixtures } from "./fixtures.js";
import { implementation } from "./implementation.js";
import { diskpaxosModel } from "./model.js";
import { diskpaxosSimulator } from "./sim/protocol.js";

const ids = S.set(S.str);

export const diskpaxos: ProtocolModule = {
  name: "diskpaxos",
  title: "DiskPaxos",
  spec: { module: "DiskPaxos", model: "MCDiskPaxos" },
  trace: {
    variables,
    actions,
    constants: [
      { name: "Proc", schema: ids },
      // The order's prefixes, {{"p1"}, {"p1", "p2"}}: a cfg can write a set of sets, not a sequence.
      { name: "ProcOrder", schema: S.set(ids) },
      { name: "Disk", schema: ids },
      { name: "Inputs", schema: ids },
      { name: "NotAnInput", schema: S.str, default: str("NotAnInput") },
      { name: "BugReadBeforeWrite", schema: S.bool, fixed: bool(false) },
      { name: "BugRestartWithoutPhase0", schema: S.bool, fixed: bool(false) },
      { name: "BugStaleWrite", schema: S.bool, fixed: bool(false) },
      { name: "BugHalfIsMajority", schema: S.bool, fixed: bool(false) },
      { name: "BugValueByMbal", schema: S.bool, fixed: bool(false) },
    ],
  },
  sim: diskpaxosSimulator,
  // Each hunt's faults and sizes are ones where a TS invariant catches the bug on the first
  // seed (a seed it misses is validated, at seconds a trace); (e) is caught soonest with a third
  // processor aborting the one that chose first.
  bugHunts: [
    { bug: "readBeforeWrite", faults: ["reorder"] },
    { bug: "restartWithoutPhase0", faults: ["crash", "reorder"] },
    { bug: "staleWrite", faults: ["reorder", "partition", "crash"] },
    { bug: "halfIsMajority", faults: ["reorder"], sizes: { disks: 2 } },
    {
      bug: "valueByMbal",
      faults: ["reorder", "partition", "crash"],
      sizes: { procs: 3, disks: 2 },
    },
  ],
  fixtures: diskpaxosFixtures,
  model: diskpaxosModel,
  bench: [{ label: "2 processors, 3 disks", sizes: { procs: 2, disks: 3 } }],
  implementation,
};
