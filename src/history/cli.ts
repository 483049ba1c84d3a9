/**
 * `npm run linearizable -- FILE [--model M] [--svg OUT] [--budget-ms N]`: check a recorded
 * history. Exit 0: linearizable; 1: not (the failing partition and a minimal sub-history are
 * printed); 2: bad input, or no answer within the budget.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { fsUserError, isFsError, runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import { check } from "./check.js";
import { decodeHistory, type Operation, readHeader } from "./history.js";
import { type AnyModel, modelNames, models } from "./models.js";
import { timelineSvg } from "./svg.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Write beside the target, then rename: a reader never sees half a file. */
function writeWhole(path: string, text: string, source: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was written there (e.g. a part of the path is a file).
    }
    // Name the file the user asked for, not the temporary one beside it.
    if (isFsError(e)) {
      e.path = path;
      delete e.dest;
    }
    throw fsUserError(e, source);
  }
}

const line = (model: AnyModel, op: Operation): string =>
  `  #${op.id} ${op.client} [${op.call}, ${op.return ?? "pending"}] ${model.describe(
    op.input,
    op.return === null ? undefined : op.output,
  )}`;

function budgetMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0)
    throw new UserError(
      `--budget-ms ${text}: not a positive whole number of milliseconds; give e.g. --budget-ms 60000`,
    );
  return n;
}

export async function main(
  argv: ReadonlyArray<string>,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const cmd = new Command("linearizable")
    .description("Check that a recorded history of client operations is linearizable")
    .argument("<file>", "the history (NDJSON: a header line, then one operation a line)")
    .option(
      "--model <name>",
      `the sequential model (${modelNames().join(", ")}); default: the header's`,
    )
    .option("--svg <file>", "also draw the history (a violation: its partition) as an SVG timeline")
    .option("--budget-ms <n>", "give up (exit 2) after this many milliseconds")
    .addHelpText(
      "after",
      `
Exit status: 0 linearizable, 1 not (the failing partition and a minimal sub-history are
printed), 2 bad input or no answer within --budget-ms.
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runCommand(cmd, argv, io.stderr, async (c) => {
    const file = c.args[0] as string;
    const o = c.opts<{ model?: string; svg?: string; budgetMs?: string }>();
    const ms = budgetMs(o.budgetMs);
    const text = readFileSync(file, "utf8");
    const header = readHeader(text, file);
    const name = o.model ?? header.model;
    const model = models.get(name);
    if (model === undefined)
      throw new UserError(
        `${o.model === undefined ? `${file}:1` : `--model ${name}`}: unknown model "${name}"; known models: ${modelNames().join(", ")}`,
      );
    const h = decodeHistory(text, file, model.name, model);
    const out = (s = "") => io.stdout.write(`${s}\n`);
    const r = check(model, h.ops, ms === undefined ? {} : { ms });
    if (r.verdict === "unknown")
      throw new UserError(
        `${file}: no answer within --budget-ms ${ms} (${r.reason}${r.partition === undefined ? "" : `, partition "${r.partition}"`}); raise --budget-ms`,
      );
    if (r.verdict === "linearizable") {
      if (o.svg !== undefined) writeWhole(o.svg, timelineSvg(model, h.ops), `--svg ${o.svg}`);
      out(
        `linearizable: ${h.ops.length} operations (model ${model.name}, ${r.partitions} partition${r.partitions === 1 ? "" : "s"})`,
      );
      if (o.svg !== undefined) out(`timeline: ${o.svg}`);
      return 0;
    }
    const where = r.partition === undefined ? "" : ` in partition "${r.partition}"`;
    // The picture first: a path that cannot be written ends the run before any verdict prints.
    if (o.svg !== undefined) {
      const svg = timelineSvg(model, r.ops, {
        highlight: r.minimal.map((x) => x.id),
        title: `${model.name}: not linearizable${where}; the minimal sub-history in red`,
      });
      writeWhole(o.svg, svg, `--svg ${o.svg}`);
    }
    out(`not linearizable (model ${model.name})${where}: ${r.ops.length} operations there`);
    out(
      `minimal sub-history (${r.minimal.length} operation${r.minimal.length === 1 ? "" : "s"}${r.minimalComplete ? "" : "; the budget ran out while shrinking, so it may not be minimal"}): no linearization explains these, and with any one of them made pending one would`,
    );
    for (const op of r.minimal) out(line(model, op));
    out(
      `longest partial linearization found: ${r.longest.length} of ${r.ops.length} operations${r.longest.length === 0 ? "" : ", ending"}`,
    );
    for (const op of r.longest.slice(-5)) out(line(model, op));
    if (o.svg !== undefined) out(`timeline: ${o.svg}`);
    return 1;
  });
}
