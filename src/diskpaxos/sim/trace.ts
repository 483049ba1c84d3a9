/** How DiskPaxos runs appear in a trace (traces/FORMAT.md): the abstraction's tables and the header. */
import { type ItfValue, itfSet } from "../../core/itf.js";
import * as T from "../../sim/trace.js";
import { actions, variables } from "../abstraction.js";
import type { Action, Cluster } from "../cluster.js";
import { NOT_AN_INPUT } from "../values.js";
import type { SimResult } from "./simulate.js";

export const diskpaxosTrace = T.traceAbstraction<Cluster, Action>(variables, actions);

/** One full-state (version 1) event line, without the newline. */
export const eventLine = (i: number, action: Action | undefined, next: Cluster): string =>
  T.eventLine(diskpaxosTrace, i, action, next);

/** A trace writer for DiskPaxos runs (see TraceWriter). */
export const traceWriter = (
  write: (parts: ReadonlyArray<Buffer>) => void,
  version: T.TraceVersion = T.TRACE_VERSION,
) => new T.TraceWriter(diskpaxosTrace, write, version);

/**
 * ProcOrder as the spec takes it: the set of the order's prefixes ({{p1}, {p1, p2}} ranks p1
 * first), since a cfg file can write a set of sets but not a sequence.
 */
export const procOrderItf = (order: ReadonlyArray<string>): ItfValue =>
  itfSet(order.map((_, k) => itfSet(order.slice(0, k + 1))));

/** The spec's constants this run instantiates, in the order DiskPaxos.tla declares them. */
export function traceConstants(r: SimResult): ReadonlyArray<readonly [string, ItfValue]> {
  const { env } = r.cluster;
  return [
    ["Proc", itfSet(env.procs)],
    ["ProcOrder", procOrderItf(env.procOrder)],
    ["Disk", itfSet(env.disks)],
    ["Inputs", itfSet(r.values)],
    ["NotAnInput", NOT_AN_INPUT],
    ["BugReadBeforeWrite", env.bugs.readBeforeWrite],
    ["BugRestartWithoutPhase0", env.bugs.restartWithoutPhase0],
    ["BugStaleWrite", env.bugs.staleWrite],
    ["BugHalfIsMajority", env.bugs.halfIsMajority],
    ["BugValueByMbal", env.bugs.valueByMbal],
  ];
}

/** The header line of a finished run (without the newline). */
export const headerLine = (r: SimResult, version: T.TraceVersion = T.TRACE_VERSION): string => {
  const { env } = r.cluster;
  return T.headerLine({
    protocol: "diskpaxos",
    seed: r.options.seed,
    servers: [...env.procOrder, ...env.disks],
    constants: traceConstants(r),
    version,
  });
};
