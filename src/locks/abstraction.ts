/**
 * The abstraction from the service's state to the spec's nineteen variables, in the order of
 * its VARIABLES line: per-client and per-lock variables are functions keyed by id, the
 * network's sets are sets of records with the spec's fields, and the resource maps each lock
 * to the [client, gen] it applied last (NoWrite: client "none", gen 0).
 */
import * as V from "../core/spec-value.js";
import { perProcess, type Variable, whole } from "../core/variables.js";
import type { ClientState, LockState, State } from "./types.js";
import { applied, idSet, sequenced, waiter } from "./values.js";

const clients = (s: State): ReadonlyMap<string, ClientState> => s.clients;
const locks = (s: State): ReadonlyMap<string, LockState> => s.master.replicated.locks;
const sessions = (s: State) => s.master.replicated.sessions;

export const variables: ReadonlyArray<Variable<State>> = [
  whole("now", (s) => s.now, V.int),
  perProcess("clock", clients, (x) => x.clock, V.int),
  perProcess("session", sessions, (x) => x.status, V.literal()),
  whole("lease", (s) => s.master.volatile.lease, V.fn(V.str, V.int)),
  perProcess("loggedLease", sessions, (x) => x.loggedLease, V.int),
  perProcess("holders", locks, (x) => x.holders, idSet),
  perProcess("mode", locks, (x) => x.mode, V.literal()),
  perProcess("gen", locks, (x) => x.gen, V.int),
  perProcess("waiting", locks, (x) => x.waiting, V.set(waiter)),
  perProcess("delayUntil", locks, (x) => x.delayUntil, V.int),
  perProcess("cs", clients, (x) => x.cs, V.literal()),
  perProcess("expiry", clients, (x) => x.expiry, V.int),
  perProcess("ka", clients, (x) => x.ka, V.literal()),
  perProcess("kaSent", clients, (x) => x.kaSent, V.int),
  perProcess("held", clients, (x) => x.held, V.fn(V.str, V.int)),
  whole("requests", (s) => s.network.requests, V.set(sequenced)),
  whole("grants", (s) => s.network.grants, V.set(sequenced)),
  whole("writes", (s) => s.network.writes, V.set(sequenced)),
  whole("resource", (s) => s.resource, V.fn(V.str, applied)),
];
