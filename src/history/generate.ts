/**
 * Random histories that are linearizable by construction, for tests and the bench: clients
 * issue operations one after another with random gaps and durations (whole time units, so
 * that calls and returns often tie); each operation takes effect at a random point strictly
 * inside its interval, and the outputs are what the sequential model answers in the order of
 * those points. A pending operation (the client gave up) takes effect at some later point, or
 * never.
 */
import { Prng } from "../core/prng.js";
import type { History, Operation } from "./history.js";
import type { AnyDeterministic, KvInput, MutexInput, RegisterInput } from "./models.js";

export interface GenerateOptions {
  readonly seed: number;
  readonly ops: number;
  readonly clients: number;
  /** kv: how many keys; mutex: how many mutex names. */
  readonly keys?: number;
  /** The chance that an operation is pending (default 0). */
  readonly pending?: number;
}

/** A random input of the named model for `client`. */
export function randomInput(model: string, rng: Prng, client: string, keys: number): unknown {
  const key = `k${rng.int(keys)}`;
  const value = String(rng.int(4));
  switch (model) {
    case "register": {
      const v = rng.int(4);
      return rng.pick<RegisterInput>([
        { op: "read" },
        { op: "read" },
        { op: "write", value: v },
        { op: "cas", expected: rng.int(4), value: v },
      ]);
    }
    case "kv":
      return rng.pick<KvInput>([
        { op: "get", key },
        { op: "get", key },
        { op: "put", key, value },
        { op: "delete", key },
        { op: "cas", key, expected: rng.chance(0.2) ? null : String(rng.int(4)), value },
      ]);
    case "mutex":
      return rng.pick<MutexInput>([
        { op: "acquire", lock: key, owner: client, mode: "exclusive" },
        { op: "acquire", lock: key, owner: client, mode: "shared" },
        { op: "release", lock: key, owner: client },
      ]);
    default:
      throw new RangeError(`no random inputs for the model ${model}`);
  }
}

export function generate(model: AnyDeterministic, o: GenerateOptions): History {
  const rng = new Prng(o.seed);
  const clock = new Array<number>(o.clients).fill(0);
  const drafts: Array<{
    client: string;
    input: unknown;
    call: number;
    return: number | null;
    at: number | undefined;
  }> = [];
  for (let k = 0; k < o.ops; k++) {
    const c = rng.int(o.clients);
    const client = `c${c}`;
    const call = (clock[c] as number) + rng.int(3);
    const ret = call + 1 + rng.int(8);
    clock[c] = ret;
    const pending = rng.chance(o.pending ?? 0);
    const at = pending
      ? rng.chance(0.5)
        ? call + rng.next() * 30
        : undefined
      : call + (0.01 + 0.98 * rng.next()) * (ret - call);
    drafts.push({
      client,
      input: randomInput(model.name, rng, client, o.keys ?? 1),
      call,
      return: pending ? null : ret,
      at,
    });
  }
  const outputs = new Map<number, unknown>();
  let s: unknown = model.init();
  const effective = drafts
    .map((d, k) => [d.at, k] as const)
    .filter((x): x is readonly [number, number] => x[0] !== undefined)
    .sort((a, b) => a[0] - b[0]);
  for (const [, k] of effective) {
    const [next, out] = model.apply(s, (drafts[k] as (typeof drafts)[number]).input);
    s = next;
    outputs.set(k, out);
  }
  const order = drafts
    .map((_, k) => k)
    .sort((a, b) => (drafts[a]?.call ?? 0) - (drafts[b]?.call ?? 0) || a - b);
  const ops: Operation[] = order.map((k, id) => {
    const d = drafts[k] as (typeof drafts)[number];
    return d.return === null
      ? { id, client: d.client, input: d.input, call: d.call, return: null }
      : {
          id,
          client: d.client,
          input: d.input,
          call: d.call,
          return: d.return,
          output: outputs.get(k),
        };
  });
  return { model: model.name, ops };
}

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

/**
 * One operation changed, so that the history is usually no longer linearizable: its output, or
 * its interval (moved earlier, so that it may precede more). For tests and the bench.
 */
export function mutate(model: string, ops: ReadonlyArray<Operation>, seed: number): Operation[] {
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
