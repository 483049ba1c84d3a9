/**
 * `npm run tlc -- [filter] [--engine auto|tlc|embedded] [--workers N] [--json] [--deep]`
 * Exit status: 0 when every model's outcome is its expectation, 1 when one is not (including
 * models that could not be checked), 2 for bad input or setup, 130 when interrupted.
 */
import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { runCommand } from "../core/cli.js";
import { checkModel, type EngineChoice, meetsExpectation, resolveEngine } from "./engine.js";
import { discoverModels, selectModels } from "./models.js";
import { startProgress } from "./progress.js";
import { formatCounterexample, formatTable, jsonRows, violationTitle } from "./report.js";
import type { CheckResult } from "./types.js";

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
}

interface CliOptions {
  engine: EngineChoice;
  workers?: number;
  json?: boolean;
  deep?: boolean;
  specDir: string;
}

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
};

function program(io: CliIo): Command {
  return new Command("tlc")
    .description("Model-check the TLA+ models under spec/<protocol>/*.cfg")
    .argument("[filter]", "model name, or a regular expression / substring matched against names")
    .addOption(
      new Option("--engine <engine>", "checker to use")
        .choices(["auto", "tlc", "embedded"])
        .default("auto"),
    )
    .addOption(
      new Option("--workers <n>", "TLC worker threads (default: all cores)").argParser(positiveInt),
    )
    .option("--json", "print results as a JSON array")
    .option("--deep", "include deep-tier models")
    .option("--spec-dir <dir>", "directory holding <protocol>/*.cfg models", "spec")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  // On Ctrl-C or SIGTERM the run stops (temporary files are removed), then reports.
  return runCommand(program(io), argv, io.stderr, (cmd, signal) =>
    run(cmd.args[0], cmd.opts<CliOptions>(), io, signal),
  );
}

async function run(
  filter: string | undefined,
  opts: CliOptions,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const models = selectModels(discoverModels(opts.specDir), filter, opts.deep ?? false);
  const engine = resolveEngine(opts.engine, io.env);
  if (engine.notice) io.stderr.write(`${engine.notice}\n`);
  const results: CheckResult[] = [];
  for (const model of models) {
    const progress = startProgress(`${model.name} [${engine.engine}]`, io.stderr, !opts.json);
    try {
      results.push(
        await checkModel(model, engine, {
          workers: opts.workers ?? availableParallelism(),
          onProgress: (p) => progress.update(p),
          signal,
        }),
      );
    } finally {
      progress.stop();
    }
    if (signal.aborted) break;
  }
  report(results, opts, io);
  if (signal.aborted) return 130;
  return results.every(meetsExpectation) ? 0 : 1;
}

function report(results: CheckResult[], opts: CliOptions, io: CliIo): void {
  for (const r of results)
    if (r.outcome === "error")
      io.stderr.write(`error: ${r.model} (${r.engine}): ${r.error ?? "failed"}\n`);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(jsonRows(results), null, 2)}\n`);
    return;
  }
  const out: string[] = [formatTable(results)];
  const skips = results.filter((r) => r.skipped).map((r) => `skipped ${r.model}: ${r.skipped}`);
  if (skips.length > 0) out.push("", ...skips);
  for (const r of results) {
    if (
      r.outcome === "pass" ||
      r.outcome === "error" ||
      r.outcome === "skipped" ||
      !r.counterexample
    )
      continue;
    out.push("", violationTitle(r), formatCounterexample(r.counterexample));
  }
  const failed = results.filter((r) => !meetsExpectation(r)).length;
  const skipped = results.filter((r) => r.outcome === "skipped").length;
  out.push(
    "",
    `${results.length} model${results.length === 1 ? "" : "s"}: ${results.length - failed - skipped} as expected, ${failed} not, ${skipped} skipped`,
  );
  io.stdout.write(`${out.join("\n")}\n`);
}
