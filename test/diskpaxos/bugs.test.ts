/**
 * Each test-only bug switch, on, lets a scripted run reach a state where two processors output
 * different values for one instance (Agreement fails); the same script with the switch off
 * keeps every invariant: the guilty steps are disabled there (and skipped), or, for
 * valueByMbal, p2 adopts p1's vote. The scripts are the counterexamples the bug models in spec/diskpaxos refute.
 */
import { describe, expect, it } from "vitest";
import { cur } from "../../src/diskpaxos/processor.js";
import type { Bugs } from "../../src/diskpaxos/types.js";
import {
  act,
  answerRead,
  env,
  fresh,
  landWrite,
  phase0,
  play,
  proc,
  readNow,
  type ScriptStep,
  writeNow,
} from "./helpers.js";

const end = (p: string, n: 1 | 2): ScriptStep =>
  act({ name: n === 1 ? "EndPhase1" : "EndPhase2", p });

/** p's whole ballot on one disk d, nobody else moving: phase 1 and phase 2, then the output. */
const ballotAlone = (p: string, q: string, d: string): ScriptStep[] => [
  ...writeNow(p, d),
  ...readNow(p, d, q),
  end(p, 1),
  ...writeNow(p, d),
  ...readNow(p, d, q),
  end(p, 2),
];

interface Case {
  readonly disks?: ReadonlyArray<string>;
  readonly script: ReadonlyArray<ScriptStep>;
}

const cases: Record<keyof Bugs, Case> = {
  // Both read the other's block while their own write is still in flight, and miss each other.
  readBeforeWrite: {
    script: [
      ...phase0("p1", ["d1"]),
      ...phase0("p2", ["d1"]),
      act({ name: "IssueWrite", p: "p1", d: "d1" }),
      act({ name: "IssueWrite", p: "p2", d: "d1" }),
      act({ name: "IssueRead", p: "p1", d: "d1", q: "p2" }),
      act({ name: "IssueRead", p: "p2", d: "d1", q: "p1" }),
      answerRead("p2", "d1", "p1"),
      answerRead("p1", "d1", "p2"),
      landWrite("p1", "d1"),
      end("p1", 1),
      ...writeNow("p1", "d1"),
      ...readNow("p1", "d1", "p2"),
      end("p1", 2),
      landWrite("p2", "d1"),
      end("p2", 1),
      ...writeNow("p2", "d1"),
      ...readNow("p2", "d1", "p1"),
      end("p2", 2),
    ],
  },
  // p1 outputs v1, restarts straight into phase 1 and overwrites its vote; p2 then outputs v2.
  restartWithoutPhase0: {
    script: [
      ...phase0("p1", ["d1"]),
      ...ballotAlone("p1", "p2", "d1"),
      act({ name: "Restart", p: "p1", v: "v1" }),
      ...writeNow("p1", "d1"),
      ...phase0("p2", ["d1"]),
      ...ballotAlone("p2", "p1", "d1"),
    ],
  },
  // p1's ballot-1 write lands after its ballot-3 vote for v1 and erases it; p2 outputs v2.
  staleWrite: {
    script: [
      ...phase0("p1", ["d1"]),
      act({ name: "IssueWrite", p: "p1", d: "d1" }),
      act({ name: "StartBallot", p: "p1" }),
      ...writeNow("p1", "d1"),
      ...readNow("p1", "d1", "p2"),
      end("p1", 1),
      ...writeNow("p1", "d1"),
      ...readNow("p1", "d1", "p2"),
      end("p1", 2),
      landWrite("p1", "d1", (b) => b.mbal === 1),
      ...phase0("p2", ["d1"]),
      ...ballotAlone("p2", "p1", "d1"),
    ],
  },
  // One disk of two counts as a majority: p1 works on d1 only, p2 on d2 only.
  halfIsMajority: {
    disks: ["d1", "d2"],
    script: [
      ...phase0("p1", ["d1"]),
      ...ballotAlone("p1", "p2", "d1"),
      ...phase0("p2", ["d2"]),
      ...ballotAlone("p2", "p1", "d2"),
    ],
  },
  // p2, aborted in phase 2 by p1's ballot 3 (which chose v1), retries at ballot 4 and keeps its
  // own ballot-2 vote for v2, whose block has the larger mbal, over p1's vote of higher bal.
  valueByMbal: {
    script: [
      ...phase0("p2", ["d1"]),
      ...writeNow("p2", "d1"),
      ...readNow("p2", "d1", "p1"),
      end("p2", 1),
      act({ name: "IssueWrite", p: "p2", d: "d1" }),
      ...phase0("p1", ["d1"]),
      ...writeNow("p1", "d1"),
      ...readNow("p1", "d1", "p2"),
      ...ballotAlone("p1", "p2", "d1"),
      landWrite("p2", "d1"),
      ...readNow("p2", "d1", "p1"),
      ...ballotAlone("p2", "p1", "d1"),
    ],
  },
};

describe("each bug switch", () => {
  for (const [bug, k] of Object.entries(cases) as [keyof Bugs, Case][]) {
    const disks = k.disks ?? ["d1"];
    it(`${bug}, on, lets two processors output different values`, () => {
      const r = play(fresh(env({ bugs: { [bug]: true }, disks })), k.script);
      expect(r.skipped, "every step of the script is enabled").toEqual([]);
      expect(r.violated).toContain("Agreement");
      expect(r.cluster.chosen).toHaveLength(1);
      expect(cur(proc(r.cluster, "p2"))).toMatchObject({ inp: "v2" });
      expect(proc(r.cluster, "p2").phase).toBe(3);
      expect(r.cluster.chosen[0]).toBe("v1");
    });
    it(`${bug}, off, keeps every invariant`, () => {
      const r = play(fresh(env({ disks })), k.script);
      expect(r.skipped.length > 0 || bug === "valueByMbal").toBe(true);
      expect(r.violated).toEqual([]);
      for (const p of ["p1", "p2"]) {
        const s = proc(r.cluster, p);
        if (s.phase === 3) expect(cur(s).inp).toBe(r.cluster.chosen[0]);
      }
    });
  }
});
