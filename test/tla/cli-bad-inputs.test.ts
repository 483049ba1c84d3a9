/**
 * `npm run tlc` on bad input and a broken setup: one line saying what, where and what to do,
 * the exit status (2 bad input or setup, 1 a check that did not come to its verdict), and never
 * a stack trace.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root, specRoot, tlcAvailable } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "lockstep-bad-inputs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const home = join(scratch, "home");
mkdirSync(home);

function cli(args: string[], env: Record<string, string | undefined> = {}, specDir = specRoot) {
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.TLA2TOOLS_JAR;
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/tlc.ts",
      "--spec-dir",
      specDir,
      "--trace-dir",
      join(scratch, "traces"),
      ...args,
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...base, HOME: home, XDG_CACHE_HOME: join(home, ".cache"), ...env },
    },
  );
  const all = `${r.stdout}\n${r.stderr}`;
  // Never a stack trace, whatever went wrong.
  expect(all).not.toMatch(/^\s+at \S.*:\d+(:\d+)?\)?$|node:internal|^\w*(Error|Exception)\b/m);
  return {
    code: r.status,
    stdout: r.stdout,
    /** stderr lines, without the progress lines a slow run prints every few seconds. */
    errors: r.stderr
      .trim()
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("… ")),
  };
}

/** A copy of a fixture protocol folder under a scratch spec directory, to break. */
function copyOf(protocol: string): string {
  const dir = mkdtempSync(join(scratch, "spec-"));
  cpSync(join(specRoot, protocol), join(dir, protocol), { recursive: true });
  return dir;
}

describe("npm run tlc: flags", () => {
  it("an unknown flag, a bad value, a second filter: exit 2, one line", () => {
    for (const [args, line] of [
      [["--bogus"], /^error: unknown option '--bogus'/],
      [
        ["--engine", "apalache"],
        /^error: option '--engine <engine>' argument 'apalache' is invalid/,
      ],
      [
        ["--jobs", "0"],
        /^error: option '--jobs <n>' argument '0' is invalid\. expected a positive integer$/,
      ],
      [["--workers", "many"], /^error: option '--workers <n>' argument 'many' is invalid/],
      [["MCCounter", "MCCounterBadInv"], /^error: too many arguments/],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.errors).toEqual([expect.stringMatching(line)]);
    }
  });
});

describe("npm run tlc: the spec directory and its cfgs", () => {
  it("a spec directory that does not exist, or is a file: exit 2, what to pass", () => {
    const missing = cli(["--engine", "embedded"], {}, join(scratch, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.errors).toEqual([
      expect.stringMatching(
        /^error: .*nope: spec directory not found; run from the project's root or pass --spec-dir DIR/,
      ),
    ]);
    const file = join(scratch, "file.txt");
    writeFileSync(file, "");
    const notDir = cli(["--engine", "embedded"], {}, file);
    expect(notDir.code).toBe(2);
    expect(notDir.errors).toEqual([expect.stringMatching(/^error: .*file\.txt: not a directory/)]);
  });

  it("a cfg that cannot be read is an error row; the folder's other models still run", () => {
    const dir = copyOf("counter");
    mkdirSync(join(dir, "counter", "MCCounterZ.cfg"));
    const r = cli(["^MCCounter(BadInv|Z)?$", "--engine", "embedded"], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ok\s+MCCounter\s+embedded\s+pass\s+pass\s+16/m);
    expect(r.stdout).toMatch(/^ok\s+MCCounterBadInv\s+embedded\s+XSmall\s+XSmall/m);
    expect(r.stdout).toMatch(/^FAIL\s+MCCounterZ\s+embedded\s+\?\s+error/m);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^error: MCCounterZ \(embedded\): .*counter\/MCCounterZ\.cfg: cannot read \(EISDIR\); fix or remove the file$/,
      ),
    ]);
  });

  it("a cfg without an expect line is reported, not silently skipped", () => {
    const r = cli(["Harness", "--engine", "embedded"]);
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^error: Harness \(embedded\): .*counter\/Harness\.cfg:1: no "\\\* expect:" line, so this cfg is not a model and is not checked; add "\\\* expect: pass"/,
      ),
    ]);
  });

  it("a broken header is an error row naming file:line, exit 2", () => {
    const r = cli(["SwitchBrokenHeader", "--engine", "embedded"]);
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([
      expect.stringMatching(/SwitchBrokenHeader\.cfg:3: states: expects "embedded N, tlc M"/),
    ]);
  });
});

describe("npm run tlc: a spec that does not parse", () => {
  const broken = () => {
    const dir = copyOf("relay");
    const file = join(dir, "relay", "Relay.tla");
    const text = readFileSync(file, "utf8").replace(
      "  /\\ Ping(i, j) \\notin DOMAIN msgs",
      "  /\\ Ping(i, j) \\notin {DOMAIN msgs",
    );
    writeFileSync(file, text);
    return dir;
  };

  it("embedded: the definition the engine dropped, at its unclosed bracket, not 'undefined Send'", () => {
    const r = cli(["MCRelay", "--engine", "embedded"], {}, broken());
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^error: MCRelay \(embedded\): .*relay\/Relay\.tla:17:24: "\{" is never closed \(in the definition of Send, .*Relay\.tla:15\); fix its syntax/,
      ),
    ]);
  });

  it.skipIf(!tlcAvailable)("TLC: SANY's first error with file:line and the form it was in", () => {
    const r = cli(
      ["MCRelay", "--engine", "tlc"],
      { TLA2TOOLS_JAR: process.env.TLA2TOOLS_JAR, HOME: process.env.HOME },
      broken(),
    );
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^error: MCRelay \(tlc\): .*relay\/Relay\.tla:18:3: parse error: encountered "\/\\" after "msgs"; in the Some \{ \} form starting at 17:24$/,
      ),
    ]);
  });
});

describe("npm run tlc: engines", () => {
  it("a model the engine cannot check, asked for by name: exit 2, why and how to get TLC", () => {
    const r = cli(["MCCounterTlcOnly", "--engine", "embedded"]);
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^error: MCCounterTlcOnly cannot be checked on the embedded engine \(.*MCCounterTlcOnly\.cfg: ACTION_CONSTRAINT is not supported by tla-checker\); to check it, set TLA2TOOLS_JAR .*`npm run tlc:install`.*`npm run tlc -- MCCounterTlcOnly --engine tlc`$/,
      ),
    ]);
    // The same when `auto` found no TLC: the notice, then the error; nothing is checked.
    const auto = cli(["MCCounterTlcOnly"]);
    expect(auto.code).toBe(2);
    expect(auto.errors).toEqual([
      expect.stringMatching(/^error: MCCounterTlcOnly cannot be checked on the embedded engine/),
    ]);
  });

  it("Java missing for --engine tlc: exit 2, how to get it", () => {
    const jar = join(scratch, "tla2tools.jar");
    writeFileSync(jar, "");
    const r = cli(["MCCounter", "--engine", "tlc"], {
      TLA2TOOLS_JAR: jar,
      JAVA_HOME: undefined,
      PATH: join(scratch, "no-bin"),
    });
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([
      "error: Java not found: install Java 11+ (e.g. your OS package openjdk-17-jre, or adoptium.net) or set JAVA_HOME",
    ]);
  });

  /** A JAVA_HOME whose java runs `script` (a TLC that crashes in one way or another). */
  const fakeJava = (name: string, script: string) => {
    const javaHome = join(scratch, name);
    mkdirSync(join(javaHome, "bin"), { recursive: true });
    writeFileSync(join(javaHome, "bin", "java"), `#!/bin/sh\n${script}\n`);
    chmodSync(join(javaHome, "bin", "java"), 0o755);
    const jar = join(scratch, "tla2tools.jar");
    writeFileSync(jar, "");
    return { JAVA_HOME: javaHome, TLA2TOOLS_JAR: jar };
  };

  it("TLC out of memory, killed, or its VM crashed: exit 1, one line each", () => {
    for (const [name, script, line] of [
      [
        "oom",
        `echo 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space' >&2\necho '\tat tlc2.TLC.main(TLC.java:1)' >&2\nexit 1`,
        "TLC ran out of memory; give Java more heap (e.g. JAVA_TOOL_OPTIONS=-Xmx8g) or shrink the model",
      ],
      ["killed", "kill -9 $$", "TLC was killed by SIGKILL (out of memory?)"],
      [
        "crash",
        `echo '# A fatal error has been detected by the Java Runtime Environment:' >&2\nexit 134`,
        "the Java VM crashed while running TLC (exit code 134); try another Java 11+ (JAVA_HOME) or more memory",
      ],
    ] as const) {
      const r = cli(["MCCounter", "--engine", "tlc"], fakeJava(name, script));
      expect(r.code, name).toBe(1);
      expect(r.errors, name).toEqual([`error: MCCounter (tlc): ${line}`]);
    }
  });

  it("a jar that is not TLC: exit 2, once, what to do", () => {
    const r = cli(
      ["^MCCounter(BadInv)?$", "--engine", "tlc"],
      fakeJava("notlc", "echo 'Error: Could not find or load main class tlc2.TLC' >&2\nexit 1"),
    );
    expect(r.code).toBe(2);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^error: .*tla2tools\.jar is not a TLC jar \(no tlc2\.TLC class\); point TLA2TOOLS_JAR at tla2tools\.jar or run `npm run tlc:install`$/,
      ),
    ]);
  });
});
