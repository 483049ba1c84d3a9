/**
 * The disks are a component of their own with a block device's interface: read a block, write
 * a block, fail. They compare nothing and refuse nothing; the cluster completes the operations
 * in flight on them, a read returning the block as it is when the read completes.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { enabled, perform } from "../../src/diskpaxos/cluster.js";
import { answers, fail, initialDisk, readBlock, writeBlock } from "../../src/diskpaxos/disk.js";
import { initDB } from "../../src/diskpaxos/operators.js";
import { cur } from "../../src/diskpaxos/processor.js";
import { env, exec, fresh, phase0, play, proc } from "./helpers.js";

const e = env({ disks: ["d1", "d2"] });
const vote = { mbal: 3, bal: 3, inp: "v1" };

describe("a disk", () => {
  it("holds InitDB for every block nobody wrote", () => {
    const d = initialDisk(e, "d1");
    expect(readBlock(d, "p1", 1)).toEqual(initDB);
    expect(readBlock(d, "p2", 7)).toEqual(initDB);
    expect(answers(d)).toBe(true);
  });

  it("returns the block last written to it, for that processor and instance only", () => {
    const d = writeBlock(initialDisk(e, "d1"), "p1", 1, vote);
    expect(readBlock(d, "p1", 1)).toEqual(vote);
    expect(readBlock(d, "p1", 2)).toEqual(initDB);
    expect(readBlock(d, "p2", 1)).toEqual(initDB);
  });

  it("does not compare ballots: a block of a lower ballot overwrites a higher one", () => {
    const older = { mbal: 1, bal: 0, inp: null };
    const d = writeBlock(writeBlock(initialDisk(e, "d1"), "p1", 1, vote), "p1", 1, older);
    expect(readBlock(d, "p1", 1)).toEqual(older);
  });

  it("once failed, stops answering for good, its blocks kept", () => {
    const d = fail(writeBlock(initialDisk(e, "d1"), "p1", 1, vote));
    expect(answers(d)).toBe(false);
    expect(readBlock(d, "p1", 1)).toEqual(vote);
  });
});

describe("disk operations in the cluster", () => {
  it("a write lands only when it completes, after it was issued", () => {
    let c = play(fresh(e), phase0("p1", ["d1", "d2"])).cluster;
    c = exec(c, { name: "IssueWrite", p: "p1", d: "d1" });
    expect(readBlock(c.disks.get("d1") ?? initialDisk(e, "d1"), "p1", 1)).toEqual(initDB);
    const [w] = c.writes;
    if (w === undefined) throw new Error("no write in flight");
    c = exec(c, { name: "CompleteWrite", w });
    expect(c.disks.get("d1")?.blocks.get("p1")?.get(1)).toEqual(cur(proc(c, "p1")));
    expect(proc(c, "p1").disksWritten).toEqual(["d1"]);
  });

  it("a read returns the block as it is when the read completes, not when it was issued", () => {
    let c = play(fresh(e), [...phase0("p1", ["d1", "d2"]), ...phase0("p2", ["d1", "d2"])]).cluster;
    // p2's block lands on d1, then p1 issues its read of it: the read sees p2's block.
    c = exec(c, { name: "IssueWrite", p: "p1", d: "d1" });
    c = exec(c, { name: "CompleteWrite", w: c.writes[0] as (typeof c.writes)[number] });
    c = exec(c, { name: "IssueRead", p: "p1", d: "d1", q: "p2" });
    c = exec(c, { name: "IssueWrite", p: "p2", d: "d1" });
    const p2w = c.writes.find((w) => w.proc === "p2");
    if (p2w === undefined) throw new Error("no write of p2");
    c = exec(c, { name: "CompleteWrite", w: p2w });
    c = exec(c, { name: "CompleteRead", r: { proc: "p1", disk: "d1", of: "p2" } });
    // p2's ballot (2) is above p1's (1): p1 gives up for its next one, 3.
    expect(cur(proc(c, "p1")).mbal).toBe(3);
    expect(proc(c, "p1").phase).toBe(1);
  });

  it("a failed disk completes nothing in flight and is offered no further failure", () => {
    let c = play(fresh(e), phase0("p1", ["d1", "d2"])).cluster;
    c = exec(c, { name: "IssueWrite", p: "p1", d: "d1" });
    c = exec(c, { name: "DiskFail", d: "d1" });
    const [w] = c.writes;
    if (w === undefined) throw new Error("no write in flight");
    expect(O.isNone(perform(c, { name: "CompleteWrite", w }))).toBe(true);
    expect(O.isNone(perform(c, { name: "DiskFail", d: "d1" }))).toBe(true);
    const names = enabled(c, []).map((a) => JSON.stringify(a));
    expect(names.some((a) => a.includes('"CompleteWrite"'))).toBe(false);
    expect(names).toContain(JSON.stringify({ name: "DiskFail", d: "d2" }));
  });
});
