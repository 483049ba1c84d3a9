/** Raft as a protocol module (src/protocol.ts): what the shared tools know of it. */

import { S } from "../core/schema.js";
import type { ProtocolModule } from "../protocol.js";
import { faultNames } from "../sim/faults.js";
import type { TlaValue, ValueFormatter } from "../tla/value.js";
import { bool, set, str } from "../trace/itf.js";
import { actions, variables } from "./abstraction.js";
import { raftFixtures } from "./fixtures.js";
import { implementation } from "./implementation.js";
import { raftModel } from "./model.js";
import { raftService } from "./service.js";
import { raftBenchSections } from "./sim/bench.js";
import { raftSimulator } from "./sim/protocol.js";

const servers = S.set(S.str);

/**
 * Counterexamples in Raft's own shorthand: a log entry `term:value` or `term:C{old}` (joint:
 * `term:C{old},{new}`); messages `src→dest Type t=term …` with (term,index) pairs for the last
 * and previous log entry: `s1→s3 RequestVoteRequest t=1 last=(1,2)`.
 */
const formatValue: ValueFormatter = (f, show) => {
  const text = (v: TlaValue | undefined) => (v === undefined ? "?" : show(v));
  const type = f.mtype?.k === "str" ? f.mtype.v : undefined;
  if (type === undefined) {
    if (!f.term || !f.value || !f.old || !f.new || Object.keys(f).length !== 4) return undefined;
    if (f.value.k !== "model" || f.value.v !== "Nil") return `${text(f.term)}:${text(f.value)}`;
    const same = text(f.old) === text(f.new);
    return `${text(f.term)}:C${text(f.old)}${same ? "" : `,${text(f.new)}`}`;
  }
  const head = `${text(f.msource)}→${text(f.mdest)} ${type} t=${text(f.mterm)}`;
  const flag = (v: TlaValue | undefined, yes: string, no: string) =>
    v?.k === "bool" ? (v.v ? yes : no) : text(v);
  switch (type) {
    case "RequestVoteRequest":
      return `${head} last=(${text(f.mlastLogTerm)},${text(f.mlastLogIndex)})`;
    case "RequestVoteResponse":
      return `${head} ${flag(f.mvoteGranted, "granted", "denied")}`;
    case "AppendEntriesRequest":
      return `${head} prev=(${text(f.mprevLogTerm)},${text(f.mprevLogIndex)}) entries=${text(f.mentries)} commit=${text(f.mcommitIndex)}`;
    case "AppendEntriesResponse":
      return `${head} ${flag(f.msuccess, "ok", "fail")} match=${text(f.mmatchIndex)}`;
    default:
      return undefined;
  }
};

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
      { name: "BugInstallOldSnapshot", schema: S.bool, fixed: bool(false) },
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
  formatValue,
  model: raftModel,
  implementation,
  service: raftService,
  benchSections: raftBenchSections,
};
