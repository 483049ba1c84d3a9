/**
 * Real runs validated (traces/FORMAT.md, "Per-node traces of real runs"), for every protocol
 * that runs as a service: a short 3-node run on loopback with tracing on (a leader elected, a
 * few writes, a follower killed with kill -9 and restarted) writes one trace per node; the
 * files merge into one partial trace the spec accepts (TLC when found, embedded otherwise); the
 * same files with one value changed in one node's file are rejected at that event, named by
 * its file and line; a malformed node file is one clear line. Bounded: the run is a few
 * writes long, and the test stops every process it started.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { KvClient } from "../../src/runtime/client.js";
import { LocalCluster } from "../../src/runtime/cluster.js";
import { main as validateMain } from "../../src/trace/cli.js";
import { mergeNodeTraces } from "../../src/trace/merge.js";
import { TraceError } from "../../src/trace/ndjson.js";
import { validateTraces } from "../../src/trace/validate.js";

const IDS = ["s1", "s2", "s3"];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const inputs = (dir: string) =>
  IDS.map((id) => ({ path: join(dir, `${id}.ndjson`), shown: join(dir, `${id}.ndjson`) }));

/** A copy of the run's traces with `edit` applied to node `id`'s lines. */
function copyWith(
  from: string,
  id: string,
  edit: (lines: string[]) => number,
): {
  dir: string;
  line: number;
} {
  const dir = mkdtempSync(join(tmpdir(), "lockstep-trace-bad-"));
  dirs.push(dir);
  for (const s of IDS) copyFileSync(join(from, `${s}.ndjson`), join(dir, `${s}.ndjson`));
  const file = join(dir, `${id}.ndjson`);
  const lines = readFileSync(file, "utf8").split("\n");
  const line = edit(lines);
  writeFileSync(file, lines.join("\n"));
  return { dir, line };
}

for (const p of protocols().filter((x) => x.service !== undefined)) {
  describe(`${p.name}: a real run's node traces`, () => {
    const root = mkdtempSync(join(tmpdir(), "lockstep-trace-run-"));
    dirs.push(root);
    const traces = join(root, "traces");

    beforeAll(async () => {
      const c = await LocalCluster.start({
        nodes: 3,
        protocol: p.name,
        data: join(root, "data"),
        trace: traces,
      });
      const client = new KvClient(c.peers, { timeoutMs: 500, deadlineMs: 20_000 });
      try {
        const leader = await c.waitLeader();
        for (const k of ["a", "b", "c"]) await client.call({ op: "put", key: k, value: `v-${k}` });
        // kill -9 of a follower while no write is under way, and its restart from its log.
        const follower = IDS.find((id) => id !== leader) as string;
        await c.kill(follower);
        await c.startNode(follower);
        expect((await client.call({ op: "get", key: "b" })).value).toBe("v-b");
      } finally {
        client.close();
        await c.stop();
      }
    });

    it("merge into one trace the spec accepts", async () => {
      const run = mergeNodeTraces(inputs(traces));
      const actions = run.trace.events.map((e) => e.action);
      expect(actions).toContain("BecomeLeader");
      expect(actions).toContain("Restart");
      expect(actions.filter((a) => a === "ClientRequest").length).toBeGreaterThanOrEqual(3);
      expect(new Set(run.origins.map((o) => o.file)).size).toBe(3);
      // The embedded engine, and TLC when it is found (else the embedded engine again).
      for (const engine of ["embedded", "auto"] as const) {
        const [r] = await validateTraces([run.trace], { env: process.env, engine });
        expect(r?.error).toBeUndefined();
        expect(r?.ok).toBe(true);
      }
    });

    it("with one value changed in one node's file, are rejected at that event, by file and line", async () => {
      // The first term a follower logs (an UpdateTerm or a Timeout of its own), one higher.
      const bad = copyWith(traces, "s2", (lines) => {
        const k = lines.findIndex((l) =>
          /"currentTerm":\[\{"op":"set","path":\["s2"\],"value":\d+/.test(l),
        );
        lines[k] = (lines[k] as string).replace(
          /("currentTerm":\[\{"op":"set","path":\["s2"\],"value":)(\d+)/,
          (_m, head: string, n: string) => `${head}${Number(n) + 1}`,
        );
        return k + 1;
      });
      expect(bad.line).toBeGreaterThan(2);
      const run = mergeNodeTraces(inputs(bad.dir));
      // (The command line below explains the divergence too.)
      const [r] = await validateTraces([run.trace], { env: process.env, diagnose: false });
      expect(r?.ok).toBe(false);
      expect(r?.failedAt).toBeDefined();
      expect(run.origins[r?.failedAt as number]).toEqual({
        file: join(bad.dir, "s2.ndjson"),
        line: bad.line,
      });
      // The command line names the node file and line.
      const out: string[] = [];
      const io = {
        stdout: { write: (s: string) => out.push(s) },
        stderr: { write: (s: string) => out.push(s) },
        env: process.env,
      };
      expect(await validateMain([bad.dir], io)).toBe(1);
      expect(out.join("")).toContain(`(${join(bad.dir, "s2.ndjson")}:${bad.line})`);
    });

    it("merged without the Lamport clocks the frames carried, are rejected (a receive before its send)", async () => {
      // Each node's events numbered on their own (a per-process counter, no max on receive).
      const dir = mkdtempSync(join(tmpdir(), "lockstep-trace-nolamport-"));
      dirs.push(dir);
      for (const id of IDS) {
        const lines = readFileSync(join(traces, `${id}.ndjson`), "utf8").split("\n");
        const own = lines.map((l, k) =>
          k === 0 ? l : l.replace(/^\{"lamport":\d+/, `{"lamport":${k}`),
        );
        writeFileSync(join(dir, `${id}.ndjson`), own.join("\n"));
      }
      const [r] = await validateTraces([mergeNodeTraces(inputs(dir)).trace], { env: process.env });
      expect(r?.error).toBeUndefined();
      expect(r?.ok).toBe(false);
    });

    it("a malformed node file is one line naming the file and line", async () => {
      const cases: ReadonlyArray<readonly [(lines: string[]) => number, RegExp]> = [
        [
          (lines) => {
            lines[3] = '{"lamport":';
            return 4;
          },
          /not valid JSON/,
        ],
        [
          (lines) => {
            lines[3] = (lines[3] as string).replace(/"lamport":\d+/, '"lamport":1');
            return 4;
          },
          /lamport must be an integer above the previous event's/,
        ],
        [
          (lines) => {
            // An event that changes a variable of s3's, made to change s1's.
            const k = lines.findIndex((l, i) => i >= 2 && l.includes('"path":["s3"'));
            lines[k] = (lines[k] as string).replace('"path":["s3"', '"path":["s1"');
            return k + 1;
          },
          /path must start at the node's own id/,
        ],
      ];
      for (const [edit, why] of cases) {
        const bad = copyWith(traces, "s3", edit);
        expect(() => mergeNodeTraces(inputs(bad.dir))).toThrow(TraceError);
        const err: string[] = [];
        const io = {
          stdout: { write: (_s: string) => true },
          stderr: { write: (s: string) => err.push(s) },
          env: process.env,
        };
        expect(await validateMain([bad.dir], io)).toBe(2);
        const lines = err.join("").trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(`${join(bad.dir, "s3.ndjson")}:${bad.line}: `);
        expect(lines[0]).toMatch(why);
      }
    });

    it("a run missing a node's file is one line naming the node", async () => {
      const dir = mkdtempSync(join(tmpdir(), "lockstep-trace-two-"));
      dirs.push(dir);
      mkdirSync(dir, { recursive: true });
      for (const s of ["s1", "s2"])
        copyFileSync(join(traces, `${s}.ndjson`), join(dir, `${s}.ndjson`));
      expect(() =>
        mergeNodeTraces(inputs(dir).filter((i) => !i.path.endsWith("s3.ndjson"))),
      ).toThrow(/no trace of s3 among the files/);
    });
  });
}
