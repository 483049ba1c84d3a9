/**
 * Just enough TLA+ lexing for the engine layer: find module headers, EXTENDS clauses,
 * definitions and VARIABLE declarations without being fooled by comments or strings.
 * This is not a parser; SANY (TLC) and tla-checker remain the judges of syntax.
 */

/**
 * Blank out comments (`\*` to end of line, nested `(* *)`) with spaces, keeping every
 * newline and every offset, so positions found in the result are positions in `src`.
 * With `maskStrings`, string literal contents are blanked too (the quotes stay).
 */
export function maskComments(src: string, maskStrings = false): string {
  const out = src.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"' && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      if (maskStrings) blank(i + 1, Math.min(j, src.length));
      i = j + 1;
    } else if (c === "\\" && next === "*") {
      let j = src.indexOf("\n", i);
      if (j === -1) j = src.length;
      blank(i, j);
      i = j;
    } else if (c === "(" && next === "*") {
      let depth = 0;
      let j = i;
      while (j < src.length) {
        if (src[j] === "(" && src[j + 1] === "*") {
          depth++;
          j += 2;
        } else if (src[j] === "*" && src[j + 1] === ")") {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      blank(i, j);
      i = j;
    } else i++;
  }
  return out.join("");
}

/** 1-based line and column of a character offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lastNl = -1;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === "\n") {
      line++;
      lastNl = k;
    }
  }
  return { line, col: offset - lastNl };
}

export interface ModuleShape {
  name: string;
  /** Modules named in the module's EXTENDS clause, in order. */
  extends: string[];
  /** Offset where the EXTENDS clause starts (-1 if none) and where it ends. */
  extendsStart: number;
  extendsEnd: number;
  /** Offset just after the header line; the body runs to `bodyEnd` (start of the `====` line). */
  headerEnd: number;
  bodyEnd: number;
}

const HEADER = /^-{4,}\s*MODULE\s+([A-Za-z0-9_]+)\s*-{4,}[^\n]*\n?/m;
const EXTENDS = /\bEXTENDS\s+([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)/y;
const FOOTER = /^={4,}/m;

/** Locate header, EXTENDS clause and footer of a module; `null` if there is no header. */
export function moduleShape(src: string): ModuleShape | null {
  const masked = maskComments(src);
  const header = HEADER.exec(masked);
  if (!header) return null;
  const headerEnd = header.index + header[0].length;
  // EXTENDS, if present, is the first thing after the header.
  const firstToken = /\S/g;
  firstToken.lastIndex = headerEnd;
  const tok = firstToken.exec(masked);
  let ext: string[] = [];
  let extendsStart = -1;
  let extendsEnd = headerEnd;
  if (tok) {
    EXTENDS.lastIndex = tok.index;
    const m = EXTENDS.exec(masked);
    if (m?.[1]) {
      ext = m[1].split(",").map((s) => s.trim());
      extendsStart = m.index;
      extendsEnd = m.index + m[0].length;
    }
  }
  const rest = masked.slice(headerEnd);
  const footer = FOOTER.exec(rest);
  const bodyEnd = footer ? headerEnd + footer.index : src.length;
  return {
    name: header[1] ?? "",
    extends: ext,
    extendsStart,
    extendsEnd,
    headerEnd,
    bodyEnd,
  };
}

/** A line starting at column 0 that opens a new top-level unit (definition, declaration, rule). */
const UNIT_START =
  /^(?:[A-Za-z_][A-Za-z0-9_]*\s*(?:\(|\[|==)|(?:VARIABLES?|CONSTANTS?|ASSUME|AXIOM|THEOREM|LEMMA|LOCAL|INSTANCE|RECURSIVE)\b|-{4,}|={4,})/;

/**
 * Find the zero-argument definition `name == body` (with `withParams`, also `name(p, q) ==`) in
 * (comment-masked) source; returns the offsets of the body, which runs until the next
 * top-level unit at column 0.
 */
export function findDefinition(
  masked: string,
  name: string,
  withParams = false,
): { start: number; bodyStart: number; bodyEnd: number } | null {
  const params = withParams ? "(?:\\([^()]*\\))?[ \\t]*" : "";
  const re = new RegExp(`^[ \\t]*${name}[ \\t]*${params}==`, "m");
  const m = re.exec(masked);
  if (!m) return null;
  const bodyStart = m.index + m[0].length;
  let pos = masked.indexOf("\n", bodyStart);
  while (pos !== -1) {
    const lineStart = pos + 1;
    const lineEnd = masked.indexOf("\n", lineStart);
    const line = masked.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    if (UNIT_START.test(line)) return { start: m.index, bodyStart, bodyEnd: pos };
    pos = lineEnd;
  }
  return { start: m.index, bodyStart, bodyEnd: masked.length };
}

/** Offsets of every `VARIABLE`/`VARIABLES` declaration keyword (at the start of a line). */
export function variableDeclarations(masked: string): number[] {
  const out: number[] = [];
  const re = /^[ \t]*(VARIABLES?)\b/gm;
  for (let m = re.exec(masked); m; m = re.exec(masked)) out.push(m.index + m[0].indexOf("V"));
  return out;
}
