/**
 * Multi-Paxos's cluster as a transition system for replaying the spec's counterexamples
 * (src/trace/replay.ts): the spec's constants give the environment and the commands clients
 * may request (Commands: Op(v) for each Value, Reconfig(S) for each of NewLeaderSets).
 */
import * as O from "fp-ts/lib/Option.js";
import type { Implementation } from "../protocol.js";
import { bugSwitches, intOf, orderOf, stringSetsOf, stringsOf } from "../trace/replay.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { clientCommand, reconfigCommand } from "./operators.js";
import { type Bugs, bugNames } from "./types.js";

export const implementation: Implementation = {
  start(constants, bugs) {
    const env = {
      acceptors: stringsOf(constants.Acceptor, "Acceptor"),
      leaderOrder: orderOf(constants.LeaderOrder, "LeaderOrder"),
      replicas: stringsOf(constants.Replica, "Replica"),
      initLeaders: stringsOf(constants.InitLeaders, "InitLeaders"),
      window: intOf(constants.Window, "Window"),
      bugs: bugSwitches(bugNames, bugs) as Bugs,
    };
    const inputs = {
      commands: [
        ...stringsOf(constants.Value, "Value").map(clientCommand),
        ...stringSetsOf(constants.NewLeaderSets, "NewLeaderSets").map(reconfigCommand),
      ],
    };
    return {
      initial: initCluster(env),
      enabled: (c: Cluster) => enabled(c, inputs),
      perform: (c: Cluster, a: Action) => O.map((s: { next: Cluster }) => s.next)(perform(c, a)),
    };
  },
};
