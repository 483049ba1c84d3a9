import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { namesOf, parseCfg, rewriteCfg } from "../../src/tla/cfg.js";
import {
  CHECKED_NEXT,
  NO_IMPLICIT_INVARIANTS,
  prepareEmbedded,
} from "../../src/tla/embedded-prep.js";
import { charOffset, inlineModule, locate } from "../../src/tla/inline.js";
import { findDefinition, maskComments, moduleShape } from "../../src/tla/source.js";
import { specRoot } from "./helpers.js";

const counterDir = join(specRoot, "counter");
const brokenDir = join(specRoot, "broken");
const display = (p: string) => p.slice(p.lastIndexOf("/") + 1);

describe("maskComments", () => {
  it("blanks comments but keeps offsets, newlines and strings", () => {
    const src = 'A == 1 \\* one\n(* two (* nested *) *)B == "\\* not a comment"\n';
    const masked = maskComments(src);
    expect(masked.length).toBe(src.length);
    expect(masked).toBe(`A == 1       \n${" ".repeat(22)}B == "\\* not a comment"\n`);
    expect(maskComments('X == "abc"', true)).toBe('X == "   "');
  });
});

describe("moduleShape and findDefinition", () => {
  it("finds header, EXTENDS and footer", () => {
    const src =
      "---- MODULE M ----\n\\* EXTENDS Fake\nEXTENDS Naturals,\n  Counter\nX == 1\n====\ntrailing\n";
    const shape = moduleShape(src);
    expect(shape?.name).toBe("M");
    expect(shape?.extends).toEqual(["Naturals", "Counter"]);
    expect(src.slice(shape?.extendsEnd, shape?.bodyEnd)).toBe("\nX == 1\n");
  });

  it("returns a definition body up to the next top-level unit", () => {
    const src = "A ==\n  /\\ x = 1\n  /\\ y = 2\nB == 3\n";
    const def = findDefinition(src, "A");
    expect(src.slice(def?.bodyStart, def?.bodyEnd)).toBe("\n  /\\ x = 1\n  /\\ y = 2");
    expect(findDefinition(src, "C")).toBeNull();
  });
});

describe("parseCfg", () => {
  const cfg = parseCfg(
    '\\* INVARIANT Commented\nCONSTANTS N = 3\n  S = {"INIT"}\nINIT Init NEXT Next\nINVARIANTS TypeOK\n  Safety\nPROPERTY P\nPROPERTIES Q\n',
  );

  it("lists names per section in file order, ignoring comments and strings", () => {
    expect(namesOf(cfg, "INVARIANT")).toEqual(["TypeOK", "Safety"]);
    expect(namesOf(cfg, "PROPERTY")).toEqual(["P", "Q"]);
    expect(namesOf(cfg, "INIT")).toEqual(["Init"]);
    expect(namesOf(cfg, "NEXT")).toEqual(["Next"]);
    expect(cfg.sections.find((s) => s.kind === "INVARIANT")?.line).toBe(5);
  });

  it("rewrites chosen sections and keeps the rest verbatim", () => {
    const out = rewriteCfg(cfg, (s) =>
      s.kind === "PROPERTY" ? "" : s.kind === "NEXT" ? "NEXT Other\n" : undefined,
    );
    expect(out).toBe(
      '\\* INVARIANT Commented\nCONSTANTS N = 3\n  S = {"INIT"}\nINIT Init NEXT Other\nINVARIANTS TypeOK\n  Safety\n',
    );
  });
});

describe("inlineModule", () => {
  it("splices a local EXTENDS once and merges standard modules", () => {
    const inl = inlineModule(counterDir, "MCCounter", display);
    expect(inl.files).toEqual(["MCCounter.tla", "Counter.tla"]);
    expect(inl.source.startsWith("---- MODULE MCCounter ----\nEXTENDS Naturals, TLC\n")).toBe(true);
    expect(inl.source.match(/MODULE/g)).toHaveLength(1);
    expect(inl.source).toContain("ResetX == x = Max");
    expect(inl.source).toContain("AssertedNext ==");
    expect(inl.source.indexOf("ResetX ==")).toBeLessThan(inl.source.indexOf("AssertedNext =="));
    expect(inl.source.trimEnd().endsWith("====")).toBe(true);
  });

  it("maps flattened offsets back to file:line:col", () => {
    const inl = inlineModule(counterDir, "MCCounter", display);
    const original = readFileSync(join(counterDir, "Counter.tla"), "utf8").split("\n");
    const at = inl.source.indexOf("ResetX ==");
    const line = original.findIndex((l) => l.startsWith("ResetX ==")) + 1;
    expect(locate(inl, at)).toEqual({ file: "Counter.tla", line, col: 1 });
    const mc = inl.source.indexOf("NextNoReset ==");
    expect(locate(inl, mc)).toMatchObject({ file: "MCCounter.tla", line: 6 });
  });

  it("converts tla-checker byte offsets past non-ASCII text", () => {
    expect(charOffset("é == 1", 3)).toBe(2);
  });

  it("merges several VARIABLE declarations into one, keeping lines in place", () => {
    const inl = inlineModule(brokenDir, "TwoVars", display);
    expect(
      inl.source.startsWith("---- MODULE TwoVars ----\nEXTENDS Naturals\nVARIABLES a, b\n"),
    ).toBe(true);
    expect(inl.source.match(/VARIABLES?/g)).toHaveLength(1);
    const at = inl.source.indexOf("Init ==");
    expect(locate(inl, at)).toEqual({ file: "TwoVars.tla", line: 5, col: 1 });
  });
});

describe("prepareEmbedded", () => {
  const prep = (cfgName: string) => {
    const cfg = parseCfg(readFileSync(join(counterDir, `${cfgName}.cfg`), "utf8"));
    return prepareEmbedded(inlineModule(counterDir, "MCCounter", display), cfg, `${cfgName}.cfg`);
  };

  it("gives a cfg without invariants an always-true one, so tla-checker guesses none", () => {
    const cfg = parseCfg("INIT Init\nNEXT Next\n");
    const p = prepareEmbedded(inlineModule(counterDir, "MCCounter", display), cfg, "X.cfg");
    expect(p.cfg).toBe(`INIT Init\nNEXT Next\nINVARIANT ${NO_IMPLICIT_INVARIANTS}\n`);
    expect(p.source).toMatch(new RegExp(`\\n${NO_IMPLICIT_INVARIANTS} == TRUE\\n====\\n$`));
    expect(p.invariants).toEqual([]);
  });

  it("leaves a model without action properties alone", () => {
    const p = prep("MCCounterBadInv");
    expect(p.rewritten).toEqual([]);
    expect(p.invariants).toEqual(["TypeOK", "XSmall"]);
    expect(p.source).not.toContain(CHECKED_NEXT);
  });

  it("turns [][A]_v properties into assertions and SPECIFICATION into INIT/NEXT", () => {
    const p = prep("MCCounterBadAction");
    expect(p.rewritten).toEqual(["YMonotone", "XMonotone"]);
    expect(p.temporal).toEqual([]);
    expect(p.cfg).not.toMatch(/PROPERT|SPECIFICATION/);
    expect(p.cfg).toContain(`INIT Init\nNEXT ${CHECKED_NEXT}\n`);
    expect(p.source).toContain(
      `${CHECKED_NEXT} == Next /\\ Assert(__Action_YMonotone \\/ UNCHANGED __Sub_YMonotone, "PROPERTY YMonotone")`,
    );
    // The two-line bullet list keeps its columns, so it still means a conjunction.
    expect(p.source).toContain("__Action_XMonotone ==\n     /\\ x' >= x\n     /\\ y' >= y\n");
  });

  it("rejects ACTION_CONSTRAINT with the cfg line", () => {
    expect(() => prep("MCCounterTlcOnly")).toThrow(
      /^MCCounterTlcOnly\.cfg:10: the embedded engine does not support ACTION_CONSTRAINT/,
    );
  });
});
