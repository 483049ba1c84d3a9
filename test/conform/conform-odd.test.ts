/** Graph equality for the registry's protocols at odd indexes (test/conform/suite.ts). */
import { conformanceSuite, implementedAt } from "./suite.js";

conformanceSuite(implementedAt(1));
