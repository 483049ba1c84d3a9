/** `npm run traces:fixtures`: rewrite traces/<protocol>/{good,bad}. Logic: src/trace/fixtures-cli.ts. */
import { main } from "../src/trace/fixtures-cli.js";

process.exitCode = await main(process.argv.slice(2));
