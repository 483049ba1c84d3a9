/**
 * Benchmark hook: simulated transitions per second with tracing on, for any registered
 * protocol. Runs seeds of `stepsPerRun`
 * events one after another until `transitions` events were simulated, writing each run's
 * NDJSON trace to `write` (default: the null device, so encoding and writing the text is
 * included but no disk is filled; the header goes last, as it names the values used).
 */
import { closeSync, openSync, writevSync } from "node:fs";
import { devNull } from "node:os";
import { protocols } from "../registry.js";
import type { Fault } from "./faults.js";

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
  /** Default: the first registered protocol, at its default sizes, no faults. */
  readonly protocol: string;
  /** Values for the protocol's size flags (the rest take their defaults). */
  readonly sizes: Readonly<Record<string, number>>;
  readonly faults: ReadonlyArray<Fault>;
  /** Receives the trace as lists of buffers (see TraceWriter); default: the null device. */
  readonly write?: (parts: ReadonlyArray<Buffer>) => void;
  /** Write trace format version 1 (full states) instead of the default. */
  readonly fullState?: boolean;
  /** The trace format version (default: the simulator's). */
  readonly traceVersion?: 1 | 2 | 3;
}

export function benchmark(o: Partial<BenchOptions> = {}): BenchResult {
  const total = o.transitions ?? 200_000;
  const stepsPerRun = o.stepsPerRun ?? 500;
  const fd = o.write === undefined ? openSync(devNull, "w") : undefined;
  const write = o.write ?? ((parts) => writevSync(fd as number, parts as Buffer[]));
  let bytes = 0;
  const counted = (parts: ReadonlyArray<Buffer>) => {
    for (const p of parts) bytes += p.length;
    write(parts);
  };
  const module = protocols().find((p) => p.name === (o.protocol ?? protocols()[0]?.name));
  if (module === undefined) throw new RangeError(`no protocol ${o.protocol}`);
  const protocol = module.sim;
  let done = 0;
  let runs = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (done < total) {
    const run = protocol.prepare({
      steps: Math.min(stepsPerRun, total - done),
      ...(o.sizes === undefined ? {} : { sizes: o.sizes }),
      faults: o.faults ?? [],
      ...(o.fullState === true ? { fullState: true } : {}),
      ...(o.traceVersion === undefined ? {} : { traceVersion: o.traceVersion }),
    });
    const r = run(runs + 1, counted);
    counted([Buffer.from(`${r.header}\n`)]);
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
