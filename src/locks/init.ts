/** The spec's Init: no sessions, free locks, clocks at 0, an empty network, NoWrite everywhere. */
import type { ClientState, Env, LockState, State } from "./types.js";
import { noWrite } from "./values.js";

const freeLock: LockState = { holders: [], mode: "none", gen: 0, waiting: [], delayUntil: 0 };

export const initState = (env: Env): State => {
  const client: ClientState = {
    clock: 0,
    cs: "none",
    expiry: 0,
    ka: "idle",
    kaSent: 0,
    held: new Map(env.locks.map((l) => [l, 0])),
  };
  return {
    env,
    now: 0,
    master: {
      replicated: {
        sessions: new Map(env.clients.map((c) => [c, { status: "none", loggedLease: 0 }])),
        locks: new Map(env.locks.map((l) => [l, freeLock])),
      },
      volatile: { lease: new Map(env.clients.map((c) => [c, 0])) },
    },
    clients: new Map(env.clients.map((c) => [c, client])),
    network: { requests: [], grants: [], writes: [] },
    resource: new Map(env.locks.map((l) => [l, noWrite])),
  };
};
