/**
 * Properties: histories made by running the sequential model on random concurrent intervals
 * are accepted; on small histories (also mutated ones, mostly not linearizable) the checker
 * agrees with the brute-force search over every real-time-respecting order; and the minimal
 * sub-history of a violation is one (brute force agrees), from which no operation can be
 * weakened to pending.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bruteForce } from "../../src/history/brute.js";
import { check, checkOps, weaken } from "../../src/history/check.js";
import { generate, mutate } from "../../src/history/generate.js";
import type { Operation } from "../../src/history/history.js";
import { type AnyDeterministic, kv, mutex, register } from "../../src/history/models.js";

const MODELS: ReadonlyArray<AnyDeterministic> = [register, kv, mutex];

describe.each(MODELS)("$name", (model) => {
  it("accepts every history generated from the model, pending operations included", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 60 }),
        (seed, clients, n) => {
          const h = generate(model, { seed, ops: n, clients, keys: 3, pending: 0.1 });
          expect(check(model, h.ops).verdict).toBe("linearizable");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("agrees with brute force on small histories, mutated or not", () => {
    let violations = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (seed, clients, n, mutated) => {
          const g = generate(model, { seed, ops: n, clients, keys: 2, pending: 0.2 }).ops;
          const ops = mutated ? mutate(model.name, g, seed + 1) : g;
          const brute = bruteForce(model, ops);
          const r = check(model, ops);
          expect(r.verdict).toBe(brute ? "linearizable" : "violation");
          if (r.verdict !== "violation") return;
          violations++;
          expect(bruteForce(model, r.minimal)).toBe(false);
          expect(r.minimalComplete).toBe(true);
          // The culprits: the operations of the failing partition that, forgotten (weakened
          // to pending), make it linearizable. Each is in the minimal sub-history and still
          // a culprit there; every other operation left is needed (without it, the history
          // is linearizable or a culprit stops being one).
          const culprit = (h: ReadonlyArray<Operation>, i: number) =>
            (h[i] as Operation).return !== null &&
            bruteForce(model, h.with(i, weaken(h[i] as Operation)));
          const culprits = r.ops.filter((_, i) => culprit(r.ops, i)).map((o) => o.id);
          const at = (id: number) => r.minimal.findIndex((o) => o.id === id);
          for (const id of culprits) {
            expect(at(id), `culprit ${id} kept`).toBeGreaterThanOrEqual(0);
            expect(culprit(r.minimal, at(id)), `culprit ${id} still one`).toBe(true);
          }
          if (culprits.length > 0)
            for (const [i, op] of r.minimal.entries()) {
              if (culprits.includes(op.id)) continue;
              const without = r.minimal.filter((_, k) => k !== i);
              const stays =
                !bruteForce(model, without) &&
                culprits.every((id) => {
                  const j = without.findIndex((o) => o.id === id);
                  return culprit(without, j);
                });
              expect(stays, `op ${op.id} could go`).toBe(false);
            }
          else
            for (const [i, op] of r.minimal.entries())
              if (op.return !== null)
                expect(bruteForce(model, r.minimal.with(i, weaken(op))), `weaken ${op.id}`).toBe(
                  true,
                );
          // The longest partial linearization is a sequence the model accepts.
          let s: unknown = model.init();
          for (const op of r.longest) {
            s = model.step(s, op.input, op.return === null ? undefined : op.output);
            expect(s).toBeDefined();
          }
        },
      ),
      { numRuns: 400 },
    );
    // The mutations must actually produce violations to compare on.
    expect(violations).toBeGreaterThan(40);
  });
});

describe("a large history", () => {
  it("accepts the bench's 10,000-operation kv history (8 clients, 20 keys, 1% pending)", () => {
    const h = generate(kv, { seed: 1, ops: 10_000, clients: 8, keys: 20, pending: 0.01 });
    const r = check(kv, h.ops);
    expect(r).toEqual({ verdict: "linearizable", partitions: 20 });
    // A read of a value never written, among them, is found in its key and shrunk to itself.
    const k = h.ops.findIndex(
      (o, i) => i > 5000 && o.return !== null && (o.input as { op: string }).op === "get",
    );
    const target = h.ops[k] as Operation;
    const bad = h.ops.with(k, { ...target, output: { value: "never written" } });
    const v = check(kv, bad);
    expect(v.verdict).toBe("violation");
    if (v.verdict !== "violation") return;
    expect(v.partition).toBe((target.input as { key: string }).key);
    // Shrunk to a few operations that cannot be linearized, the changed read among them.
    expect(v.minimal.length).toBeLessThanOrEqual(3);
    expect(v.minimal.map((o) => o.id)).toContain(target.id);
    expect(checkOps(kv, v.minimal)).toBe("violation");
  });
});
