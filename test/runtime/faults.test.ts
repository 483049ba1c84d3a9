/**
 * The replicated key-value store as real processes under faults, for every protocol that runs
 * as a service: a 3-node cluster on loopback (ports the system picks), a sequential client
 * whose every answer must match a single-copy model, a membership change (remove a node, add
 * it back), kill -9 of random nodes (the leader among them) with restarts, and links cut
 * (one node isolated, or one direction of a link) through proxies the test controls. Afterwards every
 * acknowledged write is in the log, no two nodes applied different entries at an index, and
 * the final values are the model's. Bounded: the workload runs for a fixed time, and every
 * process the test started is stopped by it.
 */
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { Prng } from "../../src/core/prng.js";
import { protocols } from "../../src/registry.js";
import { KvClient, type Op } from "../../src/runtime/client.js";
import { freePorts, LocalCluster } from "../../src/runtime/cluster.js";
import { disagreements, missingWrites } from "./checks.js";
import { LinkProxy } from "./proxy.js";

const WORKLOAD_MS = 20_000;
const KEYS = ["a", "b", "c", "d"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const clusters: LocalCluster[] = [];
const proxies: LinkProxy[] = [];
afterAll(async () => {
  for (const c of clusters) {
    await c.stop();
    rmSync(c.data, { recursive: true, force: true });
  }
  for (const p of proxies) await p.close();
});

const IDS = ["s1", "s2", "s3"];

for (const p of protocols().filter((x) => x.service !== undefined)) {
  describe(`${p.name} as a service`, () => {
    it("keeps every acknowledged write and agrees on the log through kill -9, restarts and a membership change", async () => {
      const log: string[] = [];
      // Every link from → to goes through a proxy of its own, which the test cuts and heals.
      // (All ports drawn at once, so that no two are the same.)
      const all = await freePorts(3 + 6);
      const ports = all.slice(0, 3);
      const links = new Map<string, LinkProxy>();
      let next = 3;
      for (const [a, from] of IDS.entries())
        for (const [b, to] of IDS.entries())
          if (a !== b)
            links.set(
              `${from}>${to}`,
              await LinkProxy.start(ports[b] as number, all[next++] as number),
            );
      proxies.push(...links.values());
      const c = await LocalCluster.start({
        nodes: 3,
        ports,
        protocol: p.name,
        log: (l) => log.push(l),
        connect: (from) =>
          IDS.filter((to) => to !== from)
            .map((to) => `${to}=127.0.0.1:${links.get(`${from}>${to}`)?.port}`)
            .join(","),
      });
      clusters.push(c);
      const rng = new Prng(7);
      const client = new KvClient(c.peers, { timeoutMs: 500, deadlineMs: 30_000 });
      const admin = new KvClient(c.peers, { timeoutMs: 500, deadlineMs: 30_000 });
      const model = new Map<string, string>();
      const acked: string[] = [];
      let mismatches: string[] = [];
      let ops = 0;
      let kills = 0;
      let leaderKills = 0;
      let cuts = 0;
      let stop = false;

      const workload = (async () => {
        for (let n = 0; !stop; n++) {
          const key = rng.pick(KEYS);
          const r = rng.next();
          const before = model.get(key) ?? null;
          const op: Op =
            r < 0.5
              ? { op: "put", key, value: `x${n}` }
              : r < 0.75
                ? { op: "get", key }
                : { op: "cas", key, expected: rng.chance(0.5) ? before : "nope", value: `y${n}` };
          const res = await client.call(op);
          ops++;
          if (op.op !== "get") acked.push(`${client.client}:${n + 1}`);
          if ((res.value ?? null) !== before)
            mismatches.push(`${op.op} ${key}: service says ${res.value}, model ${before}`);
          if (op.op === "put") model.set(key, op.value);
          if (op.op === "cas") {
            const swap = op.expected === before;
            if (res.swapped !== swap) mismatches.push(`cas ${key}: swapped ${res.swapped}`);
            if (swap) model.set(key, op.value);
          }
        }
      })();

      const members = async (set: string) => {
        await admin.call({ op: "members", members: set.split(",") });
        // Until the leader's configuration is the new one, simple again.
        for (let k = 0; k < 200; k++) {
          const leader = await c.waitLeader();
          const s = await admin.at(leader, { op: "status" });
          const info =
            s?.ok === true ? (s.info as { members: string[]; joint: boolean }) : undefined;
          if (info !== undefined && !info.joint && info.members.join(",") === set) return;
          await sleep(50);
        }
        throw new Error(`membership did not become ${set}`);
      };

      const faults = (async () => {
        await sleep(1000);
        await members("s1,s2");
        await members("s1,s2,s3");
        const start = Date.now();
        for (let round = 0; Date.now() - start < WORKLOAD_MS; round++) {
          if (round % 3 === 2) {
            // Cut a node off (both directions), or one direction of one link; then heal.
            const v = rng.pick(IDS);
            const cut = rng.chance(0.5)
              ? [...links].filter(([k]) => k.split(">").includes(v)).map(([, x]) => x)
              : [links.get(`${v}>${rng.pick(IDS.filter((x) => x !== v))}`) as LinkProxy];
            for (const x of cut) x.cut();
            cuts++;
            await sleep(500 + rng.int(1500));
            for (const x of cut) x.heal();
            await sleep(500 + rng.int(1000));
            continue;
          }
          const leader = await c.waitLeader();
          // The first kill is always the leader's, so that a slow machine that fits only a
          // few rounds in the workload still takes a leader down.
          const victim =
            leaderKills === 0 || rng.chance(0.5) ? leader : rng.pick(c.peers.map((x) => x.id));
          await c.kill(victim);
          kills++;
          if (victim === leader) leaderKills++;
          await sleep(300 + rng.int(1200));
          await c.startNode(victim);
          await sleep(500 + rng.int(1500));
        }
      })();

      try {
        await faults;
      } finally {
        stop = true;
        await workload;
      }
      const mismatch = mismatches;
      mismatches = [];

      // Every node applies up to the leader's commit index.
      const leader = await c.waitLeader();
      let applied: (string | null)[][] = [];
      for (let k = 0; k < 100; k++) {
        applied = [];
        for (const peer of c.peers) {
          const r = await admin.at(peer.id, { op: "applied" });
          applied.push(r?.ok === true ? (r.info as (string | null)[]) : []);
        }
        const lengths = new Set(applied.map((a) => a.length));
        if (lengths.size === 1) break;
        await sleep(100);
      }
      const leaderLog = applied[c.peers.findIndex((x) => x.id === leader)] ?? [];
      expect(disagreements(applied)).toEqual([]);
      expect(missingWrites(acked, leaderLog)).toEqual([]);
      for (const key of KEYS) {
        const r = await client.call({ op: "get", key });
        expect(r.value ?? null, key).toBe(model.get(key) ?? null);
      }
      expect(mismatch).toEqual([]);
      expect(ops).toBeGreaterThan(50);
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(leaderKills).toBeGreaterThan(0);
      expect(cuts).toBeGreaterThanOrEqual(1);
      client.close();
      admin.close();
      console.log(
        `${p.name} service: ${ops} operations, ${acked.length} acknowledged writes, ${applied[0]?.length} entries applied, ${kills} kill -9 (${leaderKills} of the leader), ${cuts} link cuts`,
      );
    }, 170_000);
  });
}
