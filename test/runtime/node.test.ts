/**
 * One node in this process (a single-server cluster, on a port the test picks): a retried
 * request is applied once, a frame that does not decode closes its connection and nothing else,
 * and a restart comes back with the log.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { freePorts } from "../../src/runtime/cluster.js";
import { encodeFrame, FrameDecoder } from "../../src/runtime/frames.js";
import { decodeCommand } from "../../src/runtime/kv.js";
import { RunningNode } from "../../src/runtime/node.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-node-test-"));
const running: RunningNode[] = [];
afterAll(async () => {
  for (const n of running) await n.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw connection: frames out, frames in (in order). */
class Raw {
  readonly frames: unknown[] = [];
  closed = false;
  private readonly socket: Socket;
  constructor(port: number) {
    const d = new FrameDecoder();
    this.socket = createConnection({ host: "127.0.0.1", port });
    this.socket.on("data", (c: Buffer) => {
      for (const f of d.push(c)) if (f.ok) this.frames.push(f.value);
    });
    this.socket.on("close", () => {
      this.closed = true;
    });
    this.socket.on("error", () => {});
  }
  send(f: unknown): void {
    this.socket.write(encodeFrame(f));
  }
  async until(n: number): Promise<unknown[]> {
    for (let k = 0; k < 200 && this.frames.length < n && !this.closed; k++) await sleep(20);
    return this.frames;
  }
  close(): void {
    this.socket.destroy();
  }
}

for (const p of protocols().filter((x) => x.service !== undefined)) {
  describe(`${p.name}: one node`, async () => {
    const [port] = (await freePorts(1)) as [number];
    const start = async () => {
      const n = await RunningNode.start({
        id: "s1",
        peers: [{ id: "s1", host: "127.0.0.1", port }],
        data: join(dir, "s1"),
        factory: p.service as NonNullable<typeof p.service>,
        tickMs: 5,
        fsync: true,
        log: () => {},
      });
      running.push(n);
      return n;
    };
    const status = async () => {
      const c = new Raw(port);
      c.send({ kind: "req", client: "t", seq: 1, op: { op: "status" } });
      const [r] = await c.until(1);
      c.close();
      return (r as { info: { role: string } }).info;
    };
    const waitLeader = async () => {
      for (let k = 0; k < 200; k++) {
        if ((await status()).role === "Leader") return;
        await sleep(20);
      }
      throw new Error("no leader");
    };

    it("applies a request sent twice, and again later, once", async () => {
      await start();
      await waitLeader();
      const c = new Raw(port);
      const put = { kind: "req", client: "c1", seq: 1, op: { op: "put", key: "k", value: "v" } };
      c.send(put);
      c.send(put);
      const [a, b] = await c.until(2);
      expect(a).toMatchObject({ seq: 1, ok: true, value: null });
      expect(b).toMatchObject({ seq: 1, ok: true, value: null });
      c.send(put);
      c.send({ kind: "req", client: "c1", seq: 2, op: { op: "get", key: "k" } });
      c.send({ kind: "req", client: "c1", seq: 3, op: { op: "applied" } });
      const frames = (await c.until(5)).slice(2) as { seq: number }[];
      const bySeq = (k: number) => frames.find((f) => f.seq === k);
      expect(bySeq(1)).toMatchObject({ ok: true, value: null });
      expect(bySeq(2)).toMatchObject({ ok: true, value: "v" });
      const applied = (bySeq(3) as unknown as { info: (string | null)[] }).info.filter((v) => {
        const cmd = v === null ? undefined : decodeCommand(v);
        return cmd?.client === "c1" && cmd.seq === 1;
      });
      expect(applied).toHaveLength(1);
      c.close();
    });

    it("closes a connection whose frame does not decode, and keeps serving", async () => {
      const c = new Raw(port);
      c.send({ mtype: "AppendEntriesRequest", mterm: "one" });
      await c.until(1);
      expect(c.closed).toBe(true);
      const junk = new Raw(port);
      junk.send({ kind: "req", client: "x", seq: "a", op: {} });
      await junk.until(1);
      expect(junk.closed).toBe(true);
      expect((await status()).role).toBe("Leader");
    });

    it("comes back from its durable log after a restart", async () => {
      const n = running.pop() as RunningNode;
      await n.stop();
      await start();
      await waitLeader();
      const c = new Raw(port);
      c.send({ kind: "req", client: "c2", seq: 1, op: { op: "get", key: "k" } });
      const [r] = await c.until(1);
      expect(r).toMatchObject({ ok: true, value: "v" });
      c.close();
    });
  });
}
