/**
 * The shape of every server-level spec action (server.ts): `enabled` is the action's guard
 * (its conjuncts that read the pre-state), `next` what the server does when the guard holds —
 * its new state and its effects, performed by whoever runs it. A server only sees its own
 * state and the message it is handed; the cluster (cluster.ts) checks that the message is in
 * flight and applies the network's share of the effects.
 */
import { type GuardedAction, handlerOf } from "../core/action.js";
import type { Effect, Env, Message, ServerState, Step } from "./types.js";

export { always, run } from "../core/action.js";

/** A spec action of one server, with the arguments it takes besides the server. */
export type ServerAction<Args extends ReadonlyArray<unknown>> = GuardedAction<
  Env,
  ServerState,
  Args,
  Step<ServerState>
>;

export type MessageOf<T extends Message["mtype"]> = Extract<Message, { readonly mtype: T }>;

/** The handler of one message type at its receiver (`m.mtype = T /\ m.mdest = p`). */
export const handler = <T extends Message["mtype"]>(
  mtype: T,
  h: ServerAction<[MessageOf<T>]>,
): ServerAction<[Message]> => handlerOf<Env, ServerState, Message, Step<ServerState>>()(mtype, h);

export const send = (message: Message): Effect => ({ type: "send", message });
export const discard = (message: Message): Effect => ({ type: "discard", message });
