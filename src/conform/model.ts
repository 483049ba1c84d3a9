/**
 * What graph equality and the explorer need of a protocol: its finite model (the MC module's
 * bounds, fault switches and wrappers) over the implementation's own enabled actions. A
 * protocol module gives it as `model` (src/protocol.ts); nothing here knows a protocol.
 */

import { UserError } from "../core/errors.js";
import { type Cfg, constantBindings } from "../tla/cfg.js";
import { parseValue, type TlaValue } from "../tla/value.js";

/**
 * A constant of a model as plain data: integers as numbers, strings and model values as
 * strings, booleans, sets as sorted arrays without duplicates, sequences as arrays, records as
 * objects, functions as arrays of [key, value] pairs.
 */
export type ConstValue =
  | number
  | string
  | boolean
  | ReadonlyArray<ConstValue>
  | { readonly [field: string]: ConstValue };

export type ModelConstants = Readonly<Record<string, ConstValue>>;

/** One step the implementation can take in a state of the model. */
export interface Successor<S, A> {
  readonly action: A;
  readonly next: S;
}

/** The implementation's side of one finite model. */
export interface ImplModel<S, A extends { readonly name: string }> {
  /** The states of the spec's Init. */
  readonly init: ReadonlyArray<S>;
  /** Every step of the model's next-state relation (MCNext) in s: each enabled action and its
   * successor, whether or not the successor lies within the bounds. */
  readonly next: (s: S) => ReadonlyArray<Successor<S, A>>;
  /** The model's state constraint (CONSTRAINT): a state outside it is neither counted nor
   * expanded. */
  readonly within: (s: S) => boolean;
  /** The implementation's invariants s breaks (empty: it keeps them). */
  readonly violated: (s: S) => ReadonlyArray<string>;
}

/** A model of any protocol. */
// biome-ignore lint/suspicious/noExplicitAny: each protocol's own state and action types
export type AnyModel = ImplModel<any, { readonly name: string }>;

/** A model whose graph the tests compare, and the bug switches that must make it differ. */
export interface ConformanceCase {
  /** A model's name as `npm run tlc` gives it (a cfg's base name, or `<Name>/control`). */
  readonly model: string;
  /** Constants to replace in its cfg (TLA+ text), e.g. to shrink it for a test. */
  readonly constants?: Readonly<Record<string, string>>;
  /** The implementation's bug switches (sim.bugNames) that make the two graphs differ here. */
  readonly bugs: ReadonlyArray<string>;
}

/** A configuration the explorer runs past the embedded engine's reach (`npm run explore`). */
export interface ExplorerCase {
  readonly label: string;
  readonly model: string;
  readonly constants?: Readonly<Record<string, string>>;
}

/** The operators a cfg names for the model's initial states, steps and state constraints. */
export interface Relations {
  readonly init: string;
  readonly next: string;
  readonly constraints: ReadonlyArray<string>;
}

export interface ModelHook {
  /**
   * The implementation of a model of `spec.model` with these constants (as the cfg binds them)
   * and relations, with the given bug switches (bugNames below) forced on besides those the
   * constants switch on. Throws a UserError naming a constant or relation it cannot follow.
   */
  readonly build: (
    c: ModelConstants,
    bugs: ReadonlyArray<string>,
    relations: Relations,
  ) => AnyModel;
  /**
   * The bug switches `build` can force on, when they are more than sim.bugNames (a bug the
   * simulator cannot hunt, which graph equality still tells apart).
   */
  readonly bugNames?: ReadonlyArray<string>;
  /** Small models for the tests: equal graphs, and graphs each bug makes differ. */
  readonly cases: ReadonlyArray<ConformanceCase>;
  /** Explorer configurations (bench and README), beyond the embedded engine in CI. */
  readonly explore?: ReadonlyArray<ExplorerCase>;
}

/** A printed TLA+ value as plain data (see ConstValue). */
export function constValue(v: TlaValue): ConstValue {
  switch (v.k) {
    case "int":
      return Number(v.v);
    case "bool":
      return v.v;
    case "str":
    case "model":
      return v.v;
    case "set": {
      const xs = v.elems.map(constValue);
      const byKey = new Map(xs.map((x) => [JSON.stringify(x), x] as const));
      return [...byKey.keys()].sort().map((k) => byKey.get(k) as ConstValue);
    }
    case "seq":
      return v.elems.map(constValue);
    case "rec":
      return Object.fromEntries(v.fields.map(([f, x]) => [f, constValue(x)]));
    case "fun":
      return v.pairs.map(([k, x]) => [constValue(k), constValue(x)]);
  }
}

/** The constants a cfg binds with `=` (an operator substitution `<-` is left out). */
export function cfgConstants(cfg: Cfg, where: string): ModelConstants {
  const out: Record<string, ConstValue> = {};
  for (const b of constantBindings(cfg)) {
    if (b.op !== "=") continue;
    try {
      out[b.name] = constValue(parseValue(b.value));
    } catch {
      throw new UserError(
        `${where}:${b.line}: constant ${b.name} = ${b.value} is not a value the implementation can use`,
      );
    }
  }
  return out;
}

/** Accessors for a hook: the constant `name` as the type it must have, else a UserError. */
export const constants = (c: ModelConstants) => {
  const get = (name: string): ConstValue => {
    const v = c[name];
    if (v === undefined) throw new UserError(`the model does not bind the constant ${name}`);
    return v;
  };
  const bad = (name: string, want: string): never => {
    throw new UserError(`constant ${name} = ${JSON.stringify(c[name])}: expected ${want}`);
  };
  const strings = (name: string, v: ConstValue = get(name)): ReadonlyArray<string> =>
    Array.isArray(v) && v.every((x) => typeof x === "string")
      ? (v as ReadonlyArray<string>)
      : bad(name, "a set of names");
  return {
    has: (name: string) => c[name] !== undefined,
    int: (name: string): number => {
      const v = get(name);
      return typeof v === "number" ? v : bad(name, "an integer");
    },
    bool: (name: string): boolean => {
      const v = get(name);
      return typeof v === "boolean" ? v : bad(name, "TRUE or FALSE");
    },
    str: (name: string): string => {
      const v = get(name);
      return typeof v === "string" ? v : bad(name, "a name");
    },
    strings,
    stringSets: (name: string): ReadonlyArray<ReadonlyArray<string>> => {
      const v = get(name);
      return Array.isArray(v) ? v.map((x) => strings(name, x)) : bad(name, "a set of sets");
    },
    ints: (name: string): ReadonlyArray<number> => {
      const v = get(name);
      return Array.isArray(v) && v.every((x) => typeof x === "number")
        ? (v as ReadonlyArray<number>)
        : bad(name, "a set of integers");
    },
    /** The bug switches among the constants that are TRUE, by their names (e.g. BugFoo). */
    raw: c,
  };
};

/** The bug switches the constants turn on, as sim bug names: `BugFooBar = TRUE` → `fooBar`. */
export const bugsOn = (c: ModelConstants): ReadonlyArray<string> =>
  Object.entries(c)
    .filter(([k, v]) => /^Bug[A-Z]/.test(k) && v === true)
    .map(([k]) => k.charAt(3).toLowerCase() + k.slice(4));

/**
 * Ids in the order a constant gives as the set of the order's prefixes ({{l1}, {l1, l2}}): an id
 * ranks by how many prefixes hold it.
 */
export const inOrder = (ids: ReadonlyArray<string>, order: ReadonlyArray<ReadonlyArray<string>>) =>
  [...ids].sort(
    (a, b) => order.filter((s) => s.includes(b)).length - order.filter((s) => s.includes(a)).length,
  );

/** A UserError unless the cfg's relations are among those the hook implements. */
export function expectRelations(
  r: Relations,
  known: {
    readonly init: ReadonlyArray<string>;
    readonly next: ReadonlyArray<string>;
    readonly constraints: ReadonlyArray<string>;
  },
): void {
  const say = (what: string, name: string, list: ReadonlyArray<string>) =>
    new UserError(
      `${what} ${name} has no implementation (the implementation follows ${list.join(", ") || "none"})`,
    );
  if (!known.init.includes(r.init)) throw say("INIT", r.init, known.init);
  if (!known.next.includes(r.next)) throw say("NEXT", r.next, known.next);
  const c = r.constraints.find((x) => !known.constraints.includes(x));
  if (c !== undefined) throw say("CONSTRAINT", c, known.constraints);
}
