/** The fault test's checks reject known-bad runs. */
import { describe, expect, it } from "vitest";
import { encodeCommand } from "../../src/runtime/kv.js";
import { disagreements, missingWrites } from "./checks.js";

const cmd = (client: string, seq: number) =>
  encodeCommand({ client, seq, op: { op: "get", key: "a" } });

describe("the fault test's checks", () => {
  it("find two nodes that applied different entries at an index, not a node that is behind", () => {
    expect(
      disagreements([[cmd("c", 1), cmd("c", 2)], [cmd("c", 1)], [cmd("c", 1), cmd("c", 2)]]),
    ).toEqual([]);
    expect(
      disagreements([
        [cmd("c", 1), cmd("c", 2)],
        [cmd("c", 1), cmd("c", 3)],
      ]),
    ).toHaveLength(1);
    expect(disagreements([[null, cmd("c", 1)], [cmd("c", 1)]])[0]).toMatch(/^index 1:/);
  });

  it("find an acknowledged write that the log lacks", () => {
    const log = [null, cmd("c", 1), cmd("c", 3)];
    expect(missingWrites(["c:1", "c:3"], log)).toEqual([]);
    expect(missingWrites(["c:1", "c:2", "c:3"], log)).toEqual(["c:2"]);
  });
});
