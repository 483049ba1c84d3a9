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
    /** What is wrong, without the place. */
    readonly what: string,
  ) {
    super(`${file}${line === null ? "" : `:${line}`}: ${what}`);
  }
}

export interface NdjsonLine {
  /** 1-based line number in the file; null for a value that is not a line of its own (ITF). */
  line: number | null;
  value: unknown;
}

/** How a path is shown in messages: relative to the working directory when that is shorter. */
export const shownPath = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith("..") ? r : p;
};

/** One non-blank line of NDJSON text. */
export interface RawLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** The non-blank lines of a text, with their line numbers. */
export function splitLines(text: string): RawLine[] {
  const out: RawLine[] = [];
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k] as string;
    const t = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (t.trim() !== "") out.push({ line: k + 1, text: t });
  }
  return out;
}

/** JSON.parse one line; a TraceError naming file:line when it is not JSON. */
export function parseLine(l: RawLine, file: string): unknown {
  try {
    return JSON.parse(l.text);
  } catch (e) {
    const why = (e as Error).message.replace(/^JSON\.parse: /, "");
    throw new TraceError(
      file,
      l.line,
      `not valid JSON (${why}); each line of a trace must be one complete JSON object`,
    );
  }
}

/** Parse NDJSON text; blank lines are skipped, anything else must be one JSON value. */
export function parseNdjson(text: string, file: string): NdjsonLine[] {
  return splitLines(text).map((l) => ({ line: l.line, value: parseLine(l, file) }));
}

/** The text of a file, or a TraceError saying why it cannot be read. */
export function readText(path: string, shown = shownPath(path)): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TraceError(
      shown,
      null,
      code === "ENOENT"
        ? "no such file; check the path"
        : code === "EISDIR"
          ? "is a directory; give trace files (*.ndjson)"
          : `cannot read (${code ?? (e as Error).message}); check the file and its permissions`,
    );
  }
}

export function readNdjson(path: string, shown = shownPath(path)): NdjsonLine[] {
  return parseNdjson(readText(path, shown), shown);
}

/** NDJSON text of the given values (each JSON.stringify'd on one line, final newline). */
export const formatNdjson = (values: readonly unknown[]): string =>
  values.map((v) => `${JSON.stringify(v)}\n`).join("");

export function writeNdjson(path: string, values: readonly unknown[]): void {
  writeFileSync(path, formatNdjson(values));
}
