/**
 * A local cluster on loopback: N node processes (scripts/node.ts), each with its own port and
 * data folder, started, killed (kill -9) and restarted at will, and stopped together. Used by
 * `npm run cluster`, the fault test and the benchmarks. Children exit when their parent does
 * (they watch their standard input), so a killed runner leaves no orphans.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import { KvClient } from "./client.js";
import type { Peer } from "./node.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const nodeScript = join(root, "scripts", "node.ts");

/** The default data folder of `npm run cluster` (and where `npm run kv` looks for it). */
export const defaultClusterDir = join(tmpdir(), "lockstep-cluster");
export const clusterFile = (dir: string) => join(dir, "cluster.json");

/** n ports the system reports free on 127.0.0.1 right now (held together, then released). */
export async function freePorts(n: number): Promise<ReadonlyArray<number>> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === "object" && a !== null ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export interface ClusterOptions {
  readonly nodes: number;
  /** Ports base, base+1, …; default: free ports the system picks. */
  readonly basePort?: number;
  /** The nodes' ports, given (overrides basePort). */
  readonly ports?: ReadonlyArray<number>;
  /** Parent of the nodes' data folders (data/s1 …); default: a new temporary folder. */
  readonly data?: string;
  readonly fsync?: boolean;
  readonly protocol?: string;
  readonly tickMs?: number;
  /** Where node `from` dials its peers (id=host:port,…), e.g. through proxies; default: directly. */
  readonly connect?: (from: string, peers: ReadonlyArray<Peer>) => string;
  /** Each line a node writes to its standard error, prefixed by the node. */
  readonly log?: (line: string) => void;
  /** A folder for the nodes' traces (DIR/s1.ndjson …; traces/FORMAT.md); default: no traces. */
  readonly trace?: string;
}

export class LocalCluster {
  private readonly procs = new Map<string, ChildProcess>();

  private constructor(
    readonly peers: ReadonlyArray<Peer>,
    readonly data: string,
    private readonly o: ClusterOptions,
  ) {}

  static async start(o: ClusterOptions): Promise<LocalCluster> {
    if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > 9)
      throw new UserError(`--nodes ${o.nodes}: expected an integer from 1 to 9`);
    const ports =
      o.ports !== undefined
        ? o.ports
        : o.basePort === undefined
          ? await freePorts(o.nodes)
          : Array.from({ length: o.nodes }, (_, k) => (o.basePort as number) + k);
    if (ports.some((p) => p < 1 || p > 65535))
      throw new UserError(`--base-port ${o.basePort}: ports must stay within 1–65535`);
    const data = o.data ?? mkdtempSync(join(tmpdir(), "lockstep-cluster-"));
    mkdirSync(data, { recursive: true });
    const peers = ports.map((port, k) => ({ id: `s${k + 1}`, host: "127.0.0.1", port }));
    const c = new LocalCluster(peers, data, o);
    writeFileSync(clusterFile(data), `${JSON.stringify({ peers }, null, 2)}\n`);
    try {
      if (o.trace !== undefined) mkdirSync(o.trace, { recursive: true });
      await Promise.all(peers.map((p) => c.startNode(p.id)));
    } catch (e) {
      await c.stop();
      throw e;
    }
    return c;
  }

  dirOf(id: string): string {
    return join(this.data, id);
  }

  /** Node `id`'s trace file, when the cluster writes traces. */
  traceOf(id: string): string | undefined {
    return this.o.trace === undefined ? undefined : join(this.o.trace, `${id}.ndjson`);
  }

  get peerList(): string {
    return this.peers.map((p) => `${p.id}=${p.host}:${p.port}`).join(",");
  }

  /** Start node `id` (again); resolves once it listens, rejects if it exits first. */
  startNode(id: string): Promise<void> {
    if (this.procs.has(id)) throw new Error(`${id} is running`);
    const args = [
      "--import",
      "tsx",
      nodeScript,
      "--id",
      id,
      "--peers",
      this.peerList,
      "--data",
      this.dirOf(id),
      "--exit-with-parent",
      ...(this.o.fsync === false ? ["--no-fsync"] : []),
      ...(this.o.protocol === undefined ? [] : ["--protocol", this.o.protocol]),
      ...(this.o.tickMs === undefined ? [] : ["--tick", String(this.o.tickMs)]),
      ...(this.o.connect === undefined ? [] : ["--connect", this.o.connect(id, this.peers)]),
      ...(this.o.trace === undefined ? [] : ["--trace", this.traceOf(id) as string]),
    ];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["pipe", "ignore", "pipe"] });
    this.procs.set(id, child);
    return new Promise((resolve, reject) => {
      let buf = "";
      let ready = false;
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (s: string) => {
        buf += s;
        let nl = buf.indexOf("\n");
        while (nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          this.o.log?.(line);
          if (!ready && line.includes(" listening on ")) {
            ready = true;
            resolve();
          }
          nl = buf.indexOf("\n");
        }
      });
      child.on("exit", (code, signal) => {
        if (this.procs.get(id) === child) this.procs.delete(id);
        if (!ready)
          reject(
            new UserError(
              `${id} exited before listening (${signal ?? `exit ${code}`}): ${buf.trim() || "see its log"}`,
            ),
          );
      });
    });
  }

  running(id: string): boolean {
    return this.procs.has(id);
  }

  /** Kill node `id` (default: kill -9) and wait until it is gone. */
  async kill(id: string, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.procs.get(id);
    if (child === undefined) return;
    const gone = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill(signal);
    await gone;
    this.procs.delete(id);
  }

  /** Stop every node: SIGTERM, then SIGKILL for any still running after 3 s. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.procs.keys()].map(async (id) => {
        const child = this.procs.get(id);
        if (child === undefined) return;
        const gone = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 3000);
        await gone;
        clearTimeout(t);
        this.procs.delete(id);
      }),
    );
  }

  /** The leader a majority of running nodes' status names, within `ms`. */
  async waitLeader(ms = 10_000): Promise<string> {
    const client = new KvClient(this.peers, { timeoutMs: 300 });
    const end = Date.now() + ms;
    try {
      while (Date.now() < end) {
        for (const p of this.peers) {
          if (!this.running(p.id)) continue;
          const r = await client.at(p.id, { op: "status" });
          const info = r?.ok === true ? (r.info as { role?: string }) : undefined;
          if (info?.role === "Leader") return p.id;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      client.close();
    }
    throw new Error(`no leader within ${ms} ms`);
  }
}

export async function main(
  argv: ReadonlyArray<string>,
  io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const cmd = new Command("cluster")
    .description("Start a local cluster of node processes on loopback; Ctrl-C stops it")
    .option("--nodes <n>", "number of nodes (1–9)", "3")
    .option("--base-port <port>", "ports base, base+1, … (default: 7001)", "7001")
    .option("--data <dir>", "parent of the nodes' data folders", defaultClusterDir)
    .option("--protocol <name>", "the protocol to run (default: the first that runs as a service)")
    .option("--no-fsync", "do not fsync the durable logs (only to measure what fsync costs)")
    .option("--quiet", "do not print the nodes' log lines")
    .option(
      "--trace <dir>",
      "each node writes its trace to <dir>/<id>.ndjson (npm run validate -- <dir> checks the run)",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runCommand(cmd, argv, io.stderr, async (c, signal) => {
    const o = c.opts<{
      nodes: string;
      basePort: string;
      data: string;
      protocol?: string;
      fsync: boolean;
      quiet?: boolean;
      trace?: string;
    }>();
    const nodes = Number(o.nodes);
    const basePort = Number(o.basePort);
    if (!Number.isInteger(basePort))
      throw new UserError(`--base-port ${o.basePort}: expected a port number`);
    const cluster = await LocalCluster.start({
      nodes,
      basePort,
      data: o.data,
      fsync: o.fsync,
      ...(o.protocol === undefined ? {} : { protocol: o.protocol }),
      ...(o.trace === undefined ? {} : { trace: o.trace }),
      ...(o.quiet === true ? {} : { log: (l: string) => io.stderr.write(`${l}\n`) }),
    });
    for (const p of cluster.peers) {
      const trace = cluster.traceOf(p.id);
      io.stdout.write(
        `${p.id}  ${p.host}:${p.port}  data ${cluster.dirOf(p.id)}${trace === undefined ? "" : `  trace ${trace}`}\n`,
      );
    }
    io.stdout.write(
      `cluster file ${clusterFile(cluster.data)}; try: npm run kv -- put k v, npm run kv -- get k (Ctrl-C stops the cluster)\n`,
    );
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve());
    });
    // A second Ctrl-C (or the signal relayed by a wrapper) must not cut the shutdown short.
    const ignore = () => {};
    process.on("SIGINT", ignore).on("SIGTERM", ignore);
    try {
      await cluster.stop();
    } finally {
      process.off("SIGINT", ignore).off("SIGTERM", ignore);
    }
    io.stdout.write("cluster stopped\n");
    return 0;
  });
}
