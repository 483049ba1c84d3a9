/**
 * A processor keeps nothing across a crash: Restart puts it in phase 0 of instance 1, where it
 * reads only its own block back, once its writes in flight have landed, from a majority of the
 * disks, and starts phase 1 with its last vote and a ballot above every one it had begun.
 */
import { describe, expect, it } from "vitest";
import { enabledAtProc } from "../../src/diskpaxos/cluster.js";
import { initDB } from "../../src/diskpaxos/operators.js";
import { cur } from "../../src/diskpaxos/processor.js";
import { act, env, exec, fresh, phase0, play, proc, readNow, writeNow } from "./helpers.js";

const disks = ["d1", "d2", "d3"];
const e = env({ disks });

/** p1 votes for v1 at ballot 1 on d1 and d2; its vote to d3 is still in flight. */
const voted = () =>
  play(fresh(e), [
    ...phase0("p1", disks),
    ...["d1", "d2"].flatMap((d) => [...writeNow("p1", d), ...readNow("p1", d, "p2")]),
    act({ name: "EndPhase1", p: "p1" }),
    ...writeNow("p1", "d1"),
    ...writeNow("p1", "d2"),
    act({ name: "IssueWrite", p: "p1", d: "d3" }),
  ]);

describe("phase 0 after a restart", () => {
  it("the restarted processor knows nothing: phase 0, instance 1, InitDB, no reads in flight", () => {
    const r = voted();
    expect(r.skipped).toEqual([]);
    let c = exec(r.cluster, { name: "IssueRead", p: "p1", d: "d1", q: "p2" });
    c = exec(c, { name: "Restart", p: "p1", v: "v1" });
    const s = proc(c, "p1");
    expect(s.phase).toBe(0);
    expect(s.dblock).toEqual([initDB]);
    expect(s.disksWritten).toEqual([]);
    expect(c.reads.filter((x) => x.proc === "p1")).toEqual([]);
    // Its write in flight stays: the disk will still apply it.
    expect(c.writes.filter((w) => w.proc === "p1")).toHaveLength(1);
  });

  it("reads only its own block, and on a disk only once its writes there have landed", () => {
    const c = exec(voted().cluster, { name: "Restart", p: "p1", v: "v1" });
    const reads = enabledAtProc(c, "p1", []).filter((a) => a.name === "IssueRead");
    expect(reads).toEqual([
      { name: "IssueRead", p: "p1", d: "d1", q: "p1" },
      { name: "IssueRead", p: "p1", d: "d2", q: "p1" },
    ]);
    expect(enabledAtProc(c, "p1", []).some((a) => a.name === "IssueWrite")).toBe(false);
  });

  it("ends only on a majority of disks, with its last vote and a ballot above its old one", () => {
    let c = exec(voted().cluster, { name: "Restart", p: "p1", v: "v1" });
    c = play(c, [
      act({ name: "IssueRead", p: "p1", d: "d1", q: "p1" }),
      act({ name: "CompleteRead", r: { proc: "p1", disk: "d1", of: "p1" } }),
    ]).cluster;
    expect(enabledAtProc(c, "p1", []).some((a) => a.name === "EndPhase0")).toBe(false);
    c = play(c, [
      act({ name: "IssueRead", p: "p1", d: "d2", q: "p1" }),
      act({ name: "CompleteRead", r: { proc: "p1", disk: "d2", of: "p1" } }),
      act({ name: "EndPhase0", p: "p1" }),
    ]).cluster;
    const s = proc(c, "p1");
    expect(s.phase).toBe(1);
    expect(cur(s)).toEqual({ mbal: 3, bal: 1, inp: "v1" });
  });

  it("a restarted processor that voted makes the other adopt its vote, not overwrite it", () => {
    const c = exec(voted().cluster, { name: "Restart", p: "p1", v: "v1" });
    const r = play(c, [
      ...phase0("p2", disks),
      ...["d1", "d2"].flatMap((d) => [...writeNow("p2", d), ...readNow("p2", d, "p1")]),
      act({ name: "EndPhase1", p: "p2" }),
    ]);
    expect(r.skipped).toEqual([]);
    expect(r.violated).toEqual([]);
    expect(cur(proc(r.cluster, "p2"))).toEqual({ mbal: 2, bal: 2, inp: "v1" });
  });
});
