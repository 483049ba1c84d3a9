/**
 * The linearizability checker's figures for `npm run bench` (`--history` prints only these):
 * operations per second on generated 10,000-operation histories (the KV service per key, and
 * one register, where nothing partitions the search), and the search against brute force on
 * histories small enough for both. Figures only; nothing passes or fails on time.
 */
import { bruteForce } from "./brute.js";
import { check, checkOps } from "./check.js";
import { generate, mutate } from "./generate.js";
import type { Operation } from "./history.js";
import { kv, register } from "./models.js";

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The fastest of `runs` timings of `f`, in milliseconds, and its last result. */
function fastest<T>(runs: number, f: () => T): readonly [number, T] {
  let best = Number.POSITIVE_INFINITY;
  let last: T | undefined;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    last = f();
    best = Math.min(best, performance.now() - t);
  }
  return [best, last as T];
}

const OPS = 10_000;
const SMALL = [6, 7, 8, 10, 12] as const;
const SMALL_HISTORIES = 200;

export function benchHistory(line: (s?: string) => void): void {
  line(
    `linearizability checking: generated histories of ${fmt(OPS)} operations, 8 clients, 1% pending (fastest of 3)`,
  );
  for (const [label, model, keys] of [
    ["kv, 20 keys (a partition per key)", kv, 20],
    ["register (one partition)", register, 1],
  ] as const) {
    const h = generate(model, { seed: 1, ops: OPS, clients: 8, keys, pending: 0.01 });
    const [ms, r] = fastest(3, () => check(model, h.ops));
    line(
      `  ${label.padEnd(36)} ${r.verdict}, ${ms.toFixed(0)} ms, ${fmt((OPS / ms) * 1000)} ops/s`,
    );
  }
  line(
    `search (with cache) against brute force (every real-time-respecting order): register, a client per operation (all may overlap), ${SMALL_HISTORIES} histories per size, half of them mutated; mean per history`,
  );
  for (const n of SMALL) {
    const hs: Operation[][] = [];
    for (let k = 0; k < SMALL_HISTORIES; k++) {
      const g = generate(register, { seed: 1000 * n + k, ops: n, clients: n, pending: 0.1 }).ops;
      hs.push(k % 2 === 0 ? [...g] : mutate("register", g, k));
    }
    const [wgl, verdicts] = fastest(3, () => hs.map((h) => checkOps(register, h)));
    const [brute, answers] = fastest(3, () => hs.map((h) => bruteForce(register, h)));
    const agree = verdicts.every((v, k) => (v === "linearizable") === answers[k]);
    const bad = answers.filter((a) => !a).length;
    line(
      `  ${n} ops: search ${((wgl / hs.length) * 1000).toFixed(1)} µs, brute force ${((brute / hs.length) * 1000).toFixed(1)} µs, brute/search ${(brute / wgl).toFixed(1)}× (${bad} not linearizable; ${agree ? "same verdicts" : "VERDICTS DIFFER"})`,
    );
  }
  line();
}
