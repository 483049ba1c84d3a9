/**
 * Cluster-level Multi-Paxos: the spec's whole state (replicas, leaders with their scouts and
 * commanders, acceptors, the message bag), one transition per spec action, and the actions
 * enabled in a state. A transition runs the role-level action (replica.ts, leader.ts,
 * acceptor.ts) on the process it concerns and applies the network's share of the effects
 * (send, discard) to the bag; the other effects (persist, apply) are passed on for the runtime
 * to perform.
 */
import { absurd } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import { mapWith } from "../core/maps.js";
import type { Step } from "../core/step.js";
import * as A from "./acceptor.js";
import { type Bag, domain, emptyBag, has, withMessage, withoutMessage } from "./bag.js";
import * as L from "./leader.js";
import * as R from "./replica.js";
import type { RoleAction } from "./role.js";
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
  SlotCmd,
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
export type ClusterStep = Step<Cluster, Effect>;

/** The spec's Init. */
export const initCluster = (env: Env): Cluster => ({
  env,
  replicas: new Map(env.replicas.map((r) => [r, R.initialReplica(env, r)])),
  leaders: new Map(env.leaderOrder.map((l) => [l, L.initialLeader(l)])),
  acceptors: new Map(env.acceptors.map((a) => [a, A.initialAcceptor(env, a)])),
  messages: emptyBag,
});

/** A spec action with its parameters, as data: what a scheduler chooses and a trace names. */
export type Action =
  | { readonly name: "ClientRequest"; readonly r: ReplicaId; readonly c: Command }
  | { readonly name: "Propose"; readonly r: ReplicaId; readonly c: Command }
  | { readonly name: "ResendPropose"; readonly r: ReplicaId; readonly p: SlotCmd }
  | { readonly name: "HandleDecision"; readonly r: ReplicaId; readonly m: Message }
  | { readonly name: "Perform"; readonly r: ReplicaId }
  | { readonly name: "ReportExecuted"; readonly r: ReplicaId }
  | { readonly name: "HandleCollected"; readonly r: ReplicaId; readonly m: Message }
  | { readonly name: "LeaderTimeout"; readonly l: LeaderId }
  | { readonly name: "HandlePropose"; readonly l: LeaderId; readonly m: Message }
  | { readonly name: "HandleP1b"; readonly l: LeaderId; readonly m: Message }
  | { readonly name: "HandleP2b"; readonly l: LeaderId; readonly m: Message }
  | { readonly name: "RestartLeader"; readonly l: LeaderId }
  | { readonly name: "HandleP1a"; readonly a: AcceptorId; readonly m: Message }
  | { readonly name: "HandleP2a"; readonly a: AcceptorId; readonly m: Message }
  | { readonly name: "HandleExecuted"; readonly a: AcceptorId; readonly m: Message }
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
    case "persistLeader":
    case "persistAcceptor":
    case "apply":
      return bag;
    default:
      return absurd(e);
  }
}

/** The processes of each role, by the cluster field holding them. */
interface Roles {
  readonly replicas: ReplicaState;
  readonly leaders: LeaderState;
  readonly acceptors: AcceptorState;
}
type Role = keyof Roles;

/** Run a role-level action on process `id` of `role`. */
function onProcess<K extends Role, Args extends ReadonlyArray<unknown>>(
  c: Cluster,
  role: K,
  id: string,
  action: RoleAction<Roles[K], Args>,
  ...args: Args
): O.Option<ClusterStep> {
  const procs = c[role] as ReadonlyMap<string, Roles[K]>;
  const s = procs.get(id);
  if (s === undefined || !action.enabled(c.env, s, ...args)) return O.none;
  const st = action.next(c.env, s, ...args);
  const next: Cluster = {
    ...c,
    [role]: st.state === s ? procs : mapWith(procs, id, st.state),
    messages: st.effects.reduce(network, c.messages),
  };
  return O.some({ next, effects: st.effects });
}

/** A handler runs only on a message in flight (`m \in DOMAIN messages`). */
const onMessage = <K extends Role>(
  c: Cluster,
  m: Message,
  role: K,
  id: string,
  action: RoleAction<Roles[K], [Message]>,
): O.Option<ClusterStep> => (has(c.messages, m) ? onProcess(c, role, id, action, m) : O.none);

/** A fault of the network itself: one effect on the bag, no process involved. */
const fault = (c: Cluster, m: Message, e: Effect): O.Option<ClusterStep> =>
  has(c.messages, m)
    ? O.some({ next: { ...c, messages: network(c.messages, e) }, effects: [e] })
    : O.none;

/** Each action's transition, by name: the TS side of the spec's Next. */
export const transitions: {
  readonly [K in ActionName]: (c: Cluster, a: ActionOf<K>) => O.Option<ClusterStep>;
} = {
  ClientRequest: (c, a) => onProcess(c, "replicas", a.r, R.clientRequest, a.c),
  Propose: (c, a) => onProcess(c, "replicas", a.r, R.propose, a.c),
  ResendPropose: (c, a) => onProcess(c, "replicas", a.r, R.resendPropose, a.p),
  HandleDecision: (c, a) => onMessage(c, a.m, "replicas", a.r, R.handleDecision),
  Perform: (c, a) => onProcess(c, "replicas", a.r, R.perform),
  ReportExecuted: (c, a) => onProcess(c, "replicas", a.r, R.reportExecuted),
  HandleCollected: (c, a) => onMessage(c, a.m, "replicas", a.r, R.handleCollected),
  LeaderTimeout: (c, a) => onProcess(c, "leaders", a.l, L.leaderTimeout),
  HandlePropose: (c, a) => onMessage(c, a.m, "leaders", a.l, L.handlePropose),
  HandleP1b: (c, a) => onMessage(c, a.m, "leaders", a.l, L.handleP1b),
  HandleP2b: (c, a) => onMessage(c, a.m, "leaders", a.l, L.handleP2b),
  RestartLeader: (c, a) => onProcess(c, "leaders", a.l, L.restartLeader),
  HandleP1a: (c, a) => onMessage(c, a.m, "acceptors", a.a, A.handleP1a),
  HandleP2a: (c, a) => onMessage(c, a.m, "acceptors", a.a, A.handleP2a),
  HandleExecuted: (c, a) => onMessage(c, a.m, "acceptors", a.a, A.handleExecuted),
  DropMessage: (c, a) => fault(c, a.m, { type: "discard", message: a.m }),
  DuplicateMessage: (c, a) => fault(c, a.m, { type: "send", message: a.m }),
};

/** Perform an action given as data; None when its guard is false. */
export const perform = (c: Cluster, a: Action): O.Option<ClusterStep> =>
  (transitions[a.name] as (c: Cluster, a: Action) => O.Option<ClusterStep>)(c, a);

/** The values the environment chooses among: the commands clients may request (Commands). */
export interface Inputs {
  readonly commands: ReadonlyArray<Command>;
}

/**
 * The enabled actions of replica r, each judged by its own guard, in the order of the spec's
 * Next: ClientRequest(r, c) for the inputs' commands, Propose(r, c) for the requests in
 * canonical order (no other command can be proposed), ResendPropose(r, p) for its proposals,
 * Perform(r), ReportExecuted(r).
 */
export function enabledAtReplica(c: Cluster, r: ReplicaId, inputs: Inputs): ReadonlyArray<Action> {
  const s = c.replicas.get(r);
  if (s === undefined) return [];
  const { env } = c;
  const out: Action[] = [];
  for (const cmd of inputs.commands)
    if (R.clientRequest.enabled(env, s, cmd)) out.push({ name: "ClientRequest", r, c: cmd });
  for (const cmd of s.requests)
    if (R.propose.enabled(env, s, cmd)) out.push({ name: "Propose", r, c: cmd });
  for (const p of s.proposals)
    if (R.resendPropose.enabled(env, s, p)) out.push({ name: "ResendPropose", r, p });
  if (R.perform.enabled(env, s)) out.push({ name: "Perform", r });
  if (R.reportExecuted.enabled(env, s)) out.push({ name: "ReportExecuted", r });
  return out;
}

/** The enabled actions of leader l that take no message: LeaderTimeout(l), RestartLeader(l). */
export function enabledAtLeader(c: Cluster, l: LeaderId): ReadonlyArray<Action> {
  const s = c.leaders.get(l);
  if (s === undefined) return [];
  const out: Action[] = [];
  if (L.leaderTimeout.enabled(c.env, s)) out.push({ name: "LeaderTimeout", l });
  if (L.restartLeader.enabled(c.env, s)) out.push({ name: "RestartLeader", l });
  return out;
}

/** A handler at the receiver of m, as the action it makes of m there. */
type Receiver = (c: Cluster, m: Message) => O.Option<Action>;

const at =
  <K extends Role>(
    role: K,
    action: RoleAction<Roles[K], [Message]>,
    make: (id: string, m: Message) => Action,
  ): Receiver =>
  (c, m) => {
    const s = (c[role] as ReadonlyMap<string, Roles[K]>).get(m.mdest);
    return s !== undefined && action.enabled(c.env, s, m) ? O.some(make(m.mdest, m)) : O.none;
  };

/** The handlers of messages, in the order of the spec's Next. */
const receivers: ReadonlyArray<Receiver> = [
  at("replicas", R.handleDecision, (r, m) => ({ name: "HandleDecision", r, m })),
  at("replicas", R.handleCollected, (r, m) => ({ name: "HandleCollected", r, m })),
  at("leaders", L.handlePropose, (l, m) => ({ name: "HandlePropose", l, m })),
  at("leaders", L.handleP1b, (l, m) => ({ name: "HandleP1b", l, m })),
  at("leaders", L.handleP2b, (l, m) => ({ name: "HandleP2b", l, m })),
  at("acceptors", A.handleP1a, (a, m) => ({ name: "HandleP1a", a, m })),
  at("acceptors", A.handleP2a, (a, m) => ({ name: "HandleP2a", a, m })),
  at("acceptors", A.handleExecuted, (a, m) => ({ name: "HandleExecuted", a, m })),
];

/** The receiver's enabled actions on m (a message's type names one handler: one at most). */
const receiversOf = (c: Cluster, m: Message): ReadonlyArray<Action> =>
  has(c.messages, m) ? RA.filterMap((h: Receiver) => h(c, m))(receivers) : [];

/**
 * The handler a message in flight enables at its receiver: every message has exactly one (its
 * type names the role, its mdest the process); None for a receiver outside the cluster.
 */
export const receive = (c: Cluster, m: Message): O.Option<Action> => RA.head(receiversOf(c, m));

/** The enabled actions on an in-flight message: its receiver's, then the network's faults. */
export const enabledOn = (c: Cluster, m: Message): ReadonlyArray<Action> =>
  has(c.messages, m)
    ? [...receiversOf(c, m), { name: "DropMessage", m }, { name: "DuplicateMessage", m }]
    : [];

/**
 * Every enabled action, for the given inputs: the replicas' in replica order, the leaders' in
 * LeaderOrder, then the bag's in canonical order.
 */
export const enabled = (c: Cluster, inputs: Inputs): ReadonlyArray<Action> => [
  ...c.env.replicas.flatMap((r) => enabledAtReplica(c, r, inputs)),
  ...c.env.leaderOrder.flatMap((l) => enabledAtLeader(c, l)),
  ...domain(c.messages).flatMap((m) => enabledOn(c, m)),
];
