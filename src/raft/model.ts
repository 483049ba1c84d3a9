/**
 * MCRaft.tla over the implementation: its bounds (StateConstraint) and fault switches
 * (FaultRestart, FaultDropMessage, FaultDuplicateMessage) and the compaction switch
 * (MCCompactLog) around the cluster's own enabled actions, for graph equality with the spec and the explorer (src/conform).
 */
import * as O from "fp-ts/lib/Option.js";
import type {
  ImplModel,
  ModelConstants,
  ModelHook,
  Relations,
  Successor,
} from "../conform/model.js";
import { bugsOn, constants, expectRelations } from "../conform/model.js";
import { idSet } from "../core/ids.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { invariantNames, violatedInvariants } from "./invariants.js";
import { lastIndex } from "./log.js";
import { type Bugs, bugNames, noBugs, type RaftNode } from "./types.js";

/** The fault an action is, in MCRaft's Faults, if it is one. */
const faultOf: Partial<Record<Action["name"], string>> = {
  Restart: "restart",
  DropMessage: "drop",
  DuplicateMessage: "duplicate",
};

function build(c0: ModelConstants, forced: ReadonlyArray<string>, relations: Relations) {
  expectRelations(relations, {
    init: ["Init"],
    next: ["MCNext"],
    constraints: [
      "StateConstraint",
      "OneCandidateAtATime",
      "OneCandidatePerTerm",
      "OneMessagePerReceiver",
    ],
  });
  const c = constants(c0);
  const on = new Set([...bugsOn(c0), ...forced]);
  const bugs = Object.fromEntries(bugNames.map((b) => [b, on.has(b)])) as unknown as Bugs;
  const env = {
    servers: idSet(c.strings("Server")),
    initConfig: idSet(c.strings("InitConfig")),
    bugs: { ...noBugs, ...bugs },
  };
  const inputs = {
    values: c.strings("Value"),
    newConfigs: c.stringSets("NewConfigs").map(idSet),
  };
  const faults = new Set(c.strings("Faults"));
  const compaction = c.bool("Compaction");
  const maxTerm = c.int("MaxTerm");
  const maxLogLen = c.int("MaxLogLen");
  const maxMessages = c.int("MaxMessages");
  const oneCandidate = relations.constraints.includes("OneCandidateAtATime");
  const perTerm = relations.constraints.includes("OneCandidatePerTerm");
  const perReceiver = relations.constraints.includes("OneMessagePerReceiver");
  /** votedFor[i] = i: how a candidate's own vote shows. */
  const stood = (n: RaftNode) => O.exists((v) => v === n.id)(n.persistent.votedFor);
  const model: ImplModel<Cluster, Action> = {
    init: [initCluster(env)],
    next: (s) => {
      const out: Successor<Cluster, Action>[] = [];
      for (const a of enabled(s, inputs)) {
        const f = faultOf[a.name];
        if (f !== undefined && !faults.has(f)) continue;
        if (a.name === "CompactLog" && !compaction) continue;
        const r = perform(s, a);
        if (O.isSome(r)) out.push({ action: a, next: r.value.next });
      }
      return out;
    },
    // StateConstraint, and OneCandidateAtATime, OneCandidatePerTerm and OneMessagePerReceiver
    // where the cfg asks for them.
    within: (s) =>
      s.messages.size <= maxMessages &&
      [...s.nodes.values()].every(
        (n: RaftNode) =>
          n.persistent.currentTerm <= maxTerm && lastIndex(n.persistent) <= maxLogLen,
      ) &&
      (!oneCandidate ||
        [...s.nodes.values()].filter((n) => n.volatile.state === "Candidate").length <= 1) &&
      (!perTerm ||
        [...s.nodes.values()].every((i) =>
          [...s.nodes.values()].every(
            (j) =>
              !(stood(i) && stood(j) && i.persistent.currentTerm === j.persistent.currentTerm) ||
              i.id === j.id,
          ),
        )) &&
      (!perReceiver ||
        [...s.nodes.keys()].every(
          (j) => s.messages.items.filter((m) => m.message.mdest === j).length <= 1,
        )),
    violated: (s) => violatedInvariants(s, invariantNames),
  };
  return model;
}

export const raftModel: ModelHook = {
  build,
  // installOldSnapshot too, which the simulator does not hunt (src/raft/sim/protocol.ts).
  bugNames,
  cases: [
    { model: "MCRaftBugForgetVote/control", bugs: ["forgetVote"] },
    {
      // Two servers, two terms, one entry, a one-step target: each bug acts here.
      model: "MCRaftBugForgetVote/control",
      constants: {
        Server: "{s1, s2}",
        InitConfig: "{s1, s2}",
        NewConfigs: "{{s1}}",
        MaxTerm: "2",
        MaxLogLen: "1",
        Faults: "{}",
      },
      bugs: ["oldTermCommit", "noLogCheck", "oneStepReconfig"],
    },
    {
      // Compaction with two servers: a late heartbeat response sends the leader's nextIndex
      // below its snapshot, the follower gets the snapshot (after learning the commit, so
      // installing it again is the bug's step).
      model: "MCRaftSnapshot",
      constants: {
        Server: "{s1, s2}",
        InitConfig: "{s1, s2}",
        MaxMessages: "2",
        Faults: "{}",
      },
      bugs: ["installOldSnapshot"],
    },
  ],
  explore: [{ label: "MCRaftFaults (TLC's reach)", model: "MCRaftFaults" }],
};
