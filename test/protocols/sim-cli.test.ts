/** `npm run sim` for every registered protocol: files, summaries, sizes, exit codes. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { readTrace } from "../../src/trace/codec.js";
import { runSim, runTwice, scratchDir } from "../sim/helpers.js";

const tmp = () => scratchDir("lockstep-sim-");

for (const p of protocols())
  describe(`npm run sim -- --protocol ${p.name}`, () => {
    const base = ["--protocol", p.name];

    it("writes one trace per seed and prints one line each", async () => {
      const out = tmp();
      const r = await runSim([
        ...base,
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
      expect(readdirSync(out).sort()).toEqual([1, 2, 3].map((s) => `${p.name}-seed-${s}.ndjson`));
      expect(r.stdout.trim().split("\n")).toHaveLength(3);
      expect(r.stdout).toMatch(
        new RegExp(`^${p.name} seed=1 events=120 .* -> .*${p.name}-seed-1\\.ndjson$`, "m"),
      );
      const lines = readFileSync(join(out, `${p.name}-seed-2.ndjson`), "utf8")
        .trimEnd()
        .split("\n");
      expect(lines).toHaveLength(122);
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        format: "lockstep-trace",
        protocol: p.name,
        seed: 2,
      });
    });

    it("is deterministic: the same seed writes the same bytes", async () => {
      const [x, y] = await runTwice(
        [...base, "--seed", "11", "--steps", "300", "--faults", "all"],
        `${p.name}-seed-11.ndjson`,
        "lockstep-sim-",
      );
      expect(x.length).toBeGreaterThan(0);
      // Buffer.equals: vitest's toEqual would compare a megabyte element by element.
      expect(x.equals(y)).toBe(true);
    });

    it("writes version 3 by default, 2 and 1 when asked, all read as one run", async () => {
      const [a, b, c] = [tmp(), tmp(), tmp()];
      const args = [...base, "--seed", "4", "--steps", "150", "--faults", "all"];
      await runSim([...args, "--out", a]);
      await runSim([...args, "--trace-version", "2", "--out", b]);
      await runSim([...args, "--full-state", "--out", c]);
      const [v3, v2, v1] = [a, b, c].map((d) => readTrace(join(d, `${p.name}-seed-4.ndjson`)));
      expect(v3?.header.version).toBe(3);
      expect(v2?.header.version).toBe(2);
      expect(v1?.header.version).toBe(1);
      expect(v3?.events).toHaveLength(151);
      expect(v3?.events.map((e) => e.state)).toEqual(v1?.events.map((e) => e.state));
      expect(v2?.events.map((e) => e.state)).toEqual(v1?.events.map((e) => e.state));
    });

    it("takes its size flags, within their bounds, and no other protocol's", async () => {
      for (const f of p.sim.sizes) {
        const ok = await runSim([
          ...base,
          "--steps",
          "20",
          `--${f.name}`,
          String(f.max),
          "--out",
          tmp(),
        ]);
        expect(ok.code, `--${f.name} ${f.max}`).toBe(0);
        const high = await runSim([...base, `--${f.name}`, String(f.max + 1), "--out", tmp()]);
        expect(high.code).toBe(2);
        expect(high.stderr).toBe(
          `sim: --${f.name} ${f.max + 1}: expected an integer from ${f.min} to ${f.max}\n`,
        );
      }
      const foreign = protocols()
        .flatMap((q) => q.sim.sizes.map((f) => f.name))
        .filter((n) => !p.sim.sizes.some((f) => f.name === n));
      for (const n of foreign) {
        const r = await runSim([...base, `--${n}`, "2", "--out", tmp()]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(`^sim: --${n} does not apply to ${p.name}; size it with --`),
        );
      }
    });

    it("exits 1 naming the seed and the event when an invariant breaks", async () => {
      const h = p.bugHunts[0];
      if (h === undefined) return;
      let caught = false;
      for (let seed = 1; seed <= 200 && !caught; seed++) {
        const r = await runSim([
          ...base,
          "--seed",
          String(seed),
          "--steps",
          String(h.steps ?? 300),
          "--faults",
          h.faults.join(","),
          ...Object.entries(h.sizes ?? {}).flatMap(([k, v]) => [`--${k}`, String(v)]),
          "--bug",
          h.bug,
          "--out",
          tmp(),
        ]);
        if (r.code === 0) continue;
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(
          new RegExp(`^${p.name} seed=${seed}: invariant \\w+.* violated at event \\d+ -> `, "m"),
        );
        caught = true;
      }
      expect(caught || p.bugHunts.length === 0).toBe(true);
    });

    it("rejects an unknown fault, bug or invariant, and bad ranges, with one line and exit 2", async () => {
      for (const args of [
        ["--faults", "meteor"],
        ["--bug", "typo"],
        ["--invariants", "Nonsense"],
        ["--seeds", "5..1"],
        ["--steps", "0"],
      ]) {
        const r = await runSim([...base, ...args]);
        expect(r.code, args.join(" ")).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
      }
    });
  });

describe("npm run sim and the registry", () => {
  it("rejects an unknown protocol, listing the known ones", async () => {
    const q = await runSim(["--protocol", "nonesuch"]);
    expect(q.code).toBe(2);
    expect(q.stderr).toBe(
      `sim: unknown protocol "nonesuch"; known protocols: ${protocols()
        .map((p) => p.name)
        .join(", ")}\n`,
    );
  });

  it("lists every protocol and its size flags in --help", async () => {
    const r = await runSim(["--help"]);
    expect(r.code).toBe(0);
    for (const p of protocols()) {
      expect(r.stdout).toContain(p.name);
      for (const f of p.sim.sizes) expect(r.stdout).toContain(`--${f.name}`);
    }
  });
});
