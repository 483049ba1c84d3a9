/** `npm run conform`: graph equality between specs and implementations; all logic lives in src/conform/cli.ts. */
import { main } from "../src/conform/cli.js";

process.exitCode = await main(process.argv.slice(2));
