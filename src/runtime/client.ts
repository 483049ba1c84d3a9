/**
 * A client of the key-value service: one request at a time, each with the next sequence number
 * of this client's id; it follows redirects to the leader, and on a timeout or a dropped
 * connection tries the next node with the same sequence number (the service applies it once).
 */
import { randomUUID } from "node:crypto";
import { createConnection, type Socket } from "node:net";
import { encodeFrame, FrameDecoder } from "./frames.js";
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
}

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

  constructor(
    readonly peers: ReadonlyArray<Peer>,
    o: ClientOptions = {},
  ) {
    this.client = o.client ?? randomUUID();
    this.timeoutMs = o.timeoutMs ?? 1000;
    this.deadlineMs = o.deadlineMs ?? 10_000;
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

  /** Run `op` on the service: retried, redirected, applied once; throws after the deadline. */
  async call(op: Op): Promise<Ok> {
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
