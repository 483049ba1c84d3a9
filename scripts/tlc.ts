/** `npm run tlc`: model-check spec/<protocol>/*.cfg. All logic lives in src/tla/cli.ts. */
import { main } from "../src/tla/cli.js";

process.exitCode = await main(process.argv.slice(2));
