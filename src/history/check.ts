/**
 * The linearizability checker: the Wing–Gong search with Lowe's cache ("Testing for
 * linearizability", 2017), as Porcupine implements it. Calls and returns are events in time
 * order in a doubly linked list; the search linearizes the first call it can (the model allows
 * it and the configuration — which operations are linearized, and the model's state — was not
 * seen before), lifting the call and its return out of the list; reaching a return whose call
 * is not linearized means the choices so far cannot work, so it undoes the last one.
 *
 * Equal times: a return at time t and a call at time t count as concurrent (calls sort before
 * returns at equal times), so either order is allowed. Timestamps that tie carry no order, and
 * assuming none never reports a violation that a finer clock could explain away.
 *
 * Pending operations (return null) return at +∞: they may be linearized at any point after
 * their call, with any output, or not at all; the search succeeds once every completed
 * operation is linearized.
 */
import type { Operation } from "./history.js";
import type { AnyModel } from "./models.js";

/** Bounds on the work: a huge or adversarial history ends as `unknown` instead of running on. */
export interface Budget {
  /** Wall-clock milliseconds for the whole check, shrinking included. */
  readonly ms?: number;
  /** Model steps per search. */
  readonly steps?: number;
}

export type CheckResult =
  | { readonly verdict: "linearizable"; readonly partitions: number }
  | {
      readonly verdict: "violation";
      /** The failing partition (e.g. the key), undefined when the model has none. */
      readonly partition: string | undefined;
      /** All operations of that partition. */
      readonly ops: ReadonlyArray<Operation>;
      /**
       * A sub-history that is still not linearizable and still about the same mistake: see
       * `minimize`.
       */
      readonly minimal: ReadonlyArray<Operation>;
      /** False when the budget ran out while shrinking: `minimal` may then have extra ops. */
      readonly minimalComplete: boolean;
      /** The longest prefix of a linearization the search found, in linearization order. */
      readonly longest: ReadonlyArray<Operation>;
    }
  | {
      readonly verdict: "unknown";
      readonly partition: string | undefined;
      readonly reason: string;
    };

type Search =
  | { readonly verdict: "linearizable" }
  | { readonly verdict: "violation"; readonly longest: ReadonlyArray<Operation> }
  | { readonly verdict: "unknown"; readonly reason: string };

interface Limits {
  readonly deadline: number;
  readonly steps: number;
}

/** 32-bit random words, one per operation, for an incremental (Zobrist) hash of the bitset. */
function zobrist(n: number): Uint32Array {
  const z = new Uint32Array(n);
  let x = 0x9e3779b9;
  for (let k = 0; k < n; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    z[k] = x >>> 0;
  }
  return z;
}

const sameBits = (a: Uint32Array, b: Uint32Array): boolean => {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
};

/** One partition's search. */
function search(model: AnyModel, ops: ReadonlyArray<Operation>, limits: Limits): Search {
  const n = ops.length;
  const E = 2 * n;
  const HEAD = E;
  // Entries 0..n-1 are calls, n..2n-1 returns, sorted into the list by time.
  const time = (e: number): number => {
    if (e < n) return (ops[e] as Operation).call;
    return (ops[e - n] as Operation).return ?? Number.POSITIVE_INFINITY;
  };
  const order = Array.from({ length: E }, (_, e) => e).sort(
    (a, b) => time(a) - time(b) || (a < n ? 0 : 1) - (b < n ? 0 : 1) || a - b,
  );
  const next = new Int32Array(E + 1).fill(-1);
  const prev = new Int32Array(E + 1).fill(-1);
  let last = HEAD;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  const lift = (c: number) => {
    for (const e of [c, c + n]) {
      const p = prev[e] as number;
      const q = next[e] as number;
      next[p] = q;
      if (q !== -1) prev[q] = p;
    }
  };
  const unlift = (c: number) => {
    for (const e of [c + n, c]) {
      const p = prev[e] as number;
      const q = next[e] as number;
      next[p] = e;
      if (q !== -1) prev[q] = e;
    }
  };

  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(words);
  const z = zobrist(n);
  let hash = 0;
  const cache = new Map<string, Uint32Array[]>();
  /** Record the configuration; false when it was seen before. */
  const remember = (stateKey: string): boolean => {
    const k = `${hash}|${stateKey}`;
    const seen = cache.get(k);
    if (seen === undefined) {
      cache.set(k, [bits.slice()]);
      return true;
    }
    for (const b of seen) if (sameBits(b, bits)) return false;
    seen.push(bits.slice());
    return true;
  };
  const flip = (o: number) => {
    bits[o >>> 5] = (bits[o >>> 5] as number) ^ (1 << (o & 31));
    hash = (hash ^ (z[o] as number)) >>> 0;
  };

  let completedLeft = 0;
  for (const op of ops) if (op.return !== null) completedLeft++;
  const stackOp = new Int32Array(n);
  const stackState: unknown[] = new Array(n);
  let depth = 0;
  // The longest partial linearization is the stack prefix of bestDepth while `bestLive`;
  // it is copied out only when that prefix is about to be popped.
  let bestDepth = 0;
  let bestLive = false;
  let best: ReadonlyArray<number> = [];
  let state: unknown = model.init();
  let steps = 0;
  let entry = next[HEAD] as number;
  while (completedLeft > 0) {
    if (entry === -1) break; // cannot happen: every call has its return after it
    if (entry < n) {
      const op = ops[entry] as Operation;
      if (++steps > limits.steps)
        return { verdict: "unknown", reason: `more than ${limits.steps} model steps` };
      if ((steps & 1023) === 0 && performance.now() > limits.deadline)
        return { verdict: "unknown", reason: "the time budget ran out" };
      const after = model.step(state, op.input, op.return === null ? undefined : op.output);
      if (after !== undefined) {
        flip(entry);
        if (remember(model.key(after))) {
          stackOp[depth] = entry;
          stackState[depth] = state;
          depth++;
          if (depth > bestDepth) {
            bestDepth = depth;
            bestLive = true;
          }
          state = after;
          lift(entry);
          if (op.return !== null) completedLeft--;
          entry = next[HEAD] as number;
          continue;
        }
        flip(entry);
      }
      entry = next[entry] as number;
      continue;
    }
    // A return whose call is not linearized: undo the last choice and try the next call.
    if (depth === 0) break;
    if (bestLive) {
      best = Array.from(stackOp.subarray(0, bestDepth));
      bestLive = false;
    }
    depth--;
    const c = stackOp[depth] as number;
    state = stackState[depth];
    stackState[depth] = undefined;
    flip(c);
    if ((ops[c] as Operation).return !== null) completedLeft++;
    unlift(c);
    entry = next[c] as number;
  }
  if (completedLeft === 0) return { verdict: "linearizable" };
  if (bestLive) best = Array.from(stackOp.subarray(0, bestDepth));
  return { verdict: "violation", longest: best.map((o) => ops[o] as Operation) };
}

/** The operation with its outcome forgotten: it may take effect any time after its call, or never. */
export const weaken = (op: Operation): Operation => ({
  id: op.id,
  client: op.client,
  input: op.input,
  call: op.call,
  return: null,
});

/**
 * Shrink a non-linearizable history to a 1-minimal one that is still about the same violation.
 *
 * First the *culprits*: the completed operations that, each weakened to pending (its outcome
 * forgotten: it may take effect any time after its call, or never), make the whole history
 * linearizable — a corrupted read, the write a stale read missed. Then operations go, one at a
 * time, while the history stays non-linearizable *and* every culprit stays one. The guard is
 * what keeps the result honest: deleting an operation can invent a violation of its own (drop
 * the write whose value a later read or put answered, and that answer has no explanation), but
 * then forgetting a culprit no longer repairs the history, so that deletion is refused. Deletions
 * are tried in runs, halving (delta debugging), down to single operations.
 *
 * With no culprit (two independent mistakes: forgetting either one leaves the other), an
 * operation goes only when even weakened it leaves a violation — the history without it is
 * then non-linearizable too, since a pending operation may also never happen.
 */
export function minimize(
  model: AnyModel,
  ops: ReadonlyArray<Operation>,
  limits: Limits,
): { readonly ops: ReadonlyArray<Operation>; readonly complete: boolean } {
  let complete = true;
  const verdict = (h: ReadonlyArray<Operation>): Search["verdict"] => {
    const v = search(model, h, limits).verdict;
    if (v === "unknown") complete = false;
    return v;
  };
  const outOfTime = () => performance.now() > limits.deadline;
  const culprits = new Set<number>();
  // Ids, not indexes: the history shrinks.
  for (const [i, op] of ops.entries()) {
    if (outOfTime()) return { ops, complete: false };
    if (op.return !== null && verdict(ops.with(i, weaken(op))) === "linearizable")
      culprits.add(op.id);
  }
  const stillCulprits = (h: ReadonlyArray<Operation>): boolean =>
    h.every((op, i) => !culprits.has(op.id) || verdict(h.with(i, weaken(op))) === "linearizable");
  // Whether the operations at `drop` (indexes into h, none a culprit) can all go.
  const canDrop = (h: ReadonlyArray<Operation>, drop: ReadonlySet<number>): boolean => {
    if (culprits.size === 0)
      return verdict(h.map((op, k) => (drop.has(k) ? weaken(op) : op))) === "violation";
    const without = h.filter((_, k) => !drop.has(k));
    return verdict(without) === "violation" && stillCulprits(without);
  };
  // Delta debugging: try to drop runs of `size` operations, halving the size when none goes;
  // most of a long history is unrelated and goes in a few large runs.
  let cur = [...ops];
  for (let size = Math.ceil(cur.length / 2); size >= 1; ) {
    let dropped = false;
    for (let start = 0; start < cur.length; ) {
      if (outOfTime()) return { ops: cur, complete: false };
      const drop = new Set<number>();
      for (let k = start; k < Math.min(start + size, cur.length); k++)
        if (!culprits.has((cur[k] as Operation).id)) drop.add(k);
      if (drop.size > 0 && canDrop(cur, drop)) {
        cur = cur.filter((_, k) => !drop.has(k));
        dropped = true;
      } else start += size;
    }
    if (!dropped) size = size === 1 ? 0 : Math.ceil(size / 2);
    else size = Math.min(size, Math.ceil(cur.length / 2));
  }
  return { ops: cur, complete };
}

/** The operations by partition, in order of each partition's first operation. */
export function partitions(
  model: AnyModel,
  ops: ReadonlyArray<Operation>,
): ReadonlyArray<readonly [string | undefined, ReadonlyArray<Operation>]> {
  const part = model.partition;
  if (part === undefined) return [[undefined, ops]];
  const by = new Map<string, Operation[]>();
  for (const op of ops) {
    const k: string = part.call(model, op.input);
    const list = by.get(k);
    if (list === undefined) by.set(k, [op]);
    else list.push(op);
  }
  return [...by];
}

const limitsOf = (budget: Budget): Limits => ({
  deadline: performance.now() + (budget.ms ?? Number.POSITIVE_INFINITY),
  steps: budget.steps ?? Number.POSITIVE_INFINITY,
});

/** Whether one set of operations (no partitioning) is linearizable under the model. */
export function checkOps(
  model: AnyModel,
  ops: ReadonlyArray<Operation>,
  budget: Budget = {},
): Search["verdict"] {
  return search(model, ops, limitsOf(budget)).verdict;
}

/**
 * Check a history: each partition on its own; the first that is not linearizable is reported
 * with a minimal sub-history. A violation anywhere is an answer even when another partition
 * ran out of budget; otherwise any partition out of budget makes the whole `unknown`.
 */
export function check(
  model: AnyModel,
  ops: ReadonlyArray<Operation>,
  budget: Budget = {},
): CheckResult {
  const limits = limitsOf(budget);
  const parts = partitions(model, ops);
  let unknown: CheckResult | undefined;
  for (const [partition, group] of parts) {
    const r = search(model, group, limits);
    if (r.verdict === "linearizable") continue;
    if (r.verdict === "unknown") {
      unknown ??= { verdict: "unknown", partition, reason: r.reason };
      continue;
    }
    const m = minimize(model, group, limits);
    return {
      verdict: "violation",
      partition,
      ops: group,
      minimal: m.ops,
      minimalComplete: m.complete,
      longest: r.longest,
    };
  }
  return unknown ?? { verdict: "linearizable", partitions: parts.length };
}
