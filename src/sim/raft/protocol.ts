/** Raft as `npm run sim` sees it (see SimProtocol). */
import { type InvariantName, invariantNames } from "../../raft/invariants.js";
import { bugNames } from "../../raft/types.js";
import type { SimProtocol } from "../protocol.js";
import { TRACE_VERSION } from "../trace.js";
import { parseBugs, withDefaults } from "./options.js";
import { simulate } from "./simulate.js";
import { headerLine, traceWriter } from "./trace.js";

/** Parse "A,B" into invariant names; throws a one-line Error naming an unknown one. */
export function parseInvariants(s: string): ReadonlyArray<InvariantName> {
  const names = s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = names.find((n) => !(invariantNames as ReadonlyArray<string>).includes(n));
  if (bad !== undefined)
    throw new Error(`unknown invariant "${bad}" (expected some of ${invariantNames.join(", ")})`);
  return names as InvariantName[];
}

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
      steps: o.steps,
      ...(o.servers === undefined ? {} : { servers: o.servers }),
      faults: o.faults,
      ...(o.bugs === undefined ? {} : { bugs: parseBugs(o.bugs) }),
      ...(o.maxMessages === undefined ? {} : { maxMessages: o.maxMessages }),
      ...(o.invariants === undefined ? {} : { invariants: parseInvariants(o.invariants) }),
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
          `events=${r.steps} leaders=${a.BecomeLeader ?? 0} maxTerm=${r.stats.maxTerm} ` +
          `maxCommit=${r.stats.maxCommit} clientRequests=${a.ClientRequest ?? 0} ` +
          `restarts=${a.Restart ?? 0} drops=${a.DropMessage ?? 0}`,
      };
    };
  },
};
