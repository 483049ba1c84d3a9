/**
 * Benchmark hook: simulated transitions per second with tracing on. Runs seeds of `stepsPerRun`
 * events one after another until `transitions` events were simulated, writing each run's
 * NDJSON trace to `write` (default: the null device, so encoding and writing the text is
 * included but no disk is filled; the header goes last, as it names the values used).
 */
import { closeSync, openSync, writevSync } from "node:fs";
import { devNull } from "node:os";
import { type SimOptions, withDefaults } from "./options.js";
import { simulate } from "./simulator.js";
import { headerLine, TraceWriter } from "./trace.js";

export interface BenchResult {
  readonly transitions: number;
  readonly runs: number;
  /** Wall-clock time. */
  readonly seconds: number;
  readonly transitionsPerSecond: number;
  /** CPU time of this process (user + system): steadier than wall time on a busy machine. */
  readonly cpuSeconds: number;
  readonly transitionsPerCpuSecond: number;
  readonly bytes: number;
}

export interface BenchOptions {
  readonly transitions: number;
  readonly stepsPerRun: number;
  readonly sim: Partial<Omit<SimOptions, "knobs" | "seed" | "steps">>;
  /** Receives the trace as lists of buffers (see TraceWriter); default: the null device. */
  readonly write?: (parts: ReadonlyArray<Buffer>) => void;
}

export function benchmark(o: Partial<BenchOptions> = {}): BenchResult {
  const total = o.transitions ?? 200_000;
  const stepsPerRun = o.stepsPerRun ?? 500;
  const fd = o.write === undefined ? openSync(devNull, "w") : undefined;
  const write = o.write ?? ((parts) => writevSync(fd as number, parts as Buffer[]));
  let bytes = 0;
  let done = 0;
  let runs = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (done < total) {
    const w = new TraceWriter((parts) => {
      for (const p of parts) bytes += p.length;
      write(parts);
    });
    const r = simulate(
      withDefaults({ ...o.sim, seed: runs + 1, steps: Math.min(stepsPerRun, total - done) }),
      (i, a, c) => w.event(i, a, c),
    );
    w.line(headerLine(r));
    w.flush();
    done += r.steps;
    runs++;
    if (r.steps === 0) break;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (fd !== undefined) closeSync(fd);
  return {
    transitions: done,
    runs,
    seconds,
    transitionsPerSecond: done / seconds,
    cpuSeconds,
    transitionsPerCpuSecond: done / cpuSeconds,
    bytes,
  };
}
