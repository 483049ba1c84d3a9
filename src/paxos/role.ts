/**
 * The shape of every role-level spec action (replica.ts, leader.ts, acceptor.ts): `enabled` is
 * the action's guard (its conjuncts that read the pre-state), `next` what the process does when
 * the guard holds — its new state and its effects, performed by whoever runs the process. A
 * process only sees its own state and the message it is handed; the cluster (cluster.ts)
 * checks that the message is in flight and applies the network's share of the effects.
 */
import { type GuardedAction, handlerOf } from "../core/action.js";
import type { Effect, Env, Message, Step } from "./types.js";

export { always, run } from "../core/action.js";

/** A spec action of one process of state S, with the arguments it takes besides the process. */
export type RoleAction<S, Args extends ReadonlyArray<unknown>> = GuardedAction<
  Env,
  S,
  Args,
  Step<S>
>;

export type MessageOf<T extends Message["mtype"]> = Extract<Message, { readonly mtype: T }>;

/**
 * The handler of one message type at its receiver (`m.mtype = T /\ m.mdest = id`), as an
 * action on any message.
 */
export const handler = <S extends { readonly id: string }, T extends Message["mtype"]>(
  mtype: T,
  h: RoleAction<S, [MessageOf<T>]>,
): RoleAction<S, [Message]> => handlerOf<Env, S, Message, Step<S>>()(mtype, h);

export const send = (message: Message): Effect => ({ type: "send", message });
export const discard = (message: Message): Effect => ({ type: "discard", message });
