/**
 * `npm run tlc -- [filter] [--engine auto|tlc|embedded] [--jobs N] [--workers N] [--json] [--deep]
 *  [--trace-dir DIR]`
 * Checks run `--jobs` at a time; each prints one line as it finishes (progress goes to stderr
 * meanwhile), then the table follows in a stable order, and each counterexample step by step,
 * also written as a trace file. Exit status: 0 only when every check asked for was made and
 * met its expectation (outcome and, where the cfg header gives one, distinct-state count);
 * 1 when a check did not (a wrong outcome or count, an engine failure); 2 for bad input (flags,
 * spec directory, a cfg or spec that cannot be read, a model the engine cannot check) or setup
 * (no Java, no jar); 130 when interrupted.
 */
import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import type { SpecRun } from "../conform/engine.js";
import { runCommand } from "../core/cli.js";
import { type EngineChoice, meetsExpectation, resolveEngine } from "./engine.js";
import { discoverModels, type Model, otherEngineHint, selectModels } from "./models.js";
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
import { protocolModuleOf, writeCounterexampleTrace } from "./trace-file.js";
import type { CheckResult, EngineGraph, EngineName } from "./types.js";
import type { ValueFormatter } from "./value.js";

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
  traceDir: string;
  conform?: boolean;
}

/** Where counterexample trace files go by default (ignored by git, like the simulator's). */
export const DEFAULT_TRACE_DIR = "traces/out/counterexamples";

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
    .option("--json", "print results as a JSON array (with each counterexample)")
    .option("--deep", "include every tier (deep, and on the embedded engine the tlc tier too)")
    .option(
      "--conform",
      "compare the graph of every passing model checked with its implementation's (npm run conform), from the same run (default: every passing model on the embedded engine; on TLC the ci tier's and tlc-tier ones up to 20,000 states)",
    )
    .option("--no-conform", "do not compare graphs")
    .option("--spec-dir <dir>", "directory holding <protocol>/*.cfg models", "spec")
    .option(
      "--trace-dir <dir>",
      "where each counterexample is written as a trace file (npm run validate replays it)",
      DEFAULT_TRACE_DIR,
    )
    .showSuggestionAfterError()
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

/** Each registered protocol's short forms for counterexamples, by protocol folder name. */
async function formatters(results: CheckResult[]): Promise<Map<string, ValueFormatter>> {
  const out = new Map<string, ValueFormatter>();
  for (const p of new Set(results.filter((r) => r.counterexample).map((r) => r.protocol))) {
    const f = (await protocolModuleOf(p))?.formatValue;
    if (f) out.set(p, f);
  }
  return out;
}

/** Columns to wrap at: the terminal's, else $COLUMNS, else 100. */
const widthOf = (out: NodeJS.WriteStream, env: CliIo["env"]) =>
  (out.isTTY ? out.columns : undefined) || Number(env.COLUMNS) || 100;

async function run(
  filter: string | undefined,
  opts: CliOptions,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const discovered = discoverModels(opts.specDir);
  const engine = resolveEngine(opts.engine, io.env);
  const { models, leftToTlc, otherEngine } = selectModels(
    discovered,
    filter,
    opts.deep ?? false,
    engine.engine,
  );
  if (engine.notice) io.stderr.write(`${engine.notice}\n`);
  // Finished lines go where the table goes, except that --json keeps stdout for the JSON.
  const lines = opts.json ? io.stderr : io.stdout;
  const status = startStatus(models.length, io.stderr, true);
  let done = 0;
  let results: CheckResult[];
  // Graph equality from the same runs: each passing model's check exports its graph. On TLC
  // by default the ci-tier models, those the embedded engine compares too, and the smaller
  // tlc-tier ones: the bigger graphs would cost more than the check itself (from-check.ts).
  const conform = opts.conform === false ? undefined : await import("../conform/from-check.js");
  const refused = new Map<string, string>();
  const compared = (m: Model) => {
    const c = conform?.conformable(m) ?? false;
    if (typeof c === "string") refused.set(m.name, c);
    return c === true && (opts.conform === true || !!conform?.comparedByDefault(m, engine.engine));
  };
  const graphs = new Map<string, SpecRun | Error>();
  try {
    results = await runChecks(models, engine, {
      ...(conform === undefined
        ? {}
        : {
            graphFor: (m: Model) =>
              compared(m)
                ? (g: EngineGraph) => {
                    // A graph that cannot be read fails its comparison, not the other checks.
                    try {
                      graphs.set(m.name, conform.readGraph(m, g, engine.engine));
                    } catch (e) {
                      graphs.set(m.name, e instanceof Error ? e : new Error(String(e)));
                    }
                  }
                : undefined,
          }),
      jobs: opts.jobs,
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      signal,
      onStart: (i, m) => status.start(i, `${m.name} (${engine.engine})`, m.states?.[engine.engine]),
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
  let unequal = 0;
  if (conform !== undefined)
    for (const r of results) {
      const m = models.find((x) => x.name === r.model);
      if (m === undefined || r.outcome !== "pass" || !compared(m)) continue;
      const g = graphs.get(r.model);
      if (g === undefined || g instanceof Error) {
        unequal++;
        io.stderr.write(
          `error: ${r.model} (${r.engine}): ${g === undefined ? "the check exported no graph to compare" : `its graph cannot be read: ${g.message.split("\n")[0]}`}\n`,
        );
        continue;
      }
      graphs.delete(r.model);
      const c = await conform.conformCheck(m, g, r.seconds);
      if (!c.equal) unequal++;
      r.conform = {
        equal: c.equal,
        specStates: c.specStates,
        implStates: c.implStates,
        specEdges: c.specEdges,
        implEdges: c.implEdges,
        seconds: c.seconds,
      };
      (opts.json ? io.stderr : io.stdout).write(`graph ${c.text}\n`);
    }
  for (const [name, why] of refused)
    (opts.json ? io.stderr : io.stdout).write(`graph of ${name} not compared: ${why}\n`);
  await writeTraces(results, models, opts, io);
  const notes = [
    ...(leftToTlc.length > 0 ? [leftToTlcLine(leftToTlc)] : []),
    ...(otherEngine.length > 0 ? [otherEngineLine(otherEngine, engine.engine)] : []),
  ];
  report(results, opts, io, notes, await formatters(results));
  if (signal.aborted) return 130;
  if (results.some((r) => r.badInput)) return 2;
  return results.every(meetsExpectation) && unequal === 0 ? 0 : 1;
}

/** Write each counterexample of a registered protocol's model as a trace file. */
async function writeTraces(results: CheckResult[], models: Model[], opts: CliOptions, io: CliIo) {
  for (const r of results) {
    const model = models.find((m) => m.name === r.model);
    if (!model || !r.counterexample || r.outcome === "pass") continue;
    const written = await writeCounterexampleTrace(model, r, opts.traceDir);
    if (written && "file" in written) {
      r.trace = written.file;
      // Spec → code: a bug model's counterexample must replay on the implementation.
      const { replayWritten } = await import("../trace/replay-cli.js");
      const replay = replayWritten(written.file, r.model);
      if (replay) io.stderr.write(`${replay.fails ? "error" : "note"}: ${replay.line}\n`);
      if (replay?.fails) r.countMismatch = replay.line;
    } else if (written)
      io.stderr.write(`note: ${r.model} (${r.engine}): no trace file: ${written.error}\n`);
  }
}

/** The one line naming the models the engine at hand cannot check, and how to check them. */
const otherEngineLine = (left: { name: string; why: string }[], engine: EngineName) => {
  const other = engine === "tlc" ? "embedded" : "tlc";
  return `left to ${other === "tlc" ? "TLC" : "the embedded engine"} (engines: ${other}): ${left.map((m) => `${m.name} (${m.why})`).join(", ")}; to check them, ${otherEngineHint(engine)}`;
};

function report(
  results: CheckResult[],
  opts: CliOptions,
  io: CliIo,
  notes: string[],
  format: Map<string, ValueFormatter>,
): void {
  for (const r of results)
    if (r.outcome === "error")
      io.stderr.write(`error: ${r.model} (${r.engine}): ${r.error ?? "failed"}\n`);
    else if (r.countMismatch)
      io.stderr.write(`error: ${r.model} (${r.engine}): ${r.countMismatch}\n`);
  if (opts.json) {
    io.stdout.write(
      `${JSON.stringify(
        jsonRows(results, (p) => format.get(p)),
        null,
        2,
      )}\n`,
    );
    for (const n of notes) io.stderr.write(`${n}\n`);
    return;
  }
  const width = widthOf(io.stdout, io.env);
  const out: string[] = [formatTable(results)];
  const skips = results.filter((r) => r.skipped).map((r) => `skipped ${r.model}: ${r.skipped}`);
  if (skips.length > 0) out.push("", ...skips);
  for (const r of results) {
    if (r.outcome === "pass" || r.outcome === "skipped" || !r.counterexample) continue;
    const f = format.get(r.protocol);
    out.push(
      "",
      violationTitle(r),
      formatCounterexample(r.counterexample, { width, ...(f ? { format: f } : {}) }),
    );
    if (r.trace) out.push(`  trace: ${r.trace} (replay it: npm run validate -- ${r.trace})`);
  }
  const failed = results.filter((r) => !meetsExpectation(r)).length;
  const skipped = results.filter((r) => r.outcome === "skipped").length;
  out.push(
    "",
    `${results.length} check${results.length === 1 ? "" : "s"}: ${results.length - failed - skipped} as expected, ${failed} not${skipped > 0 ? `, ${skipped} skipped` : ""}`,
  );
  out.push(...notes);
  io.stdout.write(`${out.join("\n")}\n`);
}
