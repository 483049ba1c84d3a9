/**
 * `npm run sim -- --protocol P [--seed N | --seeds A..B] [--steps K] [size flags of P]
 *   [--faults drop,dup,reorder,partition,crash,reconfig|all] [--bug NAME] [--out DIR]
 *   [--full-state | --trace-version 1|2|3] [--itf DIR]`
 * The protocols, their size flags (with defaults and bounds), bugs and invariants come from
 * the registered protocol modules. Writes DIR/<protocol>-seed-N.ndjson per seed (and with --itf
 * the same run as an ITF file, <protocol>-seed-N.itf.json) and prints one line per seed. Exit
 * status: 0 when every run kept the invariants, 1 when one broke them, 2 for bad usage (one
 * line naming the flag, nothing written).
 */
import { closeSync, openSync, writeSync, writevSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import * as O from "fp-ts/lib/Option.js";
import { ensureDirectory, fsUserError, runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import type { ProtocolModule } from "../protocol.js";
import { protocols } from "../registry.js";
import { encodeTrace, parseTrace } from "../trace/codec.js";
import { writableDir, writeWhole } from "../trace/files.js";
import { toItfTrace } from "../trace/itf-export.js";
import { formatNdjson } from "../trace/ndjson.js";
import { partialTrace } from "../trace/partial.js";
import { parseFaults } from "./faults.js";
import { parseBugSwitches, parseInvariantNames } from "./options.js";
import type { SimProtocol, SizeFlag } from "./protocol.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export const DEFAULT_OUT = "traces/out";

/** Seeds are 32-bit (the PRNG mixes a seed as a 32-bit word, so larger ones would repeat runs). */
export const MAX_SEED = 2 ** 32 - 1;
/** Seeds one invocation runs at most (each writes a trace file). */
export const MAX_SEEDS = 100_000;
/** Events per run at most (a run of a million events is a trace of a few hundred MB). */
export const MAX_STEPS = 1_000_000;
/** Message copies in flight at most. */
export const MAX_MESSAGES = 10_000;

const fmt = (n: number) => n.toLocaleString("en-US");

/** An integer from `min` to `max` (commander names the flag and the value). */
const integer =
  (min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${fmt(min)} to ${fmt(max)}`);
    return n;
  };

/** Any integer ≥ 1 here; the protocol's bounds are checked once the protocol is known. */
const sizeValue = (v: string): number => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError("expected a positive integer");
  return n;
};

const seedRange = (v: string): readonly [number, number] => {
  const m = /^(\d+)\.\.(\d+)$/.exec(v);
  if (m === null) throw new InvalidArgumentError('expected a range "A..B", e.g. 1..100');
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a > b) throw new InvalidArgumentError(`empty range ${v}; give A <= B`);
  if (b > MAX_SEED) throw new InvalidArgumentError(`seeds go from 0 to ${fmt(MAX_SEED)}`);
  if (b - a + 1 > MAX_SEEDS)
    throw new InvalidArgumentError(
      `${fmt(b - a + 1)} seeds; at most ${fmt(MAX_SEEDS)} per run (split the range)`,
    );
  return [a, b];
};

interface CliOptions {
  protocol: string;
  seed?: number;
  seeds?: readonly [number, number];
  steps: number;
  faults: string;
  bug?: string;
  out: string;
  maxMessages?: number;
  invariants?: string;
  fullState?: boolean;
  traceVersion?: 1 | 2 | 3;
  itf?: string;
  log?: string;
  omit?: string;
}

/** "p: a, b; q: c" — a per-protocol list for the help text. */
const perProtocol = (f: (p: SimProtocol) => ReadonlyArray<string>): string =>
  protocols()
    .map((p) => `${p.name}: ${f(p.sim).join(", ")}`)
    .join("; ");

/** Every protocol's size flags, each once, with the protocols it sizes. */
function sizeFlags(): ReadonlyArray<readonly [SizeFlag, ReadonlyArray<ProtocolModule>]> {
  const byName = new Map<string, [SizeFlag, ProtocolModule[]]>();
  for (const p of protocols())
    for (const f of p.sim.sizes) {
      const seen = byName.get(f.name);
      if (seen) seen[1].push(p);
      else byName.set(f.name, [f, [p]]);
    }
  return [...byName.values()];
}

/** The module called `name`, or a one-line error listing the known ones. */
function protocolNamed(name: string): ProtocolModule {
  const p = protocols().find((x) => x.name === name);
  if (p === undefined)
    throw new UserError(
      `unknown protocol "${name}"; known protocols: ${protocols()
        .map((x) => x.name)
        .join(", ")}`,
    );
  return p;
}

function program(io: CliIo): Command {
  const cmd = new Command("sim")
    .description("Run seeded simulations and write one NDJSON trace per seed")
    .option(
      "--protocol <name>",
      `protocol to simulate (${protocols()
        .map((p) => p.name)
        .join(", ")})`,
      (protocols()[0] as ProtocolModule).name,
    )
    .addOption(
      new Option("--seed <n>", `one seed (0–${fmt(MAX_SEED)}, default 1)`)
        .argParser(integer(0, MAX_SEED))
        .conflicts("seeds"),
    )
    .addOption(
      new Option(
        "--seeds <a..b>",
        `a range of seeds, inclusive (at most ${fmt(MAX_SEEDS)} seeds)`,
      ).argParser(seedRange),
    )
    .addOption(
      new Option("--steps <k>", `events per run after Init (1–${fmt(MAX_STEPS)})`)
        .argParser(integer(1, MAX_STEPS))
        .default(500),
    );
  for (const [f, owners] of sizeFlags()) {
    const where = owners.map((p) => p.name).join(", ");
    cmd.option(
      `--${f.name} <n>`,
      `${where}: ${f.description} (${f.min}–${f.max}, default ${f.default})`,
      sizeValue,
    );
  }
  return cmd
    .option(
      "--faults <list>",
      `comma-separated faults, or all (${perProtocol((p) => p.faults)})`,
      "",
    )
    .option("--bug <names>", `switch on spec bugs (${perProtocol((p) => p.bugNames)})`)
    .option(
      "--max-messages <n>",
      `message copies in flight before the oldest is dropped (1–${fmt(MAX_MESSAGES)}; default: the protocol's for the system's size)`,
      integer(1, MAX_MESSAGES),
    )
    .option(
      "--invariants <list>",
      `invariants to check after every step (default: all — ${perProtocol((p) => p.invariantNames)})`,
    )
    .option("--out <dir>", "directory for the traces", DEFAULT_OUT)
    .addOption(
      new Option(
        "--full-state",
        "write trace format version 1: every spec variable on every line (same as --trace-version 1)",
      ).conflicts("traceVersion"),
    )
    .addOption(
      new Option(
        "--trace-version <n>",
        "trace format version: 3 (default) logs what each event changed as updates, 2 the variables it changed whole, 1 every variable (traces/FORMAT.md)",
      ).argParser((v): 1 | 2 | 3 => {
        if (v !== "1" && v !== "2" && v !== "3")
          throw new InvalidArgumentError("expected 1, 2 or 3");
        return Number(v) as 1 | 2 | 3;
      }),
    )
    .option(
      "--log <variables>",
      "write a partial trace logging only these spec variables, comma-separated (traces/FORMAT.md, Partial traces)",
    )
    .option(
      "--omit <actions>",
      "leave these actions' events out of the trace, e.g. DropMessage (the header allows the validator to put them back)",
    )
    .option(
      "--itf <dir>",
      "also write each run as an ITF file (<protocol>-seed-N.itf.json, full states) into <dir>",
    )
    .addHelpText(
      "after",
      `
Size bounds (given with each flag) keep every run's trace small: reconfiguration may target
any non-empty subset of a role's N processes (2^N - 1 configurations, all listed in the trace
header), and messages go to every member. The defaults that depend on the system's size
(message copies in flight, timers) grow with the sizes given, so that a run of any allowed
size elects a leader and decides within the default steps.
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

/**
 * The chosen protocol's sizes from the parsed options; a size flag of another protocol, or one
 * out of its bounds, is a one-line error.
 */
function sizesFor(p: ProtocolModule, opts: Record<string, unknown>): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const [f, owners] of sizeFlags()) {
    const v = opts[f.name];
    if (v === undefined) continue;
    const own = p.sim.sizes.find((x) => x.name === f.name);
    if (own === undefined || !owners.includes(p))
      throw new UserError(
        `--${f.name} does not apply to ${p.name}; size it with ${p.sim.sizes.map((x) => `--${x.name}`).join(", ")}`,
      );
    if (typeof v !== "number" || v < own.min || v > own.max)
      throw new UserError(
        `--${f.name} ${String(v)}: expected an integer from ${own.min} to ${own.max}`,
      );
    sizes[f.name] = v;
  }
  return sizes;
}

/** A run's trace as an implementation logging only `--log` and none of `--omit` writes it. */
function partialText(text: string, file: string, o: CliOptions): string {
  const t = parseTrace(text, file);
  const partial = partialTrace(t, {
    ...(o.log === undefined ? {} : { logged: o.log.split(",") }),
    ...(o.omit === undefined ? {} : { omit: o.omit.split(",") }),
  });
  return formatNdjson(encodeTrace(partial, t.header.version ?? 3));
}

/** Write a run's trace: the header first, then the events the writer collected. */
function writeTrace(file: string, header: string, parts: ReadonlyArray<Buffer>): void {
  const fd = openSync(file, "w");
  try {
    writeSync(fd, `${header}\n`);
    for (let k = 0; k < parts.length; k += 1024)
      writevSync(fd, parts.slice(k, k + 1024) as Buffer[]);
  } finally {
    closeSync(fd);
  }
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  return runCommand(program(io), argv, io.stderr, async (cmd) =>
    simulateSeeds(cmd.opts<CliOptions & Record<string, unknown>>(), io),
  );
}

/** `parse()`, with a one-line error from it prefixed by the flag it parses. */
function flag<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof Error) throw new UserError(`${name}: ${e.message}`);
    throw e;
  }
}

function simulateSeeds(o: CliOptions & Record<string, unknown>, io: CliIo): number {
  let run: ReturnType<SimProtocol["prepare"]>;
  try {
    const p = protocolNamed(o.protocol);
    const faults = flag("--faults", () => parseFaults(o.faults, p.sim.faults));
    // Checked here too, so that the error names the flag; prepare checks them again.
    const { bug, invariants } = o;
    if (bug !== undefined)
      flag("--bug", () =>
        parseBugSwitches(
          bug,
          p.sim.bugNames,
          Object.fromEntries(p.sim.bugNames.map((b) => [b, false])),
        ),
      );
    if (invariants !== undefined)
      flag("--invariants", () => parseInvariantNames(invariants, p.sim.invariantNames));
    run = p.sim.prepare({
      steps: o.steps,
      faults,
      sizes: sizesFor(p, o),
      ...(bug === undefined ? {} : { bugs: bug }),
      ...(invariants === undefined ? {} : { invariants }),
      ...(o.maxMessages === undefined ? {} : { maxMessages: o.maxMessages }),
      ...(o.fullState === true ? { fullState: true } : {}),
      ...(o.traceVersion === undefined ? {} : { traceVersion: o.traceVersion }),
    });
    if (o.itf !== undefined) writableDir(o.itf, "--itf");
    const vars = p.trace.variables.map((v) => v.name);
    const badVar = o.log?.split(",").find((v) => !vars.includes(v));
    if (badVar !== undefined)
      throw new UserError(
        `--log ${o.log}: "${badVar}" is not a variable of ${p.spec.module} (its variables: ${vars.join(", ")})`,
      );
    const badAction = o.omit?.split(",").find((a) => p.trace.actions[a] === undefined);
    if (badAction !== undefined)
      throw new UserError(
        `--omit ${o.omit}: "${badAction}" is not an action of ${p.spec.module} (its actions: ${Object.keys(p.trace.actions).join(", ")})`,
      );
  } catch (e) {
    // prepare checks options only: whatever it throws is about them (one line).
    io.stderr.write(`sim: ${(e as Error).message.split("\n")[0]}\n`);
    return 2;
  }
  const [from, to] = o.seeds ?? [o.seed ?? 1, o.seed ?? 1];
  try {
    ensureDirectory(o.out, "--out");
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    io.stderr.write(`sim: ${e.message}\n`);
    return 2;
  }
  let violations = 0;
  for (let seed = from; seed <= to; seed++) {
    const parts: Buffer[] = [];
    const r = run(seed, (p) => parts.push(...p));
    const file = join(o.out, `${o.protocol}-seed-${seed}.ndjson`);
    try {
      if (o.log !== undefined || o.omit !== undefined)
        writeWhole(file, partialText(`${r.header}\n${Buffer.concat(parts).toString()}`, file, o));
      else writeTrace(file, r.header, parts);
    } catch (e) {
      const u = fsUserError(e, `--out ${o.out}`);
      if (!(u instanceof UserError)) throw e;
      io.stderr.write(`sim: ${u.message}\n`);
      return 2;
    }
    if (o.itf !== undefined) {
      const itf = join(o.itf, `${o.protocol}-seed-${seed}.itf.json`);
      const trace = parseTrace(`${r.header}\n${Buffer.concat(parts).toString()}`, file);
      try {
        writeWhole(itf, `${JSON.stringify(toItfTrace(trace))}\n`);
      } catch (e) {
        const u = fsUserError(e, `--itf ${o.itf}`);
        if (!(u instanceof UserError)) throw e;
        io.stderr.write(`sim: ${u.message}\n`);
        return 2;
      }
    }
    if (O.isSome(r.violation)) {
      const v = r.violation.value;
      violations++;
      io.stdout.write(
        `${o.protocol} seed=${seed}: invariant ${v.invariants.join(", ")} violated at event ${v.step} -> ${file}\n`,
      );
    } else io.stdout.write(`${o.protocol} seed=${seed} ${r.summary} -> ${file}\n`);
  }
  if (violations > 0 && from !== to)
    io.stdout.write(`${violations} of ${to - from + 1} seeds violated an invariant\n`);
  return violations > 0 ? 1 : 0;
}
