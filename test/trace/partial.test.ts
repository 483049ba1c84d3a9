/**
 * Partial traces (traces/FORMAT.md, "Partial traces"): each protocol's longest committed good
 * trace, as an implementation logging only its processes' variables would write it, validates; the same partial trace with one logged value put back to the previous
 * event's is rejected at exactly that event; and where the protocol names the network's
 * unobservable actions (fixtures.benchUnlogged), a trace that leaves those events out
 * validates, and is rejected once its header allows no unlogged step.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProtocolModule } from "../../src/protocol.js";
import { protocols } from "../../src/registry.js";
import { encodeTrace, parseTrace, type Trace } from "../../src/trace/codec.js";
import { formatNdjson } from "../../src/trace/ndjson.js";
import {
  changedEvent,
  leftAtPrevious,
  PARTIAL_EXPECTED,
  partialTrace,
} from "../../src/trace/partial.js";
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

/**
 * TLC checks every protocol; the embedded engine, whose verdict on a rejected partial trace
 * takes a bisection of runs, the first protocol only (npm test runs without TLC in CI).
 */
protocols().forEach((p, index) => {
  const good = longestGood(p);
  const logged = loggedVariables(p);
  const partial = roundTrip(partialTrace(good, { logged }), 3);
  const { k, variable } = changedEvent(partial);
  const bad = roundTrip(leftAtPrevious(partial, k, variable), 1);
  const unlogged = p.fixtures.benchUnlogged ?? [];
  const runs = engines.filter((e) => e.engine === "tlc" || index === 0);
  describe.each(runs)(`${p.name}: partial traces ($engine)`, ({ engine, skip }) => {
    it.skipIf(skip)(
      `logging ${logged.join(", ")}: valid; with event ${k}'s ${variable} left at its previous value, rejected at event ${k}`,
      async () => {
        expect(partial.header.logged).toEqual(logged);
        const keys = Object.keys(partial.events[1]?.state ?? {});
        expect(keys.every((n) => logged.includes(n))).toBe(true);
        const [ok, r] = await validateTraces([partial, bad], { engine });
        expect(ok).toMatchObject({ ok: true, events: good.events.length });
        expect(r).toMatchObject({ ok: false, failedAt: k });
        // TLC names the logged variable no choice reaches; the embedded engine what was free.
        if (engine === "tlc") expect(r?.diff?.map((d) => d.variable)).toEqual([variable]);
        else expect(r?.reason).toMatch(/no choice of what the trace does not log/);
      },
    );
    if (unlogged.length > 0) {
      const dropped = roundTrip(partialTrace(good, { omit: unlogged }), 2);
      const omitted = good.events.length - dropped.events.length;
      it.skipIf(skip)(
        `every variable logged, ${omitted} ${unlogged.join("/")} events left out: valid${engine === "tlc" ? "; with no unlogged step allowed, rejected" : ""}`,
        async () => {
          expect(omitted).toBeGreaterThan(0);
          const strict = {
            ...dropped,
            header: { ...dropped.header, unlogged: { actions: [...unlogged], steps: 0 } },
          };
          const [ok, no] = await validateTraces(engine === "tlc" ? [dropped, strict] : [dropped], {
            engine,
          });
          expect(ok).toMatchObject({ ok: true });
          if (engine !== "tlc") return;
          expect(no).toMatchObject({ ok: false });
          expect(no?.failedAt).toBeGreaterThan(0);
        },
      );
    }
  });
});

/** The committed partial traces (traces/<protocol>/partial, npm run traces:fixtures). */
for (const p of protocols()) {
  const dir = join(traceFixtures(p.name).dir, "partial");
  if (!existsSync(join(dir, PARTIAL_EXPECTED))) continue;
  const expected: Record<string, { failsAt: number }> = JSON.parse(
    readFileSync(join(dir, PARTIAL_EXPECTED), "utf8"),
  );
  const goods = readdirSync(join(dir, "good")).map((f) => join(dir, "good", f));
  // TLC only: they leave the drops of an unlogged bag out, which the embedded engine cannot
  // search without ENABLED at a cost fit for npm test.
  describe.each(engines.filter((e) => e.engine === "tlc"))(
    `${p.name}: committed partial traces ($engine)`,
    ({ engine, skip }) => {
      it.skipIf(skip)("the good ones validate, each bad one is rejected at its event", async () => {
        const bads = Object.keys(expected);
        expect(bads.length).toBeGreaterThan(0);
        const traces = [...goods, ...bads.map((b) => join(dir, b))].map((f) =>
          parseTrace(readFileSync(f, "utf8"), f),
        );
        expect(traces.every((t) => t.header.logged !== undefined)).toBe(true);
        const results = await validateTraces(traces, { engine });
        expect(results.slice(0, goods.length).map((r) => r.ok)).toEqual(goods.map(() => true));
        expect(results.slice(goods.length).map((r) => r.failedAt)).toEqual(
          bads.map((b) => expected[b]?.failsAt),
        );
      });
    },
  );
}
