/** Rendering results: the summary table, counterexamples as step lists, and --json rows. */
import { meetsExpectation } from "./engine.js";
import type { CheckResult, Step } from "./types.js";

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

/**
 * Numbered steps with the action that led to each state (when known) and only the variables it
 * changed; step 1 shows the whole initial state.
 */
export function formatCounterexample(steps: Step[]): string {
  const out: string[] = [];
  steps.forEach((step, i) => {
    const prev = steps[i - 1];
    const label = i === 0 ? "initial state" : (step.action ?? "step");
    out.push(`  ${i + 1}. ${label}`);
    const changed = Object.entries(step.vars).filter(([k, v]) => !prev || prev.vars[k] !== v);
    if (changed.length === 0 && i > 0) out.push("       (no variable changed)");
    for (const [k, v] of changed) out.push(`       ${k} = ${v}`);
  });
  return out.join("\n");
}

/** What --json prints: exactly these keys, in this order. */
export function jsonRows(results: CheckResult[]) {
  return results.map((r) => ({
    model: r.model,
    engine: r.engine,
    expected: r.expected,
    outcome: r.outcome,
    distinctStates: r.distinctStates,
    generatedStates: r.generatedStates,
    depth: r.depth,
    seconds: Math.round(r.seconds * 1000) / 1000,
  }));
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
