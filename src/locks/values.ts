/**
 * The lock service's values as the spec has them: ids and statuses as strings, waiters and
 * sequenced messages as records with the spec's field names, and the canonical sets they are
 * kept in. Equality, order and the abstraction's JSON all derive from these.
 */
import { setOps } from "../core/set.js";
import * as V from "../core/spec-value.js";
import type { Applied, LockMode, Sequenced, Waiter } from "./types.js";

export const id = V.str;
export const idSet = V.set(V.str);

/** [client |-> c, mode |-> m]. */
export const waiter = V.record<Waiter>({ client: V.str, mode: V.literal<LockMode>() });
export const waiters = setOps(waiter);

/** ReleaseRequest(c, l, g), Grant(c, l, g), Write(c, l, g): [client, lock, gen]. */
export const sequenced = V.record<Sequenced>({ client: V.str, lock: V.str, gen: V.int });
export const messages = setOps(sequenced);

/** [client |-> c, gen |-> g, stale |-> b]: what the resource applied last. */
export const applied = V.record<Applied>({ client: V.str, gen: V.int, stale: V.bool });

/** NoWrite == [client |-> "none", gen |-> 0, stale |-> FALSE]. */
export const noWrite: Applied = { client: "none", gen: 0, stale: false };
