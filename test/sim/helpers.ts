/** What the simulator's command-line tests share, whatever the protocol. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { main } from "../../src/sim/cli.js";
import type { EventSink } from "../../src/sim/engine.js";
import { faultNames } from "../../src/sim/faults.js";
import type { TraceVersion } from "../../src/sim/trace.js";

/** Run `npm run sim` in-process with `args`; its exit code and what it printed. */
export async function runSim(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/** A fresh scratch directory for traces. */
export const scratchDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** Run `args` twice, into two directories, and read `file` from each. */
export async function runTwice(
  args: string[],
  file: string,
  prefix: string,
): Promise<[Buffer, Buffer]> {
  const [a, b] = [scratchDir(prefix), scratchDir(prefix)];
  await runSim([...args, "--out", a]);
  await runSim([...args, "--out", b]);
  return [readFileSync(join(a, file)), readFileSync(join(b, file))];
}

/** A protocol's simulator as the trace tests drive it. */
export interface TracedSimulator<Options, S, A, R> {
  readonly withDefaults: (o: Partial<Options>) => Options;
  readonly simulate: (o: Options, sink?: EventSink<S, A>) => R;
  readonly traceWriter: (
    write: (parts: ReadonlyArray<Buffer>) => void,
    version: TraceVersion,
  ) => { event: EventSink<S, A>; flush: () => void };
  readonly headerLine: (r: R, version: TraceVersion) => string;
  readonly eventLine: (i: number, action: A | undefined, next: S) => string;
}

/** The trace of a run, as NDJSON text (format version 2 unless asked for 1). */
export const traceOf =
  <Options, S, A, R>(p: TracedSimulator<Options, S, A, R>) =>
  (o: Partial<Options>, version: TraceVersion = 2): string => {
    const parts: Buffer[] = [];
    const w = p.traceWriter((x) => parts.push(...x), version);
    const r = p.simulate(p.withDefaults(o), (i, a, c) => w.event(i, a, c));
    w.flush();
    return `${p.headerLine(r, version)}\n${Buffer.concat(parts).toString()}`;
  };

/** The determinism tests every protocol's simulator passes (inside a describe). */
export function determinismTests<Options extends { seed: number }, S, A, R>(
  p: TracedSimulator<Options, S, A, R>,
): void {
  const trace = traceOf(p);
  const run = (seed: number) =>
    ({ seed, steps: 400, faults: faultNames }) as unknown as Partial<Options>;
  it.each([1, 2] as const)(
    "the same seed gives byte-identical traces; another seed does not (version %i)",
    (version) => {
      const a = trace(run(42), version);
      expect(trace(run(42), version)).toBe(a);
      expect(trace(run(43), version)).not.toBe(a);
    },
  );

  it("the buffered writer prints exactly eventLine's lines in version 1", () => {
    const o = { seed: 5, steps: 200, faults: faultNames } as unknown as Partial<Options>;
    const lines: string[] = [];
    const r = p.simulate(p.withDefaults(o), (i, a, c) => lines.push(p.eventLine(i, a, c)));
    expect(trace(o, 1)).toBe(`${p.headerLine(r, 1)}\n${lines.join("\n")}\n`);
  });
}
