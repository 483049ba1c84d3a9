/** DiskPaxos as `npm run sim` sees it (see SimProtocol). */
import type { Fault } from "../../sim/faults.js";
import { commonOptions } from "../../sim/options.js";
import { type SimProtocol, sizeOf } from "../../sim/protocol.js";
import { traceRunner } from "../../sim/trace.js";
import { invariantNames } from "../invariants.js";
import { bugNames } from "../types.js";
import { defaultOptions, parseBugs, parseInvariants, withDefaults } from "./options.js";
import { simulate } from "./simulate.js";
import { diskpaxosTrace, headerLine } from "./trace.js";

/**
 * The fault kinds of this simulator (sim/options.ts says what each means here). Duplication
 * and reconfiguration mean nothing for disks (a disk applies an operation once; the set of
 * disks is fixed): the command line refuses them, and a run asked for them from code
 * (e.g. every fault kind) leaves them out.
 */
const faults: ReadonlyArray<Fault> = ["drop", "reorder", "partition", "crash"];

export const diskpaxosSimulator: SimProtocol = {
  sizes: [
    {
      name: "procs",
      description: "number of processors (the spec's Proc)",
      default: defaultOptions.procs,
      min: 1,
      max: 3,
    },
    {
      name: "disks",
      description: "number of disks (Disk)",
      default: defaultOptions.disks,
      min: 1,
      max: 5,
    },
  ],
  faults,
  bugNames,
  invariantNames,
  prepare(o) {
    const options = {
      procs: sizeOf(diskpaxosSimulator, o, "procs"),
      disks: sizeOf(diskpaxosSimulator, o, "disks"),
      ...commonOptions(o, parseBugs, parseInvariants),
      faults: o.faults.filter((f) => faults.includes(f)),
    };
    return traceRunner(
      diskpaxosTrace,
      o,
      (seed, sink) => simulate(withDefaults({ ...options, seed }), sink),
      headerLine,
      (r) => {
        const a = r.stats.actions;
        const failed = [...r.cluster.disks.values()].filter((d) => d.failed).length;
        return (
          `events=${r.steps} decided=${r.cluster.chosen.length} aborts=${r.stats.aborts} ` +
          `timeouts=${a.StartBallot ?? 0} restarts=${a.Restart ?? 0} disksFailed=${failed}`
        );
      },
    );
  },
};
