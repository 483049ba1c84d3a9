/** Raft as `npm run sim` sees it (see SimProtocol). */
import { invariantNames } from "../../raft/invariants.js";
import { bugNames } from "../../raft/types.js";
import { commonOptions } from "../options.js";
import type { SimProtocol } from "../protocol.js";
import { traceRunner } from "../trace.js";
import { parseBugs, parseInvariants, withDefaults } from "./options.js";
import { simulate } from "./simulate.js";
import { headerLine, raftTrace } from "./trace.js";

export { parseInvariants } from "./options.js";

export const raftProtocol: SimProtocol = {
  name: "raft",
  bugNames,
  invariantNames,
  prepare(o) {
    const paxosOnly = (["acceptors", "leaders", "replicas", "window"] as const).find(
      (k) => o[k] !== undefined,
    );
    if (paxosOnly !== undefined)
      throw new Error(`--${paxosOnly} does not apply to raft; size it with --servers`);
    const options = {
      ...(o.servers === undefined ? {} : { servers: o.servers }),
      ...commonOptions(o, parseBugs, parseInvariants),
    };
    return traceRunner(
      raftTrace,
      o.fullState,
      (seed, sink) => simulate(withDefaults({ ...options, seed }), sink),
      headerLine,
      (r) => {
        const a = r.stats.actions;
        return (
          `events=${r.steps} leaders=${a.BecomeLeader ?? 0} maxTerm=${r.stats.maxTerm} ` +
          `maxCommit=${r.stats.maxCommit} clientRequests=${a.ClientRequest ?? 0} ` +
          `restarts=${a.Restart ?? 0} drops=${a.DropMessage ?? 0}`
        );
      },
    );
  },
};
