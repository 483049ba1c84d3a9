/**
 * Sessions (Locks.tla, "Sessions"): creation, KeepAlive and its answer, expiry on the master,
 * the client giving its session up after the grace period, and failover, which rebuilds the
 * master's volatile state (the leases) from its replicated state.
 */
import * as O from "fp-ts/lib/Option.js";
import * as RM from "fp-ts/lib/ReadonlyMap.js";
import { mapWith } from "../core/maps.js";
import { clientOf, leaseOf, margin, max, sessionOf, when, withClient } from "./operators.js";
import type { ClientId, ClientState, LockState, State } from "./types.js";

const withLease = (s: State, c: ClientId, lease: number): State => ({
  ...s,
  master: {
    ...s.master,
    volatile: { lease: mapWith(s.master.volatile.lease, c, lease) },
  },
});

/**
 * CreateSession(c): the master logs the session with a lease from now; the client takes it
 * to end a margin earlier on its own clock.
 */
export const createSession = (s: State, c: ClientId): O.Option<State> =>
  when(clientOf(s, c).cs === "none", () => {
    const lease = s.now + s.env.lease;
    const logged: State = {
      ...s,
      master: {
        ...s.master,
        replicated: {
          ...s.master.replicated,
          sessions: mapWith(s.master.replicated.sessions, c, {
            status: "live",
            loggedLease: lease,
          }),
        },
      },
    };
    return withClient(withLease(logged, c, lease), c, (x) => ({
      ...x,
      cs: "live",
      expiry: x.clock + s.env.lease - margin(s.env),
    }));
  });

/**
 * KeepAlive(c): the client sends one, noting its clock; the master extends the live session's
 * lease to a full lease from now (not logged) and answers.
 */
export const keepAlive = (s: State, c: ClientId): O.Option<State> => {
  const x = clientOf(s, c);
  return when(
    x.cs === "live" &&
      x.ka === "idle" &&
      sessionOf(s, c).status === "live" &&
      s.now < leaseOf(s, c),
    () =>
      withClient(withLease(s, c, s.now + s.env.lease), c, (y) => ({
        ...y,
        ka: "answered",
        kaSent: y.clock,
      })),
  );
};

/**
 * ReceiveKeepAlive(c): the answer reaches the client; a live one's lease now ends a full
 * lease, less the margin, after it sent the request, on its own clock.
 */
export const receiveKeepAlive = (s: State, c: ClientId): O.Option<State> =>
  when(clientOf(s, c).ka === "answered", () =>
    withClient(s, c, (x) => ({
      ...x,
      ka: "idle",
      kaSent: 0,
      expiry: x.cs === "live" ? max(x.expiry, x.kaSent + s.env.lease - margin(s.env)) : x.expiry,
    })),
  );

/** LoseKeepAlive(c): a KeepAlive's answer is lost. */
export const loseKeepAlive = (s: State, c: ClientId): O.Option<State> =>
  when(clientOf(s, c).ka !== "idle", () =>
    withClient(s, c, (x) => ({ ...x, ka: "idle", kaSent: 0 })),
  );

/**
 * ExpireSession(c): the master ends a session whose lease has passed; its locks are freed,
 * and those it held stay ungrantable for LockDelay.
 */
export const expireSession = (s: State, c: ClientId): O.Option<State> =>
  when(sessionOf(s, c).status === "live" && s.now >= leaseOf(s, c), () => {
    const free = (l: LockState): LockState => {
      const holders = l.holders.filter((h) => h !== c);
      return {
        ...l,
        holders,
        mode: holders.length === 0 ? "none" : l.mode,
        delayUntil:
          s.env.lockDelay > 0 && l.holders.includes(c) ? s.now + s.env.lockDelay : l.delayUntil,
      };
    };
    const ended: State = {
      ...s,
      master: {
        ...s.master,
        replicated: {
          sessions: mapWith(s.master.replicated.sessions, c, {
            ...sessionOf(s, c),
            status: "ended",
          }),
          locks: RM.map(free)(s.master.replicated.locks),
        },
      },
    };
    return withLease(ended, c, 0);
  });

/**
 * ClientSessionLost(c): a client in jeopardy past the grace period gives its session up, and
 * with it every lock it believed it held.
 */
export const clientSessionLost = (s: State, c: ClientId): O.Option<State> => {
  const x = clientOf(s, c);
  return when(x.cs === "live" && x.clock >= x.expiry + s.env.grace, () =>
    withClient(
      s,
      c,
      (y): ClientState => ({ ...y, cs: "lost", held: RM.map(() => 0)(y.held), expiry: 0 }),
    ),
  );
};

/**
 * Failover: a new master takes over with the log's sessions and locks, and extends every live
 * session's lease to the most the old master may have granted (a full lease from now). Its
 * only input is the replicated state: the old volatile state is read only for sessions that
 * are not live, whose lease no one uses.
 */
export const failover = (s: State): O.Option<State> =>
  O.some({
    ...s,
    master: {
      ...s.master,
      volatile: {
        lease: RM.mapWithIndex((c: ClientId, lease: number) => {
          const x = sessionOf(s, c);
          if (x.status !== "live") return lease;
          return s.env.bugs.noLeaseExtension ? x.loggedLease : s.now + s.env.lease;
        })(s.master.volatile.lease),
      },
    },
  });
