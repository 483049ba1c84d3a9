/** Shared paths and probes for the engine-layer tests. */
import { fileURLToPath } from "node:url";
import { findJar, findJava } from "../../src/tla/tlc.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const fixtures = fileURLToPath(new URL("../fixtures", import.meta.url));
export const specRoot = `${fixtures}/spec`;

/** TLC tests run only where a jar and Java are found (TLA2TOOLS_JAR or the user cache). */
export const tlcAvailable = (() => {
  try {
    return findJar() !== null && findJava() !== null;
  } catch {
    return false;
  }
})();
