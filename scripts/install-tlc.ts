/** `npm run tlc:install`: download the pinned tla2tools.jar into the per-user cache. */
import { installMain } from "../src/tla/install.js";

process.exitCode = await installMain();
