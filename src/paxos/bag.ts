/**
 * The network: a multiset of messages, as the spec's `messages` (a function from message to
 * its copy count). Messages are identified by value through their canonical JSON; items stay
 * sorted by it, which is also the order the abstraction prints them in.
 */
import { messageKey } from "./itf.js";
import type { Message } from "./types.js";

export interface BagItem {
  readonly key: string;
  readonly message: Message;
  readonly count: number;
}

export interface Bag {
  readonly items: ReadonlyArray<BagItem>;
  /** Total copies in flight. */
  readonly size: number;
}

export const emptyBag: Bag = { items: [], size: 0 };

/** Position of `key`, or -(insertion point) - 1. */
function search(items: ReadonlyArray<BagItem>, key: string): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = (items[mid] as BagItem).key;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** messages[m], 0 when m ∉ DOMAIN messages. */
export const countOf = (bag: Bag, m: Message): number => {
  const k = search(bag.items, messageKey(m));
  return k >= 0 ? (bag.items[k] as BagItem).count : 0;
};

/** m ∈ DOMAIN messages. */
export const has = (bag: Bag, m: Message): boolean => countOf(bag, m) > 0;

/** WithMessage(m, msgs). */
export function withMessage(bag: Bag, m: Message): Bag {
  const key = messageKey(m);
  const k = search(bag.items, key);
  const items = bag.items.slice();
  if (k >= 0) {
    const it = items[k] as BagItem;
    items[k] = { key, message: it.message, count: it.count + 1 };
  } else items.splice(-k - 1, 0, { key, message: m, count: 1 });
  return { items, size: bag.size + 1 };
}

/** WithoutMessage(m, msgs); a message not in flight leaves the bag unchanged. */
export function withoutMessage(bag: Bag, m: Message): Bag {
  const k = search(bag.items, messageKey(m));
  if (k < 0) return bag;
  const items = bag.items.slice();
  const it = items[k] as BagItem;
  if (it.count > 1) items[k] = { ...it, count: it.count - 1 };
  else items.splice(k, 1);
  return { items, size: bag.size - 1 };
}

/** The distinct messages in flight (DOMAIN messages), in canonical order. */
export const domain = (bag: Bag): ReadonlyArray<Message> => bag.items.map((it) => it.message);

/** Every copy, e.g. for tests: each message repeated by its count. */
export const toArray = (bag: Bag): ReadonlyArray<Message> =>
  bag.items.flatMap((it) => Array.from({ length: it.count }, () => it.message));
