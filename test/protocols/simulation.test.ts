/** The simulation suite (./simulation-suite.ts) for the protocols at even places of the registry. */
import { protocols } from "../../src/registry.js";
import { simulationSuite } from "./simulation-suite.js";

for (const p of protocols().filter((_, k) => k % 2 === 0)) simulationSuite(p);
