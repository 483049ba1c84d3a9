/** `npm run linearizable` in-process: verdicts, exit codes, the minimal sub-history, the SVG. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/history/cli.js";
import { generate } from "../../src/history/generate.js";
import { encodeHistory } from "../../src/history/history.js";
import { kv } from "../../src/history/models.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-history-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const stale = join(dir, "stale.ndjson");
writeFileSync(
  stale,
  [
    '{"history":1,"model":"register"}',
    '{"id":0,"client":"a","input":{"op":"write","value":1},"call":0,"return":1,"output":{}}',
    '{"id":1,"client":"a","input":{"op":"write","value":2},"call":2,"return":3,"output":{}}',
    '{"id":2,"client":"b","input":{"op":"read"},"call":4,"return":5,"output":{"value":1}}',
    '{"id":3,"client":"c","input":{"op":"read"},"call":0,"return":9,"output":{"value":0}}',
    "",
  ].join("\n"),
);

describe("linearizable", () => {
  it("exits 1 on a stale read, printing the minimal sub-history and writing the SVG whole", async () => {
    const svg = join(dir, "stale.svg");
    const r = await run(stale, "--svg", svg);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^not linearizable \(model register\)/);
    expect(r.stdout).toContain("minimal sub-history (3 operations)");
    for (const d of ["write(1) → ok", "write(2) → ok", "read() → 1"]) expect(r.stdout).toContain(d);
    expect(r.stdout).toContain(`timeline: ${svg}`);
    expect(readFileSync(svg, "utf8").match(/class="minimal/g)).toHaveLength(3);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("exits 0 on a linearizable history; the header names the model unless --model does", async () => {
    const file = join(dir, "good.ndjson");
    writeFileSync(file, encodeHistory(generate(kv, { seed: 3, ops: 200, clients: 4, keys: 3 })));
    const r = await run(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^linearizable: 200 operations \(model kv, 3 partitions\)/);
    // Read as register operations, kv operations do not decode.
    const wrong = await run(file, "--model", "register");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/good\.ndjson:2: not a register (input|output)/);
  });

  it("rejects a bad --budget-ms, and an unknown model in the header names file:1", async () => {
    const bad = await run(stale, "--budget-ms", "soon");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --budget-ms soon: /);
    const file = join(dir, "unknown-model.ndjson");
    writeFileSync(file, '{"history":1,"model":"queue"}\n');
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown-model\.ndjson:1: unknown model "queue"/);
    expect(existsSync(join(dir, "none.svg"))).toBe(false);
  });
});
