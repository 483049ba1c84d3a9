/** How Paxos runs appear in a trace (traces/FORMAT.md): the abstraction's tables and the header. */
import { type ItfValue, itfSet } from "../../core/itf.js";
import * as T from "../../sim/trace.js";
import { actions, variables } from "../abstraction.js";
import type { Action, Cluster } from "../cluster.js";
import { NIL } from "../values.js";
import type { SimResult } from "./simulate.js";

export const paxosTrace = T.traceAbstraction<Cluster, Action>(variables, actions);

/** One full-state (version 1) event line, without the newline. */
export const eventLine = (i: number, action: Action | undefined, next: Cluster): string =>
  T.eventLine(paxosTrace, i, action, next);

/** A trace writer for Paxos runs (see TraceWriter). */
export const traceWriter = (
  write: (parts: ReadonlyArray<Buffer>) => void,
  version: T.TraceVersion = T.TRACE_VERSION,
) => new T.TraceWriter(paxosTrace, write, version);

/**
 * LeaderOrder as the spec takes it: the set of the order's prefixes ({{l1}, {l1, l2}} ranks l1
 * below l2), since a cfg file can write a set of sets but not a sequence.
 */
export const leaderOrderItf = (order: ReadonlyArray<string>): ItfValue =>
  itfSet(order.map((_, k) => itfSet(order.slice(0, k + 1))));

/** The spec's constants this run instantiates, in the order MultiPaxos.tla declares them. */
export function traceConstants(r: SimResult): ReadonlyArray<readonly [string, ItfValue]> {
  const { env } = r.cluster;
  return [
    ["Acceptor", itfSet(env.acceptors)],
    ["Leader", itfSet(env.leaderOrder)],
    ["Replica", itfSet(env.replicas)],
    ["LeaderOrder", leaderOrderItf(env.leaderOrder)],
    ["Value", itfSet(r.values)],
    ["NewLeaderSets", itfSet(r.newLeaderSets.map((s) => itfSet(s)))],
    ["InitLeaders", itfSet(env.initLeaders)],
    ["Window", env.window],
    ["Nil", NIL],
    ["BugIgnorePvalues", env.bugs.ignorePvalues],
    ["BugAcceptLowerBallot", env.bugs.acceptLowerBallot],
    ["BugExecuteOutOfOrder", env.bugs.executeOutOfOrder],
    ["BugMinorityAdoption", env.bugs.minorityAdoption],
    ["BugP2bForAnyCommander", env.bugs.p2bForAnyCommander],
    ["BugKeepLowerPvalue", env.bugs.keepLowerPvalue],
  ];
}

/** The header line of a finished run (without the newline). */
export const headerLine = (r: SimResult, version: T.TraceVersion = T.TRACE_VERSION): string => {
  const { env } = r.cluster;
  return T.headerLine({
    protocol: "paxos",
    seed: r.options.seed,
    servers: [...env.replicas, ...env.leaderOrder, ...env.acceptors],
    constants: traceConstants(r),
    version,
  });
};
