/** Builders for Paxos tests: environments, commands, scripted cluster runs. */
import * as O from "fp-ts/lib/Option.js";
import { domain, toArray } from "../../src/paxos/bag.js";
import {
  type Action,
  type Cluster,
  type ClusterStep,
  initCluster,
  perform,
  receive,
} from "../../src/paxos/cluster.js";
import { clientCommand, reconfigCommand } from "../../src/paxos/operators.js";

import {
  type Bugs,
  type Command,
  type Env,
  type LeaderState,
  type Message,
  noBugs,
  type ReplicaState,
  type Step,
} from "../../src/paxos/types.js";

export const env = (
  o: { bugs?: Partial<Bugs>; window?: number; initLeaders?: ReadonlyArray<string> } = {},
): Env => ({
  acceptors: ["a1", "a2", "a3"],
  leaderOrder: ["l1", "l2"],
  replicas: ["r1", "r2"],
  initLeaders: o.initLeaders ?? ["l1", "l2"],
  window: o.window ?? 1,
  bugs: { ...noBugs, ...o.bugs },
});

export const v1 = clientCommand("v1");
export const v2 = clientCommand("v2");
export const toL2 = reconfigCommand(["l2"]);

export const fresh = (e: Env = env()): Cluster => initCluster(e);

/** The step of an enabled action; fails the test when the guard is false. */
export function some<S>(s: O.Option<Step<S>>): Step<S> {
  if (O.isNone(s)) throw new Error("expected the action to be enabled");
  return s.value;
}

/** A role-level action as a transition: None where its guard is false. */
export { run as act } from "../../src/paxos/role.js";

export const sent = <S>(s: Step<S>): ReadonlyArray<Message> =>
  s.effects.flatMap((e) => (e.type === "send" ? [e.message] : []));

/** Perform an action that must be enabled. */
export function exec(c: Cluster, a: Action): Cluster {
  return run(c, a).next;
}

export function run(c: Cluster, a: Action): ClusterStep {
  const s = perform(c, a);
  if (O.isNone(s)) throw new Error(`disabled: ${a.name} ${JSON.stringify(a)}`);
  return s.value;
}

/** Deliver, through its handler, every message now in flight that matches `p` (one copy each). */
export function deliver(c: Cluster, p: (m: Message) => boolean): Cluster {
  let x = c;
  for (const m of domain(c.messages).filter(p)) {
    const h = receive(x, m);
    if (O.isSome(h)) x = exec(x, h.value);
  }
  return x;
}

export const to =
  (dest: string, mtype?: Message["mtype"]) =>
  (m: Message): boolean =>
    m.mdest === dest && (mtype === undefined || m.mtype === mtype);

export const ofType =
  (mtype: Message["mtype"]) =>
  (m: Message): boolean =>
    m.mtype === mtype;

export const inFlight = (c: Cluster, p: (m: Message) => boolean): ReadonlyArray<Message> =>
  toArray(c.messages).filter(p);

export const replicaAt = (c: Cluster, r: string): ReplicaState => c.replicas.get(r) as ReplicaState;
export const leaderAt = (c: Cluster, l: string): LeaderState => c.leaders.get(l) as LeaderState;

/** l scouts and is adopted by `by` (acceptors answering its P1a). */
export function elect(c: Cluster, l: string, by: ReadonlyArray<string>): Cluster {
  let x = exec(c, { name: "LeaderTimeout", l });
  for (const a of by) x = deliver(x, (m) => m.mtype === "p1a" && m.msource === l && m.mdest === a);
  return deliver(x, to(l, "p1b"));
}

/** Replica r requests `cmd` and proposes it in its next free slot (skipping decided ones). */
export function request(c: Cluster, r: string, cmd: Command): Cluster {
  let x = exec(c, { name: "ClientRequest", r, c: cmd });
  for (let k = 0; k < 10 && replicaAt(x, r).requests.includes(cmd); k++)
    x = exec(x, { name: "Propose", r, c: cmd });
  return x;
}
