/**
 * Histories from the real service, checked for linearizability: for every protocol that runs
 * as a service, a 3-node cluster on loopback, 4 concurrent clients sharing one recorder (one
 * clock) doing a seeded mix of get/put/cas/delete on 3 keys, and the leader killed (kill -9)
 * midway and restarted, so that some operations are retried on another node or time out
 * (pending). The recorded history must be linearizable under the kv model; and the same history
 * with one read corrupted must not be, with the checker naming that read's key. Bounded: the
 * workload runs for a fixed time, every call has a deadline, and every process is stopped here.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Prng } from "../../src/core/prng.js";
import { check } from "../../src/history/check.js";
import { main } from "../../src/history/cli.js";
import {
  encodeHistory,
  type History,
  HistoryRecorder,
  type Operation,
} from "../../src/history/history.js";
import { type KvInput, type KvOutput, kv } from "../../src/history/models.js";
import { protocols } from "../../src/registry.js";
import { KvClient } from "../../src/runtime/client.js";
import { freePorts, LocalCluster } from "../../src/runtime/cluster.js";

const WORKLOAD_MS = 5000;
const KILL_AT_MS = 2000;
const DOWN_MS = 800;
const CLIENTS = 4;
const KEYS = ["x", "y", "z"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), "lockstep-history-cluster-"));
const clusters: LocalCluster[] = [];
afterAll(async () => {
  for (const c of clusters) {
    await c.stop();
    rmSync(c.data, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
});

type KvOperation = Operation<KvInput, KvOutput>;
const completed = (ops: ReadonlyArray<KvOperation>) => ops.filter((o) => o.return !== null);

/** One client's workload: until `stopped`, a seeded mix on KEYS; values are unique per write. */
async function workload(client: KvClient, rng: Prng, stopped: () => boolean): Promise<void> {
  // The last value this client saw per key, so that some cas ops expect the right one.
  const seen = new Map<string, string | null>();
  for (let n = 0; !stopped(); n++) {
    const key = rng.pick(KEYS);
    const r = rng.next();
    const value = `${client.client}.${n}`;
    const op: KvInput =
      r < 0.35
        ? { op: "get", key }
        : r < 0.65
          ? { op: "put", key, value }
          : r < 0.85
            ? { op: "cas", key, expected: seen.get(key) ?? null, value }
            : { op: "delete", key };
    try {
      const res = await client.call(op);
      const before = res.value ?? null;
      seen.set(
        key,
        op.op === "get"
          ? before
          : op.op === "put" || (op.op === "cas" && res.swapped === true)
            ? value
            : op.op === "delete"
              ? null
              : before,
      );
    } catch {
      // Past its deadline: recorded as pending; carry on with the next operation.
    }
  }
}

/** Run the CLI in-process on a history file; its exit code and output. */
async function linearizable(file: string) {
  let stdout = "";
  let stderr = "";
  const code = await main([file, "--budget-ms", "30000"], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/** The history with operation `id`'s output replaced. */
const withOutput = (
  h: History<KvInput, KvOutput>,
  id: number,
  output: KvOutput,
): ReadonlyArray<KvOperation> => h.ops.map((o) => (o.id === id ? { ...o, output } : o));

for (const p of protocols().filter((x) => x.service !== undefined)) {
  describe(`${p.name} as a service, its history`, () => {
    let recorded: History<KvInput, KvOutput> | undefined;

    it("is linearizable under the kv model through a kill -9 of the leader and its restart", async () => {
      const log: string[] = [];
      const c = await LocalCluster.start({
        nodes: 3,
        ports: await freePorts(3),
        protocol: p.name,
        log: (l) => log.push(l),
      });
      clusters.push(c);
      await c.waitLeader();
      const history = new HistoryRecorder<KvInput, KvOutput>("kv");
      const clients = Array.from(
        { length: CLIENTS },
        (_, k) =>
          // Half the clients give up sooner than a new leader is elected, so that the ops in
          // flight at the kill end pending; the rest outlast it, retried on another node.
          new KvClient(c.peers, {
            client: `c${k + 1}`,
            timeoutMs: 150,
            deadlineMs: k % 2 === 0 ? 300 : 3000,
            history,
          }),
      );
      let stop = false;
      const running = clients.map((cl, k) => workload(cl, new Prng(100 + k), () => stop));
      let victim: string | undefined;
      try {
        await sleep(KILL_AT_MS);
        victim = await c.waitLeader();
        await c.kill(victim);
        await sleep(DOWN_MS);
        await c.startNode(victim);
        await sleep(WORKLOAD_MS - KILL_AT_MS - DOWN_MS);
      } finally {
        stop = true;
        await Promise.all(running);
        for (const cl of clients) cl.close();
      }
      await c.stop();

      const h = history.toHistory();
      recorded = h;
      const done = completed(h.ops).length;
      const t0 = performance.now();
      const r = check(kv, h.ops, { ms: 30_000 });
      const checkMs = performance.now() - t0;
      expect(r.verdict).toBe("linearizable");
      expect(done).toBeGreaterThan(50);
      expect(victim).toBeDefined();
      // Every key was both written and read, so the check had something to hold to.
      for (const key of KEYS)
        for (const op of ["get", "put"])
          expect(
            h.ops.some((o) => o.input.key === key && o.input.op === op && o.return !== null),
            `${op} ${key}`,
          ).toBe(true);

      // The same history through the CLI's entry, as a file.
      const file = join(dir, `${p.name}.ndjson`);
      writeFileSync(file, encodeHistory(h));
      const cli = await linearizable(file);
      expect(cli.stderr).toBe("");
      expect(cli.code).toBe(0);
      expect(cli.stdout).toContain(`linearizable: ${h.ops.length} operations (model kv`);
      console.log(
        `${p.name} history: ${h.ops.length} operations (${done} completed, ${h.ops.length - done} pending) from ${CLIENTS} clients, leader ${victim} killed; checked in ${checkMs.toFixed(1)} ms`,
      );
    }, 60_000);

    it("is rejected with one read corrupted, naming that read's key", () => {
      if (recorded === undefined) throw new Error("no history was recorded");
      const h = recorded;
      const ops = completed(h.ops);

      // A read answering a value no operation ever wrote.
      const read = ops.find((o) => o.input.op === "get" && o.output?.value !== null);
      if (read === undefined) throw new Error("no completed read of a value to corrupt");
      const never = check(kv, withOutput(h, read.id, { value: "never written" }), { ms: 30_000 });
      expect(never.verdict).toBe("violation");
      if (never.verdict !== "violation") return;
      expect(never.partition).toBe(read.input.key);
      // The minimal sub-history is about that read: it holds it.
      expect(never.minimal.map((o) => o.id)).toContain(read.id);

      // A stale read: a value written by a put (or a cas that swapped) that a later put
      // overwrote, both completed before the read was called. Values are unique per write, so
      // no other operation could have written it again.
      const writes = (o: KvOperation) =>
        o.input.op === "put" || (o.input.op === "cas" && o.output?.swapped === true);
      let stale: { read: KvOperation; value: string } | undefined;
      const precedes = (a: KvOperation, b: KvOperation) => (a.return as number) < b.call;
      find: for (const g of ops) {
        if (g.input.op !== "get") continue;
        const key = g.input.key;
        for (const over of ops) {
          if (over.input.key !== key || over.input.op !== "put" || !precedes(over, g)) continue;
          for (const old of ops)
            if (
              old.input.key === key &&
              writes(old) &&
              precedes(old, over) &&
              "value" in old.input &&
              old.input.value !== g.output?.value
            ) {
              stale = { read: g, value: old.input.value };
              break find;
            }
        }
      }
      if (stale === undefined) throw new Error("no read after two ordered writes to corrupt");
      const r = check(kv, withOutput(h, stale.read.id, { value: stale.value }), { ms: 30_000 });
      expect(r.verdict).toBe("violation");
      if (r.verdict !== "violation") return;
      expect(r.partition).toBe(stale.read.input.key);
      expect(r.minimal.map((o) => o.id)).toContain(stale.read.id);
    });
  });
}
