/**
 * Cluster-level Mencius: the spec's whole state (the servers and the message bag), one
 * transition per spec action, and the actions enabled in a state. A transition runs the
 * server-level action (server.ts) on the server it concerns and applies the network's share of
 * the effects (send, discard) to the bag; the other effects (persist, apply) are passed on for
 * the runtime to perform.
 */
import { absurd } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import type { ServerId, ValueId } from "../core/ids.js";
import { mapWith } from "../core/maps.js";
import type { Step } from "../core/step.js";
import { type Bag, domain, emptyBag, has, withMessage, withoutMessage } from "./bag.js";
import type { ServerAction } from "./role.js";
import * as Srv from "./server.js";
import type { Effect, Env, Message, ServerState } from "./types.js";

export interface Cluster {
  readonly env: Env;
  readonly servers: ReadonlyMap<ServerId, ServerState>;
  readonly messages: Bag;
}

/** A cluster transition's result: the next cluster and its effects. */
export type ClusterStep = Step<Cluster, Effect>;

/** The spec's Init. */
export const initCluster = (env: Env): Cluster => ({
  env,
  servers: new Map(env.servers.map((s) => [s, Srv.initialServer(env, s)])),
  messages: emptyBag,
});

/** A spec action with its parameters, as data: what a scheduler chooses and a trace names. */
export type Action =
  | { readonly name: "Suggest"; readonly p: ServerId; readonly v: ValueId }
  | { readonly name: "Skip"; readonly p: ServerId }
  | { readonly name: "Revoke"; readonly p: ServerId; readonly i: number }
  | { readonly name: "HandlePrepare"; readonly p: ServerId; readonly m: Message }
  | { readonly name: "HandlePromise"; readonly p: ServerId; readonly m: Message }
  | { readonly name: "HandlePropose"; readonly p: ServerId; readonly m: Message }
  | { readonly name: "HandleSuggest"; readonly p: ServerId; readonly m: Message }
  | { readonly name: "HandleAccept"; readonly p: ServerId; readonly m: Message }
  | { readonly name: "HandleLearn"; readonly p: ServerId; readonly m: Message }
  | { readonly name: "HandleSkip"; readonly p: ServerId; readonly m: Message }
  | { readonly name: "Execute"; readonly p: ServerId }
  | { readonly name: "Restart"; readonly p: ServerId }
  | { readonly name: "DropMessage"; readonly m: Message }
  | { readonly name: "DuplicateMessage"; readonly m: Message };

export type ActionName = Action["name"];
export type ActionOf<K extends ActionName> = Extract<Action, { readonly name: K }>;

/** The network's share of an effect. */
function network(bag: Bag, e: Effect): Bag {
  switch (e.type) {
    case "send":
      return withMessage(bag, e.message);
    case "discard":
      return withoutMessage(bag, e.message);
    case "persist":
    case "apply":
      return bag;
    default:
      return absurd(e);
  }
}

/** Run a server-level action on server `p`. */
function onServer<Args extends ReadonlyArray<unknown>>(
  c: Cluster,
  p: ServerId,
  action: ServerAction<Args>,
  ...args: Args
): O.Option<ClusterStep> {
  const s = c.servers.get(p);
  if (s === undefined || !action.enabled(c.env, s, ...args)) return O.none;
  const st = action.next(c.env, s, ...args);
  return O.some({
    next: {
      ...c,
      servers: st.state === s ? c.servers : mapWith(c.servers, p, st.state),
      messages: st.effects.reduce(network, c.messages),
    },
    effects: st.effects,
  });
}

/** A handler runs only on a message in flight (`m \in DOMAIN messages`). */
const onMessage = (
  c: Cluster,
  p: ServerId,
  m: Message,
  action: ServerAction<[Message]>,
): O.Option<ClusterStep> => (has(c.messages, m) ? onServer(c, p, action, m) : O.none);

/** A fault of the network itself: one effect on the bag, no server involved. */
const fault = (c: Cluster, m: Message, e: Effect): O.Option<ClusterStep> =>
  has(c.messages, m)
    ? O.some({ next: { ...c, messages: network(c.messages, e) }, effects: [e] })
    : O.none;

/**
 * OpenInstances: the instances a revocation may name, 1 .. the highest next instance of any
 * server (the spec's domain of Revoke's i).
 */
export const openInstances = (c: Cluster): number => {
  let top = 0;
  for (const s of c.servers.values()) top = Math.max(top, s.durable.nextInst);
  return top;
};

/** Each action's transition, by name: the TS side of the spec's Next. */
export const transitions: {
  readonly [K in ActionName]: (c: Cluster, a: ActionOf<K>) => O.Option<ClusterStep>;
} = {
  Suggest: (c, a) => onServer(c, a.p, Srv.suggest, a.v),
  Skip: (c, a) => onServer(c, a.p, Srv.skip),
  Revoke: (c, a) =>
    a.i >= 1 && a.i <= openInstances(c) ? onServer(c, a.p, Srv.revoke, a.i) : O.none,
  HandlePrepare: (c, a) => onMessage(c, a.p, a.m, Srv.handlePrepare),
  HandlePromise: (c, a) => onMessage(c, a.p, a.m, Srv.handlePromise),
  HandlePropose: (c, a) => onMessage(c, a.p, a.m, Srv.handlePropose),
  HandleSuggest: (c, a) => onMessage(c, a.p, a.m, Srv.handleSuggest),
  HandleAccept: (c, a) => onMessage(c, a.p, a.m, Srv.handleAccept),
  HandleLearn: (c, a) => onMessage(c, a.p, a.m, Srv.handleLearn),
  HandleSkip: (c, a) => onMessage(c, a.p, a.m, Srv.handleSkip),
  Execute: (c, a) => onServer(c, a.p, Srv.execute),
  Restart: (c, a) => onServer(c, a.p, Srv.restart),
  DropMessage: (c, a) => fault(c, a.m, { type: "discard", message: a.m }),
  DuplicateMessage: (c, a) => fault(c, a.m, { type: "send", message: a.m }),
};

/** Perform an action given as data; None when its guard is false. */
export const perform = (c: Cluster, a: Action): O.Option<ClusterStep> =>
  (transitions[a.name] as (c: Cluster, a: Action) => O.Option<ClusterStep>)(c, a);

/** The values the environment chooses among: the client commands that may reach a server. */
export interface Inputs {
  readonly values: ReadonlyArray<ValueId>;
}

/**
 * The enabled actions of server p that take no message, each judged by its own guard, in the
 * order of the spec's Next: Suggest(p, v) for the inputs' values, Skip(p), Revoke(p, i) for
 * every instance it may revoke, Execute(p), Restart(p).
 */
export function enabledAt(c: Cluster, p: ServerId, inputs: Inputs): ReadonlyArray<Action> {
  const s = c.servers.get(p);
  if (s === undefined) return [];
  const { env } = c;
  const out: Action[] = [];
  for (const v of inputs.values)
    if (Srv.suggest.enabled(env, s, v)) out.push({ name: "Suggest", p, v });
  if (Srv.skip.enabled(env, s)) out.push({ name: "Skip", p });
  for (let i = 1; i < s.durable.nextInst; i++)
    if (Srv.revoke.enabled(env, s, i)) out.push({ name: "Revoke", p, i });
  if (Srv.execute.enabled(env, s)) out.push({ name: "Execute", p });
  if (Srv.restart.enabled(env, s)) out.push({ name: "Restart", p });
  return out;
}

/** The handlers of messages, in the order of the spec's Next. */
const handlers: ReadonlyArray<readonly [ActionName, ServerAction<[Message]>]> = [
  ["HandlePrepare", Srv.handlePrepare],
  ["HandlePromise", Srv.handlePromise],
  ["HandlePropose", Srv.handlePropose],
  ["HandleSuggest", Srv.handleSuggest],
  ["HandleAccept", Srv.handleAccept],
  ["HandleLearn", Srv.handleLearn],
  ["HandleSkip", Srv.handleSkip],
];

/**
 * The handler a message in flight enables at its receiver: every message has exactly one (its
 * type names the handler, its mdest the server); None for a receiver outside the cluster.
 */
export function receive(c: Cluster, m: Message): O.Option<Action> {
  const s = c.servers.get(m.mdest);
  if (s === undefined || !has(c.messages, m)) return O.none;
  return RA.findFirstMap(([name, h]: readonly [ActionName, ServerAction<[Message]>]) =>
    h.enabled(c.env, s, m) ? O.some({ name, p: m.mdest, m } as Action) : O.none,
  )(handlers);
}

/** The enabled actions on an in-flight message: its receiver's, then the network's faults. */
export const enabledOn = (c: Cluster, m: Message): ReadonlyArray<Action> =>
  has(c.messages, m)
    ? [
        ...O.match(
          () => [],
          (a: Action) => [a],
        )(receive(c, m)),
        { name: "DropMessage", m },
        { name: "DuplicateMessage", m },
      ]
    : [];

/**
 * Every enabled action, for the given inputs: the servers' in ServerOrder, then the bag's in
 * canonical order.
 */
export const enabled = (c: Cluster, inputs: Inputs): ReadonlyArray<Action> => [
  ...c.env.servers.flatMap((p) => enabledAt(c, p, inputs)),
  ...domain(c.messages).flatMap((m) => enabledOn(c, m)),
];
