/** `npm run kv`: one request to the key-value store. Logic: src/runtime/kv-cli.ts. */
import { main } from "../src/runtime/kv-cli.js";

process.exitCode = await main(process.argv.slice(2));
