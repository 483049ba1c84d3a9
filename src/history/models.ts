/**
 * Sequential specifications the checker tests histories against, in the shape Porcupine uses:
 * an initial state and a step that says whether an operation with this output may happen in
 * this state (and the state after). A pending operation's output is unknown, so its step must
 * accept any output. The models here are deterministic (each input has one outcome in a given
 * state), so they are written as `apply` and the step compares outputs.
 *
 * `partition` gives an operation's partition (its key, its lock): operations on different
 * partitions never constrain each other, so the checker tests each partition on its own
 * (P-compositionality, Herlihy & Wing), which keeps the search small.
 */
import * as t from "io-ts";
import { KvOp } from "../runtime/kv.js";
import type { OpShapes } from "./history.js";

export interface Model<S, I, O> extends OpShapes<I, O> {
  readonly name: string;
  readonly about: string;
  init(): S;
  /** The state after `input` answered `output` (undefined: any output), or undefined if it cannot. */
  step(s: S, input: I, output: O | undefined): S | undefined;
  /** The partition an operation belongs to; absent: the whole history is one. */
  partition?(input: I): string;
  /** Equal states, equal keys: the checker's cache of visited configurations uses it. */
  key(s: S): string;
  /** A few words for an operation, e.g. `put(a, 1) → null`. */
  describe(input: I, output: O | undefined): string;
}

/** A deterministic model: each input has exactly one outcome in a given state. */
export interface Deterministic<S, I, O> extends Model<S, I, O> {
  apply(s: S, input: I): readonly [S, O];
}

/** Any model, for code (the checker, the CLI) that does not look inside states or operations. */
// biome-ignore lint/suspicious/noExplicitAny: the checker is generic over every model's types
export type AnyModel = Model<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type AnyDeterministic = Deterministic<any, any, any>;

function deterministic<S, I, O>(
  m: Omit<Deterministic<S, I, O>, "step">,
  sameOutput: (a: O, b: O) => boolean,
): Deterministic<S, I, O> {
  return {
    ...m,
    step(s, input, output) {
      const [next, out] = m.apply(s, input);
      return output === undefined || sameOutput(out, output) ? next : undefined;
    },
  };
}

const show = (v: unknown) => JSON.stringify(v);
const arrow = (o: unknown, text: string) => (o === undefined ? " → ?" : ` → ${text}`);

// ---------------------------------------------------------------------------------------------
// register: one value, read / write / compare-and-set; initially 0.

const Value = t.union([t.number, t.string]);
type Value = t.TypeOf<typeof Value>;

export const RegisterInput = t.union([
  t.strict({ op: t.literal("read") }),
  t.strict({ op: t.literal("write"), value: Value }),
  t.strict({ op: t.literal("cas"), expected: Value, value: Value }),
]);
export type RegisterInput = t.TypeOf<typeof RegisterInput>;
/** read: the value; cas: whether it swapped; write: nothing. */
export const RegisterOutput = t.partial({ value: Value, swapped: t.boolean });
export type RegisterOutput = t.TypeOf<typeof RegisterOutput>;

export const register = deterministic<Value, RegisterInput, RegisterOutput>(
  {
    name: "register",
    about: "one value (initially 0): read → {value}, write → {}, cas → {swapped}",
    input: RegisterInput,
    output: RegisterOutput,
    init: () => 0,
    apply(s, i) {
      switch (i.op) {
        case "read":
          return [s, { value: s }];
        case "write":
          return [i.value, {}];
        case "cas":
          return s === i.expected ? [i.value, { swapped: true }] : [s, { swapped: false }];
      }
    },
    key: (s) => show(s),
    describe(i, o) {
      switch (i.op) {
        case "read":
          return `read()${arrow(o, show(o?.value))}`;
        case "write":
          return `write(${show(i.value)})${arrow(o, "ok")}`;
        case "cas":
          return `cas(${show(i.expected)}, ${show(i.value)})${arrow(o, String(o?.swapped))}`;
      }
    },
  },
  (a, b) => a.value === b.value && a.swapped === b.swapped,
);

// ---------------------------------------------------------------------------------------------
// kv: the runtime's key-value service (src/runtime/kv.ts): the same operations and results.

/** The service's own operation codec: a history's kv inputs are the requests it sent. */
export const KvInput = KvOp;
export type KvInput = t.TypeOf<typeof KvInput>;
/** The value before the operation (get: the current one; null: none); cas: whether it swapped. */
export const KvOutput = t.intersection([
  t.strict({ value: t.union([t.string, t.null]) }),
  t.partial({ swapped: t.boolean }),
]);
export type KvOutput = t.TypeOf<typeof KvOutput>;
export type KvModelState = ReadonlyMap<string, string>;

const withKey = (s: KvModelState, k: string, v: string | null): KvModelState => {
  const next = new Map(s);
  if (v === null) next.delete(k);
  else next.set(k, v);
  return next;
};

export const kv = deterministic<KvModelState, KvInput, KvOutput>(
  {
    name: "kv",
    about:
      "the key-value service, per key: get/put/delete → {value: the value before, or null}, cas → {value, swapped}",
    input: KvInput,
    output: KvOutput,
    init: () => new Map(),
    apply(s, i) {
      const current = s.get(i.key) ?? null;
      switch (i.op) {
        case "get":
          return [s, { value: current }];
        case "put":
          return [withKey(s, i.key, i.value), { value: current }];
        case "delete":
          return [current === null ? s : withKey(s, i.key, null), { value: current }];
        case "cas":
          return current === i.expected
            ? [withKey(s, i.key, i.value), { value: current, swapped: true }]
            : [s, { value: current, swapped: false }];
      }
    },
    partition: (i) => i.key,
    key: (s) => show([...s].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    describe(i, o) {
      const v = arrow(o, show(o?.value));
      switch (i.op) {
        case "get":
          return `get(${i.key})${v}`;
        case "put":
          return `put(${i.key}, ${show(i.value)})${v}`;
        case "delete":
          return `delete(${i.key})${v}`;
        case "cas":
          return `cas(${i.key}, ${show(i.expected)}, ${show(i.value)})${arrow(o, String(o?.swapped))}`;
      }
    },
  },
  (a, b) => a.value === b.value && a.swapped === b.swapped,
);

// ---------------------------------------------------------------------------------------------
// mutex: named mutexes, exclusive or shared, taken with a try-acquire and given back by release.

export const MutexInput = t.union([
  t.strict({
    op: t.literal("acquire"),
    lock: t.string,
    owner: t.string,
    mode: t.union([t.literal("exclusive"), t.literal("shared")]),
  }),
  t.strict({ op: t.literal("release"), lock: t.string, owner: t.string }),
]);
export type MutexInput = t.TypeOf<typeof MutexInput>;
/** acquire: granted or not (a try-acquire fails exactly when a conflicting hold exists); release: whether the owner held it. */
export const MutexOutput = t.strict({ ok: t.boolean });
export type MutexOutput = t.TypeOf<typeof MutexOutput>;

/** Per lock: who holds it, and how. */
export type Hold =
  | { readonly mode: "exclusive"; readonly owner: string }
  | { readonly mode: "shared"; readonly owners: ReadonlyArray<string> };
export type MutexState = ReadonlyMap<string, Hold>;

const withHold = (s: MutexState, lock: string, h: Hold | undefined): MutexState => {
  const next = new Map(s);
  if (h === undefined) next.delete(lock);
  else next.set(lock, h);
  return next;
};

export const mutex = deterministic<MutexState, MutexInput, MutexOutput>(
  {
    name: "mutex",
    about:
      "named mutexes, per name: acquire {owner, mode: exclusive|shared} → {ok: granted}, release {owner} → {ok: was held}",
    input: MutexInput,
    output: MutexOutput,
    init: () => new Map(),
    apply(s, i) {
      const h = s.get(i.lock);
      if (i.op === "acquire") {
        if (h === undefined)
          return [
            withHold(
              s,
              i.lock,
              i.mode === "exclusive"
                ? { mode: "exclusive", owner: i.owner }
                : { mode: "shared", owners: [i.owner] },
            ),
            { ok: true },
          ];
        if (h.mode === "shared" && i.mode === "shared" && !h.owners.includes(i.owner))
          return [
            withHold(s, i.lock, { mode: "shared", owners: [...h.owners, i.owner].sort() }),
            { ok: true },
          ];
        return [s, { ok: false }];
      }
      if (h === undefined) return [s, { ok: false }];
      if (h.mode === "exclusive")
        return h.owner === i.owner
          ? [withHold(s, i.lock, undefined), { ok: true }]
          : [s, { ok: false }];
      if (!h.owners.includes(i.owner)) return [s, { ok: false }];
      const rest = h.owners.filter((o) => o !== i.owner);
      return [
        withHold(s, i.lock, rest.length === 0 ? undefined : { mode: "shared", owners: rest }),
        { ok: true },
      ];
    },
    partition: (i) => i.lock,
    key: (s) => show([...s].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    describe(i, o) {
      const r = arrow(o, o?.ok === true ? "ok" : "fail");
      return i.op === "acquire"
        ? `${i.owner} acquire${i.mode === "shared" ? "-shared" : ""}(${i.lock})${r}`
        : `${i.owner} release(${i.lock})${r}`;
    },
  },
  (a, b) => a.ok === b.ok,
);

export const models: ReadonlyMap<string, AnyDeterministic> = new Map<string, AnyDeterministic>(
  [register, kv, mutex].map((m) => [m.name, m]),
);

export const modelNames = (): ReadonlyArray<string> => [...models.keys()];
