/**
 * A JSON Schema (draft 2020-12) per protocol for the lines of its trace files, generated from the
 * protocol's trace descriptor (its variables, actions with their parameters, and constants, each
 * with its Schema: src/core/schema.ts), so that an implementation of one's own can check what it
 * writes with any JSON Schema validator. `npm run traces:schema` writes them to
 * traces/schema/<protocol>.schema.json; a test regenerates them and compares.
 *
 * Every line of a trace (traces/FORMAT.md) is one of: the header; an event with the full `state`
 * (Init, and every event of version 1); an event with the variables it `changed` (version 2);
 * an event with its `updates` (version 3). The schema accepts a line iff it has one of these
 * shapes with the right types: the same types `npm run validate` checks when it reads a trace
 * (src/trace/schema.ts), before any model checking. What a schema cannot say — that `i` counts
 * 0, 1, 2, …, that the header comes first, which version a file is, the type of the value an
 * update's path reaches — the validator checks too, and names the offending field.
 */
import type { Schema } from "../core/schema.js";
import { TRACE_FORMAT, TRACE_VERSION } from "./codec.js";
import { INIT_ACTION, type Protocol } from "./protocol.js";
import { UPDATE_OPS } from "./updates.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const ref = (name: string): JsonObject => ({ $ref: `#/$defs/${name}` });

/** Definitions made while translating, shared where a shape recurs (messages, log entries). */
class Defs {
  readonly defs: JsonObject = {};
  /** Canonical text of a record or union schema → the name of its definition. */
  private readonly named = new Map<string, string>();
  /** How often each record or union schema occurs, to define only those that recur. */
  private readonly seen = new Map<string, number>();

  count(s: Schema): void {
    if (s.t === "rec" || s.t === "oneOf") {
      const key = JSON.stringify(s);
      this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    }
    switch (s.t) {
      case "set":
      case "seq":
        this.count(s.of);
        break;
      case "fun":
        this.count(s.key);
        this.count(s.val);
        break;
      case "rec":
        for (const f of Object.values(s.fields)) this.count(f);
        break;
      case "oneOf":
        for (const o of s.options) this.count(o);
        break;
      default:
        break;
    }
  }

  /** The JSON Schema of ITF values of schema `s`; `name` names a definition made for it. */
  of(s: Schema, name: string): JsonObject {
    if (s.t === "rec" || s.t === "oneOf") {
      const key = JSON.stringify(s);
      const known = this.named.get(key);
      if (known) return ref(known);
      if ((this.seen.get(key) ?? 0) > 1) {
        this.named.set(key, name);
        this.defs[name] = this.translate(s, name);
        return ref(name);
      }
    }
    return this.translate(s, name);
  }

  private translate(s: Schema, name: string): JsonObject {
    switch (s.t) {
      case "int":
        return ref("int");
      case "bool":
        return { type: "boolean" };
      case "str":
        return { type: "string" };
      case "set":
        return tagged("#set", { type: "array", items: this.of(s.of, `${name}.element`) });
      case "seq": {
        const items = this.of(s.of, `${name}.element`);
        return {
          anyOf: [{ type: "array", items }, tagged("#tup", { type: "array", items })],
        };
      }
      case "rec":
        return {
          type: "object",
          properties: Object.fromEntries(
            Object.entries(s.fields).map(([k, f]) => [k, this.of(f, `${name}.${k}`)]),
          ),
          required: Object.keys(s.fields),
          additionalProperties: false,
        };
      case "fun":
        return tagged("#map", {
          type: "array",
          items: {
            type: "array",
            prefixItems: [this.of(s.key, `${name}.key`), this.of(s.val, `${name}.value`)],
            minItems: 2,
            maxItems: 2,
          },
        });
      case "oneOf":
        return { anyOf: s.options.map((o, k) => this.of(o, `${name}.${k + 1}`)) };
    }
  }
}

/** An ITF special form: an object whose one member is `tag`. */
const tagged = (tag: string, body: JsonObject): JsonObject => ({
  type: "object",
  properties: { [tag]: body },
  required: [tag],
  additionalProperties: false,
});

const object = (
  properties: Record<string, Json>,
  required: string[],
  extra: boolean | JsonObject = false,
): JsonObject => ({ type: "object", properties, required, additionalProperties: extra });

/** The JSON Schema of one line of `p`'s trace files. */
export function traceLineSchema(p: Protocol): JsonObject {
  const defs = new Defs();
  for (const v of p.variables) defs.count(v.schema);
  for (const params of Object.values(p.actions)) for (const x of params) defs.count(x.schema);
  for (const c of p.constants) defs.count(c.schema);

  // Each variable's values: one definition, used by full states and changes alike.
  const variableDefs = Object.fromEntries(
    p.variables.map((v) => [`variable.${v.name}`, defs.of(v.schema, v.name)]),
  );
  const variables = Object.fromEntries(p.variables.map((v) => [v.name, ref(`variable.${v.name}`)]));
  const params = Object.fromEntries(
    Object.entries(p.actions).map(([action, ps]) => [
      action,
      object(
        Object.fromEntries(ps.map((x) => [x.name, defs.of(x.schema, `${action}.${x.name}`)])),
        [],
      ),
    ]),
  );
  const constants = Object.fromEntries(
    p.constants.map((c) => [c.name, defs.of(c.schema, `constant.${c.name}`)]),
  );
  const names = p.variables.map((v) => v.name);
  const actions = Object.keys(p.actions);
  const envelope = (member: string, body: JsonObject, actionNames: Json[]): JsonObject => ({
    ...object(
      {
        i: { type: "integer", minimum: 0 },
        action: { enum: actionNames },
        params: { type: "object" },
        [member]: body,
      },
      ["i", "action", "params", member],
      true,
    ),
    // The parameters of the action the event names.
    allOf: actions.map((a) => ({
      if: { properties: { action: { const: a } } },
      then: { properties: { params: ref(`params.${a}`) } },
    })),
  });
  const updates = object(
    Object.fromEntries(names.map((n) => [n, { type: "array", items: ref("update") }])),
    [],
  );
  const description = [
    `One line of a ${p.name} trace (traces/FORMAT.md; spec module ${p.module}), generated from the`,
    "protocol's trace descriptor by `npm run traces:schema`. A trace is NDJSON: the header, then",
    "event 0 (Init) with the full state, then one event per line with the full state (version 1),",
    "the variables it changed (version 2) or its updates (version 3). Values are ITF JSON.",
  ].join(" ");
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `lockstep trace line (${p.name})`,
    description,
    anyOf: [ref("header"), ref("stateEvent"), ref("changedEvent"), ref("updatesEvent")],
    $defs: {
      header: object(
        {
          format: { const: TRACE_FORMAT },
          version: { enum: Array.from({ length: TRACE_VERSION }, (_, k) => k + 1) },
          protocol: { const: p.name },
          seed: { type: ["integer", "string"] },
          servers: { type: "array", items: { type: "string" } },
          logged: {
            description:
              "A partial trace (traces/FORMAT.md): the variables it logs; its events leave the others out",
            type: "array",
            items: { enum: p.variables.map((v) => v.name) },
          },
          unlogged: object(
            {
              actions: { type: "array", items: { enum: Object.keys(p.actions) } },
              steps: { type: "integer", minimum: 0, maximum: 16 },
            },
            ["actions", "steps"],
          ),
          constants: object(
            constants,
            p.constants.filter((c) => !c.default && !c.fixed).map((c) => c.name),
          ),
        },
        ["format", "version", "protocol", "constants"],
        true,
      ),
      stateEvent: envelope("state", object(variables, names), [INIT_ACTION, ...actions]),
      changedEvent: envelope("changed", object(variables, []), actions),
      updatesEvent: envelope("updates", updates, actions),
      update: {
        description:
          "An update operation (format version 3, traces/FORMAT.md): the path steps into functions by key (an ITF value), records by field name, sequences by 1-based index.",
        type: "object",
        properties: {
          op: { enum: [...UPDATE_OPS] },
          path: { type: "array" },
          value: {},
          elems: { type: "array" },
          length: { type: "integer", minimum: 0 },
        },
        required: ["op"],
        additionalProperties: false,
        allOf: [
          { if: { properties: { op: { const: "set" } } }, then: { required: ["value"] } },
          {
            if: { properties: { op: { enum: ["add", "remove", "append"] } } },
            then: { required: ["elems"] },
          },
          { if: { properties: { op: { const: "truncate" } } }, then: { required: ["length"] } },
        ],
      },
      int: {
        description: 'An integer: a JSON number, or {"#bigint": "<digits>"}.',
        anyOf: [{ type: "integer" }, tagged("#bigint", { type: "string", pattern: "^-?[0-9]+$" })],
      },
      ...variableDefs,
      ...Object.fromEntries(Object.entries(params).map(([a, s]) => [`params.${a}`, s])),
      ...defs.defs,
    },
  };
}

/**
 * JSON text with each value on one line when it fits in `width` columns from `column` (where it
 * starts), else one member or element per line, indented by two spaces a level.
 */
export function prettyJson(v: Json, width = 100, indent = "", column = 0): string {
  const flat = JSON.stringify(v);
  if (column + flat.length <= width || v === null || typeof v !== "object") return flat;
  const inner = `${indent}  `;
  const lines = Array.isArray(v)
    ? v.map((x) => inner + prettyJson(x, width, inner, inner.length))
    : Object.entries(v).map(([k, x]) => {
        const key = `${inner}${JSON.stringify(k)}: `;
        return key + prettyJson(x, width, inner, key.length);
      });
  const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${lines.join(",\n")}\n${indent}${close}`;
}

/** The schema file's text (stable: a test compares it with the committed file). */
export const traceSchemaText = (p: Protocol): string => `${prettyJson(traceLineSchema(p))}\n`;
