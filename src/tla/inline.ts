/**
 * tla-checker takes one source string, so a model module that EXTENDS modules of its own
 * directory is flattened: each local module's body is spliced in (dependencies first, each
 * once), standard-module EXTENDS are merged into one clause, and all VARIABLE(S) declarations
 * are merged into one (tla-checker 0.9.0 keeps only the last declaration of a module, so a
 * model that adds a variable to the spec it extends would silently lose the spec's). A chunk
 * map turns positions in the flattened text back into file:line of the original files.
 * A module not in the directory is looked for in its parent: the modules shared by every
 * protocol (spec/*.tla) are found from spec/<protocol>/ as TLC finds them (src/tla/tlc.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { lineCol, maskComments, moduleShape, variableDeclarations } from "./source.js";
import { UserError } from "./types.js";

interface Chunk {
  /** Offset of the chunk in the flattened source. */
  at: number;
  file: string;
  /** Line and column (1-based) in `file` of the chunk's first character. */
  line: number;
  col: number;
}

export interface Inlined {
  source: string;
  /** Files that were read, as given to `display`. */
  files: string[];
  chunks: Chunk[];
}

export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/**
 * Flatten module `root` found in `dir`. `display` turns an absolute path into the name used in
 * messages (relative to the working directory by default).
 */
export function inlineModule(
  dir: string,
  root: string,
  display: (path: string) => string = (p) => relative(process.cwd(), p) || p,
): Inlined {
  const standard: string[] = [];
  const visited = new Set<string>();
  const parts: { text: string; file: string; line: number; col: number }[] = [];
  const files: string[] = [];

  const visit = (name: string, chain: string[]) => {
    const path = localModule(dir, name) ?? join(dir, `${name}.tla`);
    const file = display(path);
    if (chain.includes(name))
      throw new UserError(`${file}: circular EXTENDS (${[...chain, name].join(" -> ")})`);
    if (visited.has(name)) return;
    visited.add(name);
    const src = readFileSync(path, "utf8");
    const shape = moduleShape(src);
    if (!shape) throw new UserError(`${file}:1: no "---- MODULE ${name} ----" header found`);
    if (shape.name !== name)
      throw new UserError(`${file}:1: file declares MODULE ${shape.name}; expected MODULE ${name}`);
    files.push(file);
    for (const ext of shape.extends) {
      if (localModule(dir, ext)) visit(ext, [...chain, name]);
      else if (!standard.includes(ext)) standard.push(ext);
    }
    const from = shape.extendsStart >= 0 ? shape.extendsEnd : shape.headerEnd;
    let text = src.slice(from, shape.bodyEnd);
    if (!text.endsWith("\n")) text += "\n";
    parts.push({ text, file, ...lineCol(src, from) });
  };
  visit(root, []);

  const variables = mergeVariables(parts);
  const rootFile = files[0] ?? root;
  let source = `---- MODULE ${root} ----\n`;
  if (standard.length > 0) source += `EXTENDS ${standard.join(", ")}\n`;
  if (variables.length > 0) source += `VARIABLES ${variables.join(", ")}\n`;
  const chunks: Chunk[] = [{ at: 0, file: rootFile, line: 1, col: 1 }];
  for (const p of parts) {
    chunks.push({ at: source.length, file: p.file, line: p.line, col: p.col });
    source += p.text;
  }
  chunks.push({ at: source.length, file: rootFile, line: 1, col: 1 });
  source += "====\n";
  return { source, files, chunks };
}

/** The file of module `name` in `dir` or, failing that, in its parent; null if neither has it. */
export function localModule(dir: string, name: string): string | null {
  for (const d of [dir, join(dir, "..")]) {
    const path = join(d, `${name}.tla`);
    if (existsSync(path)) return path;
  }
  return null;
}

const DECLARATION = /^(VARIABLES?)\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/;

/**
 * Remove every VARIABLE(S) declaration from the parts (blanked with spaces, so offsets and
 * lines stay put) and return the declared names in order; the caller declares them once at the
 * top. With a single declaration nothing changes.
 */
function mergeVariables(
  parts: { text: string; file: string; line: number; col: number }[],
): string[] {
  const found = parts.flatMap((p, k) => {
    const masked = maskComments(p.text);
    return variableDeclarations(masked).map((at) => ({ k, at, masked }));
  });
  if (found.length <= 1) return [];
  const names: string[] = [];
  for (const { k, at, masked } of found) {
    const part = parts[k] as (typeof parts)[number];
    const m = DECLARATION.exec(masked.slice(at));
    if (!m?.[2]) {
      const pos = lineCol(part.text, at);
      throw new UserError(
        `${part.file}:${part.line + pos.line - 1}: cannot read this VARIABLES declaration for the embedded engine (expected VARIABLES a, b, …)`,
      );
    }
    for (const n of m[2].split(",").map((s) => s.trim())) if (!names.includes(n)) names.push(n);
    const blank = part.text.slice(at, at + m[0].length).replace(/[^\n]/g, " ");
    part.text = part.text.slice(0, at) + blank + part.text.slice(at + m[0].length);
  }
  return names;
}

/** Map a character offset in the flattened source to file:line:col of the original. */
export function locate(inlined: Inlined, offset: number): SourcePos {
  let chunk = inlined.chunks[0] as Chunk;
  for (const c of inlined.chunks) if (c.at <= offset) chunk = c;
  const head = inlined.source.slice(chunk.at, offset);
  const nl = head.lastIndexOf("\n");
  const lines = head.split("\n").length - 1;
  // A chunk may start mid-line (right after an EXTENDS clause).
  const col = nl === -1 ? chunk.col + head.length : head.length - nl;
  return { file: chunk.file, line: chunk.line + lines, col };
}

/** tla-checker reports byte offsets into the UTF-8 source; convert to a character offset. */
export function charOffset(source: string, byteOffset: number): number {
  return Buffer.from(source, "utf8").subarray(0, byteOffset).toString("utf8").length;
}

export const formatPos = (p: SourcePos) => `${p.file}:${p.line}`;
