/**
 * The service's command-line tools against bad input, each run as its own process the way npm
 * runs it: one line naming what is wrong, exit status 2, no stack trace.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../../src/runtime/cluster.js";
import { encodeRecord, MAGIC } from "../../src/runtime/wal.js";
import { root } from "../tla/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-runtime-cli-"));
let busy: Server;
let busyPort = 0;
let freePort = 0;

beforeAll(async () => {
  [busyPort, freePort] = (await freePorts(2)) as [number, number];
  busy = createServer();
  await new Promise<void>((r) => busy.listen(busyPort, "127.0.0.1", () => r()));
  writeFileSync(join(dir, "a-file"), "");
  mkdirSync(join(dir, "used"));
  writeFileSync(
    join(dir, "used", "wal.log"),
    Buffer.concat([MAGIC, encodeRecord({ type: "hard", currentTerm: 1, votedFor: null })]),
  );
  writeFileSync(
    join(dir, "s2.ndjson"),
    `${JSON.stringify({ format: "lockstep-node-trace", version: 1, node: "s2" })}\n{"lamport":1}\n`,
  );
  mkdirSync(join(dir, "corrupt"));
  const bad = Buffer.from(encodeRecord({ type: "hard", currentTerm: 1, votedFor: null }));
  bad[9] = (bad[9] as number) ^ 1;
  writeFileSync(
    join(dir, "corrupt", "wal.log"),
    Buffer.concat([
      MAGIC,
      encodeRecord({ type: "hard", currentTerm: 1, votedFor: null }),
      bad,
      encodeRecord({}),
    ]),
  );
});
afterAll(() => {
  busy.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (script: string, args: ReadonlyArray<string>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join("scripts", script), ...args],
      { cwd: root, timeout: 30_000 },
      (err, _stdout, stderr) =>
        resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? null), stderr }),
    );
  });

const peers = () => `s1=127.0.0.1:${freePort},s2=127.0.0.1:${freePort + 1}`;

const rows: ReadonlyArray<readonly [string, string, () => string[], RegExp]> = [
  ["node", "no flags", () => [], /required option '--id <id>'/],
  [
    "node",
    "a bad peer list",
    () => ["--id", "s1", "--peers", "s1=localhost", "--data", dir],
    /--peers: "s1=localhost" is not id=host:port/,
  ],
  [
    "node",
    "an id not in the peers",
    () => ["--id", "s9", "--peers", peers(), "--data", dir],
    /--id s9 is not in --peers/,
  ],
  [
    "node",
    "a data folder under a file",
    () => ["--id", "s1", "--peers", peers(), "--data", join(dir, "a-file", "x")],
    /--data/,
  ],
  [
    "node",
    "a port in use",
    () => ["--id", "s1", "--peers", `s1=127.0.0.1:${busyPort}`, "--data", join(dir, "d1")],
    /is in use/,
  ],
  [
    "node",
    "a corrupt log",
    () => ["--id", "s1", "--peers", peers(), "--data", join(dir, "corrupt")],
    /wal\.log: corrupt record at byte offset 63 \(checksum mismatch\)/,
  ],
  [
    "node",
    "a new trace of a node whose log is not empty",
    () => [
      ...["--id", "s1", "--peers", peers(), "--data", join(dir, "used")],
      ...["--trace", join(dir, "new.ndjson")],
    ],
    /--trace .*new\.ndjson: the node's durable log holds 1 records but its trace is new/,
  ],
  [
    "node",
    "another node's trace",
    () => [
      ...["--id", "s1", "--peers", peers(), "--data", join(dir, "d2")],
      ...["--trace", join(dir, "s2.ndjson")],
    ],
    /--trace .*s2\.ndjson: not the trace of node s1/,
  ],
  [
    "node",
    "a bad tick",
    () => ["--id", "s1", "--peers", peers(), "--data", dir, "--tick", "0"],
    /--tick 0/,
  ],
  ["kv", "an unknown command", () => ["frob"], /unknown command "frob"/],
  ["kv", "missing arguments", () => ["put", "k"], /put takes 2 arguments/],
  ["kv", "no cluster", () => ["--cluster", join(dir, "none"), "get", "k"], /no cluster at/],
  ["cluster", "zero nodes", () => ["--nodes", "0", "--data", join(dir, "c0")], /--nodes 0/],
];

describe("bad input to the service's tools", () => {
  for (const [script, what, args, message] of rows)
    it(`npm run ${script}: ${what}`, async () => {
      const r = await run(`${script}.ts`, args());
      expect(r.code).toBe(2);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
});
