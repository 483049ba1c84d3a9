import { describe, expect, it } from "vitest";
import { formatCounterexample, formatTable, jsonRows } from "../../src/tla/report.js";
import type { CheckResult } from "../../src/tla/types.js";

const result = (r: Partial<CheckResult>): CheckResult => ({
  model: "M",
  protocol: "p",
  engine: "tlc",
  expected: "pass",
  outcome: "pass",
  distinctStates: 1760,
  generatedStates: 5000,
  depth: 12,
  seconds: 1.234,
  ...r,
});

describe("formatCounterexample", () => {
  it("shows the full first state, then only changes, and says when nothing changed", () => {
    const text = formatCounterexample([
      { vars: { a: "1", b: "<<>>" } },
      { action: "Send", vars: { a: "1", b: "<<m1>>" } },
      { action: "Stuttering", vars: { a: "1", b: "<<m1>>" } },
      { vars: { a: "2", b: "<<m1>>" } },
    ]);
    expect(text).toBe(
      [
        "  1. initial state",
        "       a = 1",
        "       b = <<>>",
        "  2. Send",
        "       b = <<m1>>",
        "  3. Stuttering",
        "       (no variable changed)",
        "  4. step",
        "       a = 2",
      ].join("\n"),
    );
  });
});

describe("formatTable", () => {
  it("marks each row and right-aligns numbers", () => {
    const lines = formatTable([
      result({}),
      result({
        model: "MBug",
        expected: "Safety",
        outcome: "pass",
        distinctStates: null,
        depth: null,
      }),
      result({ model: "MOnly", engine: "embedded", outcome: "skipped", seconds: 0 }),
    ]).split("\n");
    expect(lines[0]).toMatch(
      /^\s+model\s+engine\s+expected\s+outcome\s+distinct states\s+depth\s+seconds$/,
    );
    expect(lines[1]).toMatch(/^ok\s+M\s+tlc\s+pass\s+pass\s+1,760\s+12\s+1\.2$/);
    expect(lines[2]).toMatch(/^FAIL\s+MBug\s+tlc\s+Safety\s+pass\s+-\s+-\s+1\.2$/);
    expect(lines[3]).toMatch(/^skip\s+MOnly\s+embedded/);
    const columnEnd = (lines[0] ?? "").indexOf("distinct states") + "distinct states".length;
    expect((lines[1] ?? "").indexOf("1,760") + "1,760".length).toBe(columnEnd);
  });
});

describe("jsonRows", () => {
  it("keeps only the documented keys", () => {
    const [row] = jsonRows([result({ counterexample: [{ vars: {} }], error: "x" })]);
    expect(row).toEqual({
      model: "M",
      engine: "tlc",
      expected: "pass",
      outcome: "pass",
      distinctStates: 1760,
      generatedStates: 5000,
      depth: 12,
      seconds: 1.234,
    });
  });
});
