/**
 * How fast traces validate, per engine and trace length, for `npm run bench` (figures only: no
 * pass/fail on time). Traces are random behaviours of the spec made by TLC (generate.ts); without
 * TLC only a committed good fixture is measured, with the embedded engine.
 *
 * Each figure is end to end, as `npm run validate` does it: read and decode the NDJSON file,
 * write the data module, run the engine (TLC: including the JVM start and SANY parsing the data).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProtocolModule } from "../protocol.js";
import { findJar, findJava, type TlcSetup } from "../tla/tlc.js";
import type { EngineName } from "../tla/types.js";
import { encodeTrace, readTrace } from "./codec.js";
import type { FixtureSet } from "./fixtures.js";
import { generateTrace } from "./generate.js";
import { writeNdjson } from "./ndjson.js";
import { validateTraces } from "./validate.js";

export interface TraceBenchRow {
  engine: EngineName;
  events: number;
  /** Size of the NDJSON file. */
  megabytes: number;
  /** Reading and decoding the file. */
  readSeconds: number;
  /** Writing the data module and running the engine. */
  checkSeconds: number;
  seconds: number;
  eventsPerSecond: number;
  ok: boolean;
}

export interface TraceBenchOptions {
  /** Trace lengths in events (default 100, 1,000 and 5,000). */
  sizes?: number[];
  engines?: EngineName[];
  /** Engines are skipped for traces longer than this (default: embedded up to 5,000). */
  maxEvents?: Partial<Record<EngineName, number>>;
  tlc?: TlcSetup | null;
  seed?: number;
  log?: (line: string) => void;
}

const defaultTlc = (): TlcSetup | null => {
  try {
    const jar = findJar();
    const java = findJava();
    return jar && java ? { jar, java } : null;
  } catch {
    return null;
  }
};

/**
 * Validation speed on random behaviours of `p`'s bench model (its fixtures' `benchModel`), made
 * by TLC; without TLC, on its committed good fixture `benchFallback`.
 */
export async function benchTraceValidation(
  p: ProtocolModule,
  opts: TraceBenchOptions = {},
): Promise<TraceBenchRow[]> {
  const set: FixtureSet<unknown> = p.fixtures;
  if (set.benchModel === undefined || set.benchFallback === undefined) return [];
  const tlc = opts.tlc === undefined ? defaultTlc() : opts.tlc;
  const log = opts.log ?? (() => {});
  const engines = opts.engines ?? (tlc ? ["tlc", "embedded"] : ["embedded"]);
  const dir = mkdtempSync(join(tmpdir(), "lockstep-trace-bench-"));
  const rows: TraceBenchRow[] = [];
  try {
    const files: string[] = [];
    if (tlc)
      for (const n of opts.sizes ?? [100, 1000, 5000]) {
        const { trace } = await generateTrace(
          set.benchModel,
          { kind: "random", events: n, seed: opts.seed ?? 1, calm: true },
          tlc,
          {},
          set.generator,
        );
        const file = join(dir, `random-${n}.ndjson`);
        writeNdjson(file, encodeTrace(trace));
        files.push(file);
        log(`generated a ${trace.events.length}-event trace`);
      }
    else
      files.push(
        fileURLToPath(
          new URL(`../../traces/${p.name}/good/${set.benchFallback}.ndjson`, import.meta.url),
        ),
      );
    for (const file of files)
      for (const engine of engines) {
        const t0 = performance.now();
        const trace = readTrace(file);
        const t1 = performance.now();
        const limit = opts.maxEvents?.[engine] ?? Number.POSITIVE_INFINITY;
        if (trace.events.length > limit) continue;
        const [r] = await validateTraces([trace], {
          engine,
          ...(tlc ? { env: { ...process.env, TLA2TOOLS_JAR: tlc.jar } } : {}),
        });
        const t2 = performance.now();
        const { size } = statSync(file);
        const row: TraceBenchRow = {
          engine,
          events: trace.events.length,
          megabytes: size / 1e6,
          readSeconds: (t1 - t0) / 1000,
          checkSeconds: (t2 - t1) / 1000,
          seconds: (t2 - t0) / 1000,
          eventsPerSecond: (trace.events.length * 1000) / (t2 - t0),
          ok: r?.ok ?? false,
        };
        rows.push(row);
        log(formatTraceBenchRow(row));
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export const formatTraceBenchRow = (r: TraceBenchRow): string =>
  `${r.engine.padEnd(8)} ${String(r.events).padStart(6)} events ${r.megabytes.toFixed(1).padStart(6)} MB  read ${r.readSeconds.toFixed(2)}s  check ${r.checkSeconds.toFixed(2)}s  total ${r.seconds.toFixed(2)}s  ${Math.round(r.eventsPerSecond).toLocaleString("en-US").padStart(6)} events/s${r.ok ? "" : "  (NOT VALID)"}`;

export function formatTraceBench(rows: readonly TraceBenchRow[]): string {
  return [
    "trace validation (end to end: read, generate, check)",
    ...rows.map(formatTraceBenchRow),
  ].join("\n");
}
