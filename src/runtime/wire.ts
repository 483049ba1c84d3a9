/**
 * The client protocol of a node (on the same port as its peers, told apart by `kind`): a
 * request names its client and sequence number; the answer is a result, or a refusal with the
 * leader to try instead.
 */
import * as t from "io-ts";
import { KvOp } from "./kv.js";

export const AdminOp = t.union([
  /** Change the members (joint consensus: the protocol goes through C(old,new) to C(new)). */
  t.strict({ op: t.literal("members"), members: t.array(t.string) }),
  /** This node's view: role, term, leader, commit index, members. */
  t.strict({ op: t.literal("status") }),
  /** The values this node applied since it started, by index (for checking agreement). */
  t.strict({ op: t.literal("applied") }),
]);

export const ClientRequest = t.strict({
  kind: t.literal("req"),
  client: t.string,
  seq: t.number,
  op: t.union([KvOp, AdminOp]),
});
export type ClientRequest = t.TypeOf<typeof ClientRequest>;

export type ClientResponse =
  | {
      readonly kind: "res";
      readonly seq: number;
      readonly ok: true;
      readonly value?: string | null;
      readonly swapped?: boolean;
      readonly info?: unknown;
    }
  | {
      readonly kind: "res";
      readonly seq: number;
      readonly ok: false;
      readonly error: string;
      /** The leader's id and address, when known. */
      readonly leader?: string;
      readonly address?: string;
    };

export const isClientFrame = (f: unknown): boolean =>
  typeof f === "object" && f !== null && (f as { kind?: unknown }).kind === "req";
