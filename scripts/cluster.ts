/** `npm run cluster`: a local cluster of node processes. Logic: src/runtime/cluster.ts. */
import { main } from "../src/runtime/cluster.js";

process.exitCode = await main(process.argv.slice(2));
