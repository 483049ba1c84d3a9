/** The simulation suite (./simulation-suite.ts) for the protocols at places 0, 4, … of the registry. */
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { protocolsOfFile, SIMULATION_FILES, simulationSuite } from "./simulation-suite.js";

describe("the simulation suite's files", () => {
  it("run it for every registered protocol, each once", () => {
    const files = Array.from({ length: SIMULATION_FILES }, (_, k) => protocolsOfFile(k));
    expect(
      files
        .flat()
        .map((p) => p.name)
        .sort(),
    ).toEqual(
      protocols()
        .map((p) => p.name)
        .sort(),
    );
  });
});

for (const p of protocolsOfFile(0)) simulationSuite(p);
