/**
 * Finding the members of a JSON object and the elements of a JSON array by position, without
 * parsing them. Reading a long trace is mostly reading states that barely change from one event
 * to the next; comparing each variable's text with the previous event's lets the reader parse
 * only what changed. The scanner trusts nothing: any surprise returns null and the caller falls
 * back to JSON.parse, which reports errors properly.
 */

const QUOTE = 34; // "
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/** Index just after the string literal starting at `pos` (a quote), or -1. */
function skipString(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

/** Index just after the JSON value starting at `pos`, or -1. */
export function skipValue(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c === QUOTE) return skipString(text, pos);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let i = pos; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === QUOTE) {
        i = skipString(text, i) - 1;
        if (i < 0) return -1;
      } else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  let i = pos;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
    i++;
  }
  return i > pos ? i : -1;
}

/**
 * The members of the object starting at `pos` (a `{`): key → [start, end) of its value text.
 * Null if the text is not shaped like an object.
 */
export function objectMembers(text: string, pos: number): Map<string, [number, number]> | null {
  if (text.charCodeAt(pos) !== OPEN_BRACE) return null;
  const out = new Map<string, [number, number]>();
  let i = skipSpace(text, pos + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return out;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    const rawKey = text.slice(i, keyEnd);
    const key = rawKey.includes("\\") ? (JSON.parse(rawKey) as string) : rawKey.slice(1, -1);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return null;
    i = skipSpace(text, i + 1);
    const end = skipValue(text, i);
    if (end < 0) return null;
    out.set(key, [i, end]);
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return out;
    if (c !== COMMA) return null;
    i = skipSpace(text, i + 1);
  }
}

/** The elements of the array starting at `pos` (a `[`), as [start, end) spans; null if malformed. */
export function arrayElements(text: string, pos: number): [number, number][] | null {
  if (text.charCodeAt(pos) !== OPEN_BRACKET) return null;
  const out: [number, number][] = [];
  let i = skipSpace(text, pos + 1);
  if (text.charCodeAt(i) === CLOSE_BRACKET) return out;
  for (;;) {
    const end = skipValue(text, i);
    if (end < 0) return null;
    out.push([i, end]);
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACKET) return out;
    if (c !== COMMA) return null;
    i = skipSpace(text, i + 1);
  }
}
