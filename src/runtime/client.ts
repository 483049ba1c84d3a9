/**
 * A client of the key-value service: one request at a time, each with the next sequence number
 * of this client's id; it follows redirects to the leader, and on a timeout or a dropped
 * connection tries the next node with the same sequence number (the service applies it once).
 */
import { randomUUID } from "node:crypto";
import { createConnection, type Socket } from "node:net";
import type { HistoryRecorder } from "../history/history.js";
import type { KvInput, KvOutput } from "../history/models.js";
import { encodeFrame, FrameDecoder } from "./frames.js";
import type { KvOp } from "./kv.js";
import type { Peer } from "./node.js";
import type { ClientRequest, ClientResponse } from "./wire.js";

export type Op = ClientRequest["op"];
export type Ok = Extract<ClientResponse, { ok: true }>;

export interface ClientOptions {
  readonly client?: string;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** In all, before a request fails. */
  readonly deadlineMs?: number;
  /**
   * Record each key-value operation `call` runs (not status, members, applied: the kv model
   * has no such operations), for the linearizability checker. Share one recorder between the
   * clients of a run, so that all their times are on its one clock.
   */
  readonly history?: HistoryRecorder<KvInput, KvOutput>;
}

const isKvOp = (op: Op): op is KvOp =>
  op.op === "get" || op.op === "put" || op.op === "delete" || op.op === "cas";

/** The service's answer as the kv model's output: the value before; cas: whether it swapped. */
const kvOutput = (r: Ok): KvOutput => ({
  value: r.value ?? null,
  ...(r.swapped === undefined ? {} : { swapped: r.swapped }),
});

class Connection {
  private readonly decoder = new FrameDecoder();
  private waiting: ((r: ClientResponse | undefined) => void) | undefined;
  private dead = false;

  constructor(
    readonly peer: Peer,
    private readonly socket: Socket,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) {
        const w = this.waiting;
        this.waiting = undefined;
        w?.(f.ok ? (f.value as ClientResponse) : undefined);
      }
    });
    const fail = () => {
      this.dead = true;
      const w = this.waiting;
      this.waiting = undefined;
      w?.(undefined);
    };
    socket.on("error", fail);
    socket.on("close", fail);
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** One request; undefined on a timeout or a broken connection. */
  request(req: ClientRequest, timeoutMs: number): Promise<ClientResponse | undefined> {
    if (this.dead) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.close();
        resolve(undefined);
      }, timeoutMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        resolve(r !== undefined && r.seq === req.seq ? r : undefined);
      };
      this.socket.write(encodeFrame(req));
    });
  }

  close(): void {
    this.dead = true;
    this.socket.destroy();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class KvClient {
  readonly client: string;
  private seq = 0;
  private target = 0;
  private conn: Connection | undefined;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly history: HistoryRecorder<KvInput, KvOutput> | undefined;

  constructor(
    readonly peers: ReadonlyArray<Peer>,
    o: ClientOptions = {},
  ) {
    this.client = o.client ?? randomUUID();
    this.timeoutMs = o.timeoutMs ?? 1000;
    this.deadlineMs = o.deadlineMs ?? 10_000;
    this.history = o.history;
  }

  private connection(peer: Peer): Connection {
    if (this.conn?.alive && this.conn.peer.id === peer.id) return this.conn;
    this.conn?.close();
    this.conn = new Connection(peer, createConnection({ host: peer.host, port: peer.port }));
    return this.conn;
  }

  /** Send `op` to the node `id` once (status, applied: that node's own view). */
  async at(id: string, op: Op): Promise<ClientResponse | undefined> {
    const peer = this.peers.find((p) => p.id === id);
    if (peer === undefined) throw new RangeError(`no node ${id}`);
    const req: ClientRequest = { kind: "req", client: this.client, seq: ++this.seq, op };
    return this.connection(peer).request(req, this.timeoutMs);
  }

  /**
   * Run `op` on the service: retried, redirected, applied once; throws after the deadline. With
   * a history, a key-value op is recorded from before its first attempt to its answer, or stays
   * pending when it throws: an attempt may have reached the leader and still commit.
   */
  async call(op: Op): Promise<Ok> {
    if (this.history === undefined || !isKvOp(op)) return this.run(op);
    const h = this.history;
    const handle = h.invoke(this.client, op);
    let r: Ok;
    try {
      r = await this.run(op);
    } catch (e) {
      h.pending(handle);
      throw e;
    }
    h.ok(handle, kvOutput(r));
    return r;
  }

  private async run(op: Op): Promise<Ok> {
    const req: ClientRequest = { kind: "req", client: this.client, seq: ++this.seq, op };
    const end = Date.now() + this.deadlineMs;
    let last = "no answer";
    while (Date.now() < end) {
      const peer = this.peers[this.target % this.peers.length] as Peer;
      const r = await this.connection(peer).request(req, this.timeoutMs);
      if (r?.ok === true) return r;
      if (r === undefined) last = `no answer from ${peer.id}`;
      else last = `${peer.id}: ${r.error}`;
      const leader = r?.ok === false ? r.leader : undefined;
      const k = leader === undefined ? -1 : this.peers.findIndex((p) => p.id === leader);
      if (k >= 0 && k !== this.target % this.peers.length) this.target = k;
      else {
        this.target++;
        await sleep(50);
      }
    }
    throw new Error(`request ${op.op} failed after ${this.deadlineMs} ms (${last})`);
  }

  close(): void {
    this.conn?.close();
    this.conn = undefined;
  }
}
