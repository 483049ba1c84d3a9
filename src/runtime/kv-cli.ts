/**
 * `npm run kv -- put k v | get k | cas k expected new | del k | members s1,s2 | status`: one
 * request to a running cluster (the one `npm run cluster` started, or the nodes --peers names).
 */
import { existsSync, readFileSync } from "node:fs";
import { Command } from "commander";
import { runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import { KvClient, type Op } from "./client.js";
import { clusterFile, defaultClusterDir } from "./cluster.js";
import { type Peer, parsePeers } from "./node.js";

const USAGE =
  "expected: put KEY VALUE | get KEY | cas KEY EXPECTED NEW | del KEY | members ID,… | status";

function opOf(args: ReadonlyArray<string>): Op {
  const [verb, a, b, d] = args;
  const need = (n: number) => {
    if (args.length !== n + 1)
      throw new UserError(`${verb} takes ${n} argument${n === 1 ? "" : "s"}; ${USAGE}`);
  };
  switch (verb) {
    case "put":
      need(2);
      return { op: "put", key: a as string, value: b as string };
    case "get":
      need(1);
      return { op: "get", key: a as string };
    case "del":
      need(1);
      return { op: "delete", key: a as string };
    case "cas":
      need(3);
      return {
        op: "cas",
        key: a as string,
        expected: b === "-" ? null : (b as string),
        value: d as string,
      };
    case "members":
      need(1);
      return { op: "members", members: (a as string).split(",").filter(Boolean) };
    case "status":
      need(0);
      return { op: "status" };
    default:
      throw new UserError(`unknown command "${verb ?? ""}"; ${USAGE}`);
  }
}

function peersFrom(o: { peers?: string; cluster: string }): ReadonlyArray<Peer> {
  if (o.peers !== undefined) return parsePeers(o.peers);
  const file = o.cluster.endsWith(".json") ? o.cluster : clusterFile(o.cluster);
  if (!existsSync(file))
    throw new UserError(`no cluster at ${file}: start one with npm run cluster, or give --peers`);
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { peers: ReadonlyArray<Peer> }).peers;
  } catch {
    throw new UserError(`${file} is not a cluster file written by npm run cluster`);
  }
}

export async function main(
  argv: ReadonlyArray<string>,
  io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const cmd = new Command("kv")
    .description("Send one request to the replicated key-value store")
    .argument("<command...>", USAGE.replace("expected: ", ""))
    .option("--peers <list>", "the nodes: id=host:port,… (default: the cluster file)")
    .option(
      "--cluster <dir>",
      "data folder (or cluster.json) of npm run cluster",
      defaultClusterDir,
    )
    .option("--timeout <ms>", "give up after this long", "10000")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runCommand(cmd, argv, io.stderr, async (c) => {
    const o = c.opts<{ peers?: string; cluster: string; timeout: string }>();
    const op = opOf(c.args);
    const deadlineMs = Number(o.timeout);
    if (!Number.isFinite(deadlineMs) || deadlineMs <= 0)
      throw new UserError(`--timeout ${o.timeout}: expected milliseconds`);
    const peers = peersFrom(o);
    const client = new KvClient(peers, { deadlineMs });
    try {
      if (op.op === "status") {
        for (const p of peers) {
          const r = await client.at(p.id, op);
          io.stdout.write(`${p.id}  ${r?.ok === true ? JSON.stringify(r.info) : "no answer"}\n`);
        }
        return 0;
      }
      const r = await client.call(op).catch((e: Error) => {
        throw new UserError(e.message);
      });
      if (op.op === "members") io.stdout.write(`${String(r.info)}\n`);
      else if (op.op === "cas")
        io.stdout.write(`${r.swapped ? "swapped" : "not swapped"} (was ${r.value ?? "(none)"})\n`);
      else if (op.op === "get") io.stdout.write(`${r.value ?? "(none)"}\n`);
      else io.stdout.write(`ok (was ${r.value ?? "(none)"})\n`);
      return 0;
    } finally {
      client.close();
    }
  });
}
