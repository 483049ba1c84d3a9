/**
 * `npm run replay -- FILE… [--bug X,Y | --no-bug] [--json]`: replay counterexamples (trace files
 * as `npm run tlc` writes them) on the implementation, step by step (replay.ts). By default the
 * bugs the file's model switched on (its header's Bug… constants) are switched on.
 *
 * `npm run replay -- --fixtures [protocol…]` regenerates traces/<protocol>/counterexamples: each
 * bug model's counterexample found by TLC (one worker), kept only when it replays with the bug
 * on and fails with it off; `expected.json` records the step where it fails.
 *
 * Exit status: 0 every replay matched (or the fixtures were written), 1 one did not, 2 bad input.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import type { ProtocolModule } from "../protocol.js";
import { protocols } from "../registry.js";
import { resolveEngine } from "../tla/engine.js";
import { discoverModels } from "../tla/models.js";
import { runChecks } from "../tla/run.js";
import { writeCounterexampleTrace } from "../tla/trace-file.js";
import { readTrace, type Trace } from "./codec.js";
import { TraceError } from "./ndjson.js";
import { bugConstant, bugsOf, codeBugs, type ReplayResult, replayTrace } from "./replay.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const root = fileURLToPath(new URL("../../", import.meta.url));
export const counterexampleDir = (p: string) => join(root, "traces", p, "counterexamples");
export const EXPECTED = "expected.json";

/** What `expected.json` records per counterexample file. */
export interface ExpectedReplay {
  /** The bugs the model switches on (the replay with them must match). */
  bugs: string[];
  /** With no bug: the step where the replay stops, and its action. */
  failsAt: number;
  action: string;
}

function program(io: CliIo): Command {
  return new Command("replay")
    .description(
      "Replay counterexamples (trace files written by npm run tlc) on the implementation, step by step",
    )
    .argument("[files...]", "counterexample trace files (.ndjson, or ITF .json)")
    .option("--bug <names>", "switch on these bugs (comma-separated) instead of the model's")
    .option("--no-bug", "switch every bug off")
    .option("--json", "print one JSON object per file")
    .option(
      "--fixtures",
      "regenerate traces/<protocol>/counterexamples for the protocols named (default: all) with TLC",
    )
    .addHelpText(
      "after",
      `
A step agrees when its action with its arguments is enabled in the implementation and its
state, abstracted to the spec's variables, is the step's. By default the bugs the file's header
switches on are on; --bug and --no-bug override that.
Exit status: 0 every replay matched (or fixtures written), 1 one did not, 2 bad input.
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

const moduleOf = (t: Trace): ProtocolModule => {
  const m = protocols().find((p) => p.name === t.header.protocol.name);
  if (m === undefined)
    throw new UserError(`${t.file}: protocol ${t.header.protocol.name} is not registered`);
  return m;
};

function report(r: ReplayResult, io: CliIo): void {
  const bugs = r.bugs.length === 0 ? "no bug" : `bug ${r.bugs.join(",")}`;
  for (const s of r.steps)
    io.stdout.write(`  ${s.ok ? "ok  " : "FAIL"} ${String(s.step).padStart(3)}. ${s.action}\n`);
  const last = r.steps.at(-1);
  if (!r.ok && last) {
    io.stdout.write(`       ${last.reason ?? ""}\n`);
    for (const d of last.diff ?? [])
      for (const l of d.detail)
        io.stdout.write(`       ${d.variable}${l.replace(", spec ", ", implementation ")}\n`);
  }
  io.stdout.write(
    `${r.ok ? "ok  " : "FAIL"} ${r.file}  ${bugs}: ${
      r.ok ? `all ${r.steps.length} steps agree` : `step ${r.failedAt} disagrees`
    }\n`,
  );
}

export async function main(
  argv: ReadonlyArray<string>,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  return runCommand(program(io), argv, io.stderr, async (cmd, signal) => {
    const o = cmd.opts<{ bug?: string | boolean; json?: boolean; fixtures?: boolean }>();
    if (o.fixtures) return writeCounterexampleFixtures(cmd.args, io, signal);
    if (cmd.args.length === 0)
      throw new UserError(
        "no counterexample given; run npm run replay -- FILE.ndjson (see --help)",
      );
    let failed = false;
    for (const f of cmd.args) {
      let t: Trace;
      try {
        t = readTrace(f);
      } catch (e) {
        if (e instanceof TraceError) throw new UserError(e.message);
        throw e;
      }
      const m = moduleOf(t);
      if (m.implementation === undefined)
        throw new UserError(`${f}: protocol ${m.name} has no implementation to replay on`);
      const bugs =
        o.bug === false
          ? []
          : typeof o.bug === "string"
            ? o.bug.split(",").filter((b) => b !== "")
            : bugsOf(m, t);
      const unknown = bugs.find((b) => !codeBugs(m).includes(b));
      if (unknown !== undefined)
        throw new UserError(
          `--bug ${unknown}: not a bug of ${m.name} (its bugs: ${codeBugs(m).join(", ")})`,
        );
      const r = replayTrace(m, t, bugs);
      if (o.json) io.stdout.write(`${JSON.stringify(r)}\n`);
      else report(r, io);
      failed ||= !r.ok;
    }
    return failed ? 1 : 0;
  });
}

/**
 * The bug models of a protocol: models whose control switches one of its bugs off (so the bug
 * model violates an invariant with it on).
 */
export function bugModels(m: ProtocolModule) {
  const all = discoverModels(join(root, "spec")).filter((x) => x.protocol === m.name);
  return all.filter(
    (x) =>
      x.controlOf === undefined &&
      x.expect !== "pass" &&
      bugOfModel(m, x) !== undefined &&
      all.some((c) => c.controlOf === x.name),
  );
}

/** The bug a bug model switches on (its cfg sets the bug's constant to TRUE). */
export function bugOfModel(
  m: ProtocolModule,
  model: { cfgPath: string; cfgText?: string },
): string | undefined {
  const text = model.cfgText ?? readFileSync(model.cfgPath, "utf8");
  return codeBugs(m).find((b) => new RegExp(`\\b${bugConstant(b)}\\s*=\\s*TRUE`).test(text));
}

/**
 * The fixture file of a bug model's counterexample: the model's name without the protocol's
 * model module in front (`<module>BugFoo` → `BugFoo.ndjson`), because model names of one
 * protocol may contain another's (a camel-case part), which the registry test forbids here.
 */
export const counterexampleFile = (m: ProtocolModule, model: string) =>
  `${model.startsWith(m.spec.model) ? model.slice(m.spec.model.length) : model}.ndjson`;

async function writeCounterexampleFixtures(
  names: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const chosen = (names.length > 0 ? names : protocols().map((p) => p.name)).map((n) => {
    const p = protocols().find((x) => x.name === n);
    if (p === undefined)
      throw new UserError(
        `unknown protocol "${n}"; known protocols: ${protocols()
          .map((x) => x.name)
          .join(", ")}`,
      );
    return p;
  });
  const engine = resolveEngine("tlc", process.env);
  let bad = false;
  for (const m of chosen) {
    const models = bugModels(m);
    const dir = counterexampleDir(m.name);
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) rmSync(join(dir, f));
    const results = await runChecks(models, engine, { jobs: 1, workers: 1, signal });
    const expected: Record<string, ExpectedReplay> = {};
    for (const [k, r] of results.entries()) {
      const model = models[k];
      if (!model) continue;
      const written = await writeCounterexampleTrace(model, r, dir);
      if (!written || "error" in written) {
        // A model of another module (one that adds history variables, with a Next the trace
        // cannot name step by step) has no replayable counterexample: said, not an error.
        const other = model.module !== m.spec.model && written !== undefined;
        io.stderr.write(
          `${m.name}: ${model.name}: no counterexample${other ? " kept" : ""} (${written ? written.error : r.outcome})\n`,
        );
        if (!other) bad = true;
        continue;
      }
      const name = counterexampleFile(m, model.name);
      const file = join(dir, name);
      // The model is named in the header's seed only by its file's name (see counterexampleFile).
      const lines = readFileSync(written.file, "utf8").split("\n");
      const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
      header.seed = `counterexample of the model ${name.replace(/\.ndjson$/, "")} (tlc)`;
      writeFileSync(file, [JSON.stringify(header), ...lines.slice(1)].join("\n"));
      rmSync(written.file);
      const t = readTrace(file);
      const bugs = bugsOf(m, t);
      const on = replayTrace(m, t, bugs);
      const off = replayTrace(m, t, []);
      const step = off.steps.at(-1);
      if (!on.ok || off.ok || !step) {
        io.stderr.write(
          `${m.name}: ${model.name}: ${!on.ok ? `does not replay with ${bugs.join(",")} on (step ${on.failedAt}: ${on.steps.at(-1)?.reason})` : "replays with every bug off too"}\n`,
        );
        bad = true;
        continue;
      }
      expected[name] = { bugs, failsAt: off.failedAt ?? 0, action: step.action };
      io.stdout.write(
        `${m.name}: wrote counterexamples/${name} (${t.events.length} steps; bug off: fails at step ${off.failedAt}, ${step.action})\n`,
      );
    }
    writeFileSync(join(dir, EXPECTED), `${JSON.stringify(expected, null, 2)}\n`);
  }
  return bad ? 1 : 0;
}

/**
 * `npm run tlc`'s replay of a counterexample it just wrote (a bug model's): whether it replays
 * on the implementation with the model's bugs on, as one line, and whether the model fails for
 * it. A disagreement kept in traces/<protocol>/counterexamples as known (a file there not in
 * expected.json) is reported without failing the model. Undefined for a trace with no bug on,
 * or a protocol without an implementation.
 */
export function replayWritten(
  file: string,
  model: string,
): { line: string; fails: boolean } | undefined {
  const t = readTrace(file);
  const m = protocols().find((p) => p.name === t.header.protocol.name);
  if (m?.implementation === undefined) return undefined;
  const bugs = bugsOf(m, t);
  if (bugs.length === 0) return undefined;
  const r = replayTrace(m, t, bugs);
  if (r.ok)
    return {
      line: `${model}: the counterexample replays on the implementation with ${bugs.join(",")} on (${r.steps.length} steps)`,
      fails: false,
    };
  const dir = counterexampleDir(m.name);
  const name = counterexampleFile(m, model.replace(/ \(.*\)$/, ""));
  const known =
    existsSync(join(dir, name)) &&
    !(
      existsSync(join(dir, EXPECTED)) &&
      name in JSON.parse(readFileSync(join(dir, EXPECTED), "utf8"))
    );
  const step = r.steps.at(-1);
  return {
    line: `${model}: the counterexample does not replay on the implementation with ${bugs.join(",")} on: step ${r.failedAt}: ${step?.reason ?? "?"}${known ? ` (a known disagreement, kept in traces/${m.name}/counterexamples)` : ""}`,
    fails: !known,
  };
}
