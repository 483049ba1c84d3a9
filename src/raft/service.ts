/**
 * Raft as a real service (src/runtime's ReplicaFactory): a Server (server.ts) stepped by the
 * runtime's ticks, peers' frames and clients' values, its ready batches turned into durable
 * records, frames and commits. Messages cross the wire and records the disk through the io-ts
 * codecs of codec.ts; a frame or record that does not decode is refused, never trusted.
 */
import { isLeft } from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { UserError } from "../core/errors.js";
import { idSet } from "../core/ids.js";
import type {
  Replica,
  ReplicaFactory,
  ReplicaOptions,
  TraceStart,
  TraceStep,
  Work,
} from "../runtime/service.js";
import { traceAbstraction } from "../sim/trace.js";
import { OwnState } from "../trace/node-trace.js";
import { actions, variables } from "./abstraction.js";
import type { Action, Cluster } from "./cluster.js";
import { Entry, Message, Nat, ServerIdC } from "./codec.js";
import { initialPersistent } from "./node.js";
import { persistDelta, type Ready } from "./ready.js";
import * as S from "./server.js";
import type { TimerConfig } from "./timers.js";
import { noBugs, type PersistentState, type RaftNode } from "./types.js";
import { serverSet } from "./values.js";

/** How actions appear in a trace: the abstraction's tables (abstraction.ts). */
const abstraction = traceAbstraction<Cluster, Action>(variables, actions);

/** The elements an action adds to the spec's set-valued constants: Value and NewConfigs. */
const constantsOf = (a: Action): TraceStep["constants"] =>
  a.name === "ClientRequest"
    ? { Value: { "#set": [a.v] } }
    : a.name === "Reconfigure"
      ? { NewConfigs: { "#set": [serverSet.itf(a.newSet)] } }
      : undefined;

/** A node's trace of its own spec actions (traces/FORMAT.md, "Per-node traces of real runs"). */
class NodeTrace {
  private readonly own: OwnState<RaftNode>;

  constructor(
    private readonly cfg: S.ServerConfig,
    id: string,
  ) {
    this.own = new OwnState(variables, id);
  }

  start(node: RaftNode): TraceStart {
    const i = node.id;
    return {
      protocol: "raft",
      constants: {
        Server: serverSet.itf(this.cfg.env.servers),
        InitConfig: serverSet.itf(this.cfg.env.initConfig),
        Value: { "#set": [] },
        NewConfigs: { "#set": [] },
      },
      logged: this.own.logged,
      init: this.own.stateJson(node),
      restart: {
        action: "Restart",
        params: abstraction.paramsJson({ name: "Restart", i }),
        updates: this.own.resetJson(node),
      },
    };
  }

  steps(taken: S.Stepped["taken"]): ReadonlyArray<TraceStep> {
    return taken.map(({ action, node }) => {
      const constants = constantsOf(action);
      return {
        action: action.name,
        params: abstraction.paramsJson(action),
        updates: this.own.updatesJson(node),
        ...(constants === undefined ? {} : { constants }),
      };
    });
  }
}

/** Timers of a real server, in ticks of the runtime's clock (10 ms by default). */
export const runtimeTimers: TimerConfig = {
  electionTimeout: [15, 30],
  maxBackoff: 3,
  heartbeat: 5,
  retry: 10,
};

/** The durable log's records: the hard state, and log entries replacing the log from an index. */
export const HardStateRecord = t.strict({
  type: t.literal("hard"),
  currentTerm: Nat,
  votedFor: t.union([ServerIdC, t.null]),
});
export const EntriesRecord = t.strict({
  type: t.literal("entries"),
  from: t.number,
  entries: t.array(Entry),
});
export const Record = t.union([HardStateRecord, EntriesRecord]);

const why = (errors: t.Errors): string => {
  const path = errors[0]?.context
    .map((c) => c.key)
    .filter((k) => k !== "" && !/^\d+$/.test(k))
    .join(".");
  return path ? `bad field ${path}` : "not a message of this protocol";
};

/** The persistent state the records describe, replayed in order. */
export function recover(records: ReadonlyArray<unknown>): PersistentState {
  let hard: Pick<PersistentState, "currentTerm" | "votedFor"> = initialPersistent;
  // Built in place: each record replaces a suffix, and copying the log per record would make
  // the replay quadratic in the log's length.
  const log: Entry[] = [];
  records.forEach((raw, k) => {
    const r = Record.decode(raw);
    if (isLeft(r)) throw new UserError(`durable log record ${k + 1}: ${why(r.left)}`);
    const rec = r.right;
    if (rec.type === "hard") {
      hard = { currentTerm: rec.currentTerm, votedFor: O.fromNullable(rec.votedFor) };
      return;
    }
    if (!Number.isInteger(rec.from) || rec.from < 1 || rec.from > log.length + 1)
      throw new UserError(
        `durable log record ${k + 1}: entries from index ${rec.from} of a log of ${log.length}`,
      );
    log.length = rec.from - 1;
    for (const e of rec.entries) log.push(e);
  });
  return { ...hard, log };
}

/** The records that take the durable log from `from` to `to`. */
export function recordsFor(from: PersistentState, to: PersistentState): ReadonlyArray<unknown> {
  const d = persistDelta(from, to);
  const out: unknown[] = [];
  if (O.isSome(d.hardState)) out.push({ type: "hard", ...d.hardState.value });
  if (O.isSome(d.entries))
    out.push({
      type: "entries",
      from: d.entries.value.from,
      entries: d.entries.value.entries.map((e) => Entry.encode(e)),
    });
  return out;
}

class RaftReplica implements Replica {
  private server: S.Server;
  private now = 0;
  /** The persistent state the durable log holds once the last work's records are written. */
  private durable: PersistentState;
  private readonly trace: NodeTrace | undefined;

  constructor(
    private readonly cfg: S.ServerConfig,
    id: string,
    persistent: PersistentState,
    seed: number,
    trace: boolean,
  ) {
    this.server = S.boot(cfg, id, persistent, seed, 0);
    this.durable = persistent;
    this.trace = trace ? new NodeTrace(cfg, id) : undefined;
  }

  traceStart(): TraceStart | undefined {
    return this.trace?.start(this.server.node);
  }

  private work(s: S.Stepped): Work {
    this.server = s.server;
    const r: Ready = s.ready;
    let records: ReadonlyArray<unknown> = [];
    if (O.isSome(r.persist)) {
      records = recordsFor(this.durable, r.persist.value);
      this.durable = r.persist.value;
    }
    return {
      records,
      send: r.messages.map((m) => ({ to: m.mdest, frame: Message.encode(m) })),
      reset: r.reset,
      commit: r.apply.map((a) => ({ index: a.index, value: a.entry.value })),
      ...(this.trace === undefined ? {} : { trace: this.trace.steps(s.taken) }),
    };
  }

  tick(): Work {
    this.now++;
    return this.work(S.tick(this.cfg, this.server, this.now));
  }

  receive(frame: unknown) {
    const m = Message.decode(frame);
    if (isLeft(m)) return { ok: false as const, reason: why(m.left) };
    return {
      ok: true as const,
      work: this.work(S.receive(this.cfg, this.server, m.right, this.now)),
    };
  }

  propose(value: string) {
    const s = S.propose(this.cfg, this.server, value, this.now);
    return O.isSome(s)
      ? { ok: true as const, work: this.work(s.value) }
      : { ok: false as const, reason: "not the leader", leader: this.leader() };
  }

  changeMembers(members: ReadonlyArray<string>) {
    const unknown = members.filter((m) => !this.cfg.env.servers.includes(m));
    if (unknown.length > 0 || members.length === 0)
      return {
        ok: false as const,
        reason: `members must be a non-empty subset of ${this.cfg.env.servers.join(",")}`,
        leader: this.leader(),
      };
    const s = S.reconfigure(this.cfg, this.server, idSet(members), this.now);
    if (O.isSome(s)) return { ok: true as const, work: this.work(s.value) };
    return {
      ok: false as const,
      reason: this.isLeader()
        ? "a membership change is in progress or uncommitted, or the set is the current one"
        : "not the leader",
      leader: this.leader(),
    };
  }

  leader(): string | undefined {
    return O.toUndefined(this.server.leader);
  }

  isLeader(): boolean {
    return this.server.node.volatile.state === "Leader";
  }

  status() {
    const { node } = this.server;
    const m = S.membership(this.cfg, this.server);
    return {
      id: node.id,
      term: node.persistent.currentTerm,
      role: node.volatile.state,
      leader: this.leader() ?? null,
      commitIndex: node.volatile.commitIndex,
      logLength: node.persistent.log.length,
      members: m.members,
      joint: m.joint,
    };
  }
}

export const raftService: ReplicaFactory = {
  create(o: ReplicaOptions): Replica {
    const servers = idSet(o.servers);
    const cfg: S.ServerConfig = {
      env: { servers, initConfig: idSet(o.initialMembers), bugs: noBugs },
      timers: runtimeTimers,
    };
    return new RaftReplica(cfg, o.id, recover(o.records), o.seed, o.trace === true);
  },
};
