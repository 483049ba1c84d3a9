/**
 * Raft's cluster as a transition system for replaying the spec's counterexamples
 * (src/trace/replay.ts): the spec's constants give the environment and the inputs, the
 * cluster's own `enabled` and `perform` the steps.
 */
import * as O from "fp-ts/lib/Option.js";
import type { Implementation } from "../protocol.js";
import { bugSwitches, stringSetsOf, stringsOf } from "../trace/replay.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { type Bugs, bugNames } from "./types.js";

export const implementation: Implementation = {
  start(constants, bugs) {
    const env = {
      servers: stringsOf(constants.Server, "Server"),
      initConfig: stringsOf(constants.InitConfig, "InitConfig"),
      bugs: bugSwitches(bugNames, bugs) as Bugs,
    };
    const inputs = {
      values: stringsOf(constants.Value, "Value"),
      newConfigs: stringSetsOf(constants.NewConfigs, "NewConfigs"),
    };
    return {
      initial: initCluster(env),
      enabled: (c: Cluster) => enabled(c, inputs),
      perform: (c: Cluster, a: Action) => O.map((s: { next: Cluster }) => s.next)(perform(c, a)),
    };
  },
};
