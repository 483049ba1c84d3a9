/** A key-value store: the first replicated state machine. */
import * as O from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { mapWith } from "./maps.js";
import type { StateMachine } from "./rsm.js";

export const KvCommand = t.union([
  t.readonly(t.strict({ op: t.literal("put"), key: t.string, value: t.string })),
  t.readonly(t.strict({ op: t.literal("get"), key: t.string })),
  t.readonly(t.strict({ op: t.literal("delete"), key: t.string })),
]);
export type KvCommand = t.TypeOf<typeof KvCommand>;

export type KvState = ReadonlyMap<string, string>;

/** put/delete return the previous value, get the current one. */
export type KvResult = O.Option<string>;

export const kvStore: StateMachine<KvState, KvCommand, KvResult> = {
  initial: new Map(),
  apply(state, command) {
    const previous = O.fromNullable(state.get(command.key));
    switch (command.op) {
      case "get":
        return [state, previous];
      case "put":
        return [mapWith(state, command.key, command.value), previous];
      case "delete": {
        if (!state.has(command.key)) return [state, previous];
        const next = new Map(state);
        next.delete(command.key);
        return [next, previous];
      }
    }
  },
};
