/**
 * The embedded engine checks a long trace in pieces (EMBEDDED_PIECE events, each starting from
 * the logged state the previous piece matched): the verdict is the one of checking it whole, a
 * divergence in a later piece is found at its event, and progress only grows.
 */
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { faultNames } from "../../src/sim/faults.js";
import { parseTrace, type Trace } from "../../src/trace/codec.js";
import { updateIn } from "../../src/trace/fixtures.js";
import { int, str } from "../../src/trace/itf.js";
import { type CheckProgress, validateTraces } from "../../src/trace/validate.js";

const [p] = protocols();

function simulated(seed: number, steps: number): Trace {
  if (!p) throw new Error("no protocol registered");
  const parts: Buffer[] = [];
  const r = p.sim.prepare({ steps, faults: faultNames })(seed, (x) => parts.push(...x));
  return parseTrace(`${r.header}\n${Buffer.concat(parts).toString()}`, `seed-${seed}.ndjson`);
}

/** The trace with one integer somewhere in event k's state raised by 7, and the variable. */
function corrupted(t: Trace, k: number): { trace: Trace; variable: string } {
  const e = t.events[k];
  if (!e) throw new Error(`no event ${k}`);
  // The first variable that is a function to integers (a term, an index, a slot).
  for (const [name, v] of Object.entries(e.state)) {
    if (v.kind !== "fun") continue;
    const pair = v.pairs.find(([key, x]) => x.kind === "int" && key.kind === "str");
    if (!pair) continue;
    const [key, x] = pair as [{ kind: "str"; value: string }, { kind: "int"; value: bigint }];
    const bumped = updateIn(v, [str(key.value)], () => int(x.value + 7n));
    const events = t.events.map((f, j) =>
      j === k ? { ...f, state: { ...f.state, [name]: bumped } } : f,
    );
    return { trace: { ...t, events }, variable: name };
  }
  throw new Error("no integer to corrupt");
}

describe("the embedded engine in pieces", () => {
  const trace = simulated(3, 240);

  it("gives the verdict of checking the trace whole, with progress that only grows", async () => {
    const seen: CheckProgress[] = [];
    const [whole] = await validateTraces([trace], { engine: "embedded", pieceEvents: 10_000 });
    const [pieces] = await validateTraces([trace], {
      engine: "embedded",
      pieceEvents: 50,
      onProgress: (x) => seen.push(x),
    });
    expect(whole).toMatchObject({ ok: true, events: 241 });
    expect(pieces).toMatchObject({ ok: true, events: 241 });
    // One report per piece (5 pieces of 50 events, overlapping by one) and one at the end.
    const events = seen.map((x) => x.events);
    expect(events).toEqual([...events].sort((a, b) => a - b));
    expect(events).toEqual(expect.arrayContaining([50, 99, 148, 197, 241]));
    expect(seen.at(-1)).toMatchObject({ events: 241, totalEvents: 241, traces: 1, totalTraces: 1 });
  });

  it("finds a divergence in a later piece at its event, as checking whole does", async () => {
    const { trace: bad, variable } = corrupted(trace, 170);
    const [whole] = await validateTraces([bad], { engine: "embedded", pieceEvents: 10_000 });
    const [pieces] = await validateTraces([bad], { engine: "embedded", pieceEvents: 50 });
    expect(pieces).toMatchObject({ ok: false, failedAt: 170, line: 172 });
    expect(pieces?.diff?.map((d) => d.variable)).toContain(variable);
    const { seconds: _a, ...a } = whole as NonNullable<typeof whole>;
    const { seconds: _b, ...b } = pieces as NonNullable<typeof pieces>;
    expect(b).toEqual(a);
  });

  it("finds a divergence on a piece boundary", async () => {
    // Event 49 ends the first piece and starts the second.
    const { trace: bad } = corrupted(trace, 49);
    const [r] = await validateTraces([bad], { engine: "embedded", pieceEvents: 50 });
    expect(r).toMatchObject({ ok: false, failedAt: 49 });
  });
});
