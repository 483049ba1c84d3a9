/**
 * `npm run traces:schema [-- --check]`: write traces/schema/<protocol>.schema.json, the JSON
 * Schema of a trace line of every registered protocol (json-schema.ts), generated from the
 * protocols' trace descriptors. With --check nothing is written: exit 1, naming the files, if
 * any is missing or out of date.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { runCommand } from "../core/cli.js";
import { writeWhole } from "./files.js";
import { traceSchemaText } from "./json-schema.js";
import { shownPath } from "./ndjson.js";
import { traceProtocols } from "./protocol.js";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Where the schemas live: traces/schema/. */
export const SCHEMA_DIR = fileURLToPath(new URL("../../traces/schema", import.meta.url));

/** Each registered protocol's schema file and its text as generated now. */
export const schemaFiles = (dir = SCHEMA_DIR): { file: string; text: string }[] =>
  [...traceProtocols().values()].map((p) => ({
    file: join(dir, `${p.name}.schema.json`),
    text: traceSchemaText(p),
  }));

export async function main(
  argv: ReadonlyArray<string>,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const cmd = new Command("traces:schema")
    .description("Write the JSON Schema of each protocol's trace lines into traces/schema/")
    .option("--check", "write nothing; exit 1 if a schema file is missing or out of date")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runCommand(cmd, argv, io.stderr, async (c) => {
    const check = c.opts<{ check?: boolean }>().check === true;
    const stale = schemaFiles().filter(
      ({ file, text }) => !existsSync(file) || readFileSync(file, "utf8") !== text,
    );
    if (check) {
      for (const { file } of stale)
        io.stderr.write(`${shownPath(file)}: out of date; run \`npm run traces:schema\`\n`);
      return stale.length > 0 ? 1 : 0;
    }
    mkdirSync(SCHEMA_DIR, { recursive: true });
    for (const { file, text } of stale) {
      writeWhole(file, text);
      io.stdout.write(`wrote ${shownPath(file)}\n`);
    }
    if (stale.length === 0) io.stdout.write("traces/schema is up to date\n");
    return 0;
  });
}
