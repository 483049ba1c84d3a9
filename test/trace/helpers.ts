/** Shared paths and probes for the trace-validation tests. */
import { fileURLToPath } from "node:url";
import { findJar, findJava, type TlcSetup } from "../../src/tla/tlc.js";

export const tracesDir = fileURLToPath(new URL("../../traces/raft", import.meta.url));
export const good = (name: string) => `${tracesDir}/good/${name}.ndjson`;
export const bad = (name: string) => `${tracesDir}/bad/${name}.ndjson`;

/** TLC (jar and Java), when found through TLA2TOOLS_JAR or the user cache; null otherwise. */
export const tlcSetup: TlcSetup | null = (() => {
  try {
    const jar = findJar();
    const java = findJava();
    return jar && java ? { jar, java } : null;
  } catch {
    return null;
  }
})();
