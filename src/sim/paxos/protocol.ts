/** Multi-Paxos as `npm run sim` sees it (see SimProtocol). */
import { bugNames } from "../../paxos/types.js";
import type { SimProtocol } from "../protocol.js";
import { TRACE_VERSION } from "../trace.js";
import {
  checkNames,
  checkSizes,
  defaultOptions,
  parseBugs,
  parseChecks,
  withDefaults,
} from "./options.js";
import { simulate } from "./simulate.js";
import { headerLine, traceWriter } from "./trace.js";

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
    const options = {
      ...sizes,
      steps: o.steps,
      faults: o.faults,
      ...(o.bugs === undefined ? {} : { bugs: parseBugs(o.bugs) }),
      ...(o.maxMessages === undefined ? {} : { maxMessages: o.maxMessages }),
      ...(o.invariants === undefined ? {} : { invariants: parseChecks(o.invariants) }),
    };
    return (seed, write) => {
      const version = o.fullState === true ? 1 : TRACE_VERSION;
      const w = write === undefined ? undefined : traceWriter(write, version);
      const r = simulate(
        withDefaults({ ...options, seed }),
        w === undefined ? undefined : (i, a, c) => w.event(i, a, c),
      );
      w?.flush();
      const a = r.stats.actions;
      return {
        steps: r.steps,
        violation: r.violation,
        header: headerLine(r, version),
        summary:
          `events=${r.steps} timeouts=${a.LeaderTimeout ?? 0} maxRound=${r.stats.maxRound} ` +
          `slotsPerformed=${r.stats.maxSlot} clientRequests=${a.ClientRequest ?? 0} ` +
          `restarts=${a.RestartLeader ?? 0} drops=${a.DropMessage ?? 0}`,
      };
    };
  },
};
