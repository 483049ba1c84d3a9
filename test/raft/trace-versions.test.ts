/**
 * Trace format versions 1 and 2 are two spellings of the same run: the simulator writes both
 * from one run, and the reader, the generated data module and validation (every engine) see
 * the same thing — including, for a corrupted trace, the same failing event, action and diff.
 */
import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/raft/sim/options.js";
import { simulate } from "../../src/raft/sim/simulate.js";
import { headerLine, traceWriter } from "../../src/raft/sim/trace.js";
import { faultNames } from "../../src/sim/faults.js";
import type { EngineName } from "../../src/tla/types.js";
import { parseTrace, type Trace } from "../../src/trace/codec.js";
import { dataModule } from "../../src/trace/harness.js";
import { type ValidationResult, validateTraces } from "../../src/trace/validate.js";
import { tlcAvailable } from "../tla/helpers.js";

/** One run, written in both versions at once (two writers, one encoder each). */
function bothVersions(seed: number, steps: number): { v1: string; v2: string } {
  const p1: Buffer[] = [];
  const p2: Buffer[] = [];
  const w1 = traceWriter((p) => p1.push(...p), 1);
  const w2 = traceWriter((p) => p2.push(...p), 2);
  const r = simulate(withDefaults({ seed, steps, faults: faultNames }), (i, a, c) => {
    w1.event(i, a, c);
    w2.event(i, a, c);
  });
  w1.flush();
  w2.flush();
  return {
    v1: `${headerLine(r, 1)}\n${Buffer.concat(p1).toString()}`,
    v2: `${headerLine(r, 2)}\n${Buffer.concat(p2).toString()}`,
  };
}

/** The text with the event of line `n` edited (parsed, changed, printed again). */
type TermMap = { "#map": [string, number][] };
interface LoggedEvent {
  state?: { currentTerm: TermMap };
  changed?: { currentTerm: TermMap };
}
const editLine = (text: string, n: number, edit: (o: LoggedEvent) => void) =>
  text
    .split("\n")
    .map((l, k) => {
      if (k !== n - 1) return l;
      const o = JSON.parse(l);
      edit(o);
      return JSON.stringify(o);
    })
    .join("\n");

/** Raise s's term in a logged currentTerm {"#map": [[s, t], …]} by 5. */
const bumpTerm = (currentTerm: TermMap | undefined, s: string) => {
  for (const pair of currentTerm?.["#map"] ?? []) if (pair[0] === s) pair[1] += 5;
};

const SEEDS = [1, 2, 3, 4, 5, 6];
const runs = SEEDS.map((seed) => bothVersions(seed, 200));
const read = (version: "v1" | "v2") =>
  runs.map((r, k) => parseTrace(r[version], `seed-${SEEDS[k]}.ndjson`));

/** Corrupt both spellings alike: the term of the first Timeout after event 50. */
const corrupted = (() => {
  const r = runs[0] as { v1: string; v2: string };
  const events = r.v1
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((l) => JSON.parse(l));
  const k = events.findIndex((e, j) => j > 50 && e.action === "Timeout");
  const s = events[k].params.i as string;
  return {
    at: k,
    v1: parseTrace(
      editLine(r.v1, k + 2, (e) => bumpTerm(e.state?.currentTerm, s)),
      "bad.ndjson",
    ),
    v2: parseTrace(
      editLine(r.v2, k + 2, (e) => bumpTerm(e.changed?.currentTerm, s)),
      "bad.ndjson",
    ),
  };
})();

/** What a result says about the trace, without timing. */
const verdict = ({ seconds: _, ...r }: ValidationResult) => r;

describe("version 1 and version 2 of the same run", () => {
  const v1 = read("v1");
  const v2 = read("v2");

  it("version 2 is smaller and decodes to exactly the same events", () => {
    for (const [k, r] of runs.entries()) {
      expect(r.v2.length).toBeLessThan(r.v1.length);
      expect((v2[k] as Trace).events).toEqual((v1[k] as Trace).events);
    }
  });

  it("generates the same data module for validation", () => {
    expect(dataModule(v2[0]?.header.protocol as never, v2)).toBe(
      dataModule(v1[0]?.header.protocol as never, v1),
    );
  });

  const engines: EngineName[] = ["embedded", ...(tlcAvailable ? (["tlc"] as const) : [])];
  it.each(engines)("validate alike with the %s engine, good and corrupted", async (engine) => {
    const [a, b] = await Promise.all([
      validateTraces([...v1, corrupted.v1], { engine }),
      validateTraces([...v2, corrupted.v2], { engine }),
    ]);
    expect(b.map(verdict)).toEqual(a.map(verdict));
    expect(a.slice(0, SEEDS.length).every((r) => r.ok)).toBe(true);
    const bad = b.at(-1);
    expect(bad).toMatchObject({ ok: false, failedAt: corrupted.at, line: corrupted.at + 2 });
    expect(bad?.action).toMatch(/^Timeout\(/);
    expect(bad?.diff?.map((d) => d.variable)).toEqual(["currentTerm"]);
  });
});
