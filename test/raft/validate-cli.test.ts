import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/trace/cli.js";
import { traceFixtures } from "../trace/helpers.js";

const { good, bad } = traceFixtures("raft");

const dir = mkdtempSync(join(tmpdir(), "lockstep-validate-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: process.env,
  });
  return { code, stdout, stderr };
}

describe("npm run validate", () => {
  it("exits 0 when every trace validates", async () => {
    const r = await cli("--engine", "embedded", good("reconfig"), good("vote-denied"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {4}.*reconfig\.ndjson {2}21 events {2}embedded/m);
    expect(r.stdout).toMatch(/^2 traces: 2 valid, 0 not; 29 events in/m);
  });

  it("exits 1 and explains a divergence", async () => {
    const r = await cli("--engine", "embedded", good("reconfig"), bad("commit-index-too-high"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      [
        '      event 15 (line 17): AdvanceCommitIndex("s2") does not match the spec',
        "      commitIndex: the logged value differs from every state the spec allows",
        '        ["s2"]: logged 2, spec 1',
      ].join("\n"),
    );
  });

  it("prints one JSON object per trace with --json", async () => {
    const r = await cli("--engine", "embedded", "--json", good("reconfig"), bad("wrong-term"));
    expect(r.code).toBe(1);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0] ?? {})).toEqual(["file", "events", "engine", "ok", "seconds"]);
    expect(rows[0]).toMatchObject({ events: 21, engine: "embedded", ok: true });
    expect(rows[1]).toMatchObject({
      ok: false,
      failedAt: 1,
      line: 3,
      action: 'Timeout("s2")',
      diff: [{ variable: "currentTerm", detail: ['["s2"]: logged 2, spec 1'] }],
    });
  });

  it("exits 2 with one line naming file:line for a malformed trace, and still checks the others", async () => {
    const broken = join(dir, "broken.ndjson");
    const lines = readFileSync(good("reconfig"), "utf8").split("\n");
    lines[3] = lines[3]?.replace('"action":"RequestVote"', '"action":"RequestVotes"') ?? "";
    writeFileSync(broken, lines.join("\n"));
    const r = await cli(
      "--engine",
      "embedded",
      broken,
      join(dir, "missing.ndjson"),
      good("vote-denied"),
    );
    expect(r.code).toBe(2);
    const errors = r.stderr.trim().split("\n");
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^error: .*broken\.ndjson:4: event 2: unknown action "RequestVotes" for protocol raft/,
    );
    expect(errors[1]).toMatch(/^error: .*missing\.ndjson: no such file; check the path$/);
    expect(r.stdout).toMatch(/^ok {4}.*vote-denied\.ndjson/m);
  });

  it("rejects a trace of an unknown protocol", async () => {
    const other = join(dir, "zab.ndjson");
    const lines = readFileSync(good("vote-denied"), "utf8").split("\n");
    lines[0] = lines[0]?.replace('"protocol":"raft"', '"protocol":"zab"') ?? "";
    writeFileSync(other, lines.join("\n"));
    const r = await cli(other);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/zab\.ndjson:1: unknown protocol "zab"/);
  });

  it("writes ITF files with --itf", async () => {
    const out = join(dir, "itf");
    const r = await cli("--engine", "embedded", "--itf", out, good("vote-denied"));
    expect(r.code).toBe(0);
    const itf = JSON.parse(readFileSync(join(out, "vote-denied.itf.json"), "utf8"));
    expect(itf.states).toHaveLength(8);
  });

  it("keeps the generated modules with --keep, to rerun by hand", async () => {
    const keep = join(dir, "keep");
    const r = await cli("--engine", "embedded", "--keep", keep, bad("wrong-term"));
    expect(r.code).toBe(1);
    expect(readdirSync(keep).sort()).toEqual(["1-TraceRaft", "2-TraceRaftDiag"]);
    expect(readdirSync(join(keep, "1-TraceRaft"))).toEqual(
      expect.arrayContaining(["Raft.tla", "TraceRaft.tla", "TraceRaftData.tla", "TraceRun.cfg"]),
    );
    expect(readFileSync(join(keep, "1-TraceRaft", "TraceRun.cfg"), "utf8")).toContain(
      'Server = {"s1", "s2", "s3"}',
    );
  });

  it("exits 2 on bad options", async () => {
    expect((await cli("--engine", "spin", good("reconfig"))).code).toBe(2);
    expect((await cli()).code).toBe(2);
  });
});
