/**
 * Locks (Locks.tla, "Locks"): acquire, grant, the grant's delivery, release and its handling
 * (once, or with a copy still on its way), and the loss of a request or a grant.
 */
import type * as O from "fp-ts/lib/Option.js";
import { idSet } from "../core/ids.js";
import {
  clientOf,
  compatible,
  current,
  heldOf,
  liveOnMaster,
  lockOf,
  mapWithHeld,
  sessionOf,
  sessionValid,
  when,
  withClient,
  withLock,
} from "./operators.js";
import type { ClientId, Grant, LockId, LockMode, ReleaseRequest, State, Waiter } from "./types.js";
import { messages, waiters } from "./values.js";

const withNetwork = (s: State, n: Partial<State["network"]>): State => ({
  ...s,
  network: { ...s.network, ...n },
});

/**
 * Acquire(c, l, m): c, believing its session valid, asks for l in mode m; the master queues
 * the request of a live session that neither holds nor waits for l.
 */
export const acquire = (s: State, c: ClientId, l: LockId, m: LockMode): O.Option<State> => {
  const x = lockOf(s, l);
  return when(
    sessionValid(s, c) &&
      heldOf(clientOf(s, c), l) === 0 &&
      sessionOf(s, c).status === "live" &&
      !x.holders.includes(c) &&
      x.waiting.every((w) => w.client !== c),
    () =>
      withLock(s, l, (y) => ({ ...y, waiting: waiters.add(y.waiting, { client: c, mode: m }) })),
  );
};

/**
 * GrantLock(l, w): the master grants l to waiter w when compatible, out of its lock-delay,
 * and (re-checked now) w's session is live. A grant from free, or an exclusive one, starts a
 * new generation; shared holders share theirs.
 */
export const grantLock = (s: State, l: LockId, w: Waiter): O.Option<State> => {
  const x = lockOf(s, l);
  return when(
    waiters.has(x.waiting, w) &&
      compatible(s, l, w.mode) &&
      s.now >= x.delayUntil &&
      (s.env.bugs.grantWithoutSessionCheck || liveOnMaster(s, w.client)),
    () => {
      const g = x.holders.length === 0 || w.mode === "exclusive" ? x.gen + 1 : x.gen;
      const grant: Grant = { client: w.client, lock: l, gen: g };
      return withNetwork(
        withLock(s, l, (y) => ({
          ...y,
          gen: g,
          holders: idSet([...y.holders, w.client]),
          mode: w.mode,
          waiting: y.waiting.filter((v) => v.client !== w.client),
        })),
        { grants: messages.add(s.network.grants, grant) },
      );
    },
  );
};

/** ReceiveGrant(m): the grant reaches its client, which holds the lock unless it gave up. */
export const receiveGrant = (s: State, m: Grant): O.Option<State> =>
  when(messages.has(s.network.grants, m), () => {
    const gone = withNetwork(s, { grants: messages.remove(s.network.grants, m) });
    return clientOf(s, m.client).cs === "live"
      ? withClient(gone, m.client, (x) => mapWithHeld(x, m.lock, m.gen))
      : gone;
  });

/** Release(c, l): c stops using l at once and asks the master to release that generation. */
export const release = (s: State, c: ClientId, l: LockId): O.Option<State> => {
  const g = heldOf(clientOf(s, c), l);
  return when(g > 0, () =>
    withNetwork(
      withClient(s, c, (x) => mapWithHeld(x, l, 0)),
      { requests: messages.add(s.network.requests, { client: c, lock: l, gen: g }) },
    ),
  );
};

/**
 * Released(r): the master frees the sender's hold on the generation r names, and only that
 * (with releaseByName: the lock, whoever holds it now).
 */
const released = (s: State, r: ReleaseRequest): State => {
  const x = lockOf(s, r.lock);
  const left = s.env.bugs.releaseByName
    ? []
    : current(s, r.client, r.lock, r.gen)
      ? x.holders.filter((h) => h !== r.client)
      : x.holders;
  return withLock(s, r.lock, (y) => ({
    ...y,
    holders: left,
    mode: left.length === 0 ? "none" : y.mode,
  }));
};

/** HandleRelease(r): the master handles a release request, which is then gone. */
export const handleRelease = (s: State, r: ReleaseRequest): O.Option<State> =>
  when(messages.has(s.network.requests, r), () =>
    withNetwork(released(s, r), { requests: messages.remove(s.network.requests, r) }),
  );

/** HandleReleaseCopy(r): the same, for a request another copy of which is still on its way. */
export const handleReleaseCopy = (s: State, r: ReleaseRequest): O.Option<State> =>
  when(messages.has(s.network.requests, r), () => released(s, r));

/** LoseRequest(r): a release request is lost. */
export const loseRequest = (s: State, r: ReleaseRequest): O.Option<State> =>
  when(messages.has(s.network.requests, r), () =>
    withNetwork(s, { requests: messages.remove(s.network.requests, r) }),
  );

/** LoseGrant(m): a grant is lost. */
export const loseGrant = (s: State, m: Grant): O.Option<State> =>
  when(messages.has(s.network.grants, m), () =>
    withNetwork(s, { grants: messages.remove(s.network.grants, m) }),
  );
