/**
 * Trace format versions 1, 2 and 3 are three spellings of one run, for every registered
 * protocol: the simulator writes each from the same seed, every version decodes to the same
 * states event by event, validation gives the same verdicts (a corruption too), and version 3
 * is the smallest.
 */
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { faultNames } from "../../src/sim/faults.js";
import type { TraceVersion } from "../../src/sim/trace.js";
import { parseTrace, type Trace } from "../../src/trace/codec.js";
import { dataModule } from "../../src/trace/harness.js";
import { equals, toItf } from "../../src/trace/itf.js";
import { type ValidationResult, validateTraces } from "../../src/trace/validate.js";

const SEEDS = 20;
const STEPS = 250;

/** One seeded run with every fault on, in the given format version. */
function run(name: string, seed: number, version: TraceVersion, steps = STEPS): string {
  const p = protocols().find((x) => x.name === name);
  if (!p) throw new Error(`no protocol ${name}`);
  const parts: Buffer[] = [];
  const r = p.sim.prepare({ steps, faults: faultNames, traceVersion: version })(seed, (x) =>
    parts.push(...x),
  );
  return `${r.header}\n${Buffer.concat(parts).toString()}`;
}

/** The first event (after Init) at which two traces' states differ, or -1. */
function firstDifference(a: Trace, b: Trace): number {
  if (a.events.length !== b.events.length) return Math.min(a.events.length, b.events.length);
  return a.events.findIndex((e, k) => {
    const f = b.events[k];
    if (!f || e.action !== f.action) return true;
    return Object.keys(e.state).some((v) => !equals(e.state[v] as never, f.state[v] as never));
  });
}

/** What a result says about the trace, without timing or file name. */
const verdict = ({ seconds: _, file: __, ...r }: ValidationResult) => r;

describe.each(protocols().map((p) => p.name))("trace format versions of %s", (name) => {
  it(`decode to the same states, event by event, for ${SEEDS} seeds`, () => {
    let bytes = [0, 0, 0];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const texts = ([1, 2, 3] as const).map((v) => run(name, seed, v));
      bytes = bytes.map((b, k) => b + (texts[k] as string).length);
      const [v1, v2, v3] = texts.map((t, k) => parseTrace(t, `seed-${seed}-v${k + 1}.ndjson`));
      expect(v3?.header.version).toBe(3);
      expect(firstDifference(v1 as Trace, v2 as Trace), `seed ${seed} v2`).toBe(-1);
      expect(firstDifference(v1 as Trace, v3 as Trace), `seed ${seed} v3`).toBe(-1);
    }
    // Version 3 logs what changed, not the changed variables whole.
    expect(bytes[2]).toBeLessThan(bytes[1] as number);
    expect(bytes[1]).toBeLessThan(bytes[0] as number);
  });

  it("give the same data module and the same verdicts, a corrupted trace included", async () => {
    const traces = ([1, 3] as const).map((v) =>
      [1, 2].map((seed) => parseTrace(run(name, seed, v, 120), `seed-${seed}.ndjson`)),
    );
    const [v1, v3] = traces as [Trace[], Trace[]];
    const p = v1[0]?.header.protocol;
    if (!p) throw new Error("no trace");
    expect(dataModule(p, v3)).toBe(dataModule(p, v1));
    // Corrupt the first v3 event after 40 with updates: its first variable gets its value of
    // two events earlier, which the spec does not allow there (line k is event k - 1).
    const text = run(name, 1, 3, 120).trimEnd().split("\n");
    const k = text.findIndex((l, j) => j > 40 && l.includes('"updates":{"'));
    const event = JSON.parse(text[k] as string);
    const variable = Object.keys(event.updates)[0] as string;
    const before = (v1[0] as Trace).events[k - 3]?.state[variable];
    const target = (v1[0] as Trace).events[k - 1]?.state[variable];
    expect(before && target && !equals(before, target)).toBe(true);
    event.updates[variable] = [{ op: "set", path: [], value: toItf(before as never) }];
    text[k] = JSON.stringify(event);
    const bad3 = parseTrace(text.join("\n"), "bad.ndjson");
    // The same corruption spelled in version 1: the decoded states are the same.
    const bad1 = { ...(v1[0] as Trace), events: bad3.events };
    const [a, b] = await Promise.all([
      validateTraces([...v1, bad1], { engine: "embedded" }),
      validateTraces([...v3, bad3], { engine: "embedded" }),
    ]);
    expect(b.map(verdict)).toEqual(a.map(verdict));
    expect(a.slice(0, 2).every((r) => r.ok)).toBe(true);
    expect(b[2]).toMatchObject({ ok: false, failedAt: k - 1, line: k + 1 });
    expect(b[2]?.diff?.map((d) => d.variable)).toContain(variable);
  });
});
