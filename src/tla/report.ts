/** Rendering results: the summary table, counterexamples as step lists, and --json rows. */

import { readableSteps } from "./counterexample.js";
import { meetsExpectation } from "./engine.js";
import type { CheckResult } from "./types.js";
import type { ValueFormatter } from "./value.js";

export { formatCounterexample } from "./counterexample.js";

const count = (n: number | null) => (n === null ? "-" : n.toLocaleString("en-US"));

export function formatTable(results: CheckResult[]): string {
  const header = [
    "",
    "model",
    "engine",
    "expected",
    "outcome",
    "distinct states",
    "depth",
    "seconds",
  ];
  const rows = results.map((r) => [
    r.outcome === "skipped" ? "skip" : meetsExpectation(r) ? "ok" : "FAIL",
    r.model,
    r.engine,
    r.expected,
    r.outcome,
    count(r.distinctStates),
    count(r.depth),
    r.seconds.toFixed(1),
  ]);
  const numeric = [false, false, false, false, false, true, true, true];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** What --json prints: these keys in this order, then `error`, `counterexample` and `trace`
 * when there is one. */
export function jsonRows(
  results: CheckResult[],
  formatFor: (protocol: string) => ValueFormatter | undefined = () => undefined,
) {
  return results.map((r) => {
    const error = r.error ?? r.countMismatch;
    const format = formatFor(r.protocol);
    return {
      model: r.model,
      engine: r.engine,
      expected: r.expected,
      outcome: r.outcome,
      distinctStates: r.distinctStates,
      generatedStates: r.generatedStates,
      depth: r.depth,
      seconds: Math.round(r.seconds * 1000) / 1000,
      ...(error === undefined ? {} : { error }),
      ...(r.counterexample && r.outcome !== "pass"
        ? { counterexample: readableSteps(r.counterexample, format ? { format } : {}) }
        : {}),
      ...(r.trace === undefined ? {} : { trace: r.trace }),
      ...(r.conform === undefined ? {} : { conform: r.conform }),
    };
  });
}

/** Heading for a counterexample: what was violated, by which engine. */
export function violationTitle(r: CheckResult): string {
  const what = r.outcome === "deadlock" ? "deadlock reached" : `${r.outcome} violated`;
  const n = r.counterexample?.length ?? 0;
  return `${r.model} (${r.engine}): ${what}; counterexample of ${n} state${n === 1 ? "" : "s"}:`;
}

/** The line printed as one check finishes: `[3/14] ok   MCFoo (embedded): pass, …`. */
export function finishedLine(r: CheckResult, done: number, total: number): string {
  const mark = r.outcome === "skipped" ? "skip" : meetsExpectation(r) ? "ok  " : "FAIL";
  const head = `[${done}/${total}] ${mark} ${r.model} (${r.engine}): `;
  if (r.outcome === "skipped") return `${head}${r.skipped ?? "skipped"}`;
  if (r.outcome === "error") return `${head}error: ${r.error ?? "failed"}`;
  const states = r.distinctStates === null ? "" : `, ${count(r.distinctStates)} distinct states`;
  const what = r.outcome === r.expected ? r.outcome : `expected ${r.expected}, got ${r.outcome}`;
  const mismatch = r.countMismatch ? `; ${r.countMismatch}` : "";
  return `${head}${what}${states}, ${r.seconds.toFixed(1)} s${mismatch}`;
}

/** The one line saying which models the embedded engine left to TLC, and how to get TLC. */
export const leftToTlcLine = (names: string[]): string =>
  `left to TLC (tier: tlc): ${names.join(", ")}; to check them, set TLA2TOOLS_JAR to a tla2tools.jar or run \`npm run tlc:install\`, then \`npm run tlc\``;
