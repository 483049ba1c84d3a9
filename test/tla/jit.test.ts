import { describe, expect, it } from "vitest";
import { jitArgs } from "../../src/tla/tlc.js";

describe("TLC's JIT by the expected size of the check", () => {
  it("the quick compiler alone for a check the header expects to be small", () => {
    expect(jitArgs(1_066)).toEqual(["-XX:TieredStopAtLevel=1"]);
    expect(jitArgs(20_000)).toEqual(["-XX:TieredStopAtLevel=1"]);
  });
  it("both compilers for a larger check, or one whose size no header gives", () => {
    expect(jitArgs(21_892)).toEqual([]);
    expect(jitArgs(undefined)).toEqual([]);
  });
});
