/**
 * Model discovery. A model is a `spec/<protocol>/<Name>.cfg` whose leading `\*` comment lines
 * carry metadata:
 *
 *   \* model: MCRaft          module to check (same directory); default: the cfg's basename
 *   \* expect: pass           or the invariant/property that must be violated, or "deadlock"
 *   \* engines: tlc embedded  default both; a subset needs a `\* why:` line
 *   \* tier: ci               ci (default set) or deep (only with --deep or by exact name)
 *   \* about: one line for humans
 *
 * A cfg without an `expect:` line is not a model (e.g. a trace-validation harness's cfg).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { type EngineName, UserError } from "./types.js";

export type Tier = "ci" | "deep";

export interface Model {
  /** cfg basename, unique across protocols. */
  name: string;
  /** Directory name under spec/. */
  protocol: string;
  dir: string;
  cfgPath: string;
  /** Module to check and its file. */
  module: string;
  tlaPath: string;
  expect: string;
  engines: EngineName[];
  why?: string;
  tier: Tier;
  about?: string;
}

export interface Metadata {
  model?: string;
  expect?: string;
  engines?: EngineName[];
  why?: string;
  tier?: Tier;
  about?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parse the leading comment block of a cfg; `file` is used in error messages. */
export function parseMetadata(text: string, file: string): Metadata {
  const meta: Metadata = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    if (!line.startsWith("\\*")) break;
    const m = /^\\\*\s*([a-z]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const [, key, value = ""] = m;
    const bad = (what: string) => new UserError(`${file}:${i + 1}: ${what}`);
    switch (key) {
      case "model":
        if (!IDENT.test(value)) throw bad(`model: expects a module name, got "${value}"`);
        meta.model = value;
        break;
      case "expect":
        if (!IDENT.test(value))
          throw bad(
            `expect: expects "pass", "deadlock" or an invariant/property name, got "${value}"`,
          );
        meta.expect = value;
        break;
      case "engines": {
        const names = value.split(/[\s,]+/).filter(Boolean);
        const wrong = names.filter((n) => n !== "tlc" && n !== "embedded");
        if (names.length === 0 || wrong.length > 0)
          throw bad(`engines: expects "tlc", "embedded" or both, got "${value}"`);
        meta.engines = [...new Set(names as EngineName[])];
        break;
      }
      case "tier":
        if (value !== "ci" && value !== "deep")
          throw bad(`tier: expects "ci" or "deep", got "${value}"`);
        meta.tier = value;
        break;
      case "why":
        meta.why = value;
        break;
      case "about":
        meta.about = value;
        break;
      default:
        break; // free-form comment lines such as "\* note: ..." are allowed
    }
  }
  return meta;
}

/** Every model under `specRoot`, sorted by protocol then name. */
export function discoverModels(specRoot: string): Model[] {
  if (!existsSync(specRoot)) throw new UserError(`${specRoot}: spec directory not found`);
  const models: Model[] = [];
  const protocols = readdirSync(specRoot)
    .filter((d) => statSync(join(specRoot, d)).isDirectory())
    .sort();
  for (const protocol of protocols) {
    const dir = join(specRoot, protocol);
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith(".cfg"))
      .sort()) {
      const cfgPath = join(dir, f);
      const shown = relative(process.cwd(), cfgPath) || cfgPath;
      const meta = parseMetadata(readFileSync(cfgPath, "utf8"), shown);
      if (meta.expect === undefined) continue;
      const name = basename(f, ".cfg");
      const module = meta.model ?? name;
      const tlaPath = join(dir, `${module}.tla`);
      if (!existsSync(tlaPath))
        throw new UserError(
          `${shown}:1: module ${module} not found (expected ${module}.tla beside the cfg)`,
        );
      const engines = meta.engines ?? ["tlc", "embedded"];
      if (engines.length < 2 && !meta.why)
        throw new UserError(
          `${shown}: "engines: ${engines.join(" ")}" needs a "\\* why:" line saying why`,
        );
      const dup = models.find((m) => m.name === name);
      if (dup) throw new UserError(`${shown}: model name ${name} is also used in ${dup.cfgPath}`);
      models.push({
        name,
        protocol,
        dir,
        cfgPath,
        module,
        tlaPath,
        expect: meta.expect,
        engines,
        tier: meta.tier ?? "ci",
        ...(meta.why === undefined ? {} : { why: meta.why }),
        ...(meta.about === undefined ? {} : { about: meta.about }),
      });
    }
  }
  return models;
}

/**
 * Models to check for a name filter: an exact name selects that model (any tier); otherwise the
 * filter is a regular expression (or, if invalid as one, a substring) matched against names,
 * over the ci tier unless `deep`.
 */
export function selectModels(models: Model[], filter: string | undefined, deep: boolean): Model[] {
  const exact = models.find((m) => m.name === filter);
  if (exact) return [exact];
  const matches = (name: string) => {
    if (filter === undefined) return true;
    try {
      return new RegExp(filter).test(name);
    } catch {
      return name.includes(filter);
    }
  };
  const hits = models.filter((m) => matches(m.name));
  const chosen = hits.filter((m) => deep || m.tier === "ci");
  if (chosen.length > 0) return chosen;
  if (hits.length > 0)
    throw new UserError(
      `only deep-tier models match "${filter ?? ""}" (${hits.map((m) => m.name).join(", ")}); add --deep or give an exact name`,
    );
  const available = models.map((m) => m.name).join(", ") || "none";
  throw new UserError(
    filter === undefined
      ? `no models found (available: ${available})`
      : `no model matches "${filter}"; available: ${available}`,
  );
}
