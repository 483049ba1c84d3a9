/** Builders for Raft unit tests: environments, nodes in chosen states, scripted cluster runs. */
import * as O from "fp-ts/lib/Option.js";
import { expect } from "vitest";
import type { ServerId } from "../../src/core/ids.js";
import { toArray } from "../../src/raft/bag.js";
import { type Action, type Cluster, initCluster, perform } from "../../src/raft/cluster.js";
import { configEntry, valueEntry } from "../../src/raft/log.js";
import { initialNode } from "../../src/raft/node.js";
import {
  type Bugs,
  type Entry,
  type Env,
  type Message,
  type NodeStep,
  noBugs,
  type RaftNode,
} from "../../src/raft/types.js";

export const S3 = ["s1", "s2", "s3"] as const;

export const env = (
  o: {
    servers?: ReadonlyArray<ServerId>;
    initConfig?: ReadonlyArray<ServerId>;
    bugs?: Partial<Bugs>;
  } = {},
): Env => {
  const servers = o.servers ?? S3;
  return { servers, initConfig: o.initConfig ?? servers, bugs: { ...noBugs, ...o.bugs } };
};

/** A node of `e` with the given fields overriding Init's. */
export function node(
  e: Env,
  id: ServerId,
  o: {
    term?: number;
    votedFor?: ServerId;
    log?: ReadonlyArray<Entry>;
    state?: RaftNode["volatile"]["state"];
    commitIndex?: number;
    votesGranted?: ReadonlyArray<ServerId>;
    nextIndex?: Readonly<Record<ServerId, number>>;
    matchIndex?: Readonly<Record<ServerId, number>>;
  } = {},
): RaftNode {
  const n = initialNode(e, id);
  const map = (base: ReadonlyMap<ServerId, number>, over?: Readonly<Record<ServerId, number>>) =>
    over === undefined ? base : new Map([...base, ...Object.entries(over)]);
  return {
    id,
    persistent: {
      currentTerm: o.term ?? 0,
      votedFor: o.votedFor === undefined ? O.none : O.some(o.votedFor),
      log: o.log ?? [],
    },
    volatile: {
      ...n.volatile,
      state: o.state ?? "Follower",
      commitIndex: o.commitIndex ?? 0,
      lastApplied: o.commitIndex ?? 0,
      votesGranted: o.votesGranted ?? [],
      nextIndex: map(n.volatile.nextIndex, o.nextIndex),
      matchIndex: map(n.volatile.matchIndex, o.matchIndex),
    },
  };
}

/** Entries written compactly: a number is a value entry of that term, [t, old, new] a config. */
export const log = (
  ...xs: ReadonlyArray<number | readonly [number, ReadonlyArray<ServerId>, ReadonlyArray<ServerId>]>
): ReadonlyArray<Entry> =>
  xs.map((x, k) =>
    typeof x === "number" ? valueEntry(x, `v${k + 1}`) : configEntry(x[0], x[1], x[2]),
  );

/** The step of an enabled action; fails the test when the guard is false. */
export function some(s: O.Option<NodeStep>): NodeStep {
  if (O.isNone(s)) throw new Error("expected the action to be enabled");
  return s.value;
}

export const sent = (s: NodeStep): ReadonlyArray<Message> =>
  s.effects.flatMap((e) => (e.type === "send" ? [e.message] : []));

export const effectTypes = (s: NodeStep): ReadonlyArray<string> => s.effects.map((e) => e.type);

/** Perform an action that must be enabled. */
export function exec(c: Cluster, a: Action): Cluster {
  const s = perform(c, a);
  if (O.isNone(s)) throw new Error(`disabled: ${a.name} ${JSON.stringify(a)}`);
  return s.value.next;
}

/** The single message in flight matching `p`. */
export function msg(c: Cluster, p: (m: Message) => boolean): Message {
  const ms = toArray(c.messages).filter(p);
  expect(ms.length, "exactly one matching message in flight").toBeGreaterThan(0);
  return ms[0] as Message;
}

export const to = (dest: ServerId, mtype: Message["mtype"]) => (m: Message) =>
  m.mdest === dest && m.mtype === mtype;

/** Deliver the oldest-first... any message to `dest` of type `mtype`: UpdateTerm first if newer. */
export function deliver(c: Cluster, dest: ServerId, mtype: Message["mtype"]): Cluster {
  const m = msg(c, to(dest, mtype));
  const n = c.nodes.get(dest) as RaftNode;
  const c1 = m.mterm > n.persistent.currentTerm ? exec(c, { name: "UpdateTerm", m }) : c;
  const handler = (
    {
      RequestVoteRequest: "HandleRequestVoteRequest",
      RequestVoteResponse: "HandleRequestVoteResponse",
      AppendEntriesRequest: "HandleAppendEntriesRequest",
      AppendEntriesResponse: "HandleAppendEntriesResponse",
      InstallSnapshotRequest: "HandleInstallSnapshotRequest",
    } as const
  )[mtype];
  return exec(c1, { name: handler, m });
}

/** i wins an election with the votes of `voters`. */
export function elect(c: Cluster, i: ServerId, voters: ReadonlyArray<ServerId>): Cluster {
  let x = exec(c, { name: "Timeout", i });
  for (const j of voters) {
    x = exec(x, { name: "RequestVote", i, j });
    x = deliver(x, j, "RequestVoteRequest");
    x = deliver(x, i, "RequestVoteResponse");
  }
  return exec(x, { name: "BecomeLeader", i });
}

/** Leader i sends j one AppendEntries and handles the answer. */
export function replicate(c: Cluster, i: ServerId, j: ServerId): Cluster {
  const x = exec(c, { name: "AppendEntries", i, j });
  return deliver(deliver(x, j, "AppendEntriesRequest"), i, "AppendEntriesResponse");
}

export const fresh = (e: Env = env()): Cluster => initCluster(e);

export const nodeAt = (c: Cluster, i: ServerId): RaftNode => c.nodes.get(i) as RaftNode;
