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

export const paxosSimulator: SimProtocol = {
  sizes: [
    size("acceptors", "number of acceptors (the spec's Acceptor)"),
    size("leaders", "number of leaders (Leader)"),
    size("replicas", "number of replicas (Replica)"),
    size("window", "PMMC's WINDOW, slots proposed ahead (Window)", 100),
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
    return traceRunner(
      paxosTrace,
      o,
      (seed, sink) => simulate(withDefaults({ ...options, seed }), sink),
      headerLine,
      (r) => {
        const a = r.stats.actions;
        return (
          `events=${r.steps} timeouts=${a.LeaderTimeout ?? 0} maxRound=${r.stats.maxRound} ` +
          `slotsPerformed=${r.stats.maxSlot} clientRequests=${a.ClientRequest ?? 0} ` +
          `restarts=${a.RestartLeader ?? 0} drops=${a.DropMessage ?? 0}`
        );
      },
    );
  },
};
