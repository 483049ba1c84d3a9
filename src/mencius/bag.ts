/** Mencius's network: the generic message bag (core/bag.ts) of its seven messages. */
import * as core from "../core/bag.js";
import type { Message } from "./types.js";
import { message } from "./values.js";

export type BagItem = core.BagItem<Message>;
export type Bag = core.Bag<Message>;

export const { emptyBag, countOf, has, lookup, withMessage, withoutMessage, domain, toArray } =
  core.bagOps<Message>(message);

/** The bag as the spec's `messages`. */
export const messages = core.bag(message);
