/**
 * ITF values (the Informal Trace Format of Apalache/Quint) and their canonical JSON: object keys
 * sorted, set elements and map keys sorted by their own canonical JSON, no whitespace. Canonical
 * JSON makes one run print as one byte string, so equal seeds give identical traces.
 */

export type ItfValue =
  | number
  | string
  | boolean
  | ReadonlyArray<ItfValue>
  | ItfSet
  | ItfMap
  | { readonly [field: string]: ItfValue };

export interface ItfSet {
  readonly "#set": ReadonlyArray<ItfValue>;
}
export interface ItfMap {
  readonly "#map": ReadonlyArray<readonly [ItfValue, ItfValue]>;
}

export const itfSet = (xs: ReadonlyArray<ItfValue>): ItfSet => ({ "#set": xs });
export const itfMap = (kvs: ReadonlyArray<readonly [ItfValue, ItfValue]>): ItfMap => ({
  "#map": kvs,
});

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical JSON of an ITF value (see the module comment). */
export function canonicalJson(v: ItfValue): string {
  if (typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const obj = v as { readonly [field: string]: ItfValue };
  const set = obj["#set"];
  if (set !== undefined && Object.keys(obj).length === 1) {
    const xs = (set as ReadonlyArray<ItfValue>).map(canonicalJson);
    return `{"#set":[${[...new Set(xs)].sort(byString).join(",")}]}`;
  }
  const map = obj["#map"];
  if (map !== undefined && Object.keys(obj).length === 1) {
    const kvs = (map as ReadonlyArray<readonly [ItfValue, ItfValue]>).map(
      ([k, x]) => [canonicalJson(k), canonicalJson(x)] as const,
    );
    kvs.sort((a, b) => byString(a[0], b[0]));
    return `{"#map":[${kvs.map(([k, x]) => `[${k},${x}]`).join(",")}]}`;
  }
  const fields = Object.keys(obj).sort(byString);
  return `{${fields.map((f) => `${JSON.stringify(f)}:${canonicalJson(obj[f] as ItfValue)}`).join(",")}}`;
}
