/** Raft's network: the generic message bag (core/bag.ts), keyed by a message's canonical JSON. */
import * as core from "../core/bag.js";
import { messageJson } from "./itf.js";
import type { Message } from "./types.js";

export type BagItem = core.BagItem<Message>;
export type Bag = core.Bag<Message>;

export const { emptyBag, countOf, has, lookup, withMessage, withoutMessage, toArray } =
  core.bagOps<Message>(messageJson);
