/** Validation of Raft traces beyond the committed fixtures (test/protocols covers those). */
import { describe, expect, it } from "vitest";
import { readTrace } from "../../src/trace/codec.js";
import { fun, int, str } from "../../src/trace/itf.js";
import { validateFiles, validateTraces } from "../../src/trace/validate.js";
import { engines, tlcSetup, traceFixtures } from "../trace/helpers.js";

const { good, bad } = traceFixtures("raft");

for (const { engine, skip } of engines) {
  describe.skipIf(skip)(`validation of Raft traces with ${engine}`, () => {
    it("shows logged against allowed values", async () => {
      const [r] = (await validateFiles([bad("wrong-term")], { engine })).results;
      expect(r?.diff).toEqual([
        {
          variable: "currentTerm",
          logged: '("s1" :> 0 @@ "s2" :> 2 @@ "s3" :> 0)',
          allowed: ['("s1" :> 0 @@ "s2" :> 1 @@ "s3" :> 0)'],
          detail: ['["s2"]: logged 2, spec 1'],
        },
      ]);
    });

    it("reports an action that is not enabled, and a wrong initial state", async () => {
      const t = readTrace(good("reconfig"));
      // Event 7 is s2's Reconfigure; give it to s1, a follower.
      const notEnabled = {
        ...t,
        file: "not-enabled",
        events: t.events.map((e, k) =>
          k === 7 ? { ...e, params: { ...e.params, i: str("s1") } } : e,
        ),
      };
      // Event 0 claims commit index 1 for s2: the spec's Init says 0.
      const badInit = {
        ...t,
        file: "bad-init",
        events: t.events.map((e, k) =>
          k === 0
            ? {
                ...e,
                state: {
                  ...e.state,
                  commitIndex: fun([
                    [str("s1"), int(0)],
                    [str("s2"), int(1)],
                    [str("s3"), int(0)],
                  ]),
                },
              }
            : e,
        ),
      };
      const [a, b] = await validateTraces([notEnabled, badInit], { engine });
      expect(a).toMatchObject({ ok: false, failedAt: 7, diff: [] });
      expect(a?.reason).toMatch(
        /^Reconfigure\("s1", \{"s2", "s3"\}\) is not enabled in the logged state after event 6$/,
      );
      expect(b).toMatchObject({ ok: false, failedAt: 0, action: "Init" });
      expect(b?.diff?.map((d) => d.variable)).toEqual(["commitIndex"]);
    });

    it("searches for a parameter the trace leaves out", async () => {
      const t = readTrace(good("reconfig"));
      const partial = {
        ...t,
        file: "partial",
        events: t.events.map((e) =>
          e.action === "HandleAppendEntriesRequest" || e.action === "Timeout"
            ? { ...e, params: {} }
            : e,
        ),
      };
      const [r] = await validateTraces([partial], { engine });
      expect(r).toMatchObject({ ok: true, events: 21 });
    });
  });
}

describe.skipIf(!tlcSetup)("several traces in one TLC launch", () => {
  it("gives each trace its own verdict", async () => {
    const files = [
      good("reconfig"),
      bad("wrong-term"),
      bad("commit-index-too-high"),
      good("reconfig"),
    ];
    const { results } = await validateFiles(files, { engine: "tlc" });
    expect(results.map((r) => [r.ok, r.failedAt])).toEqual([
      [true, undefined],
      [false, 1],
      [false, 15],
      [true, undefined],
    ]);
  });
});
