/**
 * Real-process figures for `npm run bench -- --runtime`: committed writes per second and their
 * latency (p50/p99) for a 3-node loopback cluster with fsync on, against one node with the same
 * durable log (the cost of replication) and a 3-node cluster without fsync (the cost of the
 * disk); then the time from kill -9 of the leader until a write commits again.
 */
import { rmSync } from "node:fs";
import { KvClient } from "./client.js";
import { LocalCluster } from "./cluster.js";

const CLIENTS = 8;
const SECONDS = 5;
const KILLS = 3;

const pct = (xs: ReadonlyArray<number>, p: number) =>
  xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;

async function load(c: LocalCluster, seconds: number): Promise<{ writes: number; lat: number[] }> {
  const lat: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, k) => {
      const client = new KvClient(c.peers);
      try {
        for (let n = 0; Date.now() < end; n++) {
          const t0 = performance.now();
          await client.call({ op: "put", key: `k${k}`, value: `v${n}` });
          lat.push(performance.now() - t0);
        }
      } finally {
        client.close();
      }
    }),
  );
  return { writes: lat.length, lat: lat.sort((a, b) => a - b) };
}

async function throughput(
  protocol: string,
  label: string,
  nodes: number,
  fsync: boolean,
  line: (s?: string) => void,
): Promise<void> {
  const c = await LocalCluster.start({ nodes, fsync, protocol });
  try {
    await c.waitLeader();
    await load(c, 1); // warm-up
    const r = await load(c, SECONDS);
    line(
      `  ${label.padEnd(28)} ${Math.round(r.writes / SECONDS)
        .toString()
        .padStart(
          6,
        )} writes/s   p50 ${pct(r.lat, 0.5).toFixed(1).padStart(6)} ms   p99 ${pct(r.lat, 0.99).toFixed(1).padStart(6)} ms`,
    );
  } finally {
    await c.stop();
    rmSync(c.data, { recursive: true, force: true });
  }
}

async function recovery(protocol: string, line: (s?: string) => void): Promise<void> {
  const c = await LocalCluster.start({ nodes: 3, protocol });
  const times: number[] = [];
  try {
    const client = new KvClient(c.peers, { timeoutMs: 200, deadlineMs: 30_000 });
    for (let k = 0; k < KILLS; k++) {
      const leader = await c.waitLeader();
      await client.call({ op: "put", key: "x", value: `before${k}` });
      const t0 = performance.now();
      await c.kill(leader);
      await client.call({ op: "put", key: "x", value: `after${k}` });
      times.push(performance.now() - t0);
      await c.startNode(leader);
    }
    client.close();
  } finally {
    await c.stop();
    rmSync(c.data, { recursive: true, force: true });
  }
  line(
    `  kill -9 of the leader until a write commits again: ${times.map((t) => `${Math.round(t)} ms`).join(", ")} (election timeout 150–300 ms)`,
  );
}

export async function runtimeBench(protocol: string, line: (s?: string) => void): Promise<void> {
  line(
    `real processes (${protocol}, loopback, ${CLIENTS} sequential clients writing for ${SECONDS} s; latency per committed write)`,
  );
  await throughput(protocol, "3 nodes, fsync", 3, true, line);
  await throughput(protocol, "1 node, fsync (same log)", 1, true, line);
  await throughput(protocol, "3 nodes, no fsync", 3, false, line);
  await recovery(protocol, line);
  line();
}
