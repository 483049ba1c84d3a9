/**
 * `npm run tlc -- [filter] [--engine auto|tlc|embedded] [--jobs N] [--workers N] [--json] [--deep]`
 * Checks run `--jobs` at a time; each prints one line as it finishes, then the table follows in
 * a stable order. Exit status: 0 when every check's outcome (and, where the cfg header gives
 * one, distinct-state count) is its expectation, 1 when one is not (including models that could
 * not be checked), 2 for bad input or setup, 130 when interrupted.
 */
import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { runCommand } from "../core/cli.js";
import { type EngineChoice, meetsExpectation, resolveEngine } from "./engine.js";
import { discoverModels, selectModels } from "./models.js";
import { startStatus } from "./progress.js";
import {
  finishedLine,
  formatCounterexample,
  formatTable,
  jsonRows,
  leftToTlcLine,
  violationTitle,
} from "./report.js";
import { runChecks } from "./run.js";
import type { CheckResult } from "./types.js";

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
}

interface CliOptions {
  engine: EngineChoice;
  jobs: number;
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
      new Option("--jobs <n>", "checks to run at a time")
        .argParser(positiveInt)
        .default(availableParallelism(), `available cores, ${availableParallelism()}`),
    )
    .addOption(
      new Option(
        "--workers <n>",
        "TLC worker threads per check (default: 1 when checks run in parallel, else all cores)",
      ).argParser(positiveInt),
    )
    .option("--json", "print results as a JSON array")
    .option("--deep", "include every tier (deep, and on the embedded engine the tlc tier too)")
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
  const discovered = discoverModels(opts.specDir);
  const engine = resolveEngine(opts.engine, io.env);
  const { models, leftToTlc } = selectModels(discovered, filter, opts.deep ?? false, engine.engine);
  if (engine.notice) io.stderr.write(`${engine.notice}\n`);
  // Finished lines go where the table goes, except that --json keeps stdout for the JSON.
  const lines = opts.json ? io.stderr : io.stdout;
  const status = startStatus(models.length, io.stderr, !opts.json);
  let done = 0;
  let results: CheckResult[];
  try {
    results = await runChecks(models, engine, {
      jobs: opts.jobs,
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      signal,
      onStart: (i, m) => status.start(i, `${m.name} [${engine.engine}]`),
      onProgress: (i, p) => status.update(i, p),
      onResult: (i, r) => {
        status.finish(i);
        done++;
        status.print(lines, `${finishedLine(r, done, models.length)}\n`);
      },
    });
  } finally {
    status.stop();
  }
  report(results, opts, io, leftToTlc);
  if (signal.aborted) return 130;
  return results.every(meetsExpectation) ? 0 : 1;
}

function report(results: CheckResult[], opts: CliOptions, io: CliIo, leftToTlc: string[]): void {
  for (const r of results)
    if (r.outcome === "error")
      io.stderr.write(`error: ${r.model} (${r.engine}): ${r.error ?? "failed"}\n`);
    else if (r.countMismatch)
      io.stderr.write(`error: ${r.model} (${r.engine}): ${r.countMismatch}\n`);
  const left = leftToTlc.length > 0 ? leftToTlcLine(leftToTlc) : undefined;
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(jsonRows(results), null, 2)}\n`);
    if (left) io.stderr.write(`${left}\n`);
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
    `${results.length} check${results.length === 1 ? "" : "s"}: ${results.length - failed - skipped} as expected, ${failed} not, ${skipped} skipped`,
  );
  if (left) out.push(left);
  io.stdout.write(`${out.join("\n")}\n`);
}
