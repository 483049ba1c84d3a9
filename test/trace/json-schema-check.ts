/**
 * A small JSON Schema (2020-12) checker for the keywords the generated trace schemas use, so
 * the tests can hold the committed schemas to what the reader accepts: type, const, enum,
 * properties, required, additionalProperties, items, prefixItems, minItems, maxItems, minimum,
 * pattern, anyOf, allOf, if/then and local $ref. Returns the first failing place, or null.
 */
type Json = unknown;
type Schema = Record<string, Json>;

const typeOf = (v: Json): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "array"
      : typeof v === "number" && Number.isInteger(v)
        ? "integer"
        : typeof v;

const isType = (v: Json, t: string) =>
  t === "number"
    ? typeof v === "number"
    : typeOf(v) === t || (t === "object" && typeOf(v) === "object");

export function checkJson(root: Schema, value: Json): string | null {
  const resolve = (s: Schema): Schema => {
    const r = s.$ref;
    if (typeof r !== "string") return s;
    const name = decodeURIComponent(r.replace(/^#\/\$defs\//, ""));
    const d = (root.$defs as Record<string, Schema>)[name];
    if (!d) throw new Error(`no definition ${r}`);
    return resolve(d);
  };
  const check = (schema: Schema, v: Json, at: string): string | null => {
    const s = resolve(schema);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => isType(v, t))) return `${at}: expected ${types.join(" or ")}`;
    }
    if ("const" in s && JSON.stringify(s.const) !== JSON.stringify(v)) return `${at}: const`;
    if (Array.isArray(s.enum) && !s.enum.some((x) => JSON.stringify(x) === JSON.stringify(v)))
      return `${at}: enum`;
    if (typeof s.minimum === "number" && typeof v === "number" && v < s.minimum)
      return `${at}: minimum`;
    if (typeof s.pattern === "string" && typeof v === "string" && !new RegExp(s.pattern).test(v))
      return `${at}: pattern`;
    if (typeOf(v) === "object") {
      const o = v as Record<string, Json>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in o)) return `${at}: requires ${r}`;
      for (const [k, x] of Object.entries(o)) {
        const p = props[k];
        if (p) {
          const bad = check(p, x, `${at}.${k}`);
          if (bad) return bad;
        } else if (s.additionalProperties === false) return `${at}: no property ${k}`;
      }
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === "number" && v.length < s.minItems) return `${at}: minItems`;
      if (typeof s.maxItems === "number" && v.length > s.maxItems) return `${at}: maxItems`;
      const prefix = (s.prefixItems ?? []) as Schema[];
      for (let k = 0; k < v.length; k++) {
        const item = prefix[k] ?? (s.items as Schema | undefined);
        if (!item) continue;
        const bad = check(item, v[k], `${at}[${k}]`);
        if (bad) return bad;
      }
    }
    if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((o) => check(o, v, at) === null))
      return `${at}: none of anyOf`;
    for (const a of (s.allOf ?? []) as Schema[]) {
      const bad = check(a, v, at);
      if (bad) return bad;
    }
    if (s.if !== undefined && check(s.if as Schema, v, at) === null && s.then !== undefined) {
      const bad = check(s.then as Schema, v, at);
      if (bad) return bad;
    }
    return null;
  };
  return check(root, value, "(line)");
}
