/** How Mencius runs appear in a trace (traces/FORMAT.md): the abstraction's tables and the header. */
import { type ItfValue, itfSet } from "../../core/itf.js";
import * as T from "../../sim/trace.js";
import { actions, variables } from "../abstraction.js";
import type { Action, Cluster } from "../cluster.js";
import { NOOP } from "../values.js";
import type { SimResult } from "./simulate.js";

export const menciusTrace = T.traceAbstraction<Cluster, Action>(variables, actions);

/** One full-state (version 1) event line, without the newline. */
export const eventLine = (i: number, action: Action | undefined, next: Cluster): string =>
  T.eventLine(menciusTrace, i, action, next);

/** A trace writer for Mencius runs (see TraceWriter). */
export const traceWriter = (
  write: (parts: ReadonlyArray<Buffer>) => void,
  version: T.TraceVersion = T.TRACE_VERSION,
) => new T.TraceWriter(menciusTrace, write, version);

/**
 * ServerOrder as the spec takes it: the set of the order's prefixes ({{s1}, {s1, s2}} ranks s1
 * first), since a cfg file can write a set of sets but not a sequence.
 */
export const serverOrderItf = (order: ReadonlyArray<string>): ItfValue =>
  itfSet(order.map((_, k) => itfSet(order.slice(0, k + 1))));

/** The spec's constants this run instantiates, in the order Mencius.tla declares them. */
export function traceConstants(r: SimResult): ReadonlyArray<readonly [string, ItfValue]> {
  const { env } = r.cluster;
  return [
    ["Server", itfSet(env.servers)],
    ["ServerOrder", serverOrderItf(env.servers)],
    ["Value", itfSet(r.values)],
    ["NoOp", NOOP],
    ["BugRevokeWithoutRead", env.bugs.revokeWithoutRead],
    ["BugSuggestSkipped", env.bugs.suggestSkipped],
    ["BugExecuteEarly", env.bugs.executeEarly],
    ["BugNoPromise", env.bugs.noPromise],
  ];
}

/** The header line of a finished run (without the newline). */
export const headerLine = (r: SimResult, version: T.TraceVersion = T.TRACE_VERSION): string =>
  T.headerLine({
    protocol: "mencius",
    seed: r.options.seed,
    servers: r.cluster.env.servers,
    constants: traceConstants(r),
    version,
  });
