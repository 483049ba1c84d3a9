import { describe, expect, it } from "vitest";
import { benchModels, formatModelBench } from "../../src/tla/bench.js";
import { specRoot } from "./helpers.js";

describe("benchModels", () => {
  it("checks each engine's default tier and returns seconds and states per check", async () => {
    const rows = await benchModels({
      specDir: specRoot,
      engines: ["embedded"],
      filter: "^Switch(Bug|TlcTier)",
    });
    expect(rows.map((r) => [r.model, r.tier, r.engines.embedded?.distinctStates])).toEqual([
      ["SwitchBug", "ci", 5],
      ["SwitchBug/control", "ci", 4],
    ]);
    expect(rows[0]?.engines.embedded?.outcome).toBe("Inv");
    expect(rows[0]?.engines.tlc).toBeUndefined();
    const text = formatModelBench(rows);
    expect(text).toMatch(/^SwitchBug\/control\s+ci\s+pass\s+\d+\.\d\s+-\s+4\s+-$/m);
    expect(text).toMatch(/^switch: ci tier 2 checks, embedded \d+\.\d s, tlc 0\.0 s$/m);
    const deep = await benchModels({
      specDir: specRoot,
      engines: ["embedded"],
      filter: "^SwitchTlcTier",
      deep: true,
    });
    expect(deep.map((r) => [r.model, r.tier])).toEqual([["SwitchTlcTier", "tlc"]]);
  });
});
