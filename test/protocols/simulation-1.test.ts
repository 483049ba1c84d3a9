/** The simulation suite (./simulation-suite.ts) for the protocols at places 1, 5, … of the registry. */
import { protocolsOfFile, simulationSuite } from "./simulation-suite.js";

for (const p of protocolsOfFile(1)) simulationSuite(p);
