/**
 * `npm run validate -- PATHS… [--engine auto|tlc|embedded] [--json] [--itf DIR] [--keep DIR]
 *   [--protocol P] [--no-batch]`
 *
 * Checks that each trace is a behaviour of its protocol's spec. A path is a trace file (NDJSON,
 * traces/FORMAT.md; or ITF, *.json) or a directory, whose *.ndjson and *.itf.json files are
 * read (recursively, in name order). Progress goes to stderr: a live line on a terminal, else a
 * line every few seconds. Exit status: 0 when every trace validates, 1 when one diverges, 2 for
 * bad input or a trace that could not be checked (a missing, unreadable or malformed file, an
 * empty directory, an unknown protocol, a bad option or output directory, an engine that
 * crashed; each reported on one line naming the file, line or event, or flag, and what to do),
 * 130 when interrupted.
 */
import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { Command, Option } from "commander";
import { runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import type { EngineChoice } from "../tla/engine.js";
import { readTrace, type Trace } from "./codec.js";
import { errnoOf, writableDir, writeWhole } from "./files.js";
import { toItfTrace } from "./itf-export.js";
import { isItfPath, readItfTrace } from "./itf-import.js";
import { isNodeTrace, mergeNodeTraces, type Origin } from "./merge.js";
import { shownPath } from "./ndjson.js";
import { clock, count, ProgressLine, type ProgressOptions, rate } from "./progress.js";
import { type CheckProgress, type ValidationResult, validateTraces } from "./validate.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  env: Record<string, string | undefined>;
  /** How to show progress on stderr; none when left out (the default io shows it). */
  progress?: ProgressOptions;
}

interface CliOptions {
  engine: EngineChoice;
  json?: boolean;
  itf?: string;
  keep?: string;
  protocol?: string;
  batch: boolean;
}

function program(io: CliIo): Command {
  return new Command("validate")
    .description(
      "Check that implementation traces (NDJSON or ITF, traces/FORMAT.md) are behaviours of the TLA+ spec",
    )
    .argument("<paths...>", "trace files (*.ndjson, *.itf.json) or directories of them")
    .addOption(
      new Option("--engine <engine>", "checker to use")
        .choices(["auto", "tlc", "embedded"])
        .default("auto"),
    )
    .option("--json", "print one JSON object per input (one per line)")
    .option("--itf <dir>", "also write each trace as an ITF file (<name>.itf.json) into <dir>")
    .option("--protocol <name>", "the protocol of ITF files whose #meta does not name one")
    .option("--no-batch", "give each trace its own TLC launch")
    .option(
      "--keep <dir>",
      "keep the generated modules and cfg of every run in <dir> (to rerun TLC by hand)",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  progress: { tty: process.stderr.isTTY === true },
});

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  // On Ctrl-C or SIGTERM the run stops (temporary files are removed), then reports.
  return runCommand(program(io), argv, io.stderr, (cmd, signal) =>
    run(cmd.args, cmd.opts<CliOptions>(), io, signal),
  );
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** One input: a trace file to read, or why a path gave none. */
type Input = { path: string; shown: string } | { shown: string; error: string };

const TRACE_FILE = /\.(ndjson|itf\.json)$/i;

/** The trace files under a directory, in name order, recursively. */
function traceFilesIn(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...traceFilesIn(p));
    else if (TRACE_FILE.test(e.name)) out.push(p);
  }
  return out;
}

/** The inputs the command-line paths name, in order: files as given, directories expanded. */
function expandPaths(paths: readonly string[]): Input[] {
  return paths.flatMap((p): Input[] => {
    const shown = shownPath(p);
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      const code = errnoOf(e);
      return [
        {
          shown,
          error:
            code === "ENOENT"
              ? "no such file; check the path"
              : `cannot read (${code}); check the path and its permissions`,
        },
      ];
    }
    if (!isDir) return [{ path: p, shown }];
    let files: string[];
    try {
      files = traceFilesIn(p);
    } catch (e) {
      return [{ shown, error: `cannot list the directory (${errnoOf(e)}); check its permissions` }];
    }
    if (files.length === 0)
      return [
        {
          shown,
          error:
            "no trace files (*.ndjson, *.itf.json) in this directory; give trace files or a directory holding them",
        },
      ];
    return files.map((f) => ({ path: f, shown: shownPath(f) }));
  });
}

// ---------------------------------------------------------------------------------------------
// The run

async function run(
  paths: string[],
  opts: CliOptions,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  if (opts.itf) writableDir(opts.itf, "--itf");
  if (opts.keep) writableDir(opts.keep, "--keep");
  const progress = io.progress ? new ProgressLine(io.stderr, io.progress) : undefined;
  const say = (out: { write(s: string): unknown }, text: string) => {
    progress?.clear();
    out.write(text);
  };
  try {
    return await check(paths, opts, io, signal, progress, say);
  } finally {
    progress?.stop();
  }
}

async function check(
  paths: string[],
  opts: CliOptions,
  io: CliIo,
  signal: AbortSignal,
  progress: ProgressLine | undefined,
  say: (out: { write(s: string): unknown }, text: string) => void,
): Promise<number> {
  const inputs = expandPaths(paths);
  // Each input ends as a trace or a problem, reported in input order.
  const slots: ({ trace: number } | { error: string; shown: string })[] = [];
  const traces: Trace[] = [];
  const files = inputs.filter((i) => "path" in i).length;
  // Per-node traces of a real run (traces/FORMAT.md) are merged into one trace, in the slot of
  // the first; its events remember their node file and line.
  const nodeFiles = inputs.flatMap((i) => ("path" in i && isNodeTrace(i.path) ? [i] : []));
  const origins = new Map<number, ReadonlyArray<Origin>>();
  let read = 0;
  for (const input of inputs) {
    if ("error" in input) {
      slots.push({ shown: input.shown, error: `${input.shown}: ${input.error}` });
      continue;
    }
    if (nodeFiles.includes(input)) {
      if (input !== nodeFiles[0]) continue;
      progress?.show(() => `merging ${nodeFiles.length} node traces`);
      try {
        const run = mergeNodeTraces(nodeFiles);
        slots.push({ trace: traces.length });
        origins.set(traces.length, run.origins);
        traces.push(run.trace);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        slots.push({ shown: input.shown, error: e.message });
      }
      continue;
    }
    read++;
    const shown = input.shown;
    const where = files > 1 ? ` (file ${read} of ${files})` : "";
    progress?.show(() => `reading ${shown}${where}`);
    const onEvent = (n: number) => {
      if (n % 256 === 0) progress?.show(() => `reading ${shown}: ${count(n)} events${where}`);
    };
    try {
      const t = isItfPath(input.path)
        ? readItfTrace(input.path, shown, {
            onEvent,
            ...(opts.protocol ? { protocol: opts.protocol } : {}),
          })
        : readTrace(input.path, shown, { onEvent });
      slots.push({ trace: traces.length });
      traces.push(t);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      slots.push({ shown, error: e.message });
    }
  }
  for (const s of slots) if ("error" in s) say(io.stderr, `error: ${s.error}\n`);

  if (opts.itf)
    for (const t of traces) {
      const out = join(
        opts.itf,
        `${basename(t.file).replace(/\.(ndjson|itf\.json|json)$/i, "")}.itf.json`,
      );
      try {
        writeWhole(out, `${JSON.stringify(toItfTrace(t))}\n`);
      } catch (e) {
        throw new UserError(
          `--itf ${opts.itf}: cannot write ${basename(out)} (${errnoOf(e)}); give a directory you can write to`,
        );
      }
      if (!opts.json) say(io.stderr, `wrote ${shownPath(out)}\n`);
    }

  // Rows in input order: a problem as soon as the traces before it are reported.
  let next = 0;
  const results: ValidationResult[] = [];
  const flush = () => {
    for (; next < slots.length; next++) {
      const s = slots[next] as (typeof slots)[number];
      if ("trace" in s) {
        const r = results[s.trace];
        if (!r) return;
        if (opts.json) say(io.stdout, `${JSON.stringify(jsonRow(r))}\n`);
        else if (r.error) say(io.stderr, `error: ${notChecked(r)}\n`);
        else say(io.stdout, formatResult(r));
      } else if (opts.json)
        say(
          io.stdout,
          `${JSON.stringify({ file: s.shown, events: null, engine: null, ok: false, seconds: 0, error: s.error })}\n`,
        );
    }
  };
  flush();
  if (traces.length > 0) {
    let engineName = "";
    await validateTraces(traces, {
      engine: opts.engine,
      env: io.env,
      batch: opts.batch,
      signal,
      ...(opts.keep ? { keep: opts.keep } : {}),
      onEngine: (e) => {
        engineName = e.engine;
        if (e.notice) say(io.stderr, `${e.notice}\n`);
      },
      onProgress: (p) =>
        progress?.show((ms) => checkingLine(p, engineName, ms), p.events === p.totalEvents),
      onResult: (r) => {
        const source =
          r.failedAt === undefined ? undefined : origins.get(results.length)?.[r.failedAt];
        if (source !== undefined) r.source = source;
        results.push(r);
        flush();
      },
    });
  }
  if (!opts.json && results.length > 0) say(io.stdout, `${summary(results)}\n`);
  if (signal.aborted) return 130;
  if (slots.some((s) => "error" in s) || results.some((r) => r.error)) return 2;
  return results.every((r) => r.ok) ? 0 : 1;
}

/** The progress line while checking. */
function checkingLine(p: CheckProgress, engine: string, elapsedMs: number): string {
  const traces = p.totalTraces > 1 ? `, ${p.traces} of ${p.totalTraces} traces done` : "";
  return `checking (${engine}): ${count(p.events)} of ${count(p.totalEvents)} events${rate(p.events, p.seconds)}${traces}, ${clock(elapsedMs)}`;
}

/** One line for a trace the engine could not check, with what to try. */
function notChecked(r: ValidationResult): string {
  const memory = /out of memory/.test(r.error ?? "");
  const hint =
    r.engine !== "tlc"
      ? "use --engine tlc, or rerun with --keep DIR to look at the generated modules"
      : memory
        ? "or use --engine embedded"
        : "check TLC (TLA2TOOLS_JAR, Java, memory: JAVA_TOOL_OPTIONS=-Xmx4g) or use --engine embedded";
  return `${r.file}: could not be checked with ${r.engine === "tlc" ? "TLC" : "the embedded engine"}: ${(r.error ?? "").split("\n")[0]}; ${hint}`;
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
          ...(r.source === undefined ? {} : { source: r.source }),
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
      `      event ${r.failedAt}${r.source !== undefined ? ` (${r.source.file}:${r.source.line})` : r.line === undefined ? "" : ` (line ${r.line})`}: ${r.action ?? "?"} does not match the spec`,
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
  const unchecked = results.filter((r) => r.error).length;
  const events = results.reduce((s, r) => s + r.events, 0);
  const seconds = results.reduce((s, r) => s + r.seconds, 0);
  const perSecond =
    seconds > 0 ? ` (${Math.round(events / seconds).toLocaleString("en-US")} events/s)` : "";
  const notChecked = unchecked > 0 ? `, ${unchecked} could not be checked` : "";
  return `${plural(results.length, "trace")}: ${ok} valid, ${results.length - ok - unchecked} not${notChecked}; ${plural(events, "event")} in ${seconds.toFixed(1)}s${perSecond}`;
}

const plural = (n: number, what: string) =>
  `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
