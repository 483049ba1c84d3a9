/** The ready batch and the simulated disk: persist, then send, then apply; restarts read the disk. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { PersistentState } from "../../src/raft/codec.js";
import { valueEntry } from "../../src/raft/log.js";
import { concatReady, persistDelta, readyOf } from "../../src/raft/ready.js";
import { withDefaults } from "../../src/raft/sim/options.js";
import { simulate } from "../../src/raft/sim/simulate.js";
import type { Message, PersistentState as PS } from "../../src/raft/types.js";
import { faultNames } from "../../src/sim/faults.js";

const hb: Message = {
  mtype: "AppendEntriesResponse",
  mterm: 1,
  msuccess: true,
  mmatchIndex: 0,
  msource: "s2",
  mdest: "s1",
};
const p1: PS = { currentTerm: 1, votedFor: O.some("s1"), log: [] };
const p2: PS = { ...p1, log: [valueEntry(1, "v1")] };

describe("the ready batch", () => {
  it("keeps the latest persist, the sends in order and the applies; a reset drops earlier applies", () => {
    const r = readyOf([
      { type: "persist", state: p1 },
      { type: "send", message: hb },
      { type: "discard", message: hb },
      { type: "persist", state: p2 },
      { type: "apply", index: 1, entry: valueEntry(1, "v1") },
    ]);
    expect(r.persist).toEqual(O.some(p2));
    expect(r.messages).toEqual([hb]);
    expect(r.apply.map((a) => a.index)).toEqual([1]);
    expect(
      readyOf([{ type: "apply", index: 1, entry: valueEntry(1, "v1") }, { type: "reset" }]),
    ).toMatchObject({ reset: true, apply: [] });
    const both = concatReady(readyOf([{ type: "persist", state: p1 }]), readyOf([]));
    expect(both.persist).toEqual(O.some(p1));
  });

  it("tells a durable log what changed: the hard state, and the log from the first difference", () => {
    expect(persistDelta(p1, p2)).toEqual({
      hardState: O.none,
      entries: O.some({ from: 1, entries: p2.log }),
    });
    const p3: PS = { currentTerm: 2, votedFor: O.none, log: [...p2.log, valueEntry(2, "v2")] };
    expect(persistDelta(p2, p3)).toEqual({
      hardState: O.some({ currentTerm: 2, votedFor: null }),
      entries: O.some({ from: 2, entries: [valueEntry(2, "v2")] }),
    });
    // A conflicting suffix replaced: the log is cut at the first entry that differs.
    const p4: PS = { ...p3, log: [p3.log[0] as never, valueEntry(2, "v9")] };
    expect(persistDelta(p3, p4).entries).toEqual(
      O.some({ from: 2, entries: [valueEntry(2, "v9")] }),
    );
    expect(persistDelta(p3, { ...p3 }).entries).toEqual(O.none);
  });
});

describe("the simulated disk", () => {
  const run = (seed: number, forgetPersist?: "HandleRequestVoteRequest" | "Timeout") =>
    simulate(
      withDefaults({
        seed,
        steps: 400,
        faults: faultNames,
        ...(forgetPersist === undefined ? {} : { forgetPersist }),
      }),
    );

  it("holds each server's persistent state through the codec, and no run sends before persisting", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = run(seed);
      expect(r.unpersistedSends, `seed ${seed}`).toEqual([]);
      for (const [id, text] of r.disks) {
        const node = r.cluster.nodes.get(id);
        expect(text).toBe(JSON.stringify(PersistentState.encode(node?.persistent as PS)));
      }
    }
  });

  it("catches a transition that forgets its persist (a vote granted but not written)", () => {
    const caught = Array.from({ length: 30 }, (_, k) => run(k + 1, "HandleRequestVoteRequest"))
      .filter((r) => r.unpersistedSends.length > 0)
      .map((r) => r.unpersistedSends[0]?.action);
    expect(caught.length).toBeGreaterThan(0);
    expect(new Set(caught)).toContain("HandleRequestVoteRequest");
  });

  it("restarts from the disk: a forgotten persist is lost by the restart (the term goes back)", () => {
    let regressed = 0;
    for (let seed = 1; seed <= 30 && regressed === 0; seed++) {
      let maxTerm = new Map<string, number>();
      simulate(
        withDefaults({ seed, steps: 400, faults: ["crash"], forgetPersist: "Timeout" }),
        (_i, a, c) => {
          if (a?.name !== "Restart") {
            maxTerm = new Map(
              [...c.nodes].map(([id, n]) => [
                id,
                Math.max(maxTerm.get(id) ?? 0, n.persistent.currentTerm),
              ]),
            );
            return;
          }
          const n = c.nodes.get(a.i);
          if ((n?.persistent.currentTerm ?? 0) < (maxTerm.get(a.i) ?? 0)) regressed++;
        },
      );
    }
    expect(regressed).toBeGreaterThan(0);
  });
});
