/** Multi-Paxos as `npm run sim` sees it (see SimProtocol). */
import { faultNames } from "../../sim/faults.js";
import { commonOptions } from "../../sim/options.js";
import { type SimProtocol, type SizeFlag, sizeOf } from "../../sim/protocol.js";
import { traceRunner } from "../../sim/trace.js";
import { bugNames } from "../types.js";
import { checkNames, defaultOptions, parseBugs, parseChecks, withDefaults } from "./options.js";
import { simulate } from "./simulate.js";
import { headerLine, paxosTrace } from "./trace.js";

const size = (name: string, description: string, max = 9): SizeFlag => ({
  name,
  description,
  default: defaultOptions[name as "acceptors" | "leaders" | "replicas" | "window"],
  min: 1,
  max,
});

/**
 * A flag of the opt-in wide-area time model (SimOptions.sites): giving either switches it on,
 * the other then takes its default; given neither, runs have no time model.
 */
const ticks = (name: string, description: string, byDefault: number, max: number): SizeFlag => ({
  name,
  description,
  default: byDefault,
  min: 1,
  max,
});

/** The median of some numbers (lower middle), or "-" for none. */
function median(xs: ReadonlyArray<number>): string {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? "-" : String(s[Math.ceil(s.length / 2) - 1]);
}

export const paxosSimulator: SimProtocol = {
  sizes: [
    size("acceptors", "number of acceptors (the spec's Acceptor)"),
    size("leaders", "number of leaders (Leader)"),
    size("replicas", "number of replicas (Replica)"),
    size("window", "PMMC's WINDOW, slots proposed ahead (Window)", 100),
    ticks(
      "latency",
      "ticks on a link between two sites; given (or --far), runs on sites: site k hosts rk, ak and lk, and a client per site sends to its replica every 4-12 link latencies (no time model unless given)",
      50,
      1000,
    ),
    ticks(
      "far",
      "ticks on a link of the last site, the far one (no time model unless it or --latency is given)",
      250,
      10000,
    ),
  ],
  faults: faultNames,
  bugNames,
  invariantNames: checkNames,
  prepare(o) {
    const options = {
      acceptors: sizeOf(paxosSimulator, o, "acceptors"),
      leaders: sizeOf(paxosSimulator, o, "leaders"),
      replicas: sizeOf(paxosSimulator, o, "replicas"),
      window: sizeOf(paxosSimulator, o, "window"),
      ...commonOptions(o, parseBugs, parseChecks),
    };
    // Validated always; either given switches the time model on, with clients at every site.
    const latency = sizeOf(paxosSimulator, o, "latency");
    const far = sizeOf(paxosSimulator, o, "far");
    const sites =
      o.sizes?.latency === undefined && o.sizes?.far === undefined
        ? {}
        : {
            sites: {
              latency,
              far,
              clientSites: Math.max(options.acceptors, options.leaders, options.replicas),
              arrival: [4 * latency, 12 * latency] as const,
            },
          };
    return traceRunner(
      paxosTrace,
      o,
      (seed, sink) => simulate(withDefaults({ ...options, ...sites, seed }), sink),
      headerLine,
      (r) => {
        const a = r.stats.actions;
        return (
          `events=${r.steps} timeouts=${a.LeaderTimeout ?? 0} maxRound=${r.stats.maxRound} ` +
          `slotsPerformed=${r.stats.maxSlot} clientRequests=${a.ClientRequest ?? 0} ` +
          `restarts=${a.RestartLeader ?? 0} drops=${a.DropMessage ?? 0}` +
          (r.options.sites === undefined ? "" : ` medianLatency=${median(r.stats.latencies)}`)
        );
      },
    );
  },
};
