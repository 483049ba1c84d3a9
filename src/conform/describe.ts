/** The one-line verdict of a graph comparison, and its first difference step by step. */
import { formatCounterexample } from "../tla/counterexample.js";
import type { Step } from "../tla/types.js";
import type { ValueFormatter } from "../tla/value.js";
import type { ConformResult } from "./run.js";

const n = (x: number) => x.toLocaleString("en-US");

export function describe(r: ConformResult, formatValue?: ValueFormatter): string {
  const time = `engine ${r.seconds.engine.toFixed(1)} s, implementation ${r.seconds.implementation.toFixed(1)} s`;
  const check =
    r.check === undefined
      ? ""
      : r.check.ok
        ? `; checked: ${r.check.outcome}`
        : `; CHECK FAILED: ${r.check.outcome}, ${r.check.distinctStates ?? "no"} states (header: ${r.check.expectedStates ?? "-"})`;
  if (r.equal)
    return `${r.check && !r.check.ok ? "FAIL" : "ok  "}  ${r.model} (${r.engine}): equal, ${n(r.specStates)} states, ${n(r.specEdges)} edges${check}; ${time}`;
  const lines = [
    `FAIL  ${r.model} (${r.engine}): graphs differ: spec ${n(r.specStates)} states / ${n(r.specEdges)} edges, implementation ${n(r.implStates)} / ${n(r.implEdges)}; ${n(r.onlyInSpec)} states only in the spec, ${n(r.onlyInImplementation)} only in the implementation${check}; ${time}`,
  ];
  const d = r.firstDifference;
  if (d !== undefined) {
    const args = Object.values(d.args ?? {}).join(", ");
    lines.push(
      `      first difference, at depth ${d.depth}: ${d.action}${args ? `(${args})` : ""} only in the ${d.onlyIn}`,
    );
    lines.push(
      formatCounterexample(d.trace as Step[], {
        width: 100,
        ...(formatValue ? { formatValue } : {}),
      })
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n"),
    );
  }
  return lines.join("\n");
}
