/** `npm run sim`: seeded simulation runs writing NDJSON traces. All logic lives in src/sim/cli.ts. */
import { main } from "../src/sim/cli.js";

process.exitCode = await main(process.argv.slice(2));
