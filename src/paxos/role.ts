/**
 * The shape of every role-level spec action (replica.ts, leader.ts, acceptor.ts): `enabled` is
 * the action's guard (its conjuncts that read the pre-state), `next` what the process does when
 * the guard holds — its new state and its effects, performed by whoever runs the process. A
 * process only sees its own state and the message it is handed; the cluster (cluster.ts)
 * checks that the message is in flight and applies the network's share of the effects.
 */
import * as O from "fp-ts/lib/Option.js";
import type { Effect, Env, Message, Step } from "./types.js";

/** A spec action of one process of state S, with the arguments it takes besides the process. */
export interface RoleAction<S, Args extends ReadonlyArray<unknown>> {
  readonly enabled: (env: Env, s: S, ...args: Args) => boolean;
  /** Only called where `enabled` holds. */
  readonly next: (env: Env, s: S, ...args: Args) => Step<S>;
}

/** The action as a transition: None where its guard is false. */
export const run = <S, Args extends ReadonlyArray<unknown>>(
  action: RoleAction<S, Args>,
  env: Env,
  s: S,
  ...args: Args
): O.Option<Step<S>> =>
  action.enabled(env, s, ...args) ? O.some(action.next(env, s, ...args)) : O.none;

export type MessageOf<T extends Message["mtype"]> = Extract<Message, { readonly mtype: T }>;

/**
 * The handler of one message type at its receiver (`m.mtype = T /\ m.mdest = id`), as an
 * action on any message.
 */
export function handler<S extends { readonly id: string }, T extends Message["mtype"]>(
  mtype: T,
  h: RoleAction<S, [MessageOf<T>]>,
): RoleAction<S, [Message]> {
  const accepts = (s: S, m: Message): m is MessageOf<T> => m.mtype === mtype && m.mdest === s.id;
  return {
    enabled: (env, s, m) => accepts(s, m) && h.enabled(env, s, m),
    next: (env, s, m) => {
      if (!accepts(s, m)) throw new RangeError(`${mtype} handler given ${m.mtype} for ${m.mdest}`);
      return h.next(env, s, m);
    },
  };
}

/** A guard that always holds: the action's conjuncts constrain only the post-state. */
export const always = (): boolean => true;

export const send = (message: Message): Effect => ({ type: "send", message });
export const discard = (message: Message): Effect => ({ type: "discard", message });
