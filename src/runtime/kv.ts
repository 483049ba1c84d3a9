/**
 * The key-value service the runtime replicates: GET, PUT, CAS and DELETE, each sent with a
 * client id and a sequence number so that a retried request is applied once (the state machine
 * remembers each client's last sequence number and its result, as Ongaro's thesis (§6.3)
 * describes). Commands travel through the log as JSON text.
 */

import { isRight } from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { type KvState, kvStore } from "../core/kv.js";
import { mapWith } from "../core/maps.js";

export const KvOp = t.union([
  t.strict({ op: t.literal("get"), key: t.string }),
  t.strict({ op: t.literal("put"), key: t.string, value: t.string }),
  t.strict({ op: t.literal("delete"), key: t.string }),
  t.strict({
    op: t.literal("cas"),
    key: t.string,
    expected: t.union([t.string, t.null]),
    value: t.string,
  }),
]);
export type KvOp = t.TypeOf<typeof KvOp>;

/** A client's request as it is logged. */
export const Command = t.strict({ client: t.string, seq: t.number, op: KvOp });
export type Command = t.TypeOf<typeof Command>;

/** The result of an operation: the value before it (get: the current one); cas: whether it swapped. */
export interface KvResult {
  readonly value: string | null;
  readonly swapped?: boolean;
}

export interface Service {
  readonly kv: KvState;
  /** Per client: its last applied sequence number and that request's result. */
  readonly sessions: ReadonlyMap<string, { readonly seq: number; readonly result: KvResult }>;
}

export const initialService: Service = { kv: kvStore.initial, sessions: new Map() };

/**
 * A command as a log entry's value: its JSON, URI-encoded, so that the value is a plain string
 * without quotes or backslashes — one a spec's Value can hold as it is in a trace (the checkers
 * read such strings in their data modules and configurations; see traces/FORMAT.md).
 */
export const encodeCommand = (c: Command): string => encodeURIComponent(JSON.stringify(c));

/** The command a log entry's value holds (also the plain JSON earlier logs held), or undefined. */
export const decodeCommand = (text: string): Command | undefined => {
  try {
    const r = Command.decode(JSON.parse(text.startsWith("{") ? text : decodeURIComponent(text)));
    return isRight(r) ? r.right : undefined;
  } catch {
    return undefined;
  }
};

function run(kv: KvState, op: KvOp): readonly [KvState, KvResult] {
  if (op.op === "cas") {
    const current = kv.get(op.key) ?? null;
    if (current !== op.expected) return [kv, { value: current, swapped: false }];
    return [mapWith(kv, op.key, op.value), { value: current, swapped: true }];
  }
  const [next, prev] = kvStore.apply(kv, op);
  return [next, { value: O.toNullable(prev) }];
}

/**
 * Apply a committed command: a request a client already had applied (same or older sequence
 * number) changes nothing and answers with the stored result (`duplicate`).
 */
export function applyCommand(
  s: Service,
  c: Command,
): { readonly service: Service; readonly result: KvResult; readonly duplicate: boolean } {
  const last = s.sessions.get(c.client);
  if (last !== undefined && c.seq <= last.seq)
    return { service: s, result: last.result, duplicate: true };
  const [kv, result] = run(s.kv, c.op);
  return {
    service: { kv, sessions: mapWith(s.sessions, c.client, { seq: c.seq, result }) },
    result,
    duplicate: false,
  };
}
