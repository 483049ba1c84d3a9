/** How Raft runs appear in a trace (traces/FORMAT.md): the abstraction's tables and the header. */
import { type ItfValue, itfSet } from "../../core/itf.js";
import * as T from "../../sim/trace.js";
import { actions, variables } from "../abstraction.js";
import type { Action, Cluster } from "../cluster.js";
import { NIL } from "../values.js";
import type { SimResult } from "./simulate.js";

export const raftTrace = T.traceAbstraction<Cluster, Action>(variables, actions);

/** One full-state (version 1) event line, without the newline. */
export const eventLine = (i: number, action: Action | undefined, next: Cluster): string =>
  T.eventLine(raftTrace, i, action, next);

/** A trace writer for Raft runs (see TraceWriter). */
export const traceWriter = (
  write: (parts: ReadonlyArray<Buffer>) => void,
  version: T.TraceVersion = T.TRACE_VERSION,
) => new T.TraceWriter(raftTrace, write, version);

/** The spec's constants this run instantiates, in the order Raft.tla declares them. */
export function traceConstants(r: SimResult): ReadonlyArray<readonly [string, ItfValue]> {
  const { env } = r.cluster;
  return [
    ["Server", itfSet(env.servers)],
    ["Value", itfSet(r.values)],
    ["InitConfig", itfSet(env.initConfig)],
    ["NewConfigs", itfSet(r.newConfigs.map((s) => itfSet(s)))],
    ["Nil", NIL],
    ["BugOldTermCommit", env.bugs.oldTermCommit],
    ["BugNoLogCheck", env.bugs.noLogCheck],
    ["BugOneStepReconfig", env.bugs.oneStepReconfig],
    ["BugForgetVote", env.bugs.forgetVote],
  ];
}

/** The header line of a finished run (without the newline). */
export const headerLine = (r: SimResult, version: T.TraceVersion = T.TRACE_VERSION): string =>
  T.headerLine({
    protocol: "raft",
    seed: r.options.seed,
    servers: r.cluster.env.servers,
    constants: traceConstants(r),
    version,
  });
