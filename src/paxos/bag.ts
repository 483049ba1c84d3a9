/** Multi-Paxos's network: the generic message bag (core/bag.ts), keyed by messageKey. */
import * as core from "../core/bag.js";
import { messageKey } from "./itf.js";
import type { Message } from "./types.js";

export type BagItem = core.BagItem<Message>;
export type Bag = core.Bag<Message>;

export const { emptyBag, countOf, has, withMessage, withoutMessage, domain, toArray } =
  core.bagOps<Message>(messageKey);
