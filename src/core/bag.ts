/**
 * A network as the specs model it: a multiset of messages, the spec's `messages` (a function
 * from message to its copy count). Messages are identified by their spec value (their canonical
 * JSON, core/spec-value.ts), so two equal records are one message however they were built;
 * items stay sorted by that key, the order the spec prints them in.
 */
import { itfMap } from "./itf.js";
import { S } from "./schema.js";
import type { EntryChange, SpecValue } from "./spec-value.js";

export interface BagItem<M> {
  readonly key: string;
  readonly message: M;
  readonly count: number;
}

export interface Bag<M> {
  readonly items: ReadonlyArray<BagItem<M>>;
  /** Total copies in flight. */
  readonly size: number;
}

/** The operations on a bag of `M`, whose messages are identified by `keyOf`. */
export interface BagOps<M> {
  readonly emptyBag: Bag<M>;
  /** messages[m], 0 when m ∉ DOMAIN messages. */
  readonly countOf: (bag: Bag<M>, m: M) => number;
  /** m ∈ DOMAIN messages. */
  readonly has: (bag: Bag<M>, m: M) => boolean;
  /** The stored message equal to m (its canonical instance), if any. */
  readonly lookup: (bag: Bag<M>, m: M) => M | undefined;
  /** WithMessage(m, msgs). */
  readonly withMessage: (bag: Bag<M>, m: M) => Bag<M>;
  /** WithoutMessage(m, msgs); a message not in flight leaves the bag unchanged. */
  readonly withoutMessage: (bag: Bag<M>, m: M) => Bag<M>;
  /** The distinct messages in flight (DOMAIN messages), in canonical order. */
  readonly domain: (bag: Bag<M>) => ReadonlyArray<M>;
  /** Every copy, e.g. for tests: each message repeated by its count. */
  readonly toArray: (bag: Bag<M>) => ReadonlyArray<M>;
}

/** Position of `key`, or -(insertion point) - 1. */
function search<M>(items: ReadonlyArray<BagItem<M>>, key: string): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = (items[mid] as BagItem<M>).key;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

// Copies with one item changed, each built at its final size in one pass (slice + splice
// allocates twice, and pushing grows the array in steps).
function withItemAt<T>(items: ReadonlyArray<T>, k: number, it: T): T[] {
  const next = items.slice();
  next[k] = it;
  return next;
}

function insertedAt<T>(items: ReadonlyArray<T>, k: number, it: T): T[] {
  const next = new Array<T>(items.length + 1);
  for (let j = 0; j < k; j++) next[j] = items[j] as T;
  next[k] = it;
  for (let j = k; j < items.length; j++) next[j + 1] = items[j] as T;
  return next;
}

function removedAt<T>(items: ReadonlyArray<T>, k: number): T[] {
  const next = new Array<T>(items.length - 1);
  for (let j = 0; j < k; j++) next[j] = items[j] as T;
  for (let j = k + 1; j < items.length; j++) next[j - 1] = items[j] as T;
  return next;
}

export function bagOps<M>(message: SpecValue<M>): BagOps<M> {
  const keyOf = message.json;
  /** m's position: the item holding m itself if any (bags are small), else by key. */
  const find = (bag: Bag<M>, m: M): number => {
    const items = bag.items;
    for (let k = 0; k < items.length; k++) if ((items[k] as BagItem<M>).message === m) return k;
    return search(items, keyOf(m));
  };
  const countOf = (bag: Bag<M>, m: M): number => {
    const k = find(bag, m);
    return k >= 0 ? (bag.items[k] as BagItem<M>).count : 0;
  };
  return {
    emptyBag: { items: [], size: 0 },
    countOf,
    has: (bag, m) => countOf(bag, m) > 0,
    lookup: (bag, m) => {
      const k = find(bag, m);
      return k >= 0 ? (bag.items[k] as BagItem<M>).message : undefined;
    },
    withMessage(bag, m) {
      const key = keyOf(m);
      const k = search(bag.items, key);
      let items: BagItem<M>[];
      if (k >= 0) {
        const it = bag.items[k] as BagItem<M>;
        items = withItemAt(bag.items, k, { key, message: it.message, count: it.count + 1 });
      } else items = insertedAt(bag.items, -k - 1, { key, message: m, count: 1 });
      return { items, size: bag.size + 1 };
    },
    withoutMessage(bag, m) {
      const k = find(bag, m);
      if (k < 0) return bag;
      const it = bag.items[k] as BagItem<M>;
      const items =
        it.count > 1
          ? withItemAt(bag.items, k, { key: it.key, message: it.message, count: it.count - 1 })
          : removedAt(bag.items, k);
      return { items, size: bag.size - 1 };
    },
    domain: (bag) => bag.items.map((it) => it.message),
    toArray: (bag) => bag.items.flatMap((it) => Array.from({ length: it.count }, () => it.message)),
  };
}

/** A bag as the spec's function from message to copy count. */
export const bag = <M>(message: SpecValue<M>): SpecValue<Bag<M>> => ({
  schema: S.fun(message.schema, S.int),
  itf: (b) => itfMap(b.items.map((it) => [message.itf(it.message), it.count] as const)),
  // Items are sorted by their keys, each a message's canonical JSON.
  json: (b) => `{"#map":[${b.items.map((it) => `[${it.key},${it.count}]`).join(",")}]}`,
  // A bag's items outlive the steps that do not touch them: merge the two sorted lists.
  entryChanges: (a, b) => {
    const out: EntryChange[] = [];
    let i = 0;
    let j = 0;
    while (i < a.items.length || j < b.items.length) {
      const x = a.items[i];
      const y = b.items[j];
      if (x !== undefined && x === y) {
        i++;
        j++;
      } else if (x !== undefined && (y === undefined || x.key < y.key)) {
        out.push({ key: x.key, value: undefined });
        i++;
      } else if (y !== undefined && (x === undefined || y.key < x.key)) {
        out.push({ key: y.key, value: String(y.count) });
        j++;
      } else if (x !== undefined && y !== undefined) {
        if (x.count !== y.count) out.push({ key: y.key, value: String(y.count) });
        i++;
        j++;
      }
    }
    return out;
  },
});
