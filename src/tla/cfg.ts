/**
 * TLC configuration files: enough structure to name invariants by index (tla-checker reports
 * "Invariant 1 violated"), find NEXT/SPECIFICATION, and rewrite sections for the embedded engine.
 */
import { lineCol, maskComments } from "./source.js";

const KEYWORDS = [
  "CONSTANTS",
  "CONSTANT",
  "INIT",
  "NEXT",
  "SPECIFICATION",
  "INVARIANTS",
  "INVARIANT",
  "PROPERTIES",
  "PROPERTY",
  "ACTION_CONSTRAINTS",
  "ACTION_CONSTRAINT",
  "CONSTRAINTS",
  "CONSTRAINT",
  "SYMMETRY",
  "VIEW",
  "CHECK_DEADLOCK",
  "POSTCONDITION",
  "ALIAS",
] as const;

/** Singular spelling of a section keyword, e.g. INVARIANTS → INVARIANT. */
export type SectionKind =
  | "CONSTANT"
  | "INIT"
  | "NEXT"
  | "SPECIFICATION"
  | "INVARIANT"
  | "PROPERTY"
  | "ACTION_CONSTRAINT"
  | "CONSTRAINT"
  | "SYMMETRY"
  | "VIEW"
  | "CHECK_DEADLOCK"
  | "POSTCONDITION"
  | "ALIAS";

export interface CfgSection {
  kind: SectionKind;
  /** Offsets in the cfg text: keyword start, section end (next keyword or end of file). */
  start: number;
  end: number;
  line: number;
  /** Identifiers listed in the section (meaningful for name-list sections only). */
  names: string[];
}

export interface Cfg {
  text: string;
  sections: CfgSection[];
}

const PLURALS: Record<string, SectionKind> = {
  CONSTANTS: "CONSTANT",
  INVARIANTS: "INVARIANT",
  PROPERTIES: "PROPERTY",
  ACTION_CONSTRAINTS: "ACTION_CONSTRAINT",
  CONSTRAINTS: "CONSTRAINT",
};
const kindOf = (kw: string): SectionKind => PLURALS[kw] ?? (kw as SectionKind);

export function parseCfg(text: string): Cfg {
  const masked = maskComments(text, true);
  const re = new RegExp(`\\b(${KEYWORDS.join("|")})\\b`, "g");
  const hits: { kw: string; index: number }[] = [];
  for (let m = re.exec(masked); m; m = re.exec(masked))
    hits.push({ kw: m[1] ?? "", index: m.index });
  const sections = hits.map((h, i): CfgSection => {
    const end = hits[i + 1]?.index ?? text.length;
    const body = masked.slice(h.index + h.kw.length, end);
    return {
      kind: kindOf(h.kw),
      start: h.index,
      end,
      line: lineCol(text, h.index).line,
      names: body.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [],
    };
  });
  return { text, sections };
}

/** All names listed under sections of one kind, in file order (TLC's and tla-checker's order). */
export function namesOf(cfg: Cfg, kind: SectionKind): string[] {
  return cfg.sections.filter((s) => s.kind === kind).flatMap((s) => s.names);
}

/** Line of the cfg where `name` is listed under `kind`, for error messages. */
export function lineOfName(cfg: Cfg, kind: SectionKind, name: string): number | undefined {
  return cfg.sections.find((s) => s.kind === kind && s.names.includes(name))?.line;
}

/**
 * Rebuild the cfg text, replacing each section for which `replace` returns a string
 * (an empty string drops the section). Other text is kept byte for byte.
 */
export function rewriteCfg(cfg: Cfg, replace: (s: CfgSection) => string | undefined): string {
  let out = "";
  let pos = 0;
  for (const s of cfg.sections) {
    const r = replace(s);
    if (r === undefined) continue;
    out += cfg.text.slice(pos, s.start) + r;
    pos = s.end;
  }
  return out + cfg.text.slice(pos);
}

/** One `NAME = value` (or `NAME <- Op`) binding under CONSTANT(S), with the value's offsets. */
export interface ConstantBinding {
  name: string;
  op: "=" | "<-";
  value: string;
  valueStart: number;
  valueEnd: number;
  line: number;
}

/** The constant bindings of a cfg, in file order. */
export function constantBindings(cfg: Cfg): ConstantBinding[] {
  const masked = maskComments(cfg.text, true);
  const out: ConstantBinding[] = [];
  for (const s of cfg.sections.filter((x) => x.kind === "CONSTANT")) {
    const keyword = /^[A-Z_]+/.exec(masked.slice(s.start))?.[0] ?? "";
    const bodyStart = s.start + keyword.length;
    const hits = [...masked.slice(bodyStart, s.end).matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=|<-)/g)];
    hits.forEach((m, i) => {
      let a = bodyStart + m.index + m[0].length;
      let b = i + 1 < hits.length ? bodyStart + (hits[i + 1]?.index ?? 0) : s.end;
      while (a < b && /\s/.test(masked[a] ?? "")) a++;
      while (b > a && /\s/.test(masked[b - 1] ?? "")) b--;
      out.push({
        name: m[1] ?? "",
        op: m[2] === "<-" ? "<-" : "=",
        value: cfg.text.slice(a, b),
        valueStart: a,
        valueEnd: b,
        line: lineCol(cfg.text, bodyStart + m.index).line,
      });
    });
  }
  return out;
}

/**
 * The cfg text with the values of some constants replaced (`values`: name → new value), all
 * other text kept byte for byte; the caller checks that each name is bound.
 */
export function withConstants(cfg: Cfg, values: ReadonlyMap<string, string>): string {
  let text = cfg.text;
  const bindings = constantBindings(cfg).filter((b) => values.has(b.name));
  for (const b of bindings.sort((x, y) => y.valueStart - x.valueStart))
    text = text.slice(0, b.valueStart) + (values.get(b.name) ?? b.value) + text.slice(b.valueEnd);
  return text;
}
