/** Shared paths, probes and checks for the trace-validation tests. */
import { fileURLToPath } from "node:url";
import * as O from "fp-ts/lib/Option.js";
import { expect } from "vitest";
import type { EventSink, Violation } from "../../src/sim/engine.js";
import type { TraceVersion } from "../../src/sim/trace.js";
import { findJar, findJava, type TlcSetup } from "../../src/tla/tlc.js";
import type { EngineName } from "../../src/tla/types.js";
import { encodeTrace, parseTrace, readTrace, type Trace } from "../../src/trace/codec.js";
import { type Corruption, corrupt } from "../../src/trace/fixtures.js";
import { formatNdjson } from "../../src/trace/ndjson.js";
import { type ValidationResult, validateTraces } from "../../src/trace/validate.js";

/** The committed traces of a protocol: traces/<protocol>/{good,bad}/<name>.ndjson. */
export function traceFixtures(protocol: string) {
  const dir = fileURLToPath(new URL(`../../traces/${protocol}`, import.meta.url));
  return {
    dir,
    good: (name: string) => `${dir}/good/${name}.ndjson`,
    bad: (name: string) => `${dir}/bad/${name}.ndjson`,
  };
}

/** TLC (jar and Java), when found through TLA2TOOLS_JAR or the user cache; null otherwise. */
export const tlcSetup: TlcSetup | null = (() => {
  try {
    const jar = findJar();
    const java = findJava();
    return jar && java ? { jar, java } : null;
  } catch {
    return null;
  }
})();

/** The engines the validation tests run on; TLC is skipped where it is not found. */
export const engines = [
  { engine: "embedded" as const, skip: false },
  { engine: "tlc" as const, skip: !tlcSetup },
];

/** The bad trace `c.name` is its good trace with exactly the one documented corruption. */
export function expectOneCorruption(g: Trace, b: Trace, c: Corruption): void {
  expect(formatNdjson(encodeTrace(b))).toBe(formatNdjson(encodeTrace(corrupt(g, c))));
  const changed = b.events.filter(
    (e, k) =>
      JSON.stringify(encodeTrace({ header: b.header, events: [e] })) !==
      JSON.stringify(encodeTrace({ header: g.header, events: [g.events[k] as typeof e] })),
  );
  expect(changed.map((e) => e.i)).toEqual([c.event]);
}

/** Each good trace validated, with no problems, and every event of it checked. */
export function expectAllAccepted(
  { results, problems }: { results: ValidationResult[]; problems: unknown[] },
  files: ReadonlyArray<string>,
  engine: EngineName,
): void {
  expect(problems).toEqual([]);
  for (const r of results) {
    expect(r, r.file).toMatchObject({ ok: true, engine });
    expect(r.failedAt).toBeUndefined();
  }
  expect(results.map((r) => r.events)).toEqual(files.map((f) => readTrace(f).events.length));
}

/** The bad trace of `c` rejected at the corrupted event, naming the corrupted variables. */
export function expectRejectedAt(
  r: ValidationResult | undefined,
  c: Corruption,
  engine: EngineName,
): void {
  expect(r, c.name).toMatchObject({
    ok: false,
    engine,
    failedAt: c.event,
    line: c.event + 2,
  });
  expect(r?.action, c.name).toMatch(new RegExp(`^${c.action}\\(`));
  expect(
    r?.diff?.map((d) => d.variable),
    c.name,
  ).toEqual(c.diff);
}

/** One seeded simulator run's trace as NDJSON text, and its violation if a TS invariant broke. */
export function simTrace<R extends { readonly violation: O.Option<Violation> }, S, A>(
  traceWriter: (write: (parts: ReadonlyArray<Buffer>) => void) => {
    event: EventSink<S, A>;
    flush: () => void;
  },
  headerLine: (r: R, version?: TraceVersion) => string,
  simulate: (sink: EventSink<S, A>) => R,
): { text: string; violation: R["violation"] } {
  const parts: Buffer[] = [];
  const w = traceWriter((p) => parts.push(...p));
  const r = simulate((i, a, c) => w.event(i, a, c));
  w.flush();
  const text = `${headerLine(r)}\n${Buffer.concat(parts).toString()}`;
  return { text, violation: r.violation };
}

/** Simulator traces with every fault on validate with the embedded engine and do `actions`. */
export async function expectBehaviours(
  good: Trace[],
  count: number,
  actions: ReadonlyArray<string>,
): Promise<void> {
  const results = await validateTraces(good, { engine: "embedded" });
  expect(results).toHaveLength(count);
  for (const r of results)
    expect(r, `${r.file}: ${JSON.stringify(r.diff)}`).toMatchObject({ ok: true });
  // The runs are not trivial: the protocol makes progress and faults strike somewhere.
  const done = new Set(good.flatMap((t) => t.events.map((e) => e.action)));
  for (const a of actions) expect(done).toContain(a);
}

/** The same traces validate with TLC. */
export async function expectTlcAccepts(good: Trace[]): Promise<void> {
  const results = await validateTraces(good, { engine: "tlc" });
  expect(results.filter((r) => !r.ok).map((r) => r.file)).toEqual([]);
}

/**
 * How a bug in the implementation is caught within seeds 1..200: a run breaking a TS invariant
 * or a trace the embedded engine rejects; undefined if it went unnoticed.
 */
export async function catchBug(
  run: (seed: number) => { text: string; violation: O.Option<Violation> },
): Promise<string | undefined> {
  let caught: string | undefined;
  for (let seed = 1; seed <= 200 && !caught; seed++) {
    const r = run(seed);
    if (O.isSome(r.violation)) caught = `seed ${seed}: ${r.violation.value.invariants.join(", ")}`;
    else {
      const [v] = await validateTraces([parseTrace(r.text, `seed-${seed}.ndjson`)], {
        engine: "embedded",
      });
      if (v && !v.ok) caught = `seed ${seed}: trace rejected at event ${v.failedAt} (${v.action})`;
    }
  }
  return caught;
}
