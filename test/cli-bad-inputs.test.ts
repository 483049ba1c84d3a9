/**
 * Every command-line tool against a table of bad (and edge) inputs, each run as its own process
 * the way `npm run <script>` runs it: the exit status is the one documented (2 bad input, 1 a
 * check that failed, 0 all checked), a bad input gets exactly one line naming the flag or file,
 * and nothing prints a stack trace. Protocol names come from the registry, so that this file
 * names none.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { protocols } from "../src/registry.js";
import type { SizeFlag } from "../src/sim/protocol.js";
import { findJava } from "../src/tla/tlc.js";
import { root } from "./tla/helpers.js";

const SCRIPTS = {
  sim: "scripts/sim.ts",
  validate: "scripts/validate.ts",
  tlc: "scripts/tlc.ts",
  "tlc:install": "scripts/install-tlc.ts",
  "traces:fixtures": "scripts/trace-fixtures.ts",
  bench: "scripts/bench.ts",
  linearizable: "scripts/linearizable.ts",
} as const;
type Cli = keyof typeof SCRIPTS;

interface Row {
  cli: Cli;
  args: string[];
  env?: Record<string, string>;
  code: 0 | 1 | 2;
  /** For exit 2: the one error line must contain this (the flag or the file). */
  names?: string;
  /** What stdout must show (e.g. the help's usage line). */
  stdout?: RegExp;
  /** Only where /proc exists (Linux): mkdir there fails with ENOENT under an existing parent. */
  proc?: boolean;
  timeoutMs?: number;
}

const scratch = mkdtempSync(join(tmpdir(), "lockstep-bad-inputs-"));
const aFile = join(scratch, "a-file.txt");
writeFileSync(aFile, "not a directory, not a jar, not a trace\n");
const notJson = join(scratch, "not-json.ndjson");
writeFileSync(notJson, "{ this is not json\n");
const noHeader = join(scratch, "no-header.ndjson");
writeFileSync(noHeader, '{"i":0,"action":"Init","params":{},"state":{}}\n');
const unknownProtocol = join(scratch, "unknown-protocol.ndjson");
/** A history whose third line is not an operation. */
const badHistory = join(scratch, "malformed.ndjson");
writeFileSync(
  badHistory,
  '{"history":1,"model":"register"}\n{"id":0,"client":"a","input":{"op":"read"},"call":0,"return":1,"output":{"value":0}}\n{"id":1,"client":"a"}\n',
);
const goodHistory = join(scratch, "good-history.ndjson");
writeFileSync(
  goodHistory,
  '{"history":1,"model":"register"}\n{"id":0,"client":"a","input":{"op":"read"},"call":0,"return":1,"output":{"value":0}}\n',
);
/** A directory with no trace in it. */
const emptyDir = join(scratch, "no-traces");
mkdirSync(emptyDir);
writeFileSync(
  unknownProtocol,
  '{"format":"lockstep-trace","version":2,"protocol":"nonesuch","seed":1,"constants":{}}\n',
);
/** A cache whose jar path is taken by a directory. */
const jarIsDir = join(scratch, "cache-jar-is-dir");
mkdirSync(join(jarIsDir, "lockstep", "tla2tools.jar"), { recursive: true });
const emptyCache = join(scratch, "empty-cache");
const proc = "/proc/lockstep-no-such-dir";
const hasProc = existsSync("/proc/self");

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const [first, second] = protocols();
if (first === undefined || second === undefined) throw new Error("two protocols expected");
const goodTrace = (p = first) => {
  const dir = join(root, "traces", p.name, "good");
  return join("traces", p.name, "good", readdirSync(dir).sort()[0] as string);
};
const badTrace = (p = first) => {
  const dir = join(root, "traces", p.name, "bad");
  return join("traces", p.name, "bad", readdirSync(dir).sort()[0] as string);
};
const trace = goodTrace();
const foreignSize = second.sim.sizes.find((f) => !first.sim.sizes.some((g) => g.name === f.name));
const firstSize = (first.sim.sizes[0] ?? { name: "no-size-flag" }).name;
const java = findJava() !== null;
const out = (name: string) => join(scratch, `out-${name}`);

/** Per protocol: its smallest and largest systems with every fault, and each bound's edge. */
const simRows = (): Row[] =>
  protocols().flatMap((p): Row[] => {
    const base = ["--protocol", p.name, "--steps", "40"];
    const all = (pick: (f: SizeFlag) => number) =>
      p.sim.sizes.flatMap((f) => [`--${f.name}`, String(pick(f))]);
    const [f] = p.sim.sizes;
    return [
      {
        cli: "sim",
        args: [...base, ...all((f) => f.min), "--faults", "all", "--out", out(p.name)],
        code: 0,
        stdout: /seed=1/,
      },
      {
        cli: "sim",
        args: [...base, ...all((f) => f.max), "--faults", "all", "--out", out(p.name)],
        code: 0,
        stdout: /seed=1/,
      },
      ...p.sim.sizes.map(
        (f): Row => ({
          cli: "sim",
          args: [...base, `--${f.name}`, String(f.max + 1)],
          code: 2,
          names: `--${f.name}`,
        }),
      ),
      ...(f === undefined
        ? []
        : [
            {
              cli: "sim",
              args: [...base, `--${f.name}`, "0"],
              code: 2,
              names: `--${f.name}`,
            } satisfies Row,
            // Reconfiguration targets are subsets of the system: 2^32 would not fit (only for
            // a protocol that reconfigures; for another, "reconfig" is the bad input).
            ...(p.sim.faults.includes("reconfig")
              ? [
                  {
                    cli: "sim",
                    args: [
                      ...base,
                      `--${f.name}`,
                      String(Math.max(32, f.max + 1)),
                      "--faults",
                      "reconfig",
                    ],
                    code: 2,
                    names: `--${f.name}`,
                  } satisfies Row,
                ]
              : []),
          ]),
      { cli: "sim", args: [...base, "--faults", "meteor"], code: 2, names: "--faults" },
      { cli: "sim", args: [...base, "--bug", "noSuchBug"], code: 2, names: "--bug" },
      { cli: "sim", args: [...base, "--invariants", "Nonsense"], code: 2, names: "--invariants" },
    ];
  });

const rows: Row[] = [
  // sim
  ...simRows(),
  { cli: "sim", args: ["--help"], code: 0, stdout: /^Usage: sim/m },
  { cli: "sim", args: ["--protocol", "nonesuch"], code: 2, names: "nonesuch" },
  { cli: "sim", args: [`--${firstSize}`, "abc"], code: 2, names: `--${firstSize}` },
  ...(foreignSize
    ? [
        {
          cli: "sim",
          args: ["--protocol", first.name, `--${foreignSize.name}`, "2"],
          code: 2,
          names: `--${foreignSize.name}`,
        } satisfies Row,
      ]
    : []),
  { cli: "sim", args: ["--seeds", "5..1"], code: 2, names: "--seeds" },
  { cli: "sim", args: ["--seeds", "1-5"], code: 2, names: "--seeds" },
  { cli: "sim", args: ["--seeds", "1..1000000000"], code: 2, names: "--seeds" },
  { cli: "sim", args: ["--seed", "1", "--seeds", "1..2"], code: 2, names: "--seed" },
  { cli: "sim", args: ["--seed", "-1"], code: 2, names: "--seed" },
  { cli: "sim", args: ["--seed", "99999999999"], code: 2, names: "--seed" },
  { cli: "sim", args: ["--steps", "0"], code: 2, names: "--steps" },
  { cli: "sim", args: ["--steps", "1e9"], code: 2, names: "--steps" },
  { cli: "sim", args: ["--max-messages", "0"], code: 2, names: "--max-messages" },
  { cli: "sim", args: ["--bogus"], code: 2, names: "--bogus" },
  { cli: "sim", args: ["stray"], code: 2, names: "arguments" },
  { cli: "sim", args: ["--out", aFile], code: 2, names: "--out" },
  { cli: "sim", args: ["--out", join(aFile, "sub")], code: 2, names: "--out" },
  { cli: "sim", args: ["--out", proc], code: 2, names: "--out", proc: true },
  // validate
  { cli: "validate", args: ["--help"], code: 0, stdout: /^Usage: validate/m },
  { cli: "validate", args: [], code: 2, names: "paths" },
  { cli: "validate", args: [join(scratch, "missing.ndjson")], code: 2, names: "missing.ndjson" },
  { cli: "validate", args: [emptyDir], code: 2, names: emptyDir },
  { cli: "validate", args: [notJson], code: 2, names: "not-json.ndjson:1" },
  { cli: "validate", args: [noHeader], code: 2, names: "no-header.ndjson" },
  { cli: "validate", args: [unknownProtocol], code: 2, names: "nonesuch" },
  { cli: "validate", args: [trace, "--engine", "nope"], code: 2, names: "--engine" },
  {
    cli: "validate",
    args: [trace, "--engine", "embedded", "--itf", aFile],
    code: 2,
    names: "--itf",
  },
  {
    cli: "validate",
    args: [trace, "--engine", "embedded", "--itf", join(aFile, "sub")],
    code: 2,
    names: "--itf",
  },
  {
    cli: "validate",
    args: [trace, "--engine", "embedded", "--keep", aFile],
    code: 2,
    names: "--keep",
  },
  {
    cli: "validate",
    args: [trace, "--engine", "embedded", "--itf", proc],
    code: 2,
    names: "--itf",
    proc: true,
  },
  {
    cli: "validate",
    args: [trace, "--engine", "embedded", "--keep", proc],
    code: 2,
    names: "--keep",
    proc: true,
  },
  {
    cli: "validate",
    args: [trace, "--engine", "tlc"],
    env: { TLA2TOOLS_JAR: join(scratch, "no.jar") },
    code: 2,
    names: "TLA2TOOLS_JAR",
  },
  // A check that failed: a trace with a deliberate corruption.
  { cli: "validate", args: [badTrace(), "--engine", "embedded"], code: 1, stdout: /^FAIL/m },
  // tlc
  { cli: "tlc", args: ["--help"], code: 0, stdout: /^Usage: tlc/m },
  { cli: "tlc", args: ["--jobs", "0"], code: 2, names: "--jobs" },
  { cli: "tlc", args: ["--workers", "x"], code: 2, names: "--workers" },
  { cli: "tlc", args: ["--engine", "nope"], code: 2, names: "--engine" },
  { cli: "tlc", args: ["--spec-dir", join(scratch, "nowhere")], code: 2, names: "nowhere" },
  { cli: "tlc", args: ["--spec-dir", aFile], code: 2, names: "--spec-dir" },
  {
    cli: "tlc",
    args: ["NoSuchModelAnywhere", "--spec-dir", "test/fixtures/spec"],
    code: 2,
    names: "NoSuchModelAnywhere",
  },
  {
    cli: "tlc",
    args: ["MCCounter", "--spec-dir", "test/fixtures/spec", "--engine", "tlc"],
    env: { TLA2TOOLS_JAR: join(scratch, "no.jar") },
    code: 2,
    names: "TLA2TOOLS_JAR",
  },
  {
    cli: "tlc",
    args: ["MCCounter", "--spec-dir", "test/fixtures/spec", "--engine", "tlc"],
    env: { TLA2TOOLS_JAR: aFile },
    code: 2,
    names: java ? "a-file.txt" : "Java",
  },
  // A check that failed: the cfg expects a violation that does not happen.
  {
    cli: "tlc",
    args: ["BrokenWrongExpectation", "--spec-dir", "test/fixtures/spec", "--engine", "embedded"],
    code: 1,
  },
  // tlc:install: each of these must stop before any download starts.
  {
    cli: "tlc:install",
    args: ["--help"],
    env: { XDG_CACHE_HOME: emptyCache },
    code: 0,
    stdout: /^Usage: tlc:install/m,
  },
  { cli: "tlc:install", args: ["--bogus"], env: { XDG_CACHE_HOME: emptyCache }, code: 2 },
  { cli: "tlc:install", args: ["stray"], env: { XDG_CACHE_HOME: emptyCache }, code: 2 },
  {
    cli: "tlc:install",
    args: [],
    env: { XDG_CACHE_HOME: aFile },
    code: 2,
    names: "XDG_CACHE_HOME",
  },
  {
    cli: "tlc:install",
    args: [],
    env: { XDG_CACHE_HOME: jarIsDir },
    code: 2,
    names: "tla2tools.jar",
  },
  {
    cli: "tlc:install",
    args: [],
    env: { XDG_CACHE_HOME: proc },
    code: 2,
    names: "XDG_CACHE_HOME",
    proc: true,
  },
  // traces:fixtures: none of these may rewrite the committed traces (checked below).
  { cli: "traces:fixtures", args: ["--help"], code: 0, stdout: /^Usage: traces:fixtures/m },
  { cli: "traces:fixtures", args: ["nonesuch"], code: 2, names: "nonesuch" },
  { cli: "traces:fixtures", args: ["--bogus"], code: 2, names: "--bogus" },
  {
    cli: "traces:fixtures",
    args: [first.name],
    env: { TLA2TOOLS_JAR: join(scratch, "no.jar") },
    code: 2,
    names: "TLA2TOOLS_JAR",
  },
  // Without Java this would keep the good traces and rewrite the bad ones from them.
  ...(java
    ? [
        {
          cli: "traces:fixtures",
          args: [first.name],
          env: { TLA2TOOLS_JAR: aFile },
          code: 2,
          names: "a-file.txt",
        } satisfies Row,
      ]
    : []),
  // bench: --help must not start the benchmark.
  { cli: "bench", args: ["--help"], code: 0, stdout: /^Usage: bench/m },
  { cli: "bench", args: ["--protocol", "nonesuch"], code: 2, names: "nonesuch" },
  { cli: "bench", args: ["--bogus"], code: 2, names: "--bogus" },
  { cli: "bench", args: ["stray"], code: 2, names: "arguments" },
  // linearizable
  {
    cli: "linearizable",
    args: [join(scratch, "no-such-history.ndjson")],
    code: 2,
    names: "no-such-history",
  },
  { cli: "linearizable", args: [badHistory], code: 2, names: "malformed.ndjson:3" },
  { cli: "linearizable", args: [goodHistory, "--model", "nonesuch"], code: 2, names: "nonesuch" },
  { cli: "linearizable", args: [goodHistory, "--bogus"], code: 2, names: "--bogus" },
  {
    cli: "linearizable",
    args: [goodHistory, "--svg", join(aFile, "t.svg")],
    code: 2,
    names: "--svg",
  },
];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the script as `npm run` does (tsx), with a bound on time; a process that hangs is killed. */
function run(row: Row): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", SCRIPTS[row.cli], ...row.args],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1", ...row.env },
        timeout: row.timeoutMs ?? 120_000,
        // A process stuck in a synchronous call never runs its SIGTERM handler.
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What a stack trace or a raw exception leaves in the output. */
const STACK = [
  /^\s+at /m,
  /\b[A-Z][A-Za-z]*Error\b/,
  /node:internal|node:fs|^\s*\^\s*$/m,
  /\bE[A-Z]{3,}: /,
];

function check(row: Row, r: Ran): void {
  const all = `${r.stdout}\n${r.stderr}`;
  for (const re of STACK) expect(all, `no stack trace (${re})`).not.toMatch(re);
  expect(r.code, `exit status; stderr: ${r.stderr}`).toBe(row.code);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  if (row.code === 2) {
    expect(lines, "exactly one error line").toHaveLength(1);
    if (row.names !== undefined) expect(lines[0]).toContain(row.names);
  }
  if (row.code === 0) expect(lines.filter((l) => /^(error|sim):/.test(l))).toEqual([]);
  if (row.stdout) expect(r.stdout).toMatch(row.stdout);
}

const title = (row: Row) =>
  `${row.cli} ${row.args.join(" ").replaceAll(scratch, "<tmp>")}${
    row.env
      ? ` [${Object.entries(row.env).map(([k, v]) => `${k}=${v.replaceAll(scratch, "<tmp>")}`)}]`
      : ""
  } -> ${row.code}`;

const tracesHash = (): string => {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  for (const p of protocols()) walk(join(root, "traces", p.name));
  return h.digest("hex");
};

describe("the bad-input table", () => {
  it("has at least 30 rows across every command-line tool", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(new Set(rows.map((r) => r.cli))).toEqual(new Set(Object.keys(SCRIPTS)));
  });
});

describe.concurrent("every CLI on bad input: the documented exit status, one line, no stack", () => {
  for (const row of rows.filter((r) => r.cli !== "traces:fixtures")) {
    const t = row.proc && !hasProc ? it.skip : it;
    t(title(row), async () => check(row, await run(row)));
  }
});

describe("traces:fixtures on bad input leaves the committed traces alone", () => {
  const before = tracesHash();
  for (const row of rows.filter((r) => r.cli === "traces:fixtures"))
    it(title(row), async () => check(row, await run(row)));
  it("traces/<protocol>/ are unchanged", () => {
    expect(tracesHash()).toBe(before);
  });
});

describe("bench --help", () => {
  it("prints the usage and does not start measuring", async () => {
    const r = await run({ cli: "bench", args: ["--help"], code: 0 });
    expect(r.stdout).not.toMatch(/^machine:/m);
  });
});

describe("tlc:install stops before downloading", () => {
  it("neither --help nor a bad cache path starts a download or leaves a file", async () => {
    for (const row of rows.filter((r) => r.cli === "tlc:install")) {
      const r = await run(row);
      expect(r.stdout).not.toMatch(/Downloading/);
    }
    expect(existsSync(emptyCache)).toBe(false);
  });
});
