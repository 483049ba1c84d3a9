/** `npm run linearizable -- FILE …`: check a recorded history. All logic lives in src/history/cli.ts. */
import { main } from "../src/history/cli.js";

process.exitCode = await main(process.argv.slice(2));
