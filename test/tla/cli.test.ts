import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root, specRoot, tlcAvailable } from "./helpers.js";

/** A home without a cached jar, so "auto" and "tlc" cannot find TLC unless told. */
const emptyHome = mkdtempSync(join(tmpdir(), "lockstep-cli-home-"));
afterAll(() => rmSync(emptyHome, { recursive: true, force: true }));

const traceDir = mkdtempSync(join(tmpdir(), "lockstep-cli-traces-"));
afterAll(() => rmSync(traceDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const base = { ...process.env };
  delete base.TLA2TOOLS_JAR;
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/tlc.ts", "--spec-dir", specRoot, "--trace-dir", traceDir, ...args],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...base, HOME: emptyHome, XDG_CACHE_HOME: join(emptyHome, ".cache"), ...env },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** stderr without the progress lines a slow run prints every few seconds. */
const errLines = (r: { stderr: string }) =>
  r.stderr
    .trim()
    .split("\n")
    .filter((l) => !l.startsWith("… "));

const JSON_KEYS = [
  "model",
  "engine",
  "expected",
  "outcome",
  "distinctStates",
  "generatedStates",
  "depth",
  "seconds",
];

describe("npm run tlc", () => {
  it("exits 0 and prints a table when outcomes match expectations", () => {
    const r = cli(["MCCounter", "--engine", "embedded"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+MCCounter\s+embedded\s+pass\s+pass\s+16\s+-\s+\d+\.\d$/m);
  });

  it("prints counterexamples as numbered steps with only the changed variables", () => {
    const r = cli(["MCCounterBadInv", "--engine", "embedded"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        "MCCounterBadInv (embedded): XSmall violated; counterexample of 3 states:",
        "  1. initial state",
        "       x = 0",
        "       y = 0",
        "  2. IncX",
        "       x: 0 → 1",
        "  3. IncX",
        "       x: 1 → 2",
      ].join("\n"),
    );
  });

  it("names each step's spec action and arguments, messages short, wrappers followed", () => {
    const r = cli(["MCRelay", "--engine", "embedded"]);
    expect(r.code).toBe(0);
    const steps = r.stdout.slice(r.stdout.indexOf("counterexample of 3 states:"));
    expect(steps).toMatch(/^ {2}2\. Send\((n\d), (n\d)\)\n {7}msgs: \+ \1→\2 ping term=1$/m);
    // Dropped through the model's wrapper FaultDrop: the step names the spec's action.
    expect(steps).toMatch(
      /^ {2}3\. Drop\(n\d→n\d ping term=1\)\n {7}msgs: − n\d→n\d ping term=1\n {7}dropped: 0 → 1$/m,
    );
    expect(steps).not.toMatch(/\bstep\b|FaultDrop/);
  });

  it("--json prints the documented keys with each counterexample, and names models left to TLC", () => {
    const r = cli(["^MCCounter", "--engine", "embedded", "--json"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((row) => row.model)).toEqual([
      "MCCounter",
      "MCCounterAssert",
      "MCCounterBadAction",
      "MCCounterBadInv",
      "MCCounterDeadlock",
    ]);
    for (const row of rows) {
      expect(Object.keys(row).slice(0, JSON_KEYS.length)).toEqual(JSON_KEYS);
      const extra = Object.keys(row).slice(JSON_KEYS.length);
      expect(extra).toEqual(row.outcome === "pass" ? [] : ["counterexample"]);
    }
    expect(rows.find((row) => row.model === "MCCounterBadAction")?.outcome).toBe("XMonotone");
    expect(rows.find((row) => row.model === "MCCounterBadInv")?.counterexample).toEqual([
      {
        action: "Init",
        changes: [
          { path: "x", to: "0" },
          { path: "y", to: "0" },
        ],
      },
      { action: "IncX", args: {}, changes: [{ path: "x", from: "0", to: "1" }] },
      { action: "IncX", args: {}, changes: [{ path: "x", from: "1", to: "2" }] },
    ]);
    expect(errLines(r)).toContainEqual(
      expect.stringMatching(
        /^left to TLC \(engines: tlc\): MCCounterTlcOnly \(ACTION_CONSTRAINT is not supported by tla-checker\); to check them, set TLA2TOOLS_JAR .*`npm run tlc -- --engine tlc`$/,
      ),
    );
  });

  it("exits 1 when an outcome differs from the expectation", () => {
    const r = cli(["BrokenWrongExpectation", "--engine", "embedded"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+BrokenWrongExpectation\s+embedded\s+Inv\s+pass/m);
  });

  it("exits 2 with one file:line error for a parse error", () => {
    const r = cli(["BrokenParse", "--engine", "embedded"]);
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual([
      expect.stringMatching(
        /^error: BrokenParse \(embedded\): .*BrokenParse\.tla:5:6: parse error/,
      ),
    ]);
  });

  it("exits 2 with one line listing the models for an unknown filter", () => {
    const r = cli(["Zab", "--engine", "embedded"]);
    expect(r.code).toBe(2);
    expect(errLines(r)).toEqual([
      expect.stringMatching(/^error: no model matches "Zab"; available: .*MCCounter/),
    ]);
  });

  it("exits 2 when --engine tlc cannot find a jar", () => {
    const r = cli(["MCCounter", "--engine", "tlc"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "error: TLC not found: set TLA2TOOLS_JAR to a tla2tools.jar or run `npm run tlc:install`",
    );
  });

  it("auto falls back to the embedded engine with a one-line notice", () => {
    const r = cli(["MCCounter"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "TLC not found (set TLA2TOOLS_JAR or run `npm run tlc:install`); using the embedded engine",
    );
    expect(r.stdout).toMatch(/MCCounter\s+embedded/);
  });

  it("exits 2 on a bad option value", () => {
    expect(cli(["--workers", "0"]).code).toBe(2);
    expect(cli(["--jobs", "0"]).code).toBe(2);
    expect(cli(["--engine", "apalache"]).code).toBe(2);
  });

  it("fails a model whose distinct states differ from its header, naming the cfg line", () => {
    const r = cli(["SwitchWrongCount", "--engine", "embedded"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+SwitchWrongCount\s+embedded\s+pass\s+pass\s+4\s/m);
    expect(errLines(r)).toEqual([
      expect.stringMatching(
        /^error: SwitchWrongCount \(embedded\): .*switch\/SwitchWrongCount\.cfg:3: states: expected embedded 5, got 4$/,
      ),
    ]);
  });

  it("checks a bug model's control as a row of its own, which must pass", () => {
    const ok = cli(["SwitchBug", "--engine", "embedded"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok\s+SwitchBug\s+embedded\s+Inv\s+Inv\s+5\s/m);
    expect(ok.stdout).toMatch(/^ok\s+SwitchBug\/control\s+embedded\s+pass\s+pass\s+4\s/m);
    const bad = cli(["SwitchFailingControl", "--engine", "embedded"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^ok\s+SwitchFailingControl\s+embedded\s+Inv\s+Inv\s/m);
    expect(bad.stdout).toMatch(/^FAIL\s+SwitchFailingControl\/control\s+embedded\s+pass\s+Inv\s/m);
  });

  it("leaves tier-tlc models to TLC on the embedded engine, saying so in one line", () => {
    const r = cli(["^Switch(Bug|TlcTier)", "--engine", "embedded"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^ok\s+SwitchTlcTier/m);
    expect(r.stdout.split("\n").filter((l) => l.includes("SwitchTlcTier"))).toEqual([
      expect.stringMatching(
        /^left to TLC \(tier: tlc\): SwitchTlcTier; .*TLA2TOOLS_JAR.*npm run tlc:install/,
      ),
    ]);
    expect(cli(["^Switch(Bug|TlcTier)", "--engine", "embedded", "--deep"]).stdout).toMatch(
      /^ok\s+SwitchTlcTier\s+embedded/m,
    );
  });

  it("runs checks in parallel: a line per check as it ends, then the table in a stable order, a broken cfg among them", () => {
    const r = cli(["^Switch", "--engine", "embedded", "--jobs", "3", "--deep"]);
    expect(r.code).toBe(2); // broken cfgs are bad input; the other checks still ran
    const finished = r.stdout.split("\n").filter((l) => /^\[\d+\/11\] /.test(l));
    expect(finished.map((l) => l.slice(0, l.indexOf("] ") + 1))).toEqual(
      Array.from({ length: 11 }, (_, i) => `[${i + 1}/11]`),
    );
    const rows = r.stdout
      .split("\n")
      .filter((l) => /^(ok|FAIL|skip)\s/.test(l))
      .map((l) => l.split(/\s+/).slice(0, 2).join(" "));
    expect(rows).toEqual([
      "FAIL SwitchBrokenHeader",
      "ok SwitchBug",
      "ok SwitchBug/control",
      "ok SwitchFailingControl",
      "FAIL SwitchFailingControl/control",
      "ok SwitchSlowControl",
      "ok SwitchSlowControl/control",
      "ok SwitchTlcTier",
      "ok SwitchUnknownConstant",
      "FAIL SwitchUnknownConstant/control",
      "FAIL SwitchWrongCount",
    ]);
    expect(r.stderr).toMatch(
      /^error: SwitchBrokenHeader \(embedded\): .*SwitchBrokenHeader\.cfg:3: states: expects "embedded N, tlc M"/m,
    );
    expect(r.stderr).toMatch(
      /^error: SwitchUnknownConstant\/control \(embedded\): .*SwitchUnknownConstant\.cfg:3: control: Bugg is not among the cfg's CONSTANTS/m,
    );
    expect(r.stdout).toContain("11 checks: 7 as expected, 4 not");
  });

  it.skipIf(!tlcAvailable)("runs TLC and shows the violating step of an action property", () => {
    const r = cli(["MCCounterBadAction", "--engine", "tlc", "--workers", "1"], {
      TLA2TOOLS_JAR: process.env.TLA2TOOLS_JAR,
      HOME: process.env.HOME,
      XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+MCCounterBadAction\s+tlc\s+XMonotone\s+XMonotone\s+11\s+5/m);
    expect(r.stdout).toContain("  5. ResetX\n       x: 3 → 0\n");
  });

  const withTlc = {
    TLA2TOOLS_JAR: process.env.TLA2TOOLS_JAR,
    HOME: process.env.HOME,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
  };

  it.skipIf(!tlcAvailable)(
    "checks TLC's counts, at a violation too when checks run in parallel",
    () => {
      const r = cli(["^Switch(Bug|WrongCount)", "--engine", "tlc", "--jobs", "2"], withTlc);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^ok\s+SwitchBug\s+tlc\s+Inv\s+Inv\s+5\s/m);
      expect(r.stdout).toMatch(/^ok\s+SwitchBug\/control\s+tlc\s+pass\s+pass\s+4\s/m);
      expect(r.stderr).toMatch(
        /^error: SwitchWrongCount \(tlc\): .*SwitchWrongCount\.cfg:3: states: expected tlc 5, got 4$/m,
      );
    },
  );
});
