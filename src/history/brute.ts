/**
 * A brute-force linearizability check, for testing the real checker and for comparing speed on
 * tiny histories: it tries every order of the operations that respects real time (an operation
 * that returned before another was called comes first; equal times are concurrent, as in
 * check.ts), in which every completed operation appears and each pending one appears or not.
 * Exponential: for a handful of operations only. No partitioning, no cache.
 */
import type { Operation } from "./history.js";
import type { AnyModel } from "./models.js";

export function bruteForce(model: AnyModel, ops: ReadonlyArray<Operation>): boolean {
  const n = ops.length;
  const done = new Array<boolean>(n).fill(false);
  let completedLeft = ops.filter((o) => o.return !== null).length;
  /** Whether `o` may go next: no operation not yet placed, completed, returned before its call. */
  const ready = (o: Operation): boolean =>
    ops.every((p, k) => done[k] || p.return === null || p === o || !(p.return < o.call));
  const go = (state: unknown): boolean => {
    if (completedLeft === 0) return true;
    for (let k = 0; k < n; k++) {
      const o = ops[k] as Operation;
      if (done[k] || !ready(o)) continue;
      const after = model.step(state, o.input, o.return === null ? undefined : o.output);
      if (after === undefined) continue;
      done[k] = true;
      if (o.return !== null) completedLeft--;
      const ok = go(after);
      done[k] = false;
      if (o.return !== null) completedLeft++;
      if (ok) return true;
    }
    return false;
  };
  return go(model.init());
}
