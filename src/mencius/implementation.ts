/**
 * Mencius's cluster as a transition system for replaying the spec's counterexamples
 * (src/trace/replay.ts): the spec's constants give the servers in their order and the client
 * commands that may reach them.
 */
import * as O from "fp-ts/lib/Option.js";
import type { Implementation } from "../protocol.js";
import { bugSwitches, orderOf, stringsOf } from "../trace/replay.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { type Bugs, bugNames } from "./types.js";

export const implementation: Implementation = {
  start(constants, bugs) {
    const env = {
      servers: orderOf(constants.ServerOrder, "ServerOrder"),
      bugs: bugSwitches(bugNames, bugs) as Bugs,
    };
    const inputs = { values: stringsOf(constants.Value, "Value") };
    return {
      initial: initCluster(env),
      enabled: (c: Cluster) => enabled(c, inputs),
      perform: (c: Cluster, a: Action) => O.map((s: { next: Cluster }) => s.next)(perform(c, a)),
    };
  },
};
