/** Mencius as `npm run sim` sees it (see SimProtocol). */
import type { Fault } from "../../sim/faults.js";
import { commonOptions } from "../../sim/options.js";
import { type SimProtocol, type SizeFlag, sizeOf } from "../../sim/protocol.js";
import { traceRunner } from "../../sim/trace.js";
import { bugNames } from "../types.js";
import { checkNames, defaultOptions, parseBugs, parseChecks, withDefaults } from "./options.js";
import { simulate } from "./simulate.js";
import { headerLine, menciusTrace } from "./trace.js";

type Sized = "servers" | "latency" | "far" | "suspect";

const size = (name: Sized, description: string, min: number, max: number): SizeFlag => ({
  name,
  description,
  default: defaultOptions[name],
  min,
  max,
});

/** Mencius has no reconfiguration; every other fault applies. */
export const menciusFaults: ReadonlyArray<Fault> = ["drop", "dup", "reorder", "partition", "crash"];

export const menciusSimulator: SimProtocol = {
  sizes: [
    size("servers", "number of servers (the spec's Server), in round-robin order", 2, 9),
    size("latency", "ticks on a link between two near sites", 1, 1000),
    size("far", "ticks on a link of the last server, the far one", 1, 10000),
    size(
      "suspect",
      "ticks a server waits on a blocking instance before revoking it (by default 30, more with more servers or slower links)",
      1,
      100000,
    ),
  ],
  faults: menciusFaults,
  bugNames,
  invariantNames: checkNames,
  prepare(o) {
    const options = {
      servers: sizeOf(menciusSimulator, o, "servers"),
      latency: sizeOf(menciusSimulator, o, "latency"),
      far: sizeOf(menciusSimulator, o, "far"),
      // Validated always, passed only when given: its default follows the latencies.
      ...(o.sizes?.suspect === undefined
        ? {}
        : { suspect: sizeOf(menciusSimulator, o, "suspect") }),
      ...commonOptions(o, parseBugs, parseChecks),
    };
    return traceRunner(
      menciusTrace,
      o,
      (seed, sink) => simulate(withDefaults({ ...options, seed }), sink),
      headerLine,
      (r) => {
        const a = r.stats.actions;
        return (
          `events=${r.steps} executed=${r.stats.executed} instances=${r.stats.executedUpTo} ` +
          `suggests=${a.Suggest ?? 0} skips=${a.Skip ?? 0} revokes=${a.Revoke ?? 0} ` +
          `restarts=${a.Restart ?? 0} drops=${a.DropMessage ?? 0}`
        );
      },
    );
  },
};
