/** Identifiers shared by every protocol: servers, terms, log indexes and client value ids. */

/** A server, e.g. "s1". Also the spec's model value of the same name. */
export type ServerId = string;

/** A term or ballot number; 0 before the first one. */
export type Term = number;

/** A 1-based log index; 0 means "no entry". */
export type Index = number;

/**
 * A client value id, e.g. "v3": what the spec's opaque `Value` model values stand for. The
 * command it names lives with the client (the simulator), not in the replicated log.
 */
export type ValueId = string;

/** "s1" … "sN". */
export const serverIds = (n: number): ReadonlyArray<ServerId> =>
  Array.from({ length: n }, (_, k) => `s${k + 1}`);

/** "v<n>". */
export const valueId = (n: number): ValueId => `v${n}`;

/** Canonical order of ids in sets and map keys (plain code-unit order, as JSON sorts). */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A set of ids as a sorted array without duplicates, the canonical form used everywhere. */
export const idSet = (ids: Iterable<string>): ReadonlyArray<string> =>
  [...new Set(ids)].sort(compareIds);

/** Whether two canonical (sorted, unique) id sets are equal. */
export const sameIdSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a === b || (a.length === b.length && a.every((x, k) => x === b[k]));
