/**
 * What trace validation needs to know about a protocol: its spec directory and module, the
 * harness module, the spec variables and their types, the actions a trace may name with their
 * parameters, and how a trace header's constants become the harness's constants.
 */
import { fileURLToPath } from "node:url";
import { bool, int, set, str, type Value } from "./itf.js";
import { S, type Schema } from "./schema.js";

export interface ParamSpec {
  name: string;
  schema: Schema;
}

export interface ConstantSpec {
  name: string;
  schema: Schema;
  /** Used when the header does not give the constant. */
  default?: Value;
  /** Always this value, whatever the header says (e.g. the Bug* switches: validation is
   * against the correct spec). */
  fixed?: Value;
}

export interface Protocol {
  name: string;
  /** Directory of the spec's modules. */
  specDir: string;
  /** The spec module and the trace-validation harness module in specDir. */
  module: string;
  harness: string;
  variables: readonly { name: string; schema: Schema }[];
  /** Action name → parameters, in the order the spec operator takes them. */
  actions: Readonly<Record<string, readonly ParamSpec[]>>;
  constants: readonly ConstantSpec[];
}

const specDir = (name: string) => fileURLToPath(new URL(`../../spec/${name}`, import.meta.url));

const server = S.str;
const servers = S.set(S.str);
const entry = S.rec({ term: S.int, value: S.str, old: servers, new: servers });
const message = S.oneOf(
  S.rec({
    mtype: S.str,
    mterm: S.int,
    mlastLogTerm: S.int,
    mlastLogIndex: S.int,
    msource: server,
    mdest: server,
  }),
  S.rec({ mtype: S.str, mterm: S.int, mvoteGranted: S.bool, msource: server, mdest: server }),
  S.rec({
    mtype: S.str,
    mterm: S.int,
    mprevLogIndex: S.int,
    mprevLogTerm: S.int,
    mentries: S.seq(entry),
    mcommitIndex: S.int,
    msource: server,
    mdest: server,
  }),
  S.rec({
    mtype: S.str,
    mterm: S.int,
    msuccess: S.bool,
    mmatchIndex: S.int,
    msource: server,
    mdest: server,
  }),
);

const i: ParamSpec = { name: "i", schema: server };
const j: ParamSpec = { name: "j", schema: server };
const m: ParamSpec = { name: "m", schema: message };

export const raft: Protocol = {
  name: "raft",
  specDir: specDir("raft"),
  module: "Raft",
  harness: "TraceRaft",
  variables: [
    { name: "currentTerm", schema: S.fun(server, S.int) },
    { name: "state", schema: S.fun(server, S.str) },
    { name: "votedFor", schema: S.fun(server, S.str) },
    { name: "log", schema: S.fun(server, S.seq(entry)) },
    { name: "commitIndex", schema: S.fun(server, S.int) },
    { name: "votesGranted", schema: S.fun(server, servers) },
    { name: "nextIndex", schema: S.fun(server, S.fun(server, S.int)) },
    { name: "matchIndex", schema: S.fun(server, S.fun(server, S.int)) },
    { name: "messages", schema: S.fun(message, S.int) },
  ],
  actions: {
    Restart: [i],
    Timeout: [i],
    RequestVote: [i, j],
    BecomeLeader: [i],
    ClientRequest: [i, { name: "v", schema: S.str }],
    Reconfigure: [i, { name: "newSet", schema: servers }],
    AppendNewConfig: [i],
    AppendEntries: [i, j],
    AdvanceCommitIndex: [i],
    UpdateTerm: [m],
    HandleRequestVoteRequest: [m],
    HandleRequestVoteResponse: [m],
    HandleAppendEntriesRequest: [m],
    HandleAppendEntriesResponse: [m],
    DropStaleResponse: [m],
    DropMessage: [m],
    DuplicateMessage: [m],
  },
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
};

// Multi-Paxos (spec/paxos/MultiPaxos.tla): ids are strings ("a1", "l1", "r1"), Nil is "Nil".
const id = S.str;
const ids = S.set(S.str);
const ballot = S.rec({ round: S.int, leader: id });
const command = S.rec({ op: S.str, leaders: ids });
const slotEntry = S.rec({ slot: S.int, cmd: command });
const pvalue = S.rec({ ballot, slot: S.int, cmd: command });
const paxosMessage = S.oneOf(
  S.rec({ mtype: S.str, mslot: S.int, mcmd: command, msource: id, mdest: id }),
  S.rec({ mtype: S.str, mballot: ballot, msource: id, mdest: id }),
  S.rec({ mtype: S.str, mballot: ballot, maccepted: S.set(pvalue), msource: id, mdest: id }),
  S.rec({ mtype: S.str, mballot: ballot, mslot: S.int, mcmd: command, msource: id, mdest: id }),
  S.rec({ mtype: S.str, mballot: ballot, mslot: S.int, msource: id, mdest: id }),
);
const commander = S.rec({ leader: id, ballot, slot: S.int, cmd: command, waitFor: ids });

const r: ParamSpec = { name: "r", schema: id };
const l: ParamSpec = { name: "l", schema: id };
const a: ParamSpec = { name: "a", schema: id };
const c: ParamSpec = { name: "c", schema: command };
const pm: ParamSpec = { name: "m", schema: paxosMessage };

export const paxos: Protocol = {
  name: "paxos",
  specDir: specDir("paxos"),
  module: "MultiPaxos",
  harness: "TraceMultiPaxos",
  variables: [
    { name: "slotIn", schema: S.fun(id, S.int) },
    { name: "slotOut", schema: S.fun(id, S.int) },
    { name: "requests", schema: S.fun(id, S.set(command)) },
    { name: "proposals", schema: S.fun(id, S.set(slotEntry)) },
    { name: "decisions", schema: S.fun(id, S.set(slotEntry)) },
    { name: "replicaLeaders", schema: S.fun(id, ids) },
    { name: "executed", schema: S.fun(id, S.seq(command)) },
    { name: "ballotNum", schema: S.fun(id, ballot) },
    { name: "active", schema: S.fun(id, S.bool) },
    { name: "leaderProposals", schema: S.fun(id, S.set(slotEntry)) },
    { name: "scouting", schema: S.fun(id, S.bool) },
    { name: "scoutWaitFor", schema: S.fun(id, ids) },
    { name: "scoutPvalues", schema: S.fun(id, S.set(pvalue)) },
    { name: "commanders", schema: S.set(commander) },
    { name: "acceptorBallot", schema: S.fun(id, ballot) },
    { name: "accepted", schema: S.fun(id, S.set(pvalue)) },
    { name: "messages", schema: S.fun(paxosMessage, S.int) },
  ],
  actions: {
    ClientRequest: [r, c],
    Propose: [r, c],
    HandleDecision: [r, pm],
    Perform: [r],
    LeaderTimeout: [l],
    HandlePropose: [l, pm],
    HandleP1b: [l, pm],
    HandleP2b: [l, pm],
    RestartLeader: [l],
    HandleP1a: [a, pm],
    HandleP2a: [a, pm],
    DropMessage: [pm],
    DuplicateMessage: [pm],
  },
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
  ],
};

export const protocols: Readonly<Record<string, Protocol>> = { raft, paxos };

/** The action every trace starts with (event 0, the initial state). */
export const INIT_ACTION = "Init";
