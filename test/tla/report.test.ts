import { describe, expect, it } from "vitest";
import {
  finishedLine,
  formatCounterexample,
  formatTable,
  jsonRows,
  leftToTlcLine,
} from "../../src/tla/report.js";
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
  it("shows the full first state, then each step's action, arguments and changes", () => {
    const text = formatCounterexample([
      { vars: { a: "1", b: "<<>>" } },
      { action: "Send", args: [{ name: "v", value: "m1" }], vars: { a: "1", b: "<<m1>>" } },
      { action: "Stuttering", vars: { a: "1", b: "<<m1>>" } },
      { vars: { a: "2", b: "<<m1>>" } },
    ]);
    expect(text).toBe(
      [
        "  1. initial state",
        "       a = 1",
        "       b = <<>>",
        "  2. Send(m1)",
        "       b[1]: + m1",
        "  3. Stuttering",
        "       (no variable changed)",
        "  4. (action not identified)",
        "       a: 1 → 2",
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
  it("keeps the documented keys, with the error, counterexample and trace when there are", () => {
    const [pass] = jsonRows([result({})]);
    expect(pass).toEqual({
      model: "M",
      engine: "tlc",
      expected: "pass",
      outcome: "pass",
      distinctStates: 1760,
      generatedStates: 5000,
      depth: 12,
      seconds: 1.234,
    });
    const [bug] = jsonRows([
      result({
        outcome: "Inv",
        counterexample: [
          { vars: { x: "(s1 :> 0 @@ s2 :> 0)" } },
          {
            action: "Inc",
            args: [{ name: "i", value: "s2" }],
            vars: { x: "(s1 :> 0 @@ s2 :> 1)" },
          },
        ],
        trace: "out/M.tlc.ndjson",
      }),
    ]);
    expect(bug).toMatchObject({
      outcome: "Inv",
      counterexample: [
        { action: "Init", changes: [{ path: "x", to: "[x \\in {s1, s2} |-> 0]" }] },
        { action: "Inc", args: { i: "s2" }, changes: [{ path: "x[s2]", from: "0", to: "1" }] },
      ],
      trace: "out/M.tlc.ndjson",
    });
    const [error] = jsonRows([result({ outcome: "error", error: "M.cfg:2: bad" })]);
    expect(error).toMatchObject({ outcome: "error", error: "M.cfg:2: bad" });
    expect(Object.keys(error ?? {})).not.toContain("counterexample");
  });
});

describe("finishedLine", () => {
  it("says how far the run is, whether the check is fine, and what it found", () => {
    expect(finishedLine(result({ distinctStates: 24271, seconds: 61.25 }), 3, 14)).toBe(
      "[3/14] ok   M (tlc): pass, 24,271 distinct states, 61.3 s",
    );
    expect(finishedLine(result({ outcome: "Inv" }), 1, 2)).toBe(
      "[1/2] FAIL M (tlc): expected pass, got Inv, 1,760 distinct states, 1.2 s",
    );
    expect(
      finishedLine(result({ countMismatch: "M.cfg:3: states: expected tlc 5, got 1760" }), 1, 1),
    ).toBe(
      "[1/1] FAIL M (tlc): pass, 1,760 distinct states, 1.2 s; M.cfg:3: states: expected tlc 5, got 1760",
    );
    expect(finishedLine(result({ outcome: "error", error: "M.cfg:2: bad" }), 2, 2)).toBe(
      "[2/2] FAIL M (tlc): error: M.cfg:2: bad",
    );
    expect(finishedLine(result({ outcome: "skipped", skipped: "why" }), 2, 2)).toBe(
      "[2/2] skip M (tlc): why",
    );
  });

  it("names the models left to TLC and how to get TLC, in one line", () => {
    const line = leftToTlcLine(["A", "B"]);
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toMatch(
      /^left to TLC \(tier: tlc\): A, B; .*TLA2TOOLS_JAR.*`npm run tlc:install`/,
    );
  });
});
