/** NDJSON: one JSON value per line. Errors name file:line. */
import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { UserError } from "../tla/types.js";

/** A problem with a trace file the user can fix: one line saying what, where and what to do. */
export class TraceError extends UserError {
  override name = "TraceError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    what: string,
  ) {
    super(`${file}${line === null ? "" : `:${line}`}: ${what}`);
  }
}

export interface NdjsonLine {
  /** 1-based line number in the file. */
  line: number;
  value: unknown;
}

/** How a path is shown in messages: relative to the working directory when that is shorter. */
export const shownPath = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith("..") ? r : p;
};

/** Parse NDJSON text; blank lines are skipped, anything else must be one JSON value. */
export function parseNdjson(text: string, file: string): NdjsonLine[] {
  const out: NdjsonLine[] = [];
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const raw = (lines[k] as string).replace(/\r$/, "");
    if (raw.trim() === "") continue;
    try {
      out.push({ line: k + 1, value: JSON.parse(raw) });
    } catch (e) {
      const why = (e as Error).message.replace(/^JSON\.parse: /, "");
      throw new TraceError(
        file,
        k + 1,
        `not valid JSON (${why}); each line of a trace must be one complete JSON object`,
      );
    }
  }
  return out;
}

export function readNdjson(path: string, shown = shownPath(path)): NdjsonLine[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TraceError(
      shown,
      null,
      code === "ENOENT"
        ? "no such file; check the path"
        : code === "EISDIR"
          ? "is a directory; give trace files (*.ndjson)"
          : `cannot read (${code ?? (e as Error).message})`,
    );
  }
  return parseNdjson(text, shown);
}

/** NDJSON text of the given values (each JSON.stringify'd on one line, final newline). */
export const formatNdjson = (values: readonly unknown[]): string =>
  values.map((v) => `${JSON.stringify(v)}\n`).join("");

export function writeNdjson(path: string, values: readonly unknown[]): void {
  writeFileSync(path, formatNdjson(values));
}
