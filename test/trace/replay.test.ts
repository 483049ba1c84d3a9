/**
 * Spec → code: each bug model's counterexample (traces/<protocol>/counterexamples, written by
 * `npm run replay -- --fixtures` with TLC) replays on the implementation with the model's bug
 * on, and with every bug off stops at the step expected.json names. A counterexample kept there
 * but not in expected.json is a known disagreement between the spec and the code: it must still
 * fail to replay (so fixing it shows up here). No model is checked here.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { encodeTrace, readTrace } from "../../src/trace/codec.js";
import { writeNdjson } from "../../src/trace/ndjson.js";
import { bugsOf, replayTrace } from "../../src/trace/replay.js";
import {
  bugModels,
  counterexampleDir,
  counterexampleFile,
  EXPECTED,
  type ExpectedReplay,
  main,
  replayWritten,
} from "../../src/trace/replay-cli.js";

for (const m of protocols().filter((p) => p.implementation !== undefined)) {
  const dir = counterexampleDir(m.name);
  const expected: Record<string, ExpectedReplay> = existsSync(join(dir, EXPECTED))
    ? JSON.parse(readFileSync(join(dir, EXPECTED), "utf8"))
    : {};
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".ndjson")) : [];
  describe(`${m.name}: counterexamples replay on the implementation`, () => {
    it("every bug model has a counterexample file", () => {
      // Every bug model of the protocol's own model module has one; models of modules that
      // add history variables have one where their steps can be named.
      const all = bugModels(m);
      const own = all.filter((x) => x.module === m.spec.model).map((x) => x.name);
      const names = (xs: ReadonlyArray<string>) => xs.map((x) => counterexampleFile(m, x)).sort();
      expect(own.length).toBeGreaterThan(0);
      expect(files.filter((f) => names(own).includes(f))).toEqual(names(own));
      expect(files.filter((f) => !names(all.map((x) => x.name)).includes(f))).toEqual([]);
    });
    for (const [file, exp] of Object.entries(expected))
      it(`${file}: replays with ${exp.bugs.join(",")} on, stops at step ${exp.failsAt} with it off`, () => {
        const t = readTrace(join(dir, file));
        expect(bugsOf(m, t)).toEqual(exp.bugs);
        const on = replayTrace(m, t, exp.bugs);
        expect(on.steps.filter((s) => !s.ok)).toEqual([]);
        expect(on.ok).toBe(true);
        expect(on.steps.length).toBe(t.events.length);
        const off = replayTrace(m, t, []);
        expect(off.ok).toBe(false);
        expect(off.failedAt).toBe(exp.failsAt);
        expect(off.steps.at(-1)?.action).toBe(exp.action);
      });
    for (const file of files.filter((f) => expected[f] === undefined))
      it(`${file}: a known disagreement between spec and code, still there`, () => {
        const t = readTrace(join(dir, file));
        expect(replayTrace(m, t, bugsOf(m, t)).ok).toBe(false);
      });
  });
}

describe("npm run replay", () => {
  const io = () => {
    const out = { stdout: "", stderr: "" };
    return {
      out,
      io: {
        stdout: { write: (s: string) => (out.stdout += s) },
        stderr: { write: (s: string) => (out.stderr += s) },
      },
    };
  };
  const withFixture = protocols().find(
    (p) => p.implementation && existsSync(join(counterexampleDir(p.name), EXPECTED)),
  );
  const file = withFixture
    ? join(
        counterexampleDir(withFixture.name),
        Object.keys(
          JSON.parse(readFileSync(join(counterexampleDir(withFixture.name), EXPECTED), "utf8")),
        )[0] as string,
      )
    : "";
  it("exits 0 when the replay matches, 1 with the bug off, naming the step", async () => {
    const a = io();
    expect(await main([file], a.io)).toBe(0);
    expect(a.out.stdout).toMatch(/all \d+ steps agree/);
    const b = io();
    expect(await main([file, "--no-bug"], b.io)).toBe(1);
    expect(b.out.stdout).toMatch(/no bug: step \d+ disagrees/);
  });
  it("bad input: one line, exit 2", async () => {
    for (const argv of [["/no/such/file.ndjson"], [file, "--bug", "noSuchBug"], []]) {
      const c = io();
      expect(await main(argv, c.io)).toBe(2);
      expect(c.out.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("npm run tlc's replay of the counterexample it wrote", () => {
  it("fails the model when a counterexample of a bug that replays no longer does", () => {
    const m = protocols().find(
      (p) => p.implementation && existsSync(join(counterexampleDir(p.name), EXPECTED)),
    );
    if (!m) throw new Error("no counterexample fixtures");
    const dir = counterexampleDir(m.name);
    const [file] = Object.keys(JSON.parse(readFileSync(join(dir, EXPECTED), "utf8")));
    const t = readTrace(join(dir, file as string));
    // The last step's logged state replaced by the one before it: the step no longer agrees.
    const events = t.events.map((e, k) =>
      k === t.events.length - 1 ? { ...e, state: (t.events[k - 1] as typeof e).state } : e,
    );
    const tmp = mkdtempSync(join(tmpdir(), "lockstep-replay-"));
    try {
      const out = join(tmp, file as string);
      writeNdjson(out, encodeTrace({ ...t, events }, 1));
      const r = replayWritten(out, "Model");
      expect(r?.fails).toBe(true);
      expect(r?.line).toMatch(/does not replay on the implementation/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  for (const m of protocols().filter((p) => p.implementation !== undefined)) {
    const dir = counterexampleDir(m.name);
    if (!existsSync(join(dir, EXPECTED))) continue;
    const expected: Record<string, ExpectedReplay> = JSON.parse(
      readFileSync(join(dir, EXPECTED), "utf8"),
    );
    const files = readdirSync(dir).filter((f) => f.endsWith(".ndjson"));
    it(`${m.name}: a replaying counterexample passes; a known disagreement is noted, not failed`, () => {
      for (const f of files) {
        const r = replayWritten(join(dir, f), f);
        expect(r?.fails, f).toBe(false);
        expect(r?.line, f).toMatch(
          expected[f] ? /replays on the implementation/ : /known disagreement/,
        );
      }
    });
  }
});
