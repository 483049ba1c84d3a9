/** `npm run tlc:install`: download the pinned tla2tools.jar into the per-user cache. Logic: src/tla/install.ts. */
import { main } from "../src/tla/install.js";

process.exitCode = await main(process.argv.slice(2));
