/**
 * What trace validation needs to know about a protocol: its spec directory and module, the
 * harness module, the spec variables and their types, the actions a trace may name with their
 * parameters, and how a trace header's constants become the harness's constants.
 */
import { fileURLToPath } from "node:url";
import { bool, set, str, type Value } from "./itf.js";
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

export const protocols: Readonly<Record<string, Protocol>> = { raft };

/** The action every trace starts with (event 0, the initial state). */
export const INIT_ACTION = "Init";
