/**
 * Properties: histories made by running the sequential model on random concurrent intervals
 * are accepted; on small histories (also mutated ones, mostly not linearizable) the checker
 * agrees with the brute-force search over every real-time-respecting order; and the minimal
 * sub-history of a violation is one (brute force agrees), from which no operation can be
 * weakened to pending.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Prng } from "../../src/core/prng.js";
import { bruteForce } from "../../src/history/brute.js";
import { check } from "../../src/history/check.js";
import { generate } from "../../src/history/generate.js";
import type { Operation } from "../../src/history/history.js";
import { type AnyDeterministic, kv, mutex, register } from "../../src/history/models.js";

const MODELS: ReadonlyArray<AnyDeterministic> = [register, kv, mutex];

/** A different output of the model's kind for a completed operation. */
function mutateOutput(model: string, out: unknown, rng: Prng): unknown {
  const o = out as Record<string, unknown>;
  switch (model) {
    case "register":
      return "value" in o
        ? { value: (Number(o.value) + 1 + rng.int(3)) % 4 }
        : "swapped" in o
          ? { swapped: !o.swapped }
          : { value: rng.int(4) };
    case "kv":
      return rng.chance(0.5) && "swapped" in o
        ? { ...o, swapped: !o.swapped }
        : {
            ...o,
            value: o.value === null ? String(rng.int(4)) : rng.chance(0.3) ? null : `${o.value}x`,
          };
    default:
      return { ok: !o.ok };
  }
}

/** Mutate one operation: its output, or its interval (moved earlier so it may precede more). */
function mutate(model: string, ops: ReadonlyArray<Operation>, seed: number): Operation[] {
  const rng = new Prng(seed);
  const k = rng.int(ops.length);
  return ops.map((op, i) => {
    if (i !== k) return op;
    if (op.return !== null && rng.chance(0.7))
      return { ...op, output: mutateOutput(model, op.output, rng) };
    const shift = 1 + rng.int(10);
    return op.return === null
      ? { ...op, call: Math.max(0, op.call - shift) }
      : { ...op, call: Math.max(0, op.call - shift), return: Math.max(0, op.return - shift) };
  });
}

const weaken = (op: Operation): Operation => ({
  id: op.id,
  client: op.client,
  input: op.input,
  call: op.call,
  return: null,
});

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
