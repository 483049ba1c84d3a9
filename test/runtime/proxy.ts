/** A TCP proxy the test controls: it forwards to a target until cut, then refuses and drops. */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export class LinkProxy {
  private readonly sockets = new Set<Socket>();
  private cutOff = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(targetPort: number, port = 0): Promise<LinkProxy> {
    let proxy: LinkProxy | undefined;
    const server = createServer((inbound) => {
      if (proxy === undefined || proxy.cutOff) {
        inbound.destroy();
        return;
      }
      const p = proxy;
      const outbound = createConnection({ host: "127.0.0.1", port: targetPort });
      p.sockets.add(inbound);
      p.sockets.add(outbound);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      const end = () => {
        inbound.destroy();
        outbound.destroy();
        p.sockets.delete(inbound);
        p.sockets.delete(outbound);
      };
      for (const s of [inbound, outbound]) {
        s.on("error", end);
        s.on("close", end);
      }
    });
    return new Promise((resolve) => {
      server.listen(port, "127.0.0.1", () => {
        const a = server.address();
        proxy = new LinkProxy(server, typeof a === "object" && a !== null ? a.port : 0);
        resolve(proxy);
      });
    });
  }

  /** Drop every connection and refuse new ones. */
  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  heal(): void {
    this.cutOff = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((r) => this.server.close(() => r()));
  }
}
