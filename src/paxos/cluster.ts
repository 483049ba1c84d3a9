/**
 * Cluster-level Multi-Paxos: the spec's whole state (replicas, leaders with their scouts and
 * commanders, acceptors, the message bag) and one pure transition per spec action, same name
 * in camelCase, each `None` when the action's guard is false. A transition runs the role-level
 * action on the process it concerns and applies the send/discard effects to the bag; the other
 * effects (persist, apply) are passed on for the runtime to perform.
 */
import { absurd } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import { match } from "ts-pattern";
import type { Step as StepOf } from "../core/step.js";
import * as A from "./acceptor.js";
import { type Bag, domain, emptyBag, has, withMessage, withoutMessage } from "./bag.js";
import * as L from "./leader.js";
import * as R from "./replica.js";
import type {
  AcceptorId,
  AcceptorState,
  Command,
  Effect,
  Env,
  LeaderId,
  LeaderState,
  Message,
  ReplicaId,
  ReplicaState,
  Step,
} from "./types.js";

export interface Cluster {
  readonly env: Env;
  readonly replicas: ReadonlyMap<ReplicaId, ReplicaState>;
  /** Each leader holds its scout and commanders (the spec's `commanders` is their union). */
  readonly leaders: ReadonlyMap<LeaderId, LeaderState>;
  readonly acceptors: ReadonlyMap<AcceptorId, AcceptorState>;
  readonly messages: Bag;
}

/** A cluster transition's result: the next cluster and its effects. */
export type ClusterStep = StepOf<Cluster, Effect>;

/** The spec's Init. */
export const initCluster = (env: Env): Cluster => ({
  env,
  replicas: new Map(env.replicas.map((r) => [r, R.initialReplica(env, r)])),
  leaders: new Map(env.leaderOrder.map((l) => [l, L.initialLeader(l)])),
  acceptors: new Map(env.acceptors.map((a) => [a, A.initialAcceptor(a)])),
  messages: emptyBag,
});

/** The network's share of an effect. */
function applyNetwork(bag: Bag, e: Effect): Bag {
  switch (e.type) {
    case "send":
      return withMessage(bag, e.message);
    case "discard":
      return withoutMessage(bag, e.message);
    case "persistLeader":
    case "persistAcceptor":
    case "apply":
      return bag;
    default:
      return absurd(e);
  }
}

const network = (c: Cluster, effects: ReadonlyArray<Effect>): Bag =>
  effects.reduce(applyNetwork, c.messages);

type Role<S> = (env: Env, s: S) => O.Option<Step<S>>;

/** Run a role-level transition on process `id` of one of the three maps. */
function on<S>(
  c: Cluster,
  id: string,
  get: (c: Cluster) => ReadonlyMap<string, S>,
  set: (c: Cluster, m: ReadonlyMap<string, S>) => Cluster,
  f: Role<S>,
): O.Option<ClusterStep> {
  const s = get(c).get(id);
  if (s === undefined) return O.none;
  return O.map((st: Step<S>) => {
    const procs = st.state === s ? get(c) : new Map(get(c)).set(id, st.state);
    const next = set({ ...c, messages: network(c, st.effects) }, procs);
    return { next, effects: st.effects };
  })(f(c.env, s));
}

const onReplica = (c: Cluster, r: ReplicaId, f: Role<ReplicaState>) =>
  on(
    c,
    r,
    (x) => x.replicas,
    (x, replicas) => ({ ...x, replicas }),
    f,
  );
const onLeader = (c: Cluster, l: LeaderId, f: Role<LeaderState>) =>
  on(
    c,
    l,
    (x) => x.leaders,
    (x, leaders) => ({ ...x, leaders }),
    f,
  );
const onAcceptor = (c: Cluster, a: AcceptorId, f: Role<AcceptorState>) =>
  on(
    c,
    a,
    (x) => x.acceptors,
    (x, acceptors) => ({ ...x, acceptors }),
    f,
  );

/** A handler runs only on a message in flight (`m \in DOMAIN messages`). */
const inFlight = (c: Cluster, m: Message, run: () => O.Option<ClusterStep>) =>
  has(c.messages, m) ? run() : O.none;

/** ClientRequest(r, c). */
export const clientRequest = (c: Cluster, r: ReplicaId, cmd: Command) =>
  onReplica(c, r, (env, s) => R.clientRequest(env, s, cmd));
/** Propose(r, c). */
export const propose = (c: Cluster, r: ReplicaId, cmd: Command) =>
  onReplica(c, r, (env, s) => R.propose(env, s, cmd));
/** HandleDecision(r, m). */
export const handleDecision = (c: Cluster, r: ReplicaId, m: Message) =>
  inFlight(c, m, () => onReplica(c, r, (env, s) => R.handleDecision(env, s, m)));
/** Perform(r). */
export const perform = (c: Cluster, r: ReplicaId) => onReplica(c, r, R.perform);
/** LeaderTimeout(l). */
export const leaderTimeout = (c: Cluster, l: LeaderId) => onLeader(c, l, L.leaderTimeout);
/** HandlePropose(l, m). */
export const handlePropose = (c: Cluster, l: LeaderId, m: Message) =>
  inFlight(c, m, () => onLeader(c, l, (env, s) => L.handlePropose(env, s, m)));
/** HandleP1b(l, m). */
export const handleP1b = (c: Cluster, l: LeaderId, m: Message) =>
  inFlight(c, m, () => onLeader(c, l, (env, s) => L.handleP1b(env, s, m)));
/** HandleP2b(l, m). */
export const handleP2b = (c: Cluster, l: LeaderId, m: Message) =>
  inFlight(c, m, () => onLeader(c, l, (env, s) => L.handleP2b(env, s, m)));
/** RestartLeader(l). */
export const restartLeader = (c: Cluster, l: LeaderId) => onLeader(c, l, L.restartLeader);
/** HandleP1a(a, m). */
export const handleP1a = (c: Cluster, a: AcceptorId, m: Message) =>
  inFlight(c, m, () => onAcceptor(c, a, (env, s) => A.handleP1a(env, s, m)));
/** HandleP2a(a, m). */
export const handleP2a = (c: Cluster, a: AcceptorId, m: Message) =>
  inFlight(c, m, () => onAcceptor(c, a, (env, s) => A.handleP2a(env, s, m)));

const fault = (c: Cluster, m: Message, e: Effect): O.Option<ClusterStep> =>
  inFlight(c, m, () =>
    O.some({ next: { ...c, messages: applyNetwork(c.messages, e) }, effects: [e] }),
  );

/** DropMessage(m): the network loses one copy. */
export const dropMessage = (c: Cluster, m: Message) => fault(c, m, { type: "discard", message: m });
/** DuplicateMessage(m): the network delivers one more copy. */
export const duplicateMessage = (c: Cluster, m: Message) =>
  fault(c, m, { type: "send", message: m });

/** A spec action with its parameters, as data: what a scheduler chooses and a trace names. */
export type Action =
  | { readonly name: "ClientRequest"; readonly r: ReplicaId; readonly c: Command }
  | { readonly name: "Propose"; readonly r: ReplicaId; readonly c: Command }
  | { readonly name: "HandleDecision"; readonly r: ReplicaId; readonly m: Message }
  | { readonly name: "Perform"; readonly r: ReplicaId }
  | { readonly name: "LeaderTimeout"; readonly l: LeaderId }
  | { readonly name: "HandlePropose"; readonly l: LeaderId; readonly m: Message }
  | { readonly name: "HandleP1b"; readonly l: LeaderId; readonly m: Message }
  | { readonly name: "HandleP2b"; readonly l: LeaderId; readonly m: Message }
  | { readonly name: "RestartLeader"; readonly l: LeaderId }
  | { readonly name: "HandleP1a"; readonly a: AcceptorId; readonly m: Message }
  | { readonly name: "HandleP2a"; readonly a: AcceptorId; readonly m: Message }
  | { readonly name: "DropMessage"; readonly m: Message }
  | { readonly name: "DuplicateMessage"; readonly m: Message };

export type ActionName = Action["name"];

export const actionNames: ReadonlyArray<ActionName> = [
  "ClientRequest",
  "Propose",
  "HandleDecision",
  "Perform",
  "LeaderTimeout",
  "HandlePropose",
  "HandleP1b",
  "HandleP2b",
  "RestartLeader",
  "HandleP1a",
  "HandleP2a",
  "DropMessage",
  "DuplicateMessage",
];

/** Perform an action given as data; None when its guard is false. */
export function step(c: Cluster, a: Action): O.Option<ClusterStep> {
  switch (a.name) {
    case "ClientRequest":
      return clientRequest(c, a.r, a.c);
    case "Propose":
      return propose(c, a.r, a.c);
    case "HandleDecision":
      return handleDecision(c, a.r, a.m);
    case "Perform":
      return perform(c, a.r);
    case "LeaderTimeout":
      return leaderTimeout(c, a.l);
    case "HandlePropose":
      return handlePropose(c, a.l, a.m);
    case "HandleP1b":
      return handleP1b(c, a.l, a.m);
    case "HandleP2b":
      return handleP2b(c, a.l, a.m);
    case "RestartLeader":
      return restartLeader(c, a.l);
    case "HandleP1a":
      return handleP1a(c, a.a, a.m);
    case "HandleP2a":
      return handleP2a(c, a.a, a.m);
    case "DropMessage":
      return dropMessage(c, a.m);
    case "DuplicateMessage":
      return duplicateMessage(c, a.m);
    default:
      return absurd(a);
  }
}

/**
 * The handler a message in flight enables at its receiver: every message has exactly one
 * (its type names the role, its mdest the process). None for a receiver outside the cluster.
 */
export function receive(c: Cluster, m: Message): O.Option<Action> {
  const d = m.mdest;
  return match(m)
    .with({ mtype: "propose" }, () =>
      c.leaders.has(d) ? O.some<Action>({ name: "HandlePropose", l: d, m }) : O.none,
    )
    .with({ mtype: "p1b" }, () =>
      c.leaders.has(d) ? O.some<Action>({ name: "HandleP1b", l: d, m }) : O.none,
    )
    .with({ mtype: "p2b" }, () =>
      c.leaders.has(d) ? O.some<Action>({ name: "HandleP2b", l: d, m }) : O.none,
    )
    .with({ mtype: "p1a" }, () =>
      c.acceptors.has(d) ? O.some<Action>({ name: "HandleP1a", a: d, m }) : O.none,
    )
    .with({ mtype: "p2a" }, () =>
      c.acceptors.has(d) ? O.some<Action>({ name: "HandleP2a", a: d, m }) : O.none,
    )
    .with({ mtype: "decision" }, () =>
      c.replicas.has(d) ? O.some<Action>({ name: "HandleDecision", r: d, m }) : O.none,
    )
    .exhaustive();
}

/**
 * Every enabled action of the cluster, given the commands clients may request (the spec's
 * Commands, or whatever the driver's clients offer next). The order is deterministic:
 * replicas, leaders, then messages in canonical order.
 */
export function enabledActions(
  c: Cluster,
  commands: ReadonlyArray<Command>,
): ReadonlyArray<Action> {
  const out: Action[] = [];
  for (const [r, s] of c.replicas) {
    for (const cmd of commands) out.push({ name: "ClientRequest", r, c: cmd });
    for (const cmd of s.requests)
      if (O.isSome(R.propose(c.env, s, cmd))) out.push({ name: "Propose", r, c: cmd });
    if (O.isSome(R.perform(c.env, s))) out.push({ name: "Perform", r });
  }
  for (const l of c.leaders.keys())
    out.push({ name: "LeaderTimeout", l }, { name: "RestartLeader", l });
  for (const m of domain(c.messages)) {
    const h = receive(c, m);
    if (O.isSome(h)) out.push(h.value);
    out.push({ name: "DropMessage", m }, { name: "DuplicateMessage", m });
  }
  return out;
}
