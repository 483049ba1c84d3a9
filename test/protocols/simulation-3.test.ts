/** The simulation suite (./simulation-suite.ts) for the protocols at places 3, 7, … of the registry. */
import { protocolsOfFile, simulationSuite } from "./simulation-suite.js";

for (const p of protocolsOfFile(3)) simulationSuite(p);
