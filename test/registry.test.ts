/**
 * One protocol, one folder: outside its own folders (spec/<p>, src/<p>, test/<p>, traces/<p>)
 * and the registry, no file names a protocol, so adding one needs no edit to shared files.
 * Documentation (*.md) may name them; everything else counts: source, specs, models, traces,
 * fixtures and the CI script.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProtocolModule } from "../src/protocol.js";
import { protocols } from "../src/registry.js";
import { root } from "./tla/helpers.js";

/** How a protocol may be named: its folder name, spec modules and title, as lower-case words. */
const namesOf = (p: ProtocolModule): ReadonlyArray<string> => [
  ...new Set(
    [p.name, p.title, p.spec.module, p.spec.model].map((n) =>
      n.toLowerCase().replace(/[^a-z0-9]/g, ""),
    ),
  ),
];

/** Identifiers and words of a text: each token whole, and split at camel-case humps. */
function words(text: string): ReadonlyArray<{ token: string; parts: ReadonlyArray<string> }> {
  return (text.match(/[A-Za-z0-9]+/g) ?? []).map((t) => ({
    token: t.toLowerCase(),
    parts: t
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
      .toLowerCase()
      .split(" "),
  }));
}

/**
 * The protocols `text` names, given each protocol's names: a token that is a protocol's name
 * (e.g. `mcfoo`), or a camel-case part of one (e.g. `foo` in `fooSimulator`) unless the whole
 * token names another protocol (a `diskGossip` names DiskGossip, not Gossip).
 */
function protocolsNamed(
  text: string,
  names: ReadonlyMap<string, ReadonlyArray<string>>,
): ReadonlyArray<string> {
  const found = new Set<string>();
  const owner = (w: string) => [...names].find(([, ns]) => ns.includes(w))?.[0];
  for (const { token, parts } of words(text)) {
    const whole = owner(token);
    if (whole !== undefined) {
      found.add(whole);
      continue;
    }
    for (const part of parts) {
      const p = owner(part);
      if (p !== undefined) found.add(p);
    }
  }
  return [...found].sort();
}

const names = new Map(protocols().map((p) => [p.name, namesOf(p)] as const));

/**
 * Whether `file` (relative to the root) lies in one of protocol p's folders, or is its
 * generated trace schema (traces/schema/<p>.schema.json).
 */
const inFoldersOf = (file: string, p: string): boolean =>
  ["spec", "src", "test", "traces"].some((top) => file.startsWith(`${top}/${p}/`)) ||
  file === `traces/schema/${p}.schema.json`;

const tracked = (): ReadonlyArray<string> =>
  execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => f !== "" && !f.endsWith(".md"))
    .filter((f) => /^(src|scripts|test|spec|traces)\//.test(f) || f === ".ci/run");

describe("one protocol, one folder", () => {
  it("finds protocol names as a word, a camel-case part or a module name, not inside other words", () => {
    // Made-up protocols(), so that this file names no real one.
    const ns = new Map([
      ["cast", ["cast", "mccast"]],
      ["gossip", ["gossip", "epidemicgossip", "mcepidemicgossip"]],
      ["diskgossip", ["diskgossip"]],
    ]);
    expect(protocolsNamed("import { castSimulator } from './x'", ns)).toEqual(["cast"]);
    expect(protocolsNamed("EXTENDS MCEpidemicGossip", ns)).toEqual(["gossip"]);
    expect(protocolsNamed("a broadcast, forecasts", ns)).toEqual([]);
    expect(protocolsNamed("const diskGossip = 1; DiskGossip", ns)).toEqual(["diskgossip"]);
    expect(protocolsNamed("spec/gossip/MCEpidemicGossip.cfg and traces/cast", ns)).toEqual([
      "cast",
      "gossip",
    ]);
  });

  it("has at least two protocols registered, each under its own name", () => {
    expect(protocols().length).toBeGreaterThanOrEqual(2);
    expect(new Set(protocols().map((p) => p.name)).size).toBe(protocols().length);
  });

  it("no file outside a protocol's folders and the registry names that protocol", () => {
    const offenders: string[] = [];
    for (const file of tracked()) {
      if (file === "src/registry.ts") continue;
      const text = readFileSync(join(root, file), "utf8");
      for (const p of protocolsNamed(text, names))
        if (!inFoldersOf(file, p)) offenders.push(`${file} names ${p}`);
    }
    expect(offenders).toEqual([]);
  });
});
