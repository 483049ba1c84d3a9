/**
 * `npm run conform -- [filter…] [--engine embedded|tlc] [--json] [--bug NAME]… [--constant NAME=VALUE]…`
 * `npm run conform -- --explore MODEL [--constant NAME=VALUE]… [--max-states N] [--json]`
 *
 * Graph equality: for each model (default: every `ci`-tier model that passes, controls
 * included, of every protocol that implements its models), the spec's reachable graph from one
 * engine run (the embedded engine, or TLC with --engine tlc) and the implementation's by
 * breadth-first search, compared. Exit 0 iff
 * every graph is equal (and each model checked in the same run met its cfg header), 1 when one
 * differs, 2 for bad input.
 *
 * With --explore: the implementation's graph alone, with its invariants checked on every
 * state; exit 0 iff none breaks.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import { protocols } from "../registry.js";
import { discoverModels, selectModels } from "../tla/models.js";
import { describe } from "./describe.js";
import type { GraphEngine } from "./engine.js";
import { explore, pathTo } from "./explore.js";
import {
  type ConformResult,
  cannotCompare,
  compareWith,
  conformTarget,
  defaultSpecDir,
  implModel,
  specRun,
} from "./run.js";

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

interface Options {
  engine: GraphEngine;
  json?: boolean;
  bug: string[];
  constant: string[];
  explore?: string;
  maxStates?: number;
  specDir?: string;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
};
const collect = (v: string, prev: string[]) => [...prev, v];

function program(io: Io): Command {
  return new Command("conform")
    .description(
      "Graph equality between each model's spec and its implementation, or (--explore) the implementation's graph alone",
    )
    .argument("[filter...]", "model names, protocol folder names, or regular expressions")
    .addOption(
      new Option("--engine <engine>", "the engine that enumerates the spec's graph")
        .choices(["embedded", "tlc"])
        .default("embedded"),
    )
    .option("--json", "print a JSON array, one object per model")
    .option("--bug <name>", "switch on an implementation bug (repeatable)", collect, [])
    .option(
      "--constant <NAME=VALUE>",
      "replace a constant of the model's cfg (repeatable)",
      collect,
      [],
    )
    .option("--explore <model>", "explore the implementation of one model, checking its invariants")
    .addOption(
      new Option("--max-states <n>", "with --explore: stop after n states").argParser(positiveInt),
    )
    .option("--spec-dir <dir>", "directory holding <protocol>/*.cfg models")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

export function main(
  argv: ReadonlyArray<string>,
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  return runCommand(program(io), argv, io.stderr, (cmd) => {
    const o = cmd.opts<Options>();
    const constants = parseConstants(o.constant);
    return o.explore === undefined
      ? compareAll(cmd.args, o, constants, io)
      : exploreOne(o.explore, o, constants, io);
  });
}

function parseConstants(list: ReadonlyArray<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of list) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s.exec(c);
    if (!m?.[1] || m[2] === undefined)
      throw new UserError(`--constant ${c}: expected NAME=VALUE, e.g. --constant MaxTerm=3`);
    out[m[1]] = m[2];
  }
  return out;
}

const n = (x: number) => x.toLocaleString("en-US");

/** The models to compare for the filters: by default every ci-tier passing model; a filter
 * also matches the tlc tier's models when TLC enumerates the graphs. */
function selected(
  filters: ReadonlyArray<string>,
  specDir: string | undefined,
  engine: GraphEngine,
): string[] {
  const models = discoverModels(specDir ?? defaultSpecDir);
  const implemented = new Set(
    protocols()
      .filter((p) => p.model)
      .map((p) => p.name),
  );
  const picks = filters.length === 0 ? [undefined] : filters;
  const names: string[] = [];
  for (const f of picks) {
    const exact = models.find((m) => m.name === f);
    if (exact !== undefined) {
      names.push(exact.name);
      continue;
    }
    const tiers = f === undefined ? "embedded" : engine;
    for (const m of selectModels(models, f, false, tiers).models)
      if (m.expect === "pass" && implemented.has(m.protocol) && !names.includes(m.name))
        names.push(m.name);
  }
  return names;
}

async function compareAll(
  filters: ReadonlyArray<string>,
  o: Options,
  constants: Record<string, string>,
  io: Io,
): Promise<number> {
  const names = selected(filters, o.specDir, o.engine);
  const targets = names.map((name) =>
    conformTarget(name, { ...(o.specDir ? { specDir: o.specDir } : {}), constants }),
  );
  for (const t of targets) implModel(t, o.bug);
  const rows: (ConformResult | { model: string; skipped: string })[] = [];
  let failed = false;
  for (const t of targets) {
    const why = cannotCompare(t);
    if (why !== undefined) {
      rows.push({ model: t.model.name, skipped: why });
      (o.json ? io.stderr : io.stdout).write(`skip  ${t.model.name}: ${why}\n`);
      continue;
    }
    const plain = Object.keys(constants).length === 0;
    const spec = await specRun(t, plain && t.model.expect === "pass", o.engine);
    const { exploration: _x, ...r } = await compareWith(t, spec, o.bug);
    rows.push(r);
    const checkBad = r.check !== undefined && !r.check.ok;
    if (!r.equal || checkBad) failed = true;
    // With --json the finished lines go to stderr, so that stdout holds only the JSON.
    (o.json ? io.stderr : io.stdout).write(`${describe(r, t.protocol.formatValue)}\n`);
  }
  if (o.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  return failed ? 1 : 0;
}

async function exploreOne(
  name: string,
  o: Options,
  constants: Record<string, string>,
  io: Io,
): Promise<number> {
  const t = conformTarget(name, { ...(o.specDir ? { specDir: o.specDir } : {}), constants });
  const model = implModel(t, o.bug);
  const before = process.memoryUsage().heapUsed;
  const x = explore(model, t.protocol.trace.variables, {
    invariants: true,
    ...(o.maxStates === undefined ? {} : { maxStates: o.maxStates }),
    onProgress: (p) =>
      io.stderr.write(
        `… ${n(p.states)} distinct states, depth ${p.depth}, queue ${n(p.queue)}, ${n(Math.round(p.states / p.seconds))} states/s\n`,
      ),
  });
  const heap = Math.max(0, process.memoryUsage().heapUsed - before);
  const rate = x.distinct / x.seconds;
  const row = {
    model: t.model.name,
    distinctStates: x.distinct,
    generated: x.generated,
    depth: x.depth,
    seconds: x.seconds,
    statesPerSecond: rate,
    cpuSeconds: x.cpuSeconds,
    statesPerCpuSecond: x.distinct / x.cpuSeconds,
    fingerprintBytesPerState: x.states.bytes / x.distinct,
    complete: x.complete,
    ...(x.violation === undefined ? {} : { violated: x.violation.invariants }),
  };
  if (o.json) io.stdout.write(`${JSON.stringify(row, null, 2)}\n`);
  else {
    io.stdout.write(
      `${t.model.name} (implementation): ${n(x.distinct)} distinct states, ${n(x.generated)} generated, depth ${x.depth}, ${x.seconds.toFixed(1)} s, ${n(Math.round(rate))} states/s (${n(Math.round(x.distinct / x.cpuSeconds))} per CPU-second), ${(x.states.bytes / x.distinct).toFixed(1)} bytes per state in the fingerprint table (heap grew ${(heap / 2 ** 20).toFixed(0)} MiB)${x.complete ? "" : " — stopped early"}\n`,
    );
    if (x.violation !== undefined) {
      const path = pathTo(model, x, x.violation.state);
      io.stdout.write(
        `violates ${x.violation.invariants.join(", ")} after ${path.steps.length} steps: ${path.steps.map((s) => s.action.name).join(", ")}\n`,
      );
    } else if (x.complete) io.stdout.write("every state keeps the implementation's invariants\n");
  }
  return x.violation === undefined ? 0 : 1;
}
