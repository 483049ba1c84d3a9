/**
 * `npm run traces:fixtures`: regenerate traces/raft/good (with TLC: genuine behaviours of the
 * spec) and traces/raft/bad (each good trace with one deliberate corruption). Logic lives in
 * src/trace/fixtures.ts.
 */
import { fileURLToPath } from "node:url";
import { findJar, findJava } from "../src/tla/tlc.js";
import { writeFixtures } from "../src/trace/fixtures.js";

const jar = findJar();
const java = findJava();
const dir = fileURLToPath(new URL("../traces/raft", import.meta.url));
await writeFixtures(dir, jar && java ? { jar, java } : null, (l) => console.log(l));
