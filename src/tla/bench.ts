/**
 * Model-checking figures for `npm run bench`: each default-tier check (models and controls) on
 * each available engine, one at a time and TLC with one worker, so that the seconds are per
 * check and per core, comparable between engines. Nothing here passes or fails on time.
 */
import { type EngineChoice, type ResolvedEngine, resolveEngine } from "./engine.js";
import { discoverModels, type Model, selectModels, type Tier } from "./models.js";
import { runChecks } from "./run.js";
import type { EngineName } from "./types.js";

export interface EngineFigure {
  seconds: number;
  distinctStates: number | null;
  outcome: string;
}

export interface ModelBenchRow {
  /** Model name, or `<Name>/control`. */
  model: string;
  protocol: string;
  tier: Tier;
  expected: string;
  /** One entry per engine that checked it (a model left out of an engine's tier has none). */
  engines: Partial<Record<EngineName, EngineFigure>>;
}

export interface BenchModelsOptions {
  /** Default: "spec". */
  specDir?: string;
  /** Default: the embedded engine, and TLC when a jar and Java are found. */
  engines?: EngineName[];
  /** Name filter, as for `npm run tlc`. */
  filter?: string;
  /** Include every tier on every engine (the tlc tier on the embedded engine too). */
  deep?: boolean;
  signal?: AbortSignal;
  /** Called as each check ends, e.g. to print progress. */
  onResult?: (row: ModelBenchRow, engine: EngineName) => void;
}

/** Engines `benchModels` uses when not told: embedded always, TLC when it is found. */
export function availableEngines(env: Record<string, string | undefined> = process.env) {
  try {
    return resolveEngine("auto", env).engine === "tlc"
      ? (["embedded", "tlc"] as EngineName[])
      : (["embedded"] as EngineName[]);
  } catch {
    return ["embedded"] as EngineName[];
  }
}

/** Check the default tier of each engine, one check at a time; rows in discovery order. */
export async function benchModels(opts: BenchModelsOptions = {}): Promise<ModelBenchRow[]> {
  const all = discoverModels(opts.specDir ?? "spec").filter((m) => !m.broken);
  const rows = new Map<string, ModelBenchRow>();
  const rowOf = (m: Model): ModelBenchRow => {
    let row = rows.get(m.name);
    if (!row) {
      row = { model: m.name, protocol: m.protocol, tier: m.tier, expected: m.expect, engines: {} };
      rows.set(m.name, row);
    }
    return row;
  };
  for (const engineName of opts.engines ?? availableEngines()) {
    const engine: ResolvedEngine = resolveEngine(engineName as EngineChoice);
    const { models } = selectModels(all, opts.filter, opts.deep ?? false, engineName);
    const chosen = models.filter((m) => m.engines.includes(engineName));
    for (const m of chosen) rowOf(m);
    await runChecks(chosen, engine, {
      jobs: 1,
      workers: 1,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onResult: (i, r) => {
        const m = chosen[i];
        if (!m) return;
        const row = rowOf(m);
        row.engines[engineName] = {
          seconds: r.seconds,
          distinctStates: r.distinctStates,
          outcome: r.outcome,
        };
        opts.onResult?.(row, engineName);
      },
    });
  }
  const order = all.map((m) => m.name);
  return [...rows.values()].sort((a, b) => order.indexOf(a.model) - order.indexOf(b.model));
}

/**
 * The rows as a table, then each protocol's embedded default-tier total: the figure the time
 * budget is about (each protocol's embedded `ci` tier should stay within a few minutes).
 */
export function formatModelBench(rows: ModelBenchRow[]): string {
  const fig = (f: EngineFigure | undefined, what: "seconds" | "states") =>
    f === undefined
      ? "-"
      : what === "seconds"
        ? f.seconds.toFixed(1)
        : f.distinctStates === null
          ? "?"
          : f.distinctStates.toLocaleString("en-US");
  const header = [
    "model",
    "tier",
    "expected",
    "embedded s",
    "tlc s",
    "embedded states",
    "tlc states",
  ];
  const body = rows.map((r) => [
    r.model,
    r.tier,
    r.expected,
    fig(r.engines.embedded, "seconds"),
    fig(r.engines.tlc, "seconds"),
    fig(r.engines.embedded, "states"),
    fig(r.engines.tlc, "states"),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const out = [line(header), ...body.map(line)];
  const protocols = [...new Set(rows.map((r) => r.protocol))];
  for (const p of protocols) {
    const ci = rows.filter((r) => r.protocol === p && r.tier === "ci");
    const sum = (e: EngineName) =>
      ci.reduce((s, r) => s + (r.engines[e]?.seconds ?? 0), 0).toFixed(1);
    out.push(
      `${p}: ci tier ${ci.length} checks, embedded ${sum("embedded")} s, tlc ${sum("tlc")} s`,
    );
  }
  return out.join("\n");
}
