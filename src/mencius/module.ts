/** Mencius as a protocol module (src/protocol.ts): what the shared tools know of it. */
import { S } from "../core/schema.js";
import type { ProtocolModule } from "../protocol.js";
import { bool, str } from "../trace/itf.js";
import { actions, variables } from "./abstraction.js";
import { menciusFixtures } from "./fixtures.js";
import { implementation } from "./implementation.js";
import { menciusModel } from "./model.js";
import { withDefaults } from "./sim/options.js";
import { menciusFaults, menciusSimulator } from "./sim/protocol.js";
import { simulate } from "./sim/simulate.js";

const ids = S.set(S.str);

export const mencius: ProtocolModule = {
  name: "mencius",
  title: "Mencius",
  spec: { module: "Mencius", model: "MCMencius" },
  trace: {
    variables,
    actions,
    constants: [
      { name: "Server", schema: ids },
      // The order's prefixes, {{"s1"}, {"s1", "s2"}}: a cfg can write a set of sets, not a sequence.
      { name: "ServerOrder", schema: S.set(ids) },
      { name: "Value", schema: ids },
      { name: "NoOp", schema: S.str, default: str("NoOp") },
      { name: "BugRevokeWithoutRead", schema: S.bool, fixed: bool(false) },
      { name: "BugSuggestSkipped", schema: S.bool, fixed: bool(false) },
      { name: "BugExecuteEarly", schema: S.bool, fixed: bool(false) },
      { name: "BugNoPromise", schema: S.bool, fixed: bool(false) },
    ],
  },
  sim: menciusSimulator,
  bugHunts: [
    { bug: "revokeWithoutRead", faults: menciusFaults, sizes: { suspect: 8 } },
    { bug: "suggestSkipped", faults: menciusFaults },
    { bug: "executeEarly", faults: menciusFaults },
    { bug: "noPromise", faults: menciusFaults, sizes: { suspect: 8 } },
  ],
  fixtures: menciusFixtures,
  model: menciusModel,
  bench: [{ label: "3 servers, one far", sizes: { servers: 3 } }],
  latencyBench: {
    about: "server si at site i, owning every N-th instance; a site's client sends to its server",
    run: (d, seed) =>
      simulate(
        withDefaults({
          seed,
          servers: d.sites,
          latency: d.latency,
          far: d.far,
          steps: d.events,
          knobs: { clientSites: d.clientSites, arrival: d.arrival, maxBacklog: d.maxBacklog },
        }),
      ).stats.latencies,
  },
  implementation,
};
