/**
 * Printed text in pieces: strings, or UTF-8 bytes for large text that is reused from one
 * printout to the next (e.g. a Raft log), which a writer passes on by reference instead of
 * encoding it again.
 */
export type TextPart = string | Buffer;

/** The pieces joined as one string. */
export const partsText = (parts: ReadonlyArray<TextPart>): string =>
  parts.map((p) => (typeof p === "string" ? p : p.toString("utf8"))).join("");
