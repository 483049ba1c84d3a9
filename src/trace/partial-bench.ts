/**
 * How fast partial traces validate (`npm run bench`): the bench model's random behaviours (as in
 * bench.ts), written as an implementation would log them: only the variables the protocol's
 * fixtures name in `benchLogged` (else every variable read per process), and without the
 * events of actions that change only what no process holds (the network's drops, duplicates).
 */
import type { ProtocolModule } from "../protocol.js";
import type { TlcSetup } from "../tla/tlc.js";
import type { EngineName } from "../tla/types.js";
import type { FixtureSet } from "./fixtures.js";
import { generateTrace } from "./generate.js";
import { partialTrace } from "./partial.js";
import { validateTraces } from "./validate.js";

export interface PartialBenchRow {
  engine: EngineName;
  events: number;
  logged: readonly string[];
  omitted: readonly string[];
  seconds: number;
  eventsPerSecond: number;
  ok: boolean;
}

/** The variables a partial trace of `p` logs in the benchmark and the tests. */
export const loggedVariables = (p: ProtocolModule): string[] => {
  const set: FixtureSet<unknown> = p.fixtures;
  return set.benchLogged !== undefined
    ? [...set.benchLogged]
    : p.trace.variables.filter((v) => v.processes !== undefined).map((v) => v.name);
};

/**
 * Each size's random behaviour as a partial trace, on TLC: logging `benchLogged` with every
 * event, and with the `benchUnlogged` events left out too; on the embedded engine (traces up to
 * `embeddedMax` events) the first only: without ENABLED it tries unlogged steps before every
 * event, and when they change only unlogged variables (drops of messages no one logs) every
 * choice stays alive, which it cannot afford.
 */
export async function benchPartialValidation(
  p: ProtocolModule,
  tlc: TlcSetup,
  {
    sizes = [1000, 5000],
    engines = ["tlc", "embedded"] as EngineName[],
    embeddedMax = 1000,
    log = (_: string) => {},
  } = {},
): Promise<PartialBenchRow[]> {
  const set: FixtureSet<unknown> = p.fixtures;
  if (set.benchModel === undefined) return [];
  const rows: PartialBenchRow[] = [];
  for (const n of sizes) {
    const { trace } = await generateTrace(
      set.benchModel,
      { kind: "random", events: n, seed: 1, calm: true },
      tlc,
      {},
      set.generator,
    );
    const logged = loggedVariables(p);
    const variants = [[], [...(set.benchUnlogged ?? [])]].filter(
      (omit, k) => k === 0 || omit.length > 0,
    );
    for (const omit of variants) {
      const partial = partialTrace(trace, { logged, omit });
      for (const engine of engines) {
        if (engine === "embedded" && (omit.length > 0 || partial.events.length > embeddedMax))
          continue;
        const t0 = performance.now();
        const [r] = await validateTraces([partial], {
          engine,
          env: { ...process.env, TLA2TOOLS_JAR: tlc.jar },
        });
        const seconds = (performance.now() - t0) / 1000;
        const row: PartialBenchRow = {
          engine,
          events: partial.events.length,
          logged,
          omitted: omit,
          seconds,
          eventsPerSecond: partial.events.length / seconds,
          ok: r?.ok ?? false,
        };
        rows.push(row);
        log(formatPartialBenchRow(row));
      }
    }
  }
  return rows;
}

export const formatPartialBenchRow = (r: PartialBenchRow): string =>
  `${r.engine.padEnd(8)} ${String(r.events).padStart(6)} events  logged ${r.logged.join(",")}; unlogged ${r.omitted.join(",") || "-"}  ${r.seconds.toFixed(2)}s  ${Math.round(r.eventsPerSecond).toLocaleString("en-US").padStart(6)} events/s${r.ok ? "" : "  (NOT VALID)"}`;

/**
 * Per engine and set of unlogged actions, events/s at the shortest trace over events/s at the
 * longest (1: linear time; below 1: the fixed cost, the JVM's start, dominates the short one).
 */
export function partialRatios(rows: readonly PartialBenchRow[]): string[] {
  const groups = new Map<string, PartialBenchRow[]>();
  for (const r of rows) {
    const key = `${r.engine} ${r.omitted.length === 0 ? "every event" : `without ${r.omitted.join(",")}`}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].flatMap(([key, rs]) => {
    const sorted = [...rs].sort((a, b) => a.events - b.events);
    const [a, b] = [sorted[0], sorted.at(-1)];
    if (!a || !b || a === b) return [];
    return [
      `  ${key}: events/s at ${a.events.toLocaleString("en-US")} / at ${b.events.toLocaleString("en-US")} events: ${(a.eventsPerSecond / b.eventsPerSecond).toFixed(2)} (1 = linear time)`,
    ];
  });
}
