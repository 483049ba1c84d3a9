/** The simulation suite (./simulation-suite.ts) for the protocols at places 2, 6, … of the registry. */
import { protocolsOfFile, simulationSuite } from "./simulation-suite.js";

for (const p of protocolsOfFile(2)) simulationSuite(p);
