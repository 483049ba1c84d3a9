/**
 * The shape of every process-level spec action, in every protocol: `enabled` is the action's
 * guard (its conjuncts that read the pre-state), `next` what the process does when the guard
 * holds — its new state and its effects (a step R), performed by whoever runs the process. A
 * process only sees its own state and the message it is handed; the protocol's cluster checks
 * that the message is in flight and applies the network's share of the effects.
 */
import * as O from "fp-ts/lib/Option.js";

/** A spec action of a process with state S in environment E, taking `Args` besides the process. */
export interface GuardedAction<E, S, Args extends ReadonlyArray<unknown>, R> {
  readonly enabled: (env: E, s: S, ...args: Args) => boolean;
  /** Only called where `enabled` holds. */
  readonly next: (env: E, s: S, ...args: Args) => R;
}

/** The action as a transition: None where its guard is false. */
export const run = <E, S, Args extends ReadonlyArray<unknown>, R>(
  action: GuardedAction<E, S, Args, R>,
  env: E,
  s: S,
  ...args: Args
): O.Option<R> => (action.enabled(env, s, ...args) ? O.some(action.next(env, s, ...args)) : O.none);

/** A guard that always holds: the action's conjuncts constrain only the post-state. */
export const always = (): boolean => true;

/** A message as the specs have them: a type and a destination, among other fields. */
interface Addressed {
  readonly mtype: string;
  readonly mdest: string;
}

/**
 * `handler(T, h)`: the handler of messages of type T at their receiver (`m.mtype = T /\ m.mdest
 * = id`), as an action on any message of the union M. Fix E, S, M and R once per protocol:
 * `const handler = handlerOf<Env, Node, Message, NodeStep>()`.
 */
export const handlerOf =
  <E, S extends { readonly id: string }, M extends Addressed, R>() =>
  <T extends M["mtype"]>(
    mtype: T,
    h: GuardedAction<E, S, [Extract<M, { readonly mtype: T }>], R>,
  ): GuardedAction<E, S, [M], R> => {
    const accepts = (s: S, m: M): m is Extract<M, { readonly mtype: T }> =>
      m.mtype === mtype && m.mdest === s.id;
    return {
      enabled: (env, s, m) => accepts(s, m) && h.enabled(env, s, m),
      next: (env, s, m) => {
        if (!accepts(s, m))
          throw new RangeError(`${mtype} handler given ${m.mtype} for ${m.mdest}`);
        return h.next(env, s, m);
      },
    };
  };
