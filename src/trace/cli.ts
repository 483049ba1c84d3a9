/**
 * `npm run validate -- FILES… [--engine auto|tlc|embedded] [--json] [--itf DIR] [--no-batch]`
 *
 * Checks that each trace is a behaviour of its protocol's spec. Exit status: 0 when every trace
 * validates, 1 when one diverges (or could not be checked), 2 for bad input (a missing or
 * malformed file, an unknown action, a wrong protocol, bad options; each reported on one line
 * naming file:line), 130 when interrupted.
 */
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { Command, Option } from "commander";
import { runCommand } from "../core/cli.js";
import type { EngineChoice } from "../tla/engine.js";
import { readTrace, type Trace } from "./codec.js";
import { writeItf } from "./itf-export.js";
import { shownPath, TraceError } from "./ndjson.js";
import { type ValidationResult, validateTraces } from "./validate.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: Record<string, string | undefined>;
}

interface CliOptions {
  engine: EngineChoice;
  json?: boolean;
  itf?: string;
  keep?: string;
  batch: boolean;
}

function program(io: CliIo): Command {
  return new Command("validate")
    .description(
      "Check that implementation traces (NDJSON, traces/FORMAT.md) are behaviours of the TLA+ spec",
    )
    .argument("<files...>", "trace files (*.ndjson)")
    .addOption(
      new Option("--engine <engine>", "checker to use")
        .choices(["auto", "tlc", "embedded"])
        .default("auto"),
    )
    .option("--json", "print one JSON object per trace (one per line)")
    .option("--itf <dir>", "also write each trace as an ITF file (<name>.itf.json) into <dir>")
    .option("--no-batch", "give each trace its own TLC launch")
    .option(
      "--keep <dir>",
      "keep the generated modules and cfg of every run in <dir> (to rerun TLC by hand)",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  // On Ctrl-C or SIGTERM the run stops (temporary files are removed), then reports.
  return runCommand(program(io), argv, io.stderr, (cmd, signal) =>
    run(cmd.args, cmd.opts<CliOptions>(), io, signal),
  );
}

async function run(
  files: string[],
  opts: CliOptions,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const traces: Trace[] = [];
  let badInput = false;
  for (const f of files) {
    try {
      traces.push(readTrace(f, shownPath(f)));
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      io.stderr.write(`error: ${e.message}\n`);
      badInput = true;
    }
  }
  if (opts.itf && traces.length > 0) {
    mkdirSync(opts.itf, { recursive: true });
    for (const t of traces) {
      const out = join(opts.itf, `${basename(t.file).replace(/\.ndjson$/, "")}.itf.json`);
      writeItf(t, out);
      if (!opts.json) io.stderr.write(`wrote ${shownPath(out)}\n`);
    }
  }
  const results =
    traces.length === 0
      ? []
      : await validateTraces(traces, {
          engine: opts.engine,
          env: io.env,
          batch: opts.batch,
          signal,
          ...(opts.keep ? { keep: opts.keep } : {}),
          onEngine: (e) => {
            if (e.notice) io.stderr.write(`${e.notice}\n`);
          },
          onResult: (r) =>
            io.stdout.write(opts.json ? `${JSON.stringify(jsonRow(r))}\n` : formatResult(r)),
        });
  if (!opts.json && results.length > 0) io.stdout.write(`${summary(results)}\n`);
  if (signal.aborted) return 130;
  if (badInput) return 2;
  return results.every((r) => r.ok) ? 0 : 1;
}

/** The --json object: file, events, engine, ok, seconds, and when not ok failedAt, action, diff. */
export function jsonRow(r: ValidationResult): Record<string, unknown> {
  return {
    file: r.file,
    events: r.events,
    engine: r.engine,
    ok: r.ok,
    seconds: Number(r.seconds.toFixed(3)),
    ...(r.ok
      ? {}
      : {
          failedAt: r.failedAt ?? null,
          ...(r.line === undefined ? {} : { line: r.line }),
          action: r.action ?? null,
          diff: r.diff ?? [],
          ...(r.reason === undefined ? {} : { reason: r.reason }),
          ...(r.error === undefined ? {} : { error: r.error }),
        }),
  };
}

export function formatResult(r: ValidationResult): string {
  const head = `${r.ok ? "ok  " : "FAIL"}  ${r.file}  ${plural(r.events, "event")}  ${r.engine}  ${r.seconds.toFixed(1)}s`;
  if (r.ok) return `${head}\n`;
  const out = [head];
  if (r.error) out.push(`      could not check: ${r.error}`);
  if (r.failedAt !== undefined)
    out.push(
      `      event ${r.failedAt}${r.line === undefined ? "" : ` (line ${r.line})`}: ${r.action ?? "?"} does not match the spec`,
    );
  if (r.reason) out.push(`      ${r.reason}`);
  for (const d of r.diff ?? []) {
    const many =
      d.allowed.length > 1 ? ` (${d.allowed.length} allowed values; the first shown)` : "";
    out.push(
      `      ${d.variable}: the logged value differs from every state the spec allows${many}`,
    );
    for (const line of d.detail) out.push(`        ${line}`);
  }
  return `${out.join("\n")}\n`;
}

function summary(results: ValidationResult[]): string {
  const ok = results.filter((r) => r.ok).length;
  const events = results.reduce((s, r) => s + r.events, 0);
  const seconds = results.reduce((s, r) => s + r.seconds, 0);
  const rate =
    seconds > 0 ? ` (${Math.round(events / seconds).toLocaleString("en-US")} events/s)` : "";
  return `${plural(results.length, "trace")}: ${ok} valid, ${results.length - ok} not; ${plural(events, "event")} in ${seconds.toFixed(1)}s${rate}`;
}

const plural = (n: number, what: string) =>
  `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
