/** `npm run traces:schema`: write traces/schema/<protocol>.schema.json. Logic: src/trace/schema-cli.ts. */
import { main } from "../src/trace/schema-cli.js";

process.exitCode = await main(process.argv.slice(2));
