/**
 * Running many checks (models and controls) at once: `jobs` at a time, the biggest first (by
 * the header's state counts) so the last one to finish is a short one. Results come back in the
 * order of `models`, whatever order they finished in.
 */
import { availableParallelism } from "node:os";
import type { EngineGraph } from "./embedded.js";
import { checkModel, type ResolvedEngine } from "./engine.js";
import type { Model } from "./models.js";
import type { CheckResult, Progress } from "./types.js";

export interface RunChecksOptions {
  /** Checks at a time (default: available cores). */
  jobs?: number;
  /**
   * TLC workers per check. Default: 1 when more than one check can run at a time (which also
   * makes counts at a violation deterministic), else all cores.
   */
  workers?: number;
  signal?: AbortSignal;
  /** Where a check's reachable graph goes, for the models that should export one. */
  graphFor?: (model: Model) => ((g: EngineGraph) => void) | undefined;
  onStart?: (index: number, model: Model) => void;
  onProgress?: (index: number, p: Progress) => void;
  onResult?: (index: number, result: CheckResult) => void;
}

/** TLC workers each check gets in a run of `checks` checks, `jobs` at a time. */
export const workersPerCheck = (checks: number, jobs: number, workers?: number): number =>
  workers ?? (jobs > 1 && checks > 1 ? 1 : availableParallelism());

/** A guess at a check's cost on `engine`: its expected distinct states, if the header says. */
const cost = (m: Model, engine: ResolvedEngine["engine"]) =>
  m.states?.[engine] ?? m.states?.[engine === "tlc" ? "embedded" : "tlc"] ?? 0;

/**
 * Check every model; stops starting new checks once `signal` aborts (those are left out). If a
 * check throws (e.g. the jar is not a TLC jar), the others are stopped and the error rethrown.
 */
export async function runChecks(
  models: Model[],
  engine: ResolvedEngine,
  opts: RunChecksOptions = {},
): Promise<CheckResult[]> {
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), models.length));
  const workers = workersPerCheck(models.length, jobs, opts.workers);
  const queue = models
    .map((m, i) => ({ m, i }))
    .sort((a, b) => cost(b.m, engine.engine) - cost(a.m, engine.engine) || a.i - b.i);
  const results: (CheckResult | undefined)[] = new Array(models.length);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (stop.signal.aborted) return;
      const { m, i } = next;
      opts.onStart?.(i, m);
      const onGraph = opts.graphFor?.(m);
      const r = await checkModel(m, engine, {
        workers,
        ...(onGraph ? { onGraph } : {}),
        onProgress: (p) => opts.onProgress?.(i, p),
        signal: stop.signal,
      });
      results[i] = r;
      opts.onResult?.(i, r);
    }
  };
  try {
    const settled = await Promise.allSettled(
      Array.from({ length: jobs }, () =>
        lane().catch((e: unknown) => {
          stop.abort();
          throw e;
        }),
      ),
    );
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
  return results.filter((r): r is CheckResult => r !== undefined);
}
