/**
 * `npm run node -- --id s1 --peers s1=127.0.0.1:7001,s2=…,s3=… --data DIR`: one server of a
 * replicated key-value store, running the protocol's replica (its ReplicaFactory) for real:
 * its clock ticks every --tick ms, its durable log is DIR/wal.log, its peers and clients talk
 * to it over TCP on its address in --peers. The order of a replica's work is kept: records are
 * made durable (fsync) before any frame it produced is sent or any commit is applied, and the
 * work of inputs arriving together is written with one fsync (group commit).
 */
import { randomInt } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import { isLeft } from "fp-ts/lib/Either.js";
import { runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import { protocols } from "../registry.js";
import {
  applyCommand,
  decodeCommand,
  encodeCommand,
  initialService,
  type Command as KvCommand,
  type KvResult,
  type Service,
} from "./kv.js";
import type { Replica, ReplicaFactory, Work } from "./service.js";
import { openTrace, type TraceWriter, unstamp } from "./trace.js";
import { type Address, Link, listen, showAddress } from "./transport.js";
import { Wal, WalCorruption } from "./wal.js";
import {
  type ClientRequest,
  ClientRequest as ClientRequestC,
  type ClientResponse,
  isClientFrame,
} from "./wire.js";

export interface Peer extends Address {
  readonly id: string;
}

/** Parse "s1=127.0.0.1:7001,s2=127.0.0.1:7002"; a UserError names the bad part. */
export function parsePeers(text: string, flag = "--peers"): ReadonlyArray<Peer> {
  const parts = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0)
    throw new UserError(`${flag} is empty: give id=host:port,… (e.g. s1=127.0.0.1:7001)`);
  const peers = parts.map((p) => {
    const m = /^([A-Za-z0-9_-]+)=([^:=,\s]+):(\d{1,5})$/.exec(p);
    const port = Number(m?.[3]);
    if (m === null || port < 1 || port > 65535)
      throw new UserError(
        `${flag}: "${p}" is not id=host:port with a port from 1 to 65535 (e.g. s1=127.0.0.1:7001)`,
      );
    return { id: m[1] as string, host: m[2] as string, port };
  });
  const ids = new Set<string>();
  for (const p of peers) {
    if (ids.has(p.id)) throw new UserError(`${flag}: the id ${p.id} appears twice`);
    ids.add(p.id);
  }
  return peers;
}

/** The one protocol with a service, or the one named. */
export function serviceOf(name: string | undefined): {
  readonly name: string;
  readonly factory: ReplicaFactory;
} {
  const withService = protocols().filter((p) => p.service !== undefined);
  const p = name === undefined ? withService[0] : withService.find((x) => x.name === name);
  if (p?.service === undefined)
    throw new UserError(
      `--protocol ${name}: no such protocol runs as a service (available: ${withService.map((x) => x.name).join(", ")})`,
    );
  return { name: p.name, factory: p.service };
}

export interface NodeOptions {
  readonly id: string;
  readonly peers: ReadonlyArray<Peer>;
  readonly data: string;
  readonly members?: ReadonlyArray<string>;
  /** Where to dial some peers instead of their listening address (e.g. through a proxy). */
  readonly connect?: ReadonlyArray<Peer>;
  readonly factory: ReplicaFactory;
  /** Milliseconds per tick of the replica's clock. */
  readonly tickMs: number;
  readonly fsync: boolean;
  readonly log: (line: string) => void;
  /** Write this node's trace of its spec actions to this file (traces/FORMAT.md). */
  readonly trace?: string;
}

interface Waiter {
  readonly reply: (r: ClientResponse) => void;
  readonly seq: number;
}

/** A running node: its replica, durable log, listener and links. */
export class RunningNode {
  private service: Service = initialService;
  /** Values applied since start, by index - 1 (null: the protocol's own entries). */
  private readonly applied: (string | null)[] = [];
  /** Per request ("client:seq"): the connections waiting for its answer (a resend adds one). */
  private readonly waiters = new Map<string, Waiter[]>();
  private queue: Work[] = [];
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    readonly o: NodeOptions,
    private readonly wal: Wal,
    private readonly replica: Replica,
    private readonly links: ReadonlyMap<string, Link>,
    private closeListener: () => Promise<void>,
    private readonly trace: TraceWriter | undefined,
  ) {}

  static async start(o: NodeOptions): Promise<RunningNode> {
    const self = o.peers.find((p) => p.id === o.id);
    if (self === undefined)
      throw new UserError(
        `--id ${o.id} is not in --peers (${o.peers.map((p) => p.id).join(", ")})`,
      );
    const members = o.members ?? o.peers.map((p) => p.id);
    for (const m of members)
      if (!o.peers.some((p) => p.id === m))
        throw new UserError(`--members: ${m} is not in --peers`);
    mkdirSync(o.data, { recursive: true });
    const file = join(o.data, "wal.log");
    let opened: ReturnType<typeof Wal.open>;
    try {
      opened = Wal.open(file, { fsync: o.fsync });
    } catch (e) {
      if (e instanceof WalCorruption) throw new UserError(e.message);
      throw e;
    }
    if (opened.truncated !== undefined)
      o.log(
        `${file}: cut a torn record at byte offset ${opened.truncated.offset} (${opened.truncated.bytes} bytes)`,
      );
    const replica = o.factory.create({
      id: o.id,
      servers: o.peers.map((p) => p.id),
      initialMembers: members,
      records: opened.records,
      seed: randomInt(2 ** 32),
      ...(o.trace === undefined ? {} : { trace: true }),
    });
    let trace: TraceWriter | undefined;
    if (o.trace !== undefined) {
      try {
        trace = openTrace(
          o.trace,
          o.id,
          o.peers.map((p) => p.id),
          replica,
          opened.records.length,
        );
      } catch (e) {
        opened.wal.close();
        throw e;
      }
    }
    for (const d of o.connect ?? [])
      if (!o.peers.some((p) => p.id === d.id))
        throw new UserError(`--connect: ${d.id} is not in --peers`);
    const dial = (p: Peer) => o.connect?.find((d) => d.id === p.id) ?? p;
    const links = new Map(
      o.peers.filter((p) => p.id !== o.id).map((p) => [p.id, new Link(dial(p))]),
    );
    let node: RunningNode | undefined;
    let listener: Awaited<ReturnType<typeof listen>>;
    try {
      listener = await listen(self, (f, reply, close) => node?.onFrame(f, reply, close), o.log);
    } catch (e) {
      for (const l of links.values()) l.close();
      opened.wal.close();
      trace?.close();
      const code = (e as { code?: string }).code;
      if (code === "EADDRINUSE")
        throw new UserError(
          `${showAddress(self)} (${o.id} in --peers) is in use: stop what listens there or choose another port`,
        );
      if (code === "EADDRNOTAVAIL" || code === "EACCES")
        throw new UserError(`cannot listen on ${showAddress(self)} (${o.id} in --peers): ${code}`);
      throw e;
    }
    node = new RunningNode(o, opened.wal, replica, links, listener.close, trace);
    node.timer = setInterval(() => node?.perform(replica.tick()), o.tickMs);
    o.log(
      `${o.id} listening on ${showAddress(self)}, data ${o.data} (${opened.records.length} records recovered)`,
    );
    return node;
  }

  /** Queue a replica's work; it is done in order, a batch per turn of the event loop. */
  private perform(w: Work): void {
    if (this.stopped) return;
    this.trace?.steps(w);
    this.queue.push(w);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  /** Persist, then send, then apply: the order of the replica's ready batch. */
  private flush(): void {
    this.flushing = false;
    if (this.stopped) return;
    const batch = this.queue;
    this.queue = [];
    // The trace first (a write to the page cache, which kill -9 keeps), then the records: only
    // a kill between the two leaves the trace a batch ahead of the durable log.
    this.trace?.flush();
    this.wal.append(batch.flatMap((w) => w.records));
    for (const w of batch)
      for (const s of w.send) this.links.get(s.to)?.send(this.trace?.stamp(s.frame) ?? s.frame);
    for (const w of batch) {
      if (w.reset) {
        this.service = initialService;
        this.applied.length = 0;
      }
      for (const c of w.commit) this.apply(c.index, c.value);
    }
    if (!this.replica.isLeader()) this.refuseWaiters();
  }

  private apply(index: number, value: string | null): void {
    this.applied[index - 1] = value;
    if (value === null) return;
    const cmd = decodeCommand(value);
    if (cmd === undefined) {
      this.o.log(`entry ${index} is not a command of this service; skipped`);
      return;
    }
    const r = applyCommand(this.service, cmd);
    this.service = r.service;
    this.answer(cmd, r.result);
  }

  private answer(cmd: KvCommand, result: KvResult): void {
    const key = `${cmd.client}:${cmd.seq}`;
    const ws = this.waiters.get(key);
    if (ws === undefined) return;
    this.waiters.delete(key);
    for (const w of ws)
      w.reply({
        kind: "res",
        seq: cmd.seq,
        ok: true,
        value: result.value,
        ...(result.swapped === undefined ? {} : { swapped: result.swapped }),
      });
  }

  /** A node that lost leadership tells its waiting clients where to go; they resend. */
  private refuseWaiters(): void {
    for (const [key, ws] of this.waiters) {
      this.waiters.delete(key);
      for (const w of ws) w.reply(this.redirect(w.seq, "leadership lost; resend"));
    }
  }

  private redirect(seq: number, error: string): ClientResponse {
    const leader = this.replica.leader();
    const addr = this.o.peers.find((p) => p.id === leader);
    return {
      kind: "res",
      seq,
      ok: false,
      error,
      ...(leader === undefined ? {} : { leader }),
      ...(addr === undefined ? {} : { address: showAddress(addr) }),
    };
  }

  private onFrame(frame: unknown, reply: (f: unknown) => void, close: (why: string) => void): void {
    if (this.stopped) return;
    if (isClientFrame(frame)) {
      const r = ClientRequestC.decode(frame);
      if (isLeft(r)) close("not a client request of this service");
      else {
        const answer = this.onClient(r.right, reply);
        if (answer !== undefined) reply(answer);
      }
      return;
    }
    const r = this.replica.receive(
      this.trace === undefined ? unstamp(frame).frame : this.trace.receive(frame),
    );
    if (!r.ok) close(r.reason);
    else this.perform(r.work);
  }

  /** The answer to a client's request now, or undefined when it comes once the value commits. */
  private onClient(
    req: ClientRequest,
    reply: (f: ClientResponse) => void,
  ): ClientResponse | undefined {
    const { op, seq } = req;
    switch (op.op) {
      case "status":
        return { kind: "res", seq, ok: true, info: this.replica.status() };
      case "applied":
        return { kind: "res", seq, ok: true, info: this.applied };
      case "members": {
        const r = this.replica.changeMembers(op.members);
        if (!r.ok) return this.redirect(seq, r.reason);
        this.perform(r.work);
        return { kind: "res", seq, ok: true, info: "membership change started" };
      }
      default: {
        if (!this.replica.isLeader()) return this.redirect(seq, "not the leader");
        const last = this.service.sessions.get(req.client);
        if (last !== undefined && seq <= last.seq) {
          // Applied already: the stored result (a retried request is applied once).
          if (seq < last.seq)
            return {
              kind: "res",
              seq,
              ok: false,
              error: "stale request (a later one was applied)",
            };
          const { value, swapped } = last.result;
          return {
            kind: "res",
            seq,
            ok: true,
            value,
            ...(swapped === undefined ? {} : { swapped }),
          };
        }
        const key = `${req.client}:${seq}`;
        const waiting = this.waiters.get(key);
        if (waiting !== undefined) {
          // Proposed already: this connection is answered too when it commits.
          waiting.push({ reply, seq });
          return undefined;
        }
        this.waiters.set(key, [{ reply, seq }]);
        const r = this.replica.propose(encodeCommand({ client: req.client, seq, op }));
        if (!r.ok) {
          this.waiters.delete(key);
          return this.redirect(seq, r.reason);
        }
        this.perform(r.work);
        return undefined;
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const l of this.links.values()) l.close();
    await this.closeListener();
    this.closeListener = async () => {};
    this.wal.close();
    this.trace?.close();
  }
}

export async function main(
  argv: ReadonlyArray<string>,
  io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const cmd = new Command("node")
    .description("Run one server of a replicated key-value store (TCP, durable log)")
    .requiredOption("--id <id>", "this server's id, one of --peers")
    .requiredOption(
      "--peers <list>",
      "every server: id=host:port,… (e.g. s1=127.0.0.1:7001,s2=127.0.0.1:7002)",
    )
    .requiredOption("--data <dir>", "directory of this server's durable log (created if missing)")
    .option("--members <list>", "the members before any membership change (default: every peer)")
    .option(
      "--connect <list>",
      "id=host:port,…: where to dial these peers instead of their --peers address (e.g. a proxy)",
    )
    .option("--tick <ms>", "milliseconds per clock tick of the protocol's timers", "10")
    .option("--protocol <name>", "the protocol to run (default: the first that runs as a service)")
    .option("--no-fsync", "do not fsync the durable log (only to measure what fsync costs)")
    .option(
      "--trace <file>",
      "write this node's trace of its spec actions to <file> (appended to on a restart; npm run validate merges a run's files)",
    )
    .addOption(
      new Option(
        "--exit-with-parent",
        "exit when standard input closes (for cluster runners)",
      ).hideHelp(),
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runCommand(cmd, argv, io.stderr, async (c, signal) => {
    const o = c.opts<{
      connect?: string;
      id: string;
      peers: string;
      data: string;
      members?: string;
      tick: string;
      protocol?: string;
      fsync: boolean;
      exitWithParent?: boolean;
      trace?: string;
    }>();
    const tickMs = Number(o.tick);
    if (!Number.isInteger(tickMs) || tickMs < 1 || tickMs > 1000)
      throw new UserError(`--tick ${o.tick}: expected milliseconds from 1 to 1000`);
    const peers = parsePeers(o.peers);
    const members =
      o.members === undefined
        ? undefined
        : parsePeers(
            o.members
              .split(",")
              .map((m) => `${m}=x:1`)
              .join(","),
            "--members",
          ).map((p) => p.id);
    const { factory } = serviceOf(o.protocol);
    const log = (line: string) => io.stderr.write(`[${o.id}] ${line}\n`);
    const node = await RunningNode.start({
      id: o.id,
      peers,
      data: o.data,
      ...(members === undefined ? {} : { members }),
      ...(o.connect === undefined ? {} : { connect: parsePeers(o.connect, "--connect") }),
      factory,
      tickMs,
      fsync: o.fsync,
      log,
      ...(o.trace === undefined ? {} : { trace: o.trace }),
    });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve());
      if (o.exitWithParent === true) {
        process.stdin.on("end", () => resolve());
        process.stdin.on("close", () => resolve());
        process.stdin.resume();
      }
    });
    // A second signal (Ctrl-C reaches the whole group, then a runner's SIGTERM) must not cut
    // the shutdown short.
    const ignore = () => {};
    process.on("SIGINT", ignore).on("SIGTERM", ignore);
    try {
      await node.stop();
    } finally {
      process.off("SIGINT", ignore).off("SIGTERM", ignore);
    }
    // Standard input, when watched, would keep the process alive.
    process.stdin.destroy();
    log("stopped");
    return 0;
  });
}
