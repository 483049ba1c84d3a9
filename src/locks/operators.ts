/**
 * The spec's helper operators (Locks.tla, "Helpers"), over a state. Each reads what its TLA+
 * namesake reads, so a guard written with them reads like the spec's.
 */

import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import { mapWith } from "../core/maps.js";
import type {
  ClientId,
  ClientState,
  Env,
  LockId,
  LockMode,
  LockState,
  LoggedSession,
  State,
} from "./types.js";

/** Max(a, b). */
export const max = (a: number, b: number): number => Math.max(a, b);

/** Margin: how much shorter than the master's a client takes its lease to be. */
export const margin = (env: Env): number => (env.bugs.noDriftMargin ? 0 : 2 * env.drift);

/** A part of the state every well-formed state has for each id of the constants. */
const part = <K, V>(m: ReadonlyMap<K, V>, k: K, what: string): V =>
  pipe(
    O.fromNullable(m.get(k)),
    O.getOrElse((): V => {
      throw new Error(`no ${what} ${String(k)} in the state`);
    }),
  );

export const clientOf = (s: State, c: ClientId): ClientState => part(s.clients, c, "client");
export const lockOf = (s: State, l: LockId): LockState =>
  part(s.master.replicated.locks, l, "lock");
export const sessionOf = (s: State, c: ClientId): LoggedSession =>
  part(s.master.replicated.sessions, c, "session");
export const leaseOf = (s: State, c: ClientId): number =>
  part(s.master.volatile.lease, c, "lease of");
/** held[c][l]. */
export const heldOf = (x: ClientState, l: LockId): number => x.held.get(l) ?? 0;

/** SessionValid(c): the client's lease has not passed on its own clock. */
export const sessionValid = (s: State, c: ClientId): boolean => {
  const x = clientOf(s, c);
  return x.cs === "live" && x.clock < x.expiry;
};

/** Believes(c, l): c believes it holds l (under generation held[c][l]). */
export const believes = (s: State, c: ClientId, l: LockId): boolean =>
  sessionValid(s, c) && heldOf(clientOf(s, c), l) > 0;

/** Compatible(l, m): l is free, or shared and asked shared. */
export const compatible = (s: State, l: LockId, m: LockMode): boolean => {
  const x = lockOf(s, l);
  return x.holders.length === 0 || (x.mode === "shared" && m === "shared");
};

/** Current(c, l, g): the service would accept sequencer (l, g) from c right now. */
export const current = (s: State, c: string, l: LockId, g: number): boolean => {
  const x = lockOf(s, l);
  return RA.elem({ equals: (a: string, b: string) => a === b })(c)(x.holders) && x.gen === g;
};

/** The session is live on the service and its lease has not passed (master side). */
export const liveOnMaster = (s: State, c: ClientId): boolean =>
  sessionOf(s, c).status === "live" && s.now < leaseOf(s, c);

/** s with client c replaced by f of it. */
export const withClient = (s: State, c: ClientId, f: (x: ClientState) => ClientState): State => ({
  ...s,
  clients: mapWith(s.clients, c, f(clientOf(s, c))),
});

/** s with lock l replaced by f of it. */
export const withLock = (s: State, l: LockId, f: (x: LockState) => LockState): State => ({
  ...s,
  master: {
    ...s.master,
    replicated: {
      ...s.master.replicated,
      locks: mapWith(s.master.replicated.locks, l, f(lockOf(s, l))),
    },
  },
});

/** An action's guard and effect: Some(next) when the guard holds. */
export const when = (guard: boolean, next: () => State): O.Option<State> =>
  guard ? O.some(next()) : O.none;

/** A client with held[c][l] set to g. */
export const mapWithHeld = (x: ClientState, l: LockId, g: number): ClientState => ({
  ...x,
  held: mapWith(x.held, l, g),
});
