/** `npm run bench`: speed figures with the machine noted. All logic lives in src/bench.ts. */
import { main } from "../src/bench.js";

process.exitCode = await main(process.argv.slice(2));
