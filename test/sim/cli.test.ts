/** `npm run sim`: files, summaries and exit codes. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTrace } from "../../src/trace/codec.js";
import { runSim, runTwice, scratchDir } from "./helpers.js";

const run = runSim;

const tmp = () => scratchDir("lockstep-sim-");

describe("npm run sim", () => {
  it("writes one trace per seed and prints one line each", async () => {
    const out = tmp();
    const r = await run([
      "--protocol",
      "raft",
      "--seeds",
      "1..3",
      "--steps",
      "120",
      "--faults",
      "drop,crash",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "raft-seed-1.ndjson",
      "raft-seed-2.ndjson",
      "raft-seed-3.ndjson",
    ]);
    expect(r.stdout.trim().split("\n")).toHaveLength(3);
    expect(r.stdout).toMatch(/^raft seed=1 events=120 .* -> .*raft-seed-1\.ndjson$/m);
    const lines = readFileSync(join(out, "raft-seed-2.ndjson"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(122);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ format: "lockstep-trace", seed: 2 });
  });

  it("is deterministic: the same seed writes the same bytes", async () => {
    const [x, y] = await runTwice(
      ["--seed", "11", "--steps", "300", "--faults", "all", "--servers", "4"],
      "raft-seed-11.ndjson",
      "lockstep-sim-",
    );
    expect(x?.length).toBeGreaterThan(0);
    // Buffer.equals: vitest's toEqual would compare a megabyte element by element.
    expect(x?.equals(y as Buffer)).toBe(true);
  });

  it("writes version 2 by default and version 1 with --full-state, both read as one run", async () => {
    const [a, b] = [tmp(), tmp()];
    const args = ["--seed", "4", "--steps", "150", "--faults", "all"];
    await run([...args, "--out", a]);
    await run([...args, "--full-state", "--out", b]);
    const [v2, v1] = [a, b].map((d) => readTrace(join(d, "raft-seed-4.ndjson")));
    expect(v2?.header.version).toBe(2);
    expect(v1?.header.version).toBe(1);
    expect(v2?.events).toHaveLength(151);
    expect(v2?.events.map((e) => e.state)).toEqual(v1?.events.map((e) => e.state));
    const line3 = (d: string) =>
      JSON.parse(readFileSync(join(d, "raft-seed-4.ndjson"), "utf8").split("\n")[2] as string);
    expect(Object.keys(line3(a))).toContain("changed");
    expect(Object.keys(line3(b))).toContain("state");
  });

  it("exits 1 naming the seed and the event when an invariant breaks", async () => {
    const r = await run([
      "--seed",
      "1",
      "--steps",
      "1000",
      "--faults",
      "crash,partition,drop,dup,reorder",
      "--bug",
      "noLogCheck",
      "--out",
      tmp(),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^raft seed=1: invariant \w+.* violated at event \d+ -> /m);
  });

  it("rejects an unknown protocol, fault or bug with one line and exit 2", async () => {
    const q = await run(["--protocol", "nonesuch"]);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/^sim: unknown protocol "nonesuch"; known protocols: raft, paxos\n$/);
    for (const args of [
      ["--faults", "meteor"],
      ["--bug", "typo"],
      ["--invariants", "Nonsense"],
      ["--seeds", "5..1"],
      ["--steps", "0"],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
