/**
 * `npm run bench`: speed figures, printed with the machine they were measured on. Nothing
 * here passes or fails on time; compare ratios from one run (machines here are noisy).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { benchmark } from "../src/sim/bench.js";
import { faultNames } from "../src/sim/faults.js";
import { writePaxosTrace } from "../src/sim/paxos/bench.js";
import { withDefaults } from "../src/sim/raft/options.js";
import { simulate } from "../src/sim/raft/simulate.js";
import { headerLine, traceWriter } from "../src/sim/raft/trace.js";
import { resolveEngine } from "../src/tla/engine.js";
import type { EngineName } from "../src/tla/types.js";
import { benchTraceValidation, formatTraceBench } from "../src/trace/bench.js";
import { readTrace } from "../src/trace/codec.js";
import { validateTraces } from "../src/trace/validate.js";

const line = (s = "") => process.stdout.write(`${s}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

line(
  `machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
line();

/** The trace variants measured: format v2 (the default) and v1 (--full-state), two sinks. */
const variants = [
  ["v2 to /dev/null", undefined, false],
  ["v2 discarded in memory", () => {}, false],
  ["v1 (--full-state) to /dev/null", undefined, true],
  ["v1 discarded in memory", () => {}, true],
] as const;

line("simulator (raft, 3 servers, all faults, 500-event runs; trace format version)");
// Unmeasured first: otherwise the first variant also pays for compiling the code.
benchmark({ transitions: 20_000, faults: faultNames, write: () => {} });
for (const [label, write, fullState] of variants) {
  const r = benchmark({
    transitions: 200_000,
    stepsPerRun: 500,
    faults: faultNames,
    fullState,
    ...(write ? { write } : {}),
  });
  line(
    `  ${label.padEnd(31)} ${fmt(r.transitionsPerSecond).padStart(9)} transitions/s (${fmt(r.transitionsPerCpuSecond)} per CPU-second), ${(r.bytes / 1e6).toFixed(0)} MB of NDJSON`,
  );
}
line();

line("simulator (paxos, 3 acceptors, 2 leaders, 2 replicas, all faults, 500-event runs)");
benchmark({ protocol: "paxos", transitions: 10_000, faults: faultNames, write: () => {} });
for (const [label, write, fullState] of variants) {
  const r = benchmark({
    protocol: "paxos",
    faults: faultNames,
    transitions: 100_000,
    stepsPerRun: 500,
    fullState,
    ...(write ? { write } : {}),
  });
  line(
    `  ${label.padEnd(31)} ${fmt(r.transitionsPerSecond).padStart(9)} transitions/s (${fmt(r.transitionsPerCpuSecond)} per CPU-second), ${(r.bytes / 1e6).toFixed(0)} MB of NDJSON`,
  );
}
line();

// Simulator traces validated end to end by each engine, in format version 2: an event carries
// only the variables it changed, so logs may grow for the whole run (in version 1 a 10,000-event
// trace of this run is over 500 MB, more than one JavaScript string holds). A log that changes
// is still logged whole, so cost per event grows with the logs' length.
const SIM_TRACE = { faults: ["drop", "dup", "reorder", "crash"] } as const;
const engines: EngineName[] =
  resolveEngine("auto").engine === "tlc" ? ["tlc", "embedded"] : ["embedded"];
const dir = mkdtempSync(join(tmpdir(), "lockstep-bench-"));
try {
  line(
    `validation of simulator traces (format v2; ${SIM_TRACE.faults.join(", ")}; unbounded client requests; read, generate the data module, check)`,
  );
  const perSecond: Record<string, number[]> = {};
  for (const events of [1000, 10_000]) {
    const parts: Buffer[] = [];
    const w = traceWriter((p) => parts.push(...p));
    const r = simulate(
      withDefaults({ seed: 1, steps: events, faults: SIM_TRACE.faults }),
      (i, a, c) => w.event(i, a, c),
    );
    w.flush();
    const file = join(dir, `sim-${events}.ndjson`);
    writeFileSync(file, Buffer.concat([Buffer.from(`${headerLine(r)}\n`), ...parts]));
    for (const engine of engines) {
      if (engine === "embedded" && events > 1000) {
        line(`  ${engine.padEnd(8)} ${String(events).padStart(6)} events  skipped (too slow)`);
        continue;
      }
      const t0 = performance.now();
      const [v] = await validateTraces([readTrace(file)], { engine });
      const s = (performance.now() - t0) / 1000;
      const rate = events / s;
      perSecond[engine] = [...(perSecond[engine] ?? []), rate];
      line(
        `  ${engine.padEnd(8)} ${String(events).padStart(6)} events  ${s.toFixed(1).padStart(6)} s  ${fmt(rate).padStart(6)} events/s${v?.ok ? "" : "  (NOT VALID)"}`,
      );
    }
  }
  line("validation of paxos simulator traces (all faults)");
  const paxosFile = join(dir, "paxos-1000.ndjson");
  writePaxosTrace(paxosFile, 1000);
  for (const engine of engines) {
    const t0 = performance.now();
    try {
      const [v] = await validateTraces([readTrace(paxosFile)], { engine });
      const s = (performance.now() - t0) / 1000;
      line(
        `  ${engine.padEnd(8)} ${String(1000).padStart(6)} events  ${s.toFixed(1).padStart(6)} s  ${fmt(1000 / s).padStart(6)} events/s${v?.ok ? "" : "  (NOT VALID)"}`,
      );
    } catch (e) {
      line(`  ${engine.padEnd(8)} not available: ${(e as Error).message}`);
    }
  }
  const tlcRates = perSecond.tlc;
  if (tlcRates?.length === 2 && tlcRates[0] && tlcRates[1])
    line(
      `  TLC events/s at 10,000 ÷ at 1,000: ${(tlcRates[1] / tlcRates[0]).toFixed(2)} (≥ 1 means cost grows no faster than linearly)`,
    );
  line();
  line(formatTraceBench(await benchTraceValidation({ maxEvents: { embedded: 1000 } })));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
