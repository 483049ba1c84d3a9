/** `npm run validate -- FILES…`: check traces against the spec. All logic lives in src/trace/cli.ts. */
import { main } from "../src/trace/cli.js";

process.exitCode = await main(process.argv.slice(2));
