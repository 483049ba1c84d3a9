/**
 * The lock service as one state machine: the spec's actions as data (`Action`: a name and the
 * parameters the spec's Next binds), the action instances whose guards hold in a state
 * (`enabled`, the spec's Next unrolled over its existential quantifiers) and `perform`, which
 * runs one. The Tick instance carries the clocks it moves to, since the spec lets them be any
 * of several readings.
 */

import { absurd, pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import * as L from "./locks.js";
import { lockOf } from "./operators.js";
import * as R from "./resource.js";
import * as S from "./session.js";
import { successorClocks, tick } from "./time.js";
import type {
  ClientId,
  Grant,
  LockId,
  LockMode,
  ReleaseRequest,
  State,
  Waiter,
  Write,
} from "./types.js";

export type Action =
  | { readonly name: "Tick"; readonly clocks: ReadonlyMap<ClientId, number> }
  | { readonly name: "CreateSession"; readonly c: ClientId }
  | { readonly name: "KeepAlive"; readonly c: ClientId }
  | { readonly name: "ReceiveKeepAlive"; readonly c: ClientId }
  | { readonly name: "LoseKeepAlive"; readonly c: ClientId }
  | { readonly name: "ExpireSession"; readonly c: ClientId }
  | { readonly name: "ClientSessionLost"; readonly c: ClientId }
  | { readonly name: "Failover" }
  | { readonly name: "Acquire"; readonly c: ClientId; readonly l: LockId; readonly m: LockMode }
  | { readonly name: "GrantLock"; readonly l: LockId; readonly w: Waiter }
  | { readonly name: "ReceiveGrant"; readonly m: Grant }
  | { readonly name: "Release"; readonly c: ClientId; readonly l: LockId }
  | { readonly name: "HandleRelease"; readonly r: ReleaseRequest }
  | { readonly name: "HandleReleaseCopy"; readonly r: ReleaseRequest }
  | { readonly name: "LoseRequest"; readonly r: ReleaseRequest }
  | { readonly name: "LoseGrant"; readonly m: Grant }
  | { readonly name: "SendWrite"; readonly c: ClientId; readonly l: LockId }
  | { readonly name: "AcceptWrite"; readonly w: Write }
  | { readonly name: "RejectWrite"; readonly w: Write };

export type ActionName = Action["name"];

/** The actions whose parameters are exactly one client. */
type ClientActionName = {
  [K in ActionName]: keyof Omit<Extract<Action, { readonly name: K }>, "name"> extends "c"
    ? "c" extends keyof Extract<Action, { readonly name: K }>
      ? K
      : never
    : never;
}[ActionName];

/** Run action a in s: None when its guard does not hold. */
export function perform(s: State, a: Action): O.Option<State> {
  switch (a.name) {
    case "Tick":
      return tick(s, a.clocks);
    case "CreateSession":
      return S.createSession(s, a.c);
    case "KeepAlive":
      return S.keepAlive(s, a.c);
    case "ReceiveKeepAlive":
      return S.receiveKeepAlive(s, a.c);
    case "LoseKeepAlive":
      return S.loseKeepAlive(s, a.c);
    case "ExpireSession":
      return S.expireSession(s, a.c);
    case "ClientSessionLost":
      return S.clientSessionLost(s, a.c);
    case "Failover":
      return S.failover(s);
    case "Acquire":
      return L.acquire(s, a.c, a.l, a.m);
    case "GrantLock":
      return L.grantLock(s, a.l, a.w);
    case "ReceiveGrant":
      return L.receiveGrant(s, a.m);
    case "Release":
      return L.release(s, a.c, a.l);
    case "HandleRelease":
      return L.handleRelease(s, a.r);
    case "HandleReleaseCopy":
      return L.handleReleaseCopy(s, a.r);
    case "LoseRequest":
      return L.loseRequest(s, a.r);
    case "LoseGrant":
      return L.loseGrant(s, a.m);
    case "SendWrite":
      return R.sendWrite(s, a.c, a.l);
    case "AcceptWrite":
      return R.acceptWrite(s, a.w);
    case "RejectWrite":
      return R.rejectWrite(s, a.w);
    default:
      return absurd(a);
  }
}

/**
 * Every action instance the spec's Next quantifies over in s, in Next's order: per client,
 * per lock and mode, per waiter, per message in flight.
 */
export function candidates(s: State): ReadonlyArray<Action> {
  const { clients, locks, modes } = s.env;
  // The actions whose only parameter is a client (TS cannot check `{ name, c }` against the
  // union for a generic name, hence the cast, which the name's type keeps honest).
  const perClient = (name: ClientActionName) => clients.map((c) => ({ name, c }) as Action);
  const perClientLock = (name: "Release" | "SendWrite") =>
    clients.flatMap((c) => locks.map((l): Action => ({ name, c, l })));
  const { requests, grants, writes } = s.network;
  return [
    ...successorClocks(s).map((clocks): Action => ({ name: "Tick", clocks })),
    ...perClient("CreateSession"),
    ...perClient("KeepAlive"),
    ...perClient("ReceiveKeepAlive"),
    ...perClient("LoseKeepAlive"),
    ...perClient("ExpireSession"),
    ...perClient("ClientSessionLost"),
    { name: "Failover" },
    ...clients.flatMap((c) =>
      locks.flatMap((l) => modes.map((m): Action => ({ name: "Acquire", c, l, m }))),
    ),
    ...locks.flatMap((l) => lockOf(s, l).waiting.map((w): Action => ({ name: "GrantLock", l, w }))),
    ...grants.map((m): Action => ({ name: "ReceiveGrant", m })),
    ...perClientLock("Release"),
    ...requests.map((r): Action => ({ name: "HandleRelease", r })),
    ...requests.map((r): Action => ({ name: "HandleReleaseCopy", r })),
    ...requests.map((r): Action => ({ name: "LoseRequest", r })),
    ...grants.map((m): Action => ({ name: "LoseGrant", m })),
    ...perClientLock("SendWrite"),
    ...writes.map((w): Action => ({ name: "AcceptWrite", w })),
    ...writes.map((w): Action => ({ name: "RejectWrite", w })),
  ];
}

/** Each enabled action instance in s with its successor. */
export const steps = (s: State): ReadonlyArray<{ readonly action: Action; readonly next: State }> =>
  pipe(
    candidates(s),
    RA.filterMap((action) =>
      pipe(
        perform(s, action),
        O.map((next) => ({ action, next })),
      ),
    ),
  );

/** The action instances whose guards hold in s. */
export const enabled = (s: State): ReadonlyArray<Action> => steps(s).map((x) => x.action);
