/**
 * Partial traces (traces/FORMAT.md, "Partial traces"): each protocol's longest committed good
 * trace, as an implementation logging only its processes' variables would write it, validates
 * on both engines; the same partial trace with one logged value put back to the previous
 * event's is rejected at exactly that event; and where the protocol names the network's
 * unobservable actions (fixtures.benchUnlogged), a trace that leaves those events out
 * validates, and is rejected once its header allows no unlogged step.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProtocolModule } from "../../src/protocol.js";
import { protocols } from "../../src/registry.js";
import { encodeTrace, parseTrace, type Trace } from "../../src/trace/codec.js";
import { equals, type Value } from "../../src/trace/itf.js";
import { formatNdjson } from "../../src/trace/ndjson.js";
import { partialTrace } from "../../src/trace/partial.js";
import { loggedVariables } from "../../src/trace/partial-bench.js";
import { validateTraces } from "../../src/trace/validate.js";
import { engines, traceFixtures } from "./helpers.js";

/** The protocol's longest good fixture. */
function longestGood(p: ProtocolModule): Trace {
  const dir = join(traceFixtures(p.name).dir, "good");
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".ndjson"))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0] as string;
  return parseTrace(readFileSync(file, "utf8"), file);
}

/** Write and read back (exercises the header's logged/unlogged and events without variables). */
const roundTrip = (t: Trace, version: 1 | 2 | 3): Trace =>
  parseTrace(formatNdjson(encodeTrace(t, version)), t.file);

/** The middle-most event after which a logged variable changed, and that variable. */
function changedEvent(t: Trace): { k: number; variable: string } {
  const logged = t.header.logged ?? [];
  const order = t.events
    .map((_, k) => k)
    .sort((a, b) => Math.abs(a - t.events.length / 2) - Math.abs(b - t.events.length / 2));
  for (const k of order) {
    if (k === 0) continue;
    const e = t.events[k];
    const prev = t.events[k - 1];
    for (const n of logged) {
      const a = prev?.state[n];
      const b = e?.state[n];
      if (a && b && !equals(a, b)) return { k, variable: n };
    }
  }
  throw new Error(`${t.file}: no event changes a logged variable`);
}

/** The trace with event k logging `variable` as the previous event had it. */
function corruptAt(t: Trace, k: number, variable: string): Trace {
  const prev = t.events[k - 1]?.state[variable] as Value;
  return {
    ...t,
    events: t.events.map((e, i) =>
      i === k ? { ...e, state: { ...e.state, [variable]: prev } } : e,
    ),
  };
}

for (const p of protocols()) {
  const good = longestGood(p);
  const logged = loggedVariables(p);
  const partial = roundTrip(partialTrace(good, { logged }), 3);
  const { k, variable } = changedEvent(partial);
  const bad = roundTrip(corruptAt(partial, k, variable), 1);
  const unlogged = p.fixtures.benchUnlogged ?? [];
  describe.each(engines)(`${p.name}: partial traces ($engine)`, ({ engine, skip }) => {
    it.skipIf(skip)(`a partial trace logging ${logged.join(", ")} validates`, async () => {
      expect(partial.header.logged).toEqual(logged);
      expect(Object.keys(partial.events[1]?.state ?? {}).every((n) => logged.includes(n))).toBe(
        true,
      );
      const [r] = await validateTraces([partial], { engine });
      expect(r).toMatchObject({ ok: true, events: good.events.length });
    });
    it.skipIf(skip)(
      `with event ${k}'s ${variable} left at its previous value, it is rejected at event ${k}`,
      async () => {
        const [r] = await validateTraces([bad], { engine });
        expect(r).toMatchObject({ ok: false, failedAt: k });
        expect(r?.reason).toMatch(/no choice of what the trace does not log/);
      },
    );
    if (unlogged.length > 0) {
      const dropped = roundTrip(partialTrace(good, { omit: unlogged }), 2);
      const omitted = good.events.length - dropped.events.length;
      it.skipIf(skip)(
        `every variable logged, ${omitted} ${unlogged.join("/")} events left out: valid; with no unlogged step allowed, rejected`,
        async () => {
          expect(omitted).toBeGreaterThan(0);
          const strict = {
            ...dropped,
            header: { ...dropped.header, unlogged: { actions: [...unlogged], steps: 0 } },
          };
          const [ok, no] = await validateTraces([dropped, strict], { engine });
          expect(ok).toMatchObject({ ok: true });
          expect(no).toMatchObject({ ok: false });
          expect(no?.failedAt).toBeGreaterThan(0);
        },
      );
    }
  });
}
