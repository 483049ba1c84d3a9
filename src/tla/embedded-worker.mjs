// Runs tla-checker (WASM, synchronous and CPU-bound) off the main thread, so the CLI can keep
// drawing progress. Plain ESM JavaScript so it loads the same way under tsx, vitest and node.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import {
  check_spec_with_cfg,
  explore_eval,
  explore_init,
  explore_next,
  initSync,
} from "tla-checker";

const require = createRequire(import.meta.url);
initSync({ module: readFileSync(require.resolve("tla-checker/tla_checker_bg.wasm")) });

const { mode, source, cfg } = workerData;
if (mode === "check") {
  const { maxStates, maxDepth } = workerData;
  // allowDeadlock=false: deadlock is checked unless the cfg says CHECK_DEADLOCK FALSE, as in TLC.
  // exportDot: the reachable graph too, with the initial states (for graph equality).
  const dot = workerData.exportDot === true;
  const answer = check_spec_with_cfg(source, cfg, "{}", maxStates, maxDepth, false, dot);
  parentPort?.postMessage(
    dot
      ? JSON.stringify({ ...JSON.parse(answer), init: JSON.parse(explore_init(source, cfg, "{}")) })
      : answer,
  );
} else if (mode === "explore") {
  parentPort?.postMessage(explore(workerData.steps, workerData.expr));
} else if (mode === "session") {
  // Many explorations of one module: requests {id, op: "init" | "next", state?}, each answered
  // with {id, result} (tla-checker's parsed JSON answer).
  parentPort?.on("message", ({ id, op, state }) => {
    let result;
    try {
      result =
        op === "init"
          ? JSON.parse(explore_init(source, cfg, "{}"))
          : JSON.parse(explore_next(source, cfg, "{}", JSON.stringify(state)));
    } catch (e) {
      result = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    parentPort?.postMessage({ id, result });
  });
}

/**
 * The states `steps` transitions away from the initial states (0: the initial states), each
 * with its printed variables and the value of `expr` evaluated in it.
 */
function explore(steps, expr) {
  const init = JSON.parse(explore_init(source, cfg, "{}"));
  if (!init.ok) return { ok: false, error: String(init.error ?? "no initial states") };
  let states = init.states;
  for (let k = 0; k < steps; k++) {
    const next = [];
    for (const s of states) {
      const r = JSON.parse(explore_next(source, cfg, "{}", JSON.stringify(s.json)));
      if (!r.ok) return { ok: false, error: String(r.error ?? "explore_next failed") };
      for (const t of r.transitions) next.push(t.state);
    }
    states = next;
  }
  const out = [];
  for (const s of states) {
    const r = expr
      ? JSON.parse(explore_eval(source, cfg, "{}", JSON.stringify(s.json), expr))
      : null;
    if (r && !r.ok) return { ok: false, error: String(r.error ?? "explore_eval failed") };
    out.push({ display: s.display, value: r ? r.json : null });
  }
  return { ok: true, states: out };
}
