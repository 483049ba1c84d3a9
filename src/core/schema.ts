/**
 * The shapes of spec values (ITF) that a protocol's variables, constants and action parameters
 * have: just precise enough to reject a malformed trace with a message naming the place, and to
 * give printed values back their kind. src/trace/schema.ts checks values against them.
 */
export type Schema =
  | { readonly t: "int" }
  | { readonly t: "bool" }
  | { readonly t: "str" }
  | { readonly t: "set"; readonly of: Schema }
  | { readonly t: "seq"; readonly of: Schema }
  | { readonly t: "rec"; readonly fields: Readonly<Record<string, Schema>> }
  | { readonly t: "fun"; readonly key: Schema; readonly val: Schema }
  /** One of several shapes (e.g. the four RPC records), tried in order. */
  | { readonly t: "oneOf"; readonly options: readonly Schema[] };

export const S = {
  int: { t: "int" } as Schema,
  bool: { t: "bool" } as Schema,
  str: { t: "str" } as Schema,
  set: (of: Schema): Schema => ({ t: "set", of }),
  seq: (of: Schema): Schema => ({ t: "seq", of }),
  rec: (fields: Record<string, Schema>): Schema => ({ t: "rec", fields }),
  fun: (key: Schema, val: Schema): Schema => ({ t: "fun", key, val }),
  oneOf: (...options: Schema[]): Schema => ({ t: "oneOf", options }),
};
