/**
 * `npm run validate` on what users give it: directories, ITF files, and every kind of bad
 * input — each one line naming the file (and line or event) or the flag and what to do, exit
 * status 2, no stack trace, nothing half-written — and progress on stderr.
 */
import {
  chmodSync,
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
import { protocols } from "../../src/registry.js";
import { main as sim } from "../../src/sim/cli.js";
import { type CliIo, main } from "../../src/trace/cli.js";
import { shownPath } from "../../src/trace/ndjson.js";
import type { ProgressOptions } from "../../src/trace/progress.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-validate-ux-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const [p] = protocols();
if (!p) throw new Error("no protocol registered");
const fixtures = join(import.meta.dirname, "../../traces", p.name);
const goodDir = join(fixtures, "good");
const goods = readdirSync(goodDir).filter((f) => f.endsWith(".ndjson"));
const good = join(goodDir, goods[0] as string);
const goodLines = () => readFileSync(good, "utf8").split("\n");

async function cli(
  argv: string[],
  extra: { env?: Record<string, string | undefined>; progress?: ProgressOptions } = {},
) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: extra.env ?? process.env,
    ...(extra.progress ? { progress: extra.progress } : {}),
  };
  const code = await main(["--engine", "embedded", ...argv], io);
  return { code, stdout, stderr };
}

/** A file in the temporary directory with the given text. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** The one error line of a run that exits 2, with no stack trace. */
function oneError(r: { code: number; stderr: string }): string {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0] as string;
}

describe("validate: inputs", () => {
  it("takes a directory: every trace file under it, in name order", async () => {
    const r = await cli([goodDir]);
    expect(r.code).toBe(0);
    const checked = [...r.stdout.matchAll(/^ok {4}(\S+)/gm)].map((m) => m[1]?.split("/").at(-1));
    expect(checked).toEqual([...goods].sort());
  });

  it("reads ITF files (as --itf writes them) with the same verdicts as the NDJSON", async () => {
    const itf = join(dir, "itf");
    const bad = join(fixtures, "bad", readdirSync(join(fixtures, "bad"))[0] as string);
    const first = await cli(["--json", "--itf", itf, good, bad]);
    const again = await cli(["--json", itf]);
    const rows = (s: string) =>
      s
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .map(({ file: _, seconds: __, line: ___, ...r }) => r)
        .sort((a, b) => a.events - b.events || Number(a.ok) - Number(b.ok));
    expect(first.code).toBe(1);
    expect(again.code).toBe(1);
    expect(rows(again.stdout)).toEqual(rows(first.stdout));
  });

  it("reads an ITF file whose #meta does not name the protocol with --protocol", async () => {
    const itf = JSON.parse(
      readFileSync(join(dir, "itf", goods[0]?.replace(".ndjson", ".itf.json") ?? ""), "utf8"),
    );
    delete itf["#meta"].protocol;
    const f = file("anonymous.itf.json", JSON.stringify(itf));
    expect(oneError(await cli([f]))).toBe(
      `error: ${f}: #meta.protocol is missing; name the protocol in the file's "#meta" or with --protocol (${protocols()
        .map((x) => x.name)
        .join(", ")})`,
    );
    expect((await cli(["--protocol", p.name, f])).code).toBe(0);
  });

  it("lists unreadable inputs in --json too, in input order", async () => {
    const broken = file("broken.ndjson", goodLines().slice(0, 2).join("\n").replace(/}$/, ""));
    const r = await cli(["--json", good, broken, join(dir, "nothing.ndjson")]);
    expect(r.code).toBe(2);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.ok, x.events === null])).toEqual([
      [true, false],
      [false, true],
      [false, true],
    ]);
    expect(rows[1]).toMatchObject({
      file: broken,
      engine: null,
      error: expect.stringContaining(`${broken}:2: not valid JSON`),
    });
    expect(rows[2].error).toBe(`${join(dir, "nothing.ndjson")}: no such file; check the path`);
  });
});

describe("validate: bad input is one line and exit status 2", () => {
  it("a malformed line: file:line and what a line must be", async () => {
    const lines = goodLines();
    lines[2] = `${lines[2]?.slice(0, 40)}`;
    const f = file("cut.ndjson", lines.join("\n"));
    expect(oneError(await cli([f]))).toMatch(
      new RegExp(
        `^error: ${f}:3: not valid JSON \\(.*\\); each line of a trace must be one complete JSON object$`,
      ),
    );
  });

  it("a mistyped value: file:line, event and the field", async () => {
    const lines = goodLines();
    const e = JSON.parse(lines[1] as string);
    const [variable] = Object.keys(e.state);
    e.state[variable as string] = "oops";
    lines[1] = JSON.stringify(e);
    const f = file("typo.ndjson", lines.join("\n"));
    expect(oneError(await cli([f]))).toMatch(
      new RegExp(`^error: ${f}:2: event 0: state\\.${variable}: expected `),
    );
  });

  it("an unknown protocol", async () => {
    const lines = goodLines();
    lines[0] = (lines[0] as string).replace(`"protocol":"${p.name}"`, '"protocol":"nonesuch"');
    const f = file("other.ndjson", lines.join("\n"));
    expect(oneError(await cli([f]))).toMatch(
      new RegExp(`^error: ${f}:1: unknown protocol "nonesuch" \\(traces can be validated for: `),
    );
  });

  it("a missing file, an unreadable path, an empty directory", async () => {
    const missing = join(dir, "absent.ndjson");
    expect(oneError(await cli([missing]))).toBe(`error: ${missing}: no such file; check the path`);
    const under = join(file("plain.txt", "x"), "trace.ndjson");
    expect(oneError(await cli([under]))).toBe(
      `error: ${under}: cannot read (ENOTDIR); check the path and its permissions`,
    );
    const empty = join(dir, "empty");
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, "notes.txt"), "not a trace");
    expect(oneError(await cli([empty]))).toBe(
      `error: ${empty}: no trace files (*.ndjson, *.itf.json) in this directory; give trace files or a directory holding them`,
    );
  });

  it("bad ITF: not JSON (with its line), not ITF, a state without its action", async () => {
    const notJson = file("bad.itf.json", '{\n  "vars": [\n  "states": []\n}');
    expect(oneError(await cli([notJson]))).toMatch(
      new RegExp(`^error: ${notJson}:3: not valid JSON .*; an ITF file is one JSON document$`),
    );
    const notItf = file("list.itf.json", "[1, 2]");
    expect(oneError(await cli([notItf]))).toMatch(
      /: not an ITF trace: expected an object with "vars" and "states"/,
    );
    const itf = JSON.parse(
      readFileSync(join(dir, "itf", goods[0]?.replace(".ndjson", ".itf.json") ?? ""), "utf8"),
    );
    delete itf.states[1]["#meta"];
    const noAction = file("noaction.itf.json", JSON.stringify(itf));
    expect(oneError(await cli([noAction]))).toBe(
      `error: ${noAction}: states[1]: "#meta.action" is missing; each state after the first must name the spec action that led to it (as validate --itf writes it)`,
    );
    itf.states[1]["#meta"] = { action: "Init" };
    itf.vars.push("extra");
    const extra = file("extra.itf.json", JSON.stringify(itf));
    expect(oneError(await cli([extra]))).toMatch(/: vars: "extra" is not a variable of /);
  });

  it("a bad --itf or --keep target: nothing checked, nothing written", async () => {
    const plain = file("target.txt", "x");
    for (const flag of ["--itf", "--keep"]) {
      expect(oneError(await cli([flag, plain, good]))).toBe(
        `error: ${flag} ${plain}: is not a directory; give a directory to write into`,
      );
      const under = join(plain, "out");
      expect(oneError(await cli([flag, under, good]))).toBe(
        `error: ${flag} ${under}: cannot use it (ENOTDIR); give a directory`,
      );
    }
    // Checked before reading anything: a bad --keep leaves no ITF file behind.
    const itf = join(dir, "not-written");
    const r = await cli(["--itf", itf, "--keep", plain, good]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(existsSync(itf) ? readdirSync(itf) : []).toEqual([]);
  });

  it("an unwritable --itf directory (where permissions apply)", async () => {
    const ro = join(dir, "read-only");
    mkdirSync(ro, { recursive: true });
    chmodSync(ro, 0o555);
    const r = await cli(["--itf", ro, good]);
    chmodSync(ro, 0o755);
    // The superuser may write anywhere; everyone else gets the one line.
    if (r.code === 2)
      expect(oneError(r)).toBe(
        `error: --itf ${ro}: cannot write into it (EACCES); give a directory you can write to`,
      );
    else expect(readdirSync(ro)).toHaveLength(1);
  });

  it("TLC crashing: the file, what TLC said, and what to try", async () => {
    const home = join(dir, "java");
    mkdirSync(join(home, "bin"), { recursive: true });
    const java = join(home, "bin", "java");
    writeFileSync(
      java,
      "#!/bin/sh\necho 'Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space' >&2\nexit 1\n",
    );
    chmodSync(java, 0o755);
    const jar = file("tla2tools.jar", "not a jar");
    let stdout = "";
    let stderr = "";
    const code = await main(["--engine", "tlc", good], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { JAVA_HOME: home, TLA2TOOLS_JAR: jar, PATH: "" },
    });
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^error: ${shownPath(good)}: could not be checked with TLC: TLC ran out of memory; give Java more heap \\(e\\.g\\. JAVA_TOOL_OPTIONS=-Xmx8g\\)[^;]*; or use --engine embedded$`,
      ),
    );
    expect(stdout).toMatch(/^1 trace: 0 valid, 0 not, 1 could not be checked; /m);
  });
});

describe("validate: progress on stderr", () => {
  it("without a terminal: lines with events checked and events/s", async () => {
    const r = await cli([goodDir], { progress: { tty: false, everyMs: 0, timer: false } });
    expect(r.code).toBe(0);
    const total = goods
      .map((g) => readFileSync(join(goodDir, g), "utf8").trim().split("\n").length - 1)
      .reduce((a, b) => a + b, 0);
    const lines = r.stderr.trim().split("\n");
    expect(lines.some((l) => /^reading .*\.ndjson/.test(l))).toBe(true);
    const checking = lines.filter((l) => l.startsWith("checking (embedded): "));
    expect(checking.at(-1)).toMatch(
      new RegExp(
        `^checking \\(embedded\\): ${total.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events(, [\\d,]+ events/s)?(, ${goods.length} of ${goods.length} traces done)?, \\d+:\\d\\d$`,
      ),
    );
  });

  it("on a terminal: one live line, cleared before results are printed", async () => {
    const r = await cli([good], { progress: { tty: true, timer: false } });
    expect(r.code).toBe(0);
    expect(r.stderr.startsWith("\r\x1b[K")).toBe(true);
    expect(r.stderr.slice(4)).toMatch(/^(reading|checking)/);
    expect(r.stderr.endsWith("\r\x1b[K")).toBe(true);
    expect(r.stderr).not.toContain("\n");
  });
});

describe("sim --itf", () => {
  it("writes each run as an ITF file too, which validates", async () => {
    const out = join(dir, "sim");
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    const code = await sim(
      [
        "--protocol",
        p.name,
        "--seeds",
        "1..2",
        "--steps",
        "40",
        "--faults",
        "all",
        "--out",
        out,
        "--itf",
        join(out, "itf"),
      ],
      io,
    );
    expect(code).toBe(0);
    expect(readdirSync(join(out, "itf")).sort()).toEqual([
      `${p.name}-seed-1.itf.json`,
      `${p.name}-seed-2.itf.json`,
    ]);
    const r = await cli([join(out, "itf")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 traces: 2 valid, 0 not; 82 events/m);
  });

  it("refuses a bad --itf target before running anything", async () => {
    let err = "";
    const out = join(dir, "sim-none");
    const plain = file("sim-target.txt", "x");
    const code = await sim(["--protocol", p.name, "--out", out, "--itf", plain], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s) },
    });
    expect(code).toBe(2);
    expect(err).toBe(`sim: --itf ${plain}: is not a directory; give a directory to write into\n`);
    expect(existsSync(out)).toBe(false);
  });
});
