/** `npm run replay -- FILES…`: replay counterexamples on the implementation. All logic lives in src/trace/replay-cli.ts. */
import { main } from "../src/trace/replay-cli.js";

process.exitCode = await main(process.argv.slice(2));
