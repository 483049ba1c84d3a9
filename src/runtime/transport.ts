/**
 * TCP between the processes of one cluster (node:net): a listener whose connections deliver
 * frames to a handler, and one outgoing link per peer that reconnects with exponential backoff.
 * A link that is down drops what it is asked to send (the protocols tolerate message loss and
 * resend). A connection whose byte stream is not a sequence of frames is logged in one line and
 * closed; nothing a peer sends can crash the process.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { encodeFrame, FrameDecoder } from "./frames.js";

export interface Address {
  readonly host: string;
  readonly port: number;
}

export const showAddress = (a: Address): string => `${a.host}:${a.port}`;

/** A connection's frames go to `onFrame`; `reply` writes a frame back on the same connection. */
export type FrameHandler = (
  frame: unknown,
  reply: (frame: unknown) => void,
  close: (why: string) => void,
) => void;

/** Listen on `addr`; resolves once listening (rejects with the listen error, e.g. EADDRINUSE). */
export function listen(
  addr: Address,
  onFrame: FrameHandler,
  log: (line: string) => void,
): Promise<{ readonly server: Server; readonly close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const close = (why: string) => {
      log(`dropped a frame from ${peer} and closed the connection: ${why}`);
      socket.destroy();
    };
    const reply = (frame: unknown) => {
      if (!socket.destroyed) socket.write(encodeFrame(frame));
    };
    socket.on("data", (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) {
        if (socket.destroyed) return;
        if (!f.ok) return close(f.reason);
        onFrame(f.value, reply, close);
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(addr.port, addr.host, () => {
      server.off("error", reject);
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Reconnect delays: doubling from the first to the last, then staying there. */
export const BACKOFF: readonly [number, number] = [50, 1000];

/** An outgoing link to one peer, kept connected. */
export class Link {
  private socket: Socket | undefined;
  private connected = false;
  private delay = BACKOFF[0];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly addr: Address,
    private readonly onDown: (why: string) => void = () => {},
  ) {
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    const s = createConnection({ host: this.addr.host, port: this.addr.port });
    this.socket = s;
    s.setNoDelay(true);
    s.on("connect", () => {
      this.connected = true;
      this.delay = BACKOFF[0];
    });
    // Peers never answer on this connection; drain whatever comes.
    s.on("data", () => {});
    s.on("error", () => {});
    s.on("close", () => {
      const was = this.connected;
      this.connected = false;
      if (was) this.onDown(`connection to ${showAddress(this.addr)} closed`);
      if (this.closed) return;
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, BACKOFF[1]);
    });
  }

  get up(): boolean {
    return this.connected;
  }

  /** Send a frame if connected (false: dropped). */
  send(frame: unknown): boolean {
    if (!this.connected || this.socket === undefined) return false;
    this.socket.write(encodeFrame(frame));
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.socket?.destroy();
  }
}
