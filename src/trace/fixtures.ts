/**
 * The committed example traces (traces/<protocol>/good, traces/<protocol>/bad): how the good ones
 * are made from the spec (genuine behaviours found by TLC, see generate.ts) and the one
 * deliberate corruption each bad one carries, with the event and variables a validator must
 * blame. A protocol's module holds its `FixtureSet`; this file has what they share.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { TlcSetup } from "../tla/tlc.js";
import { encodeTrace, readTrace, type Trace, type TraceEvent } from "./codec.js";
import { type GenerateMode, type Generator, generateTrace } from "./generate.js";
import { apply, equals, fun, rec, seq, type Value } from "./itf.js";
import { writeNdjson } from "./ndjson.js";
import { writePartialFixtures } from "./partial.js";

export interface GoodFixture<M> {
  name: string;
  about: string;
  model: M;
  mode: GenerateMode;
}

export interface FixtureSet<M> {
  generator: Generator<M>;
  good: readonly GoodFixture<M>[];
  goalDefinitions: string;
  corruptions: readonly Corruption[];
  /** The model `npm run bench` draws long random behaviours from (with TLC) … */
  benchModel?: M;
  /** … and the good fixture it validates without TLC. */
  benchFallback?: string;
  /** The variables a partial trace logs in the benchmark (default: those read per process). */
  benchLogged?: readonly string[];
  /** Actions a partial trace leaves out in the benchmark and the tests (the network's drops). */
  benchUnlogged?: readonly string[];
}

export async function makeGoodFixture<M>(
  f: GoodFixture<M>,
  tlc: TlcSetup,
  set: FixtureSet<M>,
): Promise<Trace> {
  const { trace } = await generateTrace(
    f.model,
    f.mode,
    tlc,
    { definitions: set.goalDefinitions },
    set.generator,
  );
  return { ...trace, file: `${f.name}.ndjson` };
}

// ---------------------------------------------------------------------------------------------
// Corruptions

export interface Corruption {
  /** File name (without .ndjson) under bad/; says what is wrong. */
  name: string;
  /** The good fixture it is made from. */
  from: string;
  about: string;
  /** The event changed; validation must fail exactly here. */
  event: number;
  /** Variables the diff must name. */
  diff: string[];
  /** Change the event's logged post-state (the event is checked to be the expected action). */
  action: string;
  apply: (e: TraceEvent) => TraceEvent;
}

/** v with the value at key path `keys` replaced by f(old). */
export function updateIn(v: Value, keys: readonly Value[], f: (old: Value) => Value): Value {
  const [k, ...rest] = keys;
  if (!k) return f(v);
  const old = apply(v, k);
  if (!old) throw new Error("updateIn: no such key");
  const next = updateIn(old, rest, f);
  switch (v.kind) {
    case "fun":
      return fun(v.pairs.map(([key, x]) => [key, equals(key, k) ? next : x] as const));
    case "rec":
      return rec(
        v.fields.map(
          ([name, x]) => [name, k.kind === "str" && name === k.value ? next : x] as const,
        ),
      );
    case "seq":
      return seq(v.elems.map((x, i) => (k.kind === "int" && BigInt(i + 1) === k.value ? next : x)));
    default:
      throw new Error("updateIn: not a function");
  }
}

/** The event with its logged post-state of `name` replaced by f(old). */
export const withState = (e: TraceEvent, name: string, f: (v: Value) => Value): TraceEvent => ({
  ...e,
  state: { ...e.state, [name]: f(e.state[name] as Value) },
});

export function corrupt(good: Trace, c: Corruption): Trace {
  const e = good.events[c.event];
  if (!e) throw new Error(`${c.name}: ${c.from} has no event ${c.event}`);
  if (e.action !== c.action)
    throw new Error(
      `${c.name}: event ${c.event} of ${c.from} is ${e.action}, expected ${c.action}`,
    );
  const events = good.events.map((x, k) => (k === c.event ? c.apply(x) : x));
  return { ...good, file: `${c.name}.ndjson`, events };
}

/**
 * (Re)write the fixtures under `dir` (traces/<protocol>): the good traces when TLC is available
 * (they are genuine behaviours only TLC can find), then every bad trace from its committed good
 * one.
 */
export async function writeFixtures<M>(
  dir: string,
  tlc: TlcSetup | null,
  set: FixtureSet<M>,
  log: (line: string) => void = () => {},
): Promise<void> {
  mkdirSync(join(dir, "good"), { recursive: true });
  mkdirSync(join(dir, "bad"), { recursive: true });
  if (tlc)
    for (const f of set.good) {
      const t = await makeGoodFixture(f, tlc, set);
      writeNdjson(join(dir, "good", `${f.name}.ndjson`), encodeTrace(t));
      log(`wrote good/${f.name}.ndjson (${t.events.length} events)`);
    }
  else log("TLC not found: keeping the committed good traces");
  for (const c of set.corruptions) {
    const good = readTrace(join(dir, "good", `${c.from}.ndjson`));
    writeNdjson(join(dir, "bad", `${c.name}.ndjson`), encodeTrace(corrupt(good, c)));
    log(`wrote bad/${c.name}.ndjson (event ${c.event} of ${c.from} corrupted: ${c.about})`);
  }
  // Partial traces (traces/FORMAT.md) of the bench fallback, logged as the bench logs them.
  if (set.benchLogged !== undefined && set.benchFallback !== undefined) {
    const from = readTrace(join(dir, "good", `${set.benchFallback}.ndjson`));
    const wrote = writePartialFixtures(join(dir, "partial"), from, set.benchFallback, {
      logged: set.benchLogged,
      ...(set.benchUnlogged === undefined ? {} : { omit: set.benchUnlogged }),
    });
    for (const w of wrote) log(`wrote partial/${w}`);
  }
}
