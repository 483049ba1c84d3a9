/** `npm run node`: one server of the replicated key-value store. Logic: src/runtime/node.ts. */
import { main } from "../src/runtime/node.js";

process.exitCode = await main(process.argv.slice(2));
