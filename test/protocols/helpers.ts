/** Running any registered protocol's simulator through its module, as the CLIs do. */
import * as O from "fp-ts/lib/Option.js";
import type { BugHunt, ProtocolModule } from "../../src/protocol.js";
import type { Fault } from "../../src/sim/faults.js";
import type { RunReport } from "../../src/sim/protocol.js";
import { parseTrace, type Trace } from "../../src/trace/codec.js";
import { validateTraces } from "../../src/trace/validate.js";

export interface Run extends RunReport {
  /** The run's trace as NDJSON text. */
  readonly text: string;
}

/** One seeded run of p with these options, and its trace. */
export function run(
  p: ProtocolModule,
  seed: number,
  o: {
    readonly steps: number;
    readonly faults: ReadonlyArray<Fault>;
    readonly sizes?: Readonly<Record<string, number>>;
    readonly bugs?: string;
    readonly fullState?: boolean;
  },
): Run {
  const parts: Buffer[] = [];
  const r = p.sim.prepare(o)(seed, (x) => parts.push(...x));
  return { ...r, text: `${r.header}\n${Buffer.concat(parts).toString()}` };
}

/** The run's trace, decoded. */
export const traceOf = (r: Run, file: string): Trace => parseTrace(r.text, file);

/** A hunt's run of `seed`, its bug switched on. */
export const huntRun = (p: ProtocolModule, h: BugHunt, seed: number): Run =>
  run(p, seed, {
    steps: h.steps ?? 300,
    faults: h.faults,
    bugs: h.bug,
    ...(h.sizes ? { sizes: h.sizes } : {}),
  });

export const noViolation = (r: Run): boolean => O.isNone(r.violation);

/**
 * How a hunt's bug is caught within seeds 1..200: a run that breaks a TS invariant, or else a
 * trace the embedded engine rejects; undefined if it went unnoticed. The same verdict as
 * checking each seed both ways in turn (test/trace/helpers.ts `catchBug`), in the order of
 * cost: every run is simulated first (milliseconds each), and only when none breaks a TS
 * invariant are the traces validated, seed by seed until one is rejected (seconds each).
 */
export async function huntBug(p: ProtocolModule, h: BugHunt): Promise<string | undefined> {
  const seeds = Array.from({ length: 200 }, (_, k) => k + 1);
  for (const seed of seeds) {
    const r = huntRun(p, h, seed);
    if (O.isSome(r.violation)) return `seed ${seed}: ${r.violation.value.invariants.join(", ")}`;
  }
  for (const seed of seeds) {
    const trace = traceOf(huntRun(p, h, seed), `${p.name}-${h.bug}-seed-${seed}.ndjson`);
    const [v] = await validateTraces([trace], { engine: "embedded" });
    if (v && !v.ok) return `seed ${seed}: trace rejected at event ${v.failedAt} (${v.action})`;
  }
  return undefined;
}
