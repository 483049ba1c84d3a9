/**
 * Turn a model (cfg + flattened module) into what tla-checker 0.9.0 can check with the same
 * meaning TLC gives it. tla-checker cannot evaluate action properties `PROPERTY P` with
 * `P == [][A]_v`, so each is checked as an assertion on every step instead:
 *
 *   __CheckedNext == Next /\ Assert(__Action_P \/ UNCHANGED __Sub_P, "PROPERTY P")
 *
 * and the cfg's NEXT (or SPECIFICATION) is pointed at __CheckedNext. A failed assertion whose
 * message is "PROPERTY P" is reported as a violation of P by both engines.
 */
import { type Cfg, type CfgSection, namesOf, rewriteCfg } from "./cfg.js";
import { type Inlined, locate } from "./inline.js";
import { findDefinition, maskComments } from "./source.js";
import { UserError } from "./types.js";

export const CHECKED_NEXT = "__CheckedNext";

export interface EmbeddedInput {
  source: string;
  cfg: string;
  /** INVARIANT names in cfg order: tla-checker reports violations by index into this list. */
  invariants: string[];
  /** PROPERTY names left for tla-checker to check as temporal properties. */
  temporal: string[];
  /** PROPERTY names rewritten into assertions. */
  rewritten: string[];
  /** Positions map for error messages (covers the generated definitions too). */
  inlined: Inlined;
}

interface BoxAction {
  name: string;
  /** Offsets (in the flattened source) of A and v in `[][A]_v`. */
  action: [number, number];
  sub: [number, number];
}

/**
 * tla-checker 0.9.0 checks, when a cfg lists no invariant, every definition whose name looks
 * like one (TypeOK…, Inv…, X_TypeOK, …) as an invariant; TLC checks only what the cfg lists.
 * A cfg without invariants therefore gets this one, always TRUE, to keep the two engines
 * checking the same thing.
 */
export const NO_IMPLICIT_INVARIANTS = "__NoImplicitInvariants";

export function prepareEmbedded(inlined: Inlined, cfg: Cfg, cfgFile: string): EmbeddedInput {
  const p = prepare(inlined, cfg, cfgFile);
  if (p.invariants.length > 0) return p;
  const footer = p.source.lastIndexOf("====");
  const added = `${NO_IMPLICIT_INVARIANTS} == TRUE\n`;
  const source = p.source.slice(0, footer) + added + p.source.slice(footer);
  const chunks = p.inlined.chunks.map((c) =>
    c.at >= footer ? { ...c, at: c.at + added.length } : c,
  );
  return {
    ...p,
    source,
    cfg: `${p.cfg.trimEnd()}\nINVARIANT ${NO_IMPLICIT_INVARIANTS}\n`,
    inlined: { ...p.inlined, source, chunks },
  };
}

function prepare(inlined: Inlined, cfg: Cfg, cfgFile: string): EmbeddedInput {
  const masked = maskComments(inlined.source);
  const ac = cfg.sections.find((s) => s.kind === "ACTION_CONSTRAINT");
  if (ac)
    throw new UserError(
      `${cfgFile}:${ac.line}: the embedded engine does not support ACTION_CONSTRAINT; mark the model "\\* engines: tlc" or use --engine tlc`,
    );
  const invariants = namesOf(cfg, "INVARIANT");
  const temporal: string[] = [];
  const boxes: BoxAction[] = [];
  for (const name of namesOf(cfg, "PROPERTY")) {
    const def = findDefinition(masked, name);
    const box = def && parseBoxAction(masked, name, def.bodyStart, def.bodyEnd);
    if (box) boxes.push(box);
    else {
      if (def && masked.slice(def.bodyStart, def.bodyEnd).includes("[][")) {
        const pos = locate(inlined, def.start);
        throw new UserError(
          `${pos.file}:${pos.line}: the embedded engine can check PROPERTY ${name} only in the form ${name} == [][A]_v; split it or use --engine tlc`,
        );
      }
      temporal.push(name);
    }
  }
  if (boxes.length === 0)
    return { source: inlined.source, cfg: cfg.text, invariants, temporal, rewritten: [], inlined };

  const { init, next, specSection } = stepRelation(cfg, masked, inlined, cfgFile, temporal);
  const generated = generateDefinitions(inlined, masked, boxes, next);
  const rewritten = boxes.map((b) => b.name);
  const cfgText = rewriteCfg(cfg, (s: CfgSection) => {
    if (s.kind === "PROPERTY") {
      const keep = s.names.filter((n) => !rewritten.includes(n));
      return keep.length > 0 ? `PROPERTY ${keep.join(" ")}\n` : "";
    }
    if (s.kind === "NEXT") return `NEXT ${CHECKED_NEXT}\n`;
    if (s === specSection) return `INIT ${init}\nNEXT ${CHECKED_NEXT}\n`;
    return undefined;
  });
  return {
    source: generated.source,
    cfg: cfgText,
    invariants,
    temporal,
    rewritten,
    inlined: generated,
  };
}

/** Recognise `[][A]_v` (whole body); returns offsets of A and v, or null. */
function parseBoxAction(masked: string, name: string, from: number, to: number): BoxAction | null {
  const body = masked.slice(from, to);
  const lead = /^\s*\[\]\s*\[/.exec(body);
  if (!lead) return null;
  const open = from + lead[0].length - 1;
  const close = matchingBracket(masked, open, to);
  if (close === -1 || masked[close + 1] !== "_") return null;
  const subStart = close + 2;
  const sub = masked.slice(subStart, to).trim();
  const simple =
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(sub) || (sub.startsWith("<<") && sub.endsWith(">>"));
  if (!simple || sub.includes("[][")) return null;
  const subOffset = subStart + masked.slice(subStart, to).indexOf(sub);
  return { name, action: [open + 1, close], sub: [subOffset, subOffset + sub.length] };
}

/** Index of the bracket closing the one at `open`, skipping nested brackets and strings. */
function matchingBracket(text: string, open: number, limit: number): number {
  const stack: string[] = [];
  const pairs: Record<string, string> = { "[": "]", "(": ")", "{": "}" };
  for (let i = open; i < limit; i++) {
    const c = text[i] ?? "";
    if (c === '"') {
      i++;
      while (i < limit && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (pairs[c]) stack.push(pairs[c] ?? "");
    else if (c === "]" || c === ")" || c === "}") {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** The INIT/NEXT pair to wrap: the cfg's NEXT, or the conjuncts of `Spec == Init /\ [][Next]_v`. */
function stepRelation(
  cfg: Cfg,
  masked: string,
  inlined: Inlined,
  cfgFile: string,
  temporal: string[],
) {
  const next = namesOf(cfg, "NEXT")[0];
  if (next) return { init: "", next, specSection: undefined };
  const specSection = cfg.sections.find((s) => s.kind === "SPECIFICATION");
  const spec = specSection?.names[0];
  const fail = (why: string) =>
    new UserError(
      `${cfgFile}:${specSection?.line ?? 1}: ${why}; use INIT/NEXT in the cfg or --engine tlc`,
    );
  if (!spec) throw fail("the cfg has neither NEXT nor SPECIFICATION");
  const def = findDefinition(masked, spec);
  if (!def) throw fail(`SPECIFICATION ${spec} is not defined`);
  const body = masked.slice(def.bodyStart, def.bodyEnd).replace(/\s+/g, " ").trim();
  const m = /^(?:\/\\ )?([A-Za-z_]\w*) \/\\ \[\]\[([A-Za-z_]\w*)\]_\S+(.*)$/.exec(body);
  if (!m?.[1] || !m[2]) {
    const pos = locate(inlined, def.start);
    throw fail(
      `the embedded engine needs ${spec} (${pos.file}:${pos.line}) in the form Init /\\ [][Next]_vars to check action properties`,
    );
  }
  if ((m[3] ?? "").trim() !== "" && temporal.length > 0)
    throw fail(`fairness in ${spec} cannot be kept while rewriting action properties`);
  return { init: m[1], next: m[2], specSection };
}

/**
 * Append the helper definitions. A and v are copied at their original columns so that
 * TLA+'s column-sensitive /\ and \/ bullet lists keep their meaning.
 */
function generateDefinitions(
  inlined: Inlined,
  masked: string,
  boxes: BoxAction[],
  next: string,
): Inlined {
  const footer = inlined.source.lastIndexOf("====");
  let source = inlined.source.slice(0, footer);
  const chunks = inlined.chunks.slice(0, -1);
  const copy = (label: string, [from, to]: [number, number]) => {
    const lineStart = masked.lastIndexOf("\n", from - 1) + 1;
    const text = " ".repeat(from - lineStart) + masked.slice(from, to);
    source += `${label} ==\n`;
    const pos = locate(inlined, lineStart);
    chunks.push({ at: source.length, file: pos.file, line: pos.line, col: 1 });
    source += `${text}\n`;
  };
  const asserts: string[] = [];
  for (const b of boxes) {
    copy(`__Action_${b.name}`, b.action);
    copy(`__Sub_${b.name}`, b.sub);
    asserts.push(`Assert(__Action_${b.name} \\/ UNCHANGED __Sub_${b.name}, "PROPERTY ${b.name}")`);
  }
  const last = inlined.chunks.at(-1);
  chunks.push({ at: source.length, file: last?.file ?? "", line: 1, col: 1 });
  source += `${CHECKED_NEXT} == ${next} /\\ ${asserts.join(" /\\ ")}\n====\n`;
  return { source, files: inlined.files, chunks };
}
