/**
 * What trace validation needs to know about a protocol, derived from its module: its spec
 * directory and module, the name of the harness validation generates for it, the spec
 * variables and their types, the actions a trace may name with their parameters, and how a
 * trace header's constants become the harness's constants.
 */
import { fileURLToPath } from "node:url";
import type { ProtocolModule } from "../protocol.js";
import { protocols as registered } from "../registry.js";
import type { Value } from "./itf.js";
import type { Schema } from "./schema.js";

export interface ParamSpec {
  readonly name: string;
  readonly schema: Schema;
}

export interface ConstantSpec {
  readonly name: string;
  readonly schema: Schema;
  /** Used when the header does not give the constant. */
  readonly default?: Value;
  /** Always this value, whatever the header says (e.g. the Bug* switches: validation is
   * against the correct spec). */
  readonly fixed?: Value;
}

export interface Protocol {
  readonly name: string;
  /** Directory of the spec's modules. */
  readonly specDir: string;
  /** The spec module in specDir, and the harness module generated for it (src/trace/harness.ts). */
  readonly module: string;
  readonly harness: string;
  readonly variables: readonly { readonly name: string; readonly schema: Schema }[];
  /** Action name → parameters, in the order the spec operator takes them. */
  readonly actions: Readonly<Record<string, readonly ParamSpec[]>>;
  readonly constants: readonly ConstantSpec[];
}

const specDir = (name: string) => fileURLToPath(new URL(`../../spec/${name}`, import.meta.url));

/** What trace validation needs of a registered protocol module. */
export function traceProtocol(m: ProtocolModule): Protocol {
  return {
    name: m.name,
    specDir: specDir(m.name),
    module: m.spec.module,
    harness: `Trace${m.spec.module}`,
    variables: m.trace.variables.map((v) => ({ name: v.name, schema: v.schema })),
    actions: Object.fromEntries(
      Object.entries(m.trace.actions).map(([name, params]) => [
        name,
        Object.entries(params).map(([p, value]) => ({ name: p, schema: value.schema })),
      ]),
    ),
    constants: m.trace.constants,
  };
}

let known: ReadonlyMap<string, Protocol> | undefined;

/** The registered protocols' descriptors, by name (read from the registry on first use). */
export function traceProtocols(): ReadonlyMap<string, Protocol> {
  known ??= new Map(registered().map((m) => [m.name, traceProtocol(m)]));
  return known;
}

/** The registered protocol called `name`. */
export function traceProtocolNamed(name: string): Protocol {
  const p = traceProtocols().get(name);
  if (p === undefined)
    throw new RangeError(
      `no protocol "${name}" (known: ${[...traceProtocols().keys()].join(", ")})`,
    );
  return p;
}

/** The action every trace starts with (event 0, the initial state). */
export const INIT_ACTION = "Init";
