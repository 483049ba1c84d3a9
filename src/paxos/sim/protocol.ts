/** Multi-Paxos as `npm run sim` sees it (see SimProtocol). */
import { bugNames } from "../../paxos/types.js";
import { commonOptions } from "../options.js";
import type { SimProtocol } from "../protocol.js";
import { traceRunner } from "../trace.js";
import {
  checkNames,
  checkSizes,
  defaultOptions,
  parseBugs,
  parseChecks,
  withDefaults,
} from "./options.js";
import { simulate } from "./simulate.js";
import { headerLine, paxosTrace } from "./trace.js";

export const paxosProtocol: SimProtocol = {
  name: "paxos",
  bugNames,
  invariantNames: checkNames,
  prepare(o) {
    if (o.servers !== undefined)
      throw new Error(
        "--servers does not apply to paxos; size it with --acceptors, --leaders and --replicas",
      );
    const sizes = {
      acceptors: o.acceptors ?? defaultOptions.acceptors,
      leaders: o.leaders ?? defaultOptions.leaders,
      replicas: o.replicas ?? defaultOptions.replicas,
      window: o.window ?? defaultOptions.window,
    };
    checkSizes(sizes);
    const options = { ...sizes, ...commonOptions(o, parseBugs, parseChecks) };
    return traceRunner(
      paxosTrace,
      o.fullState,
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
