/** Multi-Paxos as a protocol module (src/protocol.ts): what the shared tools know of it. */
import { S } from "../core/schema.js";
import type { ProtocolModule } from "../protocol.js";
import { faultNames } from "../sim/faults.js";
import type { TlaValue, ValueFormatter } from "../tla/value.js";
import { bool, int, set, str } from "../trace/itf.js";
import { actions, variables } from "./abstraction.js";
import { paxosFixtures } from "./fixtures.js";
import { implementation } from "./implementation.js";
import { paxosModel } from "./model.js";
import { paxosBenchSections } from "./sim/bench.js";
import { withDefaults } from "./sim/options.js";
import { paxosSimulator } from "./sim/protocol.js";
import { simulate } from "./sim/simulate.js";
import { bugNames } from "./types.js";

const ids = S.set(S.str);

/**
 * Counterexamples in PMMC's shorthand: a ballot `(round,leader)`, a command its operation or
 * `reconfig{leaders}`, a slot entry `slot:cmd`, a pvalue `slot:cmd@ballot`, a commander
 * `leader slot:cmd@ballot wait{acceptors}`; messages print the generic way with these inside.
 */
const formatValue: ValueFormatter = (f, show) => {
  const keys = Object.keys(f).sort().join(",");
  const text = (v: TlaValue | undefined) => (v === undefined ? "?" : show(v));
  switch (keys) {
    case "leader,round":
      return `(${text(f.round)},${text(f.leader)})`;
    case "leaders,op":
      return f.op?.k === "model" && f.op.v === "Nil" ? `reconfig${text(f.leaders)}` : text(f.op);
    case "cmd,slot":
      return `${text(f.slot)}:${text(f.cmd)}`;
    case "ballot,cmd,slot":
      return `${text(f.slot)}:${text(f.cmd)}@${text(f.ballot)}`;
    case "ballot,cmd,leader,slot,waitFor":
      return `${text(f.leader)} ${text(f.slot)}:${text(f.cmd)}@${text(f.ballot)} wait${text(f.waitFor)}`;
    default:
      return undefined;
  }
};

export const paxos: ProtocolModule = {
  name: "paxos",
  title: "Multi-Paxos",
  spec: { module: "MultiPaxos", model: "MCMultiPaxos" },
  trace: {
    variables,
    actions,
    constants: [
      { name: "Acceptor", schema: ids },
      { name: "Leader", schema: ids },
      { name: "Replica", schema: ids },
      // The order's prefixes, {{"l1"}, {"l1", "l2"}}: a cfg can write a set of sets, not a sequence.
      { name: "LeaderOrder", schema: S.set(ids) },
      { name: "Value", schema: ids },
      { name: "NewLeaderSets", schema: S.set(ids), default: set([]) },
      { name: "InitLeaders", schema: ids },
      { name: "Window", schema: S.int, default: int(1) },
      { name: "Nil", schema: S.str, default: str("Nil") },
      { name: "BugIgnorePvalues", schema: S.bool, fixed: bool(false) },
      { name: "BugAcceptLowerBallot", schema: S.bool, fixed: bool(false) },
      { name: "BugExecuteOutOfOrder", schema: S.bool, fixed: bool(false) },
      { name: "BugMinorityAdoption", schema: S.bool, fixed: bool(false) },
      { name: "BugP2bForAnyCommander", schema: S.bool, fixed: bool(false) },
      { name: "BugKeepLowerPvalue", schema: S.bool, fixed: bool(false) },
      { name: "BugCollectUnexecuted", schema: S.bool, fixed: bool(false) },
    ],
  },
  sim: paxosSimulator,
  // With the leaders' timers in the protocol, a leader rarely abandons a ballot whose P2a are
  // still in flight at the default sizes (seed 81 is the first to expose BugP2bForAnyCommander);
  // four leaders duel more, and a Window of 1 with three replicas keeps P2a waiting: seed 1.
  bugHunts: bugNames.map((bug) =>
    bug === "p2bForAnyCommander"
      ? { bug, faults: faultNames, sizes: { leaders: 4, replicas: 3, window: 1 }, steps: 600 }
      : { bug, faults: faultNames },
  ),
  fixtures: paxosFixtures,
  model: paxosModel,
  bench: [
    {
      label: "3 acceptors, 2 leaders, 2 replicas",
      sizes: { acceptors: 3, leaders: 2, replicas: 2 },
    },
  ],
  latencyBench: {
    about:
      "replica ri and acceptor ai at site i, leaders l1 and l2 at sites 1 and 2 (l1 leads " +
      "throughout), window = the clients' backlog; a site's client sends to its replica",
    run: (d, seed) =>
      simulate(
        withDefaults({
          seed,
          acceptors: d.sites,
          replicas: d.sites,
          leaders: Math.min(2, d.sites),
          window: d.maxBacklog,
          steps: d.events,
          sites: {
            latency: d.latency,
            far: d.far,
            clientSites: d.clientSites,
            arrival: d.arrival,
          },
          knobs: { maxBacklog: d.maxBacklog },
        }),
      ).stats.latencies,
  },
  benchSections: paxosBenchSections,
  formatValue,
  implementation,
};
