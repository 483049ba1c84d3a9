/**
 * The spec's invariants over a state (Locks.tla, "Invariants and properties"): ExclusiveHolder,
 * HolderHasLiveSession, ClientLeaseSafe, ClientHoldSound, ResourceNeverStale, and the witness
 * AtMostOneActsAsHolder (expected to break: it is why the resource checks sequencers); and the
 * action property GenerationsGrow as a check on a step. TypeOK is what the TS types guarantee.
 */

import {
  believes,
  clientOf,
  current,
  heldOf,
  leaseOf,
  lockOf,
  sessionOf,
  sessionValid,
} from "./operators.js";
import type { ClientId, LockId, State } from "./types.js";

/** The invariants every model checks. */
export const invariantNames = [
  "ExclusiveHolder",
  "HolderHasLiveSession",
  "ClientLeaseSafe",
  "ClientHoldSound",
  "ResourceNeverStale",
] as const;
/** The witness, checked only where a model asks for it (it is expected to break). */
export const witnessNames = ["AtMostOneActsAsHolder"] as const;
export type InvariantName = (typeof invariantNames)[number] | (typeof witnessNames)[number];

export const stepPropertyNames = ["GenerationsGrow"] as const;
export type StepPropertyName = (typeof stepPropertyNames)[number];

const forLocks = (s: State, p: (l: LockId) => boolean) => s.env.locks.every(p);
const forClients = (s: State, p: (c: ClientId) => boolean) => s.env.clients.every(p);

/** ActsAsHolder(c, l): c believes it holds l, or has a write for l on its way. */
const actsAsHolder = (s: State, c: ClientId, l: LockId): boolean =>
  believes(s, c, l) || s.network.writes.some((w) => w.client === c && w.lock === l);

const checks: { readonly [K in InvariantName]: (s: State) => boolean } = {
  ExclusiveHolder: (s) =>
    forLocks(s, (l) => {
      const x = lockOf(s, l);
      return (
        (x.mode !== "exclusive" || x.holders.length <= 1) &&
        (x.holders.length === 0) === (x.mode === "none")
      );
    }),
  HolderHasLiveSession: (s) =>
    forLocks(s, (l) => lockOf(s, l).holders.every((c) => sessionOf(s, c).status === "live")),
  ClientLeaseSafe: (s) =>
    forClients(
      s,
      (c) => !sessionValid(s, c) || (sessionOf(s, c).status === "live" && s.now < leaseOf(s, c)),
    ),
  ClientHoldSound: (s) =>
    forClients(s, (c) =>
      forLocks(s, (l) => !believes(s, c, l) || current(s, c, l, heldOf(clientOf(s, c), l))),
    ),
  ResourceNeverStale: (s) => forLocks(s, (l) => s.resource.get(l)?.stale !== true),
  AtMostOneActsAsHolder: (s) =>
    forLocks(s, (l) =>
      s.env.clients.every((c1) =>
        s.env.clients.every((c2) => {
          const x = lockOf(s, l);
          return (
            c1 === c2 ||
            !actsAsHolder(s, c1, l) ||
            !actsAsHolder(s, c2, l) ||
            (x.mode === "shared" && x.holders.includes(c1) && x.holders.includes(c2))
          );
        }),
      ),
    ),
};

/** The invariants among `names` that s breaks. */
export const violatedInvariants = (
  s: State,
  names: ReadonlyArray<InvariantName> = invariantNames,
): ReadonlyArray<InvariantName> => names.filter((n) => !checks[n](s));

const stepChecks: { readonly [K in StepPropertyName]: (s: State, t: State) => boolean } = {
  // GenerationsGrowStep: on the service and at the resource.
  GenerationsGrow: (s, t) =>
    forLocks(
      s,
      (l) =>
        lockOf(t, l).gen >= lockOf(s, l).gen &&
        (t.resource.get(l)?.gen ?? 0) >= (s.resource.get(l)?.gen ?? 0),
    ),
};

/** The step properties the step from s to t breaks. */
export const violatedStep = (s: State, t: State): ReadonlyArray<StepPropertyName> =>
  stepPropertyNames.filter((n) => !stepChecks[n](s, t));
