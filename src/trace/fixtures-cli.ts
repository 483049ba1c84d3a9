/**
 * `npm run traces:fixtures -- [protocol…]`: regenerate traces/<protocol>/good (with TLC: genuine
 * behaviours of the spec) and traces/<protocol>/bad (each good trace with one deliberate
 * corruption), for every registered protocol or the ones named.
 * Exit status: 0 when written, 2 for bad input (an unknown protocol, an unwritable folder).
 */
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { runCommand } from "../core/cli.js";
import { UserError } from "../core/errors.js";
import { protocols } from "../registry.js";
import { findJar, findJava } from "../tla/tlc.js";
import { writeFixtures } from "./fixtures.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const tracesDir = (p: string) => fileURLToPath(new URL(`../../traces/${p}`, import.meta.url));

function program(io: CliIo): Command {
  return new Command("traces:fixtures")
    .description(
      "Rewrite the committed example traces: traces/<protocol>/good from the spec with TLC (kept as they are without TLC), then traces/<protocol>/bad from them",
    )
    .argument(
      "[protocol...]",
      `protocols to rewrite (default: all — ${protocols()
        .map((p) => p.name)
        .join(", ")})`,
    )
    .addHelpText(
      "after",
      `
TLC is found as for \`npm run tlc\` (TLA2TOOLS_JAR, else the per-user cache); a set but wrong
TLA2TOOLS_JAR is an error, before anything is written.
Exit status: 0 written, 2 bad input (an unknown protocol, a bad jar, an unwritable folder).
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
}

export async function main(
  argv: ReadonlyArray<string>,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  return runCommand(program(io), argv, io.stderr, async (cmd) => {
    const names = cmd.args.length > 0 ? cmd.args : protocols().map((p) => p.name);
    const chosen = names.map((n) => {
      const p = protocols().find((x) => x.name === n);
      if (p === undefined)
        throw new UserError(
          `unknown protocol "${n}"; known protocols: ${protocols()
            .map((x) => x.name)
            .join(", ")}`,
        );
      return p;
    });
    const jar = findJar();
    const java = findJava();
    const tlc = jar && java ? { jar, java } : null;
    for (const p of chosen)
      await writeFixtures(tracesDir(p.name), tlc, p.fixtures, (l) =>
        io.stdout.write(`${p.name}: ${l}\n`),
      );
    return 0;
  });
}
