/** Builders for Mencius tests: environments, scripted cluster runs, message filters. */
import * as O from "fp-ts/lib/Option.js";
import { domain } from "../../src/mencius/bag.js";
import {
  type Action,
  type Cluster,
  type ClusterStep,
  initCluster,
  perform,
  receive,
} from "../../src/mencius/cluster.js";
import {
  type Bugs,
  type Env,
  type Message,
  noBugs,
  type ServerState,
} from "../../src/mencius/types.js";

/** s1, s2, s3 in that round-robin order: s1 owns 1, 4, …; s2 owns 2, 5, …; s3 owns 3, 6, …. */
export const env = (o: { bugs?: Partial<Bugs>; servers?: ReadonlyArray<string> } = {}): Env => ({
  servers: o.servers ?? ["s1", "s2", "s3"],
  bugs: { ...noBugs, ...o.bugs },
});

export const fresh = (e: Env = env()): Cluster => initCluster(e);

export function run(c: Cluster, a: Action): ClusterStep {
  const s = perform(c, a);
  if (O.isNone(s)) throw new Error(`disabled: ${a.name} ${JSON.stringify(a)}`);
  return s.value;
}

/** Perform an action that must be enabled. */
export const exec = (c: Cluster, a: Action): Cluster => run(c, a).next;

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

export const from =
  (source: string, mtype?: Message["mtype"]) =>
  (m: Message): boolean =>
    m.msource === source && (mtype === undefined || m.mtype === mtype);

export const ofType =
  (mtype: Message["mtype"]) =>
  (m: Message): boolean =>
    m.mtype === mtype;

export const inFlight = (c: Cluster, p: (m: Message) => boolean): ReadonlyArray<Message> =>
  domain(c.messages).filter(p);

export const server = (c: Cluster, id: string): ServerState => {
  const s = c.servers.get(id);
  if (s === undefined) throw new Error(`no server ${id}`);
  return s;
};

/** Execute every instance server p can execute now. */
export function executeAll(c: Cluster, p: string): Cluster {
  let x = c;
  for (;;) {
    const s = perform(x, { name: "Execute", p });
    if (O.isNone(s)) return x;
    x = s.value.next;
  }
}
