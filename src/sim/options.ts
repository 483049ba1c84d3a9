/**
 * Option handling every protocol's simulator shares: defaults, bug switches, invariant lists
 * and reconfiguration targets. The protocols' options.ts hold only what is theirs.
 */
import { UserError } from "../core/errors.js";
import type { Fault } from "./faults.js";
import type { RunOptions } from "./protocol.js";

/** The options every protocol's run takes, besides its sizes and knobs' meaning. */
export interface SimOptionsBase<Bugs, Knobs, I extends string> {
  readonly seed: number;
  /** Events after Init (fewer if an invariant breaks first). */
  readonly steps: number;
  readonly faults: ReadonlyArray<Fault>;
  readonly bugs: Bugs;
  /** Most message copies in flight; past it the oldest is dropped (a DropMessage event). */
  readonly maxMessages: number;
  /** Timing and fault rates. */
  readonly knobs: Knobs;
  /** Checked after every step (default: all of the spec's invariants). */
  readonly invariants: ReadonlyArray<I>;
}

/** The crash and partition rates every protocol's knobs have (in ticks). */
export interface FaultKnobs {
  /** Clients wait while this many of their commands are outstanding. */
  readonly maxBacklog: number;
  /** crash: probability per tick that a random process stops … */
  readonly crashPerTick: number;
  /** … for this many ticks; it returns with the protocol's restart event. */
  readonly downtime: readonly [number, number];
  /** partition: probability per tick that the processes split in two … */
  readonly partitionPerTick: number;
  /** … for this many ticks. */
  readonly partitionLength: readonly [number, number];
}

/** `withDefaults` for a protocol's options: fills them in from `defaults`; `knobs` may be partial. */
export const withDefaultsFrom =
  <K, O extends { readonly knobs: K }>(defaults: O) =>
  (o: Partial<Omit<O, "knobs">> & { readonly knobs?: Partial<K> }): O =>
    ({ ...defaults, ...o, knobs: { ...defaults.knobs, ...o.knobs } }) as O;

const splitList = (s: string): ReadonlyArray<string> =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Parse bug names (camelCase, or the spec's BugXxx constant names), comma-separated, into the
 * protocol's switches (`none`: all off).
 */
export function parseBugSwitches<B extends string>(
  s: string,
  bugNames: ReadonlyArray<B>,
  none: Readonly<Record<B, boolean>>,
): Readonly<Record<B, boolean>> {
  const bugs: Record<B, boolean> = { ...none };
  for (const raw of splitList(s)) {
    const name = bugNames.find(
      (b) => b.toLowerCase() === raw.toLowerCase() || `bug${b}`.toLowerCase() === raw.toLowerCase(),
    );
    if (name === undefined)
      throw new UserError(`unknown bug "${raw}" (expected one of ${bugNames.join(", ")})`);
    bugs[name] = true;
  }
  return bugs;
}

/** Parse "A,B" into names from `known`; throws a one-line UserError naming an unknown one. */
export function parseInvariantNames<I extends string>(
  s: string,
  known: ReadonlyArray<I>,
): ReadonlyArray<I> {
  const names = splitList(s);
  const bad = names.find((n) => !(known as ReadonlyArray<string>).includes(n));
  if (bad !== undefined)
    throw new UserError(`unknown invariant "${bad}" (expected some of ${known.join(", ")})`);
  return names as I[];
}

/** Most elements `nonEmptySubsets` takes: 2^16 - 1 subsets, already far more than a trace header holds. */
export const MAX_SUBSET_BASE = 16;

/**
 * Every non-empty subset, each in the order of `xs`: the reconfiguration targets. There are
 * 2^n - 1 of them, so n is bounded (a size flag's bounds keep n far below MAX_SUBSET_BASE).
 */
export function nonEmptySubsets<T>(xs: ReadonlyArray<T>): ReadonlyArray<ReadonlyArray<T>> {
  if (xs.length > MAX_SUBSET_BASE)
    throw new RangeError(
      `nonEmptySubsets: ${xs.length} elements would give ${2 ** xs.length - 1} subsets (at most ${MAX_SUBSET_BASE} elements)`,
    );
  const out: T[][] = [];
  for (let mask = 1; mask < 2 ** xs.length; mask++)
    out.push(xs.filter((_, k) => (mask & (1 << k)) !== 0));
  return out;
}

/** The protocol-neutral part of a run's options, from the command line's. */
export function commonOptions<B, I>(
  o: RunOptions,
  parseBugs: (s: string) => B,
  parseInvariants: (s: string) => ReadonlyArray<I>,
): {
  readonly steps: number;
  readonly faults: ReadonlyArray<Fault>;
  readonly bugs?: B;
  readonly maxMessages?: number;
  readonly invariants?: ReadonlyArray<I>;
} {
  return {
    steps: o.steps,
    faults: o.faults,
    ...(o.bugs === undefined ? {} : { bugs: parseBugs(o.bugs) }),
    ...(o.maxMessages === undefined ? {} : { maxMessages: o.maxMessages }),
    ...(o.invariants === undefined ? {} : { invariants: parseInvariants(o.invariants) }),
  };
}
