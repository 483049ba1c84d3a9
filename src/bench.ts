/**
 * `npm run bench -- [--protocol P]`: speed figures for every registered protocol, printed with
 * the machine they were measured on. Nothing passes or fails on time; compare ratios from one
 * run (machines here are noisy).
 *
 * Per protocol: simulator transitions per second with tracing on (trace format versions 3, 2
 * and 1, to the null device and discarded in memory); simulator traces of 1,000 and 10,000
 * events with all faults: bytes per event in each format version and validation events per
 * second per engine (read, generate, check), with the ratio between the two lengths (1 means
 * linear time) and each protocol against the first; and validation of random behaviours TLC
 * draws from the spec. Then
 * every default-tier model check's seconds on each engine (one at a time, TLC on one worker),
 * with each protocol's total per tier, so that the CI budget is visible.
 *
 * First, for the protocols whose module has a `latencyBench`: commit latency in simulated
 * ticks on the same wide-area deployments (src/sim/latency.ts), side by side (`--latency`
 * prints only that). Then the linearizability checker's figures, which no protocol owns
 * (`--history` prints only those).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { benchExplorer } from "./conform/bench.js";
import { runCommand } from "./core/cli.js";
import { UserError } from "./core/errors.js";
import { benchHistory } from "./history/bench.js";
import type { ProtocolModule } from "./protocol.js";
import { protocols } from "./registry.js";
import { benchmark } from "./sim/bench.js";
import { faultNames } from "./sim/faults.js";
import { type LatencyRow, latencyDeployments, latencyRows } from "./sim/latency.js";
import { benchModels, formatModelBench } from "./tla/bench.js";
import { resolveEngine } from "./tla/engine.js";
import type { EngineName } from "./tla/types.js";
import { benchTraceValidation, formatTraceBench } from "./trace/bench.js";
import { readTrace } from "./trace/codec.js";
import { benchPartialValidation, partialRatios } from "./trace/partial-bench.js";
import { validateTraces } from "./trace/validate.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The trace variants measured: format v3 (the default), v2 and v1 (--full-state), two sinks. */
const variants = [
  ["v3 (default) to /dev/null", undefined, 3],
  ["v3 discarded in memory", () => {}, 3],
  ["v2 to /dev/null", undefined, 2],
  ["v1 (--full-state) to /dev/null", undefined, 1],
  ["v1 discarded in memory", () => {}, 1],
] as const;

/** One simulated run of `events` events with every fault on, as a trace file; its size. */
function simulatorTrace(
  p: ProtocolModule,
  file: string,
  events: number,
  traceVersion: 1 | 2 | 3 = 3,
): number {
  const parts: Buffer[] = [];
  const r = p.sim.prepare({ steps: events, faults: faultNames, traceVersion })(1, (x) =>
    parts.push(...x),
  );
  const bytes = Buffer.concat([Buffer.from(`${r.header}\n`), ...parts]);
  writeFileSync(file, bytes);
  return bytes.length;
}

/** Validation events/s per protocol, engine and trace length (for the comparisons). */
type Rates = Map<string, Map<string, number>>;

const VALIDATION_SIZES = [1000, 10_000];

async function benchProtocol(
  p: ProtocolModule,
  line: (s?: string) => void,
  rates: Rates,
): Promise<void> {
  for (const row of p.bench) {
    line(`simulator (${p.name}, ${row.label}, all faults, 500-event runs; trace format version)`);
    const base = {
      protocol: p.name,
      faults: faultNames,
      ...(row.sizes ? { sizes: row.sizes } : {}),
    };
    // Unmeasured first: otherwise the first variant also pays for compiling the code.
    benchmark({ ...base, transitions: 20_000, write: () => {} });
    for (const [label, write, traceVersion] of variants) {
      const r = benchmark({
        ...base,
        transitions: 200_000,
        stepsPerRun: 500,
        traceVersion,
        ...(write ? { write } : {}),
      });
      line(
        `  ${label.padEnd(31)} ${fmt(r.transitionsPerSecond).padStart(9)} transitions/s (${fmt(r.transitionsPerCpuSecond)} per CPU-second), ${(r.bytes / 1e6).toFixed(0)} MB of NDJSON`,
      );
    }
    line();
  }

  const engines: EngineName[] =
    resolveEngine("auto").engine === "tlc" ? ["tlc", "embedded"] : ["embedded"];
  const dir = mkdtempSync(join(tmpdir(), "lockstep-bench-"));
  try {
    line(`${p.name} simulator traces, all faults, seed 1: bytes per event by format version`);
    for (const events of VALIDATION_SIZES) {
      const sizes = ([3, 2, 1] as const).map((v) => {
        const bytes = simulatorTrace(p, join(dir, `size-v${v}.ndjson`), events, v);
        return `v${v} ${fmt(bytes / (events + 1)).padStart(7)}`;
      });
      line(`  ${String(events).padStart(6)} events  ${sizes.join("  ")}`);
    }
    line();
    line(`validation of those traces (format v3; read, generate, check)`);
    const mine = new Map<string, number>();
    rates.set(p.name, mine);
    for (const events of VALIDATION_SIZES) {
      const file = join(dir, `sim-${events}.ndjson`);
      simulatorTrace(p, file, events);
      for (const engine of engines) {
        const t0 = performance.now();
        const [v] = await validateTraces([readTrace(file)], { engine });
        const s = (performance.now() - t0) / 1000;
        mine.set(`${engine} ${events}`, events / s);
        line(
          `  ${engine.padEnd(8)} ${String(events).padStart(6)} events  ${s.toFixed(1).padStart(6)} s  ${fmt(events / s).padStart(6)} events/s${v?.ok ? "" : "  (NOT VALID)"}`,
        );
      }
    }
    const [small, large] = VALIDATION_SIZES as [number, number];
    for (const engine of engines) {
      const a = mine.get(`${engine} ${small}`);
      const b = mine.get(`${engine} ${large}`);
      if (a && b)
        line(
          `  ${engine.padEnd(8)} events/s at ${fmt(small)} / at ${fmt(large)} events: ${(a / b).toFixed(2)} (1 = linear time)`,
        );
    }
    line();
    const rows = await benchTraceValidation(p, { maxEvents: { embedded: 1000 } });
    if (rows.length > 0) line(formatTraceBench(rows));
    const tlc = resolveEngine("auto", process.env);
    if (tlc.tlc && p.fixtures.benchLogged !== undefined) {
      line(
        "partial traces (only the logged variables; the unlogged actions' events left out), end to end",
      );
      const partial = await benchPartialValidation(p, tlc.tlc, { log: line });
      for (const l of partialRatios(partial)) line(l);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  line();
}

/**
 * Seeds per deployment of the latency comparison (each run 3,000 events): 20 took over a
 * minute for two protocols on a shared 2-core machine, 10 about half that.
 */
const LATENCY_SEEDS = 10;

/** The wide-area commit-latency comparison of the protocols that have a latencyBench. */
function benchLatency(chosen: ReadonlyArray<ProtocolModule>, line: (s?: string) => void): void {
  const ps = chosen.filter((p) => p.latencyBench !== undefined);
  if (ps.length === 0) return;
  const d0 = latencyDeployments[0];
  line(
    `commit latency in simulated ticks, median / p95 / mean (commands measured): ${LATENCY_SEEDS} seeds × ${fmt(d0?.events ?? 0)} events per deployment, no faults, links of ${d0?.latency} ticks and the far site's ${latencyDeployments.find((d) => d.far !== d.latency)?.far}, a client per client site sending every ${d0?.arrival.join("–")} ticks (at most ${d0?.maxBacklog} unexecuted)`,
  );
  const t0 = performance.now();
  const rows = new Map<string, ReadonlyArray<LatencyRow>>(
    ps.map((p) => [p.name, latencyRows(p, LATENCY_SEEDS)]),
  );
  const width = Math.max(...latencyDeployments.map((d) => d.label.length));
  const cell = (r: LatencyRow | undefined) =>
    r === undefined || r.commands === 0
      ? "-"
      : `${r.median} / ${r.p95} / ${Math.round(r.mean)} (${fmt(r.commands)})`;
  line(`  ${"deployment".padEnd(width)}  ${ps.map((p) => p.name.padEnd(26)).join("  ")}`);
  latencyDeployments.forEach((d, k) => {
    const cells = ps.map((p) => cell(rows.get(p.name)?.[k]).padEnd(26));
    line(`  ${d.label.padEnd(width)}  ${cells.join("  ")}`);
  });
  for (const p of ps) line(`  ${p.name}: ${p.latencyBench?.about}`);
  line(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  line();
}

export async function main(
  argv: ReadonlyArray<string>,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const cmd = new Command("bench")
    .description("Print speed figures (simulator, trace validation) for each protocol")
    .option("--latency", "only the wide-area commit-latency comparison (about half a minute)")
    .option("--explorer", "only the implementation explorer against TLC")
    .option("--history", "only the linearizability checker (about 15 s)")
    .option(
      "--runtime",
      "only the protocols' own sections, with those that start real processes (about a minute)",
    )
    .option(
      "--protocol <name>",
      `only this protocol (${protocols()
        .map((p) => p.name)
        .join(", ")})`,
    )
    .addHelpText(
      "after",
      `
Prints the wide-area commit-latency comparison of the protocols that have one, the
linearizability checker's speed, then, per protocol: simulator transitions per second with tracing on, trace validation
events per second on each engine found (TLC when a jar and Java are, and the embedded engine),
then every default-tier model check's time. Takes many minutes; nothing passes or fails on
time. Exit status: 0 when done, 2 for bad usage.
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runCommand(cmd, argv, io.stderr, async (c) => {
    const {
      protocol: only,
      latency,
      runtime,
      explorer,
      history,
    } = c.opts<{
      protocol?: string;
      latency?: boolean;
      runtime?: boolean;
      explorer?: boolean;
      history?: boolean;
    }>();
    const chosen = protocols().filter((p) => only === undefined || p.name === only);
    if (chosen.length === 0)
      throw new UserError(
        `unknown protocol "${only}"; known protocols: ${protocols()
          .map((p) => p.name)
          .join(", ")}`,
      );
    const line = (s = "") => io.stdout.write(`${s}\n`);
    line(
      `machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    );
    line();
    if (explorer === true) {
      for (const p of chosen) await benchExplorer(p, line);
      return 0;
    }
    if (history === true) {
      benchHistory(line);
      return 0;
    }
    if (runtime !== true) benchLatency(chosen, line);
    if (latency === true) return 0;
    if (runtime !== true) benchHistory(line);
    for (const p of chosen)
      for (const section of p.benchSections ?? [])
        if (!section.optIn || runtime === true) await section.run(line);
    if (runtime === true) return 0;
    const rates: Rates = new Map();
    for (const p of chosen) await benchProtocol(p, line, rates);
    for (const p of chosen) await benchExplorer(p, line);
    const [first, ...others] = [...rates];
    if (first && others.length > 0) {
      line(`validation events/s of ${fmt(10_000)}-event traces, against ${first[0]}'s`);
      for (const [name, r] of others)
        for (const [key, v] of r) {
          const base = first[1].get(key);
          if (key.endsWith(" 10000") && base)
            line(`  ${name.padEnd(10)} ${key.split(" ")[0]?.padEnd(8)} ${(v / base).toFixed(2)}×`);
        }
      line();
    }
    line("model checking (default tier of each engine, one check at a time, TLC on one worker)");
    const rows = await benchModels({
      ...(only === undefined ? {} : { filter: chosen.map((p) => p.spec.model).join("|") }),
      onResult: (r, engine) => {
        const f = r.engines[engine];
        if (f)
          line(
            `  ${r.model} (${engine}): ${f.outcome}, ${f.distinctStates ?? "-"} states, ${f.seconds.toFixed(1)} s`,
          );
      },
    });
    line(formatModelBench(rows));
    return 0;
  });
}
