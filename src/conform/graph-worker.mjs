// Runs tla-checker (WASM, synchronous) off the main thread to enumerate a model's reachable
// graph: one check with the graph exported as DOT, and the initial states. Plain ESM
// JavaScript so it loads the same way under tsx, vitest and node.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { check_spec_with_cfg, explore_init, initSync } from "tla-checker";

const require = createRequire(import.meta.url);
initSync({ module: readFileSync(require.resolve("tla-checker/tla_checker_bg.wasm")) });

const { source, cfg, maxStates, maxDepth } = workerData;
const init = JSON.parse(explore_init(source, cfg, "{}"));
const answer = check_spec_with_cfg(source, cfg, "{}", maxStates, maxDepth, false, true);
parentPort?.postMessage({ init, answer });
