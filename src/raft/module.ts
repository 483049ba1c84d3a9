/** Raft as a protocol module (src/protocol.ts): what the shared tools know of it. */

import { S } from "../core/schema.js";
import type { ProtocolModule } from "../protocol.js";
import { faultNames } from "../sim/faults.js";
import { bool, set, str } from "../trace/itf.js";
import { actions, variables } from "./abstraction.js";
import { raftFixtures } from "./fixtures.js";
import { raftSimulator } from "./sim/protocol.js";

const servers = S.set(S.str);

export const raft: ProtocolModule = {
  name: "raft",
  title: "Raft",
  spec: { module: "Raft", model: "MCRaft" },
  trace: {
    variables,
    actions,
    constants: [
      { name: "Server", schema: servers },
      { name: "Value", schema: servers },
      { name: "InitConfig", schema: servers },
      { name: "NewConfigs", schema: S.set(servers), default: set([]) },
      { name: "Nil", schema: S.str, default: str("Nil") },
      { name: "BugOldTermCommit", schema: S.bool, fixed: bool(false) },
      { name: "BugNoLogCheck", schema: S.bool, fixed: bool(false) },
      { name: "BugOneStepReconfig", schema: S.bool, fixed: bool(false) },
      { name: "BugForgetVote", schema: S.bool, fixed: bool(false) },
    ],
  },
  sim: raftSimulator,
  bugHunts: [
    { bug: "oldTermCommit", faults: ["crash", "partition", "drop", "dup", "reorder"] },
    { bug: "noLogCheck", faults: ["crash", "partition", "drop", "dup", "reorder"] },
    { bug: "oneStepReconfig", faults: faultNames, sizes: { servers: 4 } },
    { bug: "forgetVote", faults: ["crash", "partition", "drop", "dup", "reorder"] },
  ],
  fixtures: raftFixtures,
  bench: [{ label: "3 servers", sizes: { servers: 3 } }],
};
