/**
 * Model discovery. A model is a `spec/<protocol>/<Name>.cfg` whose leading `\*` comment lines
 * carry metadata:
 *
 *   \* model: MCFoo           module to check (same directory); default: the cfg's basename
 *   \* expect: pass           or the invariant/property that must be violated, or "deadlock"
 *   \* engines: tlc embedded  default both; a subset needs a `\* why:` line
 *   \* tier: ci               ci: checked by default on both engines; tlc: by default on TLC
 *                             only (the embedded engine leaves it to TLC); deep: only with
 *                             --deep or by exact name
 *   \* states: embedded 24271, tlc 24271
 *                             exact distinct states per engine (either may be omitted), checked
 *                             whenever the outcome is the expected one and the count is
 *                             deterministic (always at a pass; at a violation on the embedded
 *                             engine, and on TLC with one worker)
 *   \* control: BugX = FALSE  the same cfg with these constants replaced (comma-separated
 *                             NAME = VALUE) must pass; checked as its own row, `<Name>/control`
 *   \* control-states: embedded N, tlc M
 *                             the control's distinct states, as for `states:`
 *   \* control-tier: tlc      the control's tier, when not the model's (a control passes, so it
 *                             explores every state, and can cost far more than its bug model)
 *   \* about: one line for humans
 *   \* note: free text (why the bounds or the tier are what they are); may repeat
 *
 * Every cfg under spec/<protocol>/ is a model: one without an `expect:` line, one that cannot
 * be read, or whose header is wrong, is still listed, as a broken model whose check reports the
 * error (file:line and what to do), so that one bad file does not stop the others.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { constantBindings, parseCfg, withConstants } from "./cfg.js";
import { type EngineName, UserError } from "./types.js";

export type Tier = "ci" | "tlc" | "deep";

/** Expected distinct states per engine, and the cfg line that says so. */
export interface StateCounts {
  embedded?: number;
  tlc?: number;
  /** Where the expectation is written: `path/to/M.cfg:5`. */
  at: string;
}

export interface Model {
  /** cfg basename, unique across protocols; `<Name>/control` for a control. */
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
  states?: StateCounts;
  /** The cfg text to check when it is not the file's own (a control's). */
  cfgText?: string;
  /** On a control: the name of the model it controls. */
  controlOf?: string;
  /** Why this cfg cannot be checked (one line with file:line); checking it reports this. */
  broken?: string;
}

export interface ControlSpec {
  /** Constants to replace, in header order. */
  assignments: { name: string; value: string }[];
  line: number;
  states?: Omit<StateCounts, "at">;
  statesLine?: number;
  tier?: Tier;
}

export interface Metadata {
  model?: string;
  expect?: string;
  engines?: EngineName[];
  why?: string;
  tier?: Tier;
  about?: string;
  states?: Omit<StateCounts, "at">;
  statesLine?: number;
  control?: ControlSpec;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isTier = (v: string): v is Tier => v === "ci" || v === "tlc" || v === "deep";
const KEYS = [
  "model",
  "expect",
  "engines",
  "why",
  "tier",
  "about",
  "note",
  "states",
  "control",
  "control-states",
  "control-tier",
] as const;
type Key = (typeof KEYS)[number];

/** `embedded 24271, tlc 24271` (either part may be missing), or null if that is not what it is. */
function parseCounts(value: string): Omit<StateCounts, "at"> | null {
  const counts: { embedded?: number; tlc?: number } = {};
  const parts = value.split(",").map((p) => p.trim());
  for (const p of parts) {
    const m = /^(embedded|tlc)\s+(\d+)$/.exec(p);
    if (!m) return null;
    const engine = m[1] as EngineName;
    if (counts[engine] !== undefined) return null;
    counts[engine] = Number(m[2]);
  }
  return parts.length > 0 ? counts : null;
}

/** Split at commas outside brackets, braces, parentheses, << >> and strings. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const two = text.slice(i, i + 2);
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (two === "<<" || two === ">>") {
      depth += two === "<<" ? 1 : -1;
      i++;
    } else if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim());
}

function parseControl(value: string): ControlSpec["assignments"] | null {
  const out: ControlSpec["assignments"] = [];
  for (const part of splitTopLevel(value)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S.*)$/.exec(part);
    if (!m?.[1] || !m[2] || out.some((a) => a.name === m[1])) return null;
    out.push({ name: m[1], value: m[2] });
  }
  return out.length > 0 ? out : null;
}

/** Parse the leading comment block of a cfg; `file` is used in error messages. */
export function parseMetadata(text: string, file: string): Metadata {
  const meta: Metadata = {};
  const seen = new Map<Key, number>();
  let controlStates: { counts: Omit<StateCounts, "at">; line: number } | undefined;
  let controlTier: { tier: Tier; line: number } | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    if (!line.startsWith("\\*")) break;
    const m = /^\\\*\s*([a-z][a-z-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const [, rawKey = "", value = ""] = m;
    const bad = (what: string) => new UserError(`${file}:${i + 1}: ${what}`);
    if (!(KEYS as readonly string[]).includes(rawKey))
      throw bad(
        `unknown header field "${rawKey}:" (known: ${KEYS.join(", ")}); a free-form comment must not start with "word:"`,
      );
    const key = rawKey as Key;
    const first = seen.get(key);
    if (first !== undefined && key !== "note")
      throw bad(`${key}: given twice (first on line ${first}); keep one`);
    seen.set(key, i + 1);
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
      case "control-tier":
        if (!isTier(value)) throw bad(`${key}: expects "ci", "tlc" or "deep", got "${value}"`);
        if (key === "tier") meta.tier = value;
        else controlTier = { tier: value, line: i + 1 };
        break;
      case "states":
      case "control-states": {
        const counts = parseCounts(value);
        if (!counts)
          throw bad(
            `${key}: expects "embedded N, tlc M" (distinct states; either engine may be left out), got "${value}"`,
          );
        if (key === "states") {
          meta.states = counts;
          meta.statesLine = i + 1;
        } else controlStates = { counts, line: i + 1 };
        break;
      }
      case "control": {
        const assignments = parseControl(value);
        if (!assignments)
          throw bad(
            `control: expects comma-separated NAME = VALUE constant assignments, e.g. "BugX = FALSE", got "${value}"`,
          );
        meta.control = { assignments, line: i + 1 };
        break;
      }
      case "why":
        meta.why = value;
        break;
      case "about":
        meta.about = value;
        break;
      case "note":
        break;
    }
  }
  if (controlStates) {
    if (!meta.control)
      throw new UserError(
        `${file}:${controlStates.line}: control-states: given without a "\\* control:" line`,
      );
    meta.control.states = controlStates.counts;
    meta.control.statesLine = controlStates.line;
  }
  if (controlTier) {
    if (!meta.control)
      throw new UserError(
        `${file}:${controlTier.line}: control-tier: given without a "\\* control:" line`,
      );
    meta.control.tier = controlTier.tier;
  }
  const engines = meta.engines ?? ["tlc", "embedded"];
  for (const [counts, line] of [
    [meta.states, meta.statesLine],
    [meta.control?.states, meta.control?.statesLine],
  ] as const)
    for (const engine of ["tlc", "embedded"] as const)
      if (counts?.[engine] !== undefined && !engines.includes(engine))
        throw new UserError(
          `${file}:${line}: states for ${engine}, but "engines:" leaves ${engine} out; drop one of the two`,
        );
  return meta;
}

const shownPath = (p: string) => relative(process.cwd(), p) || p;

/**
 * Every model under `specRoot`, sorted by protocol then name, each followed by its control
 * (if it has one). A cfg that cannot be read as a model is listed with `broken` set.
 */
export function discoverModels(specRoot: string): Model[] {
  const hint = "run from the project's root or pass --spec-dir DIR (a folder of <protocol>/*.cfg)";
  if (!existsSync(specRoot)) throw new UserError(`${specRoot}: spec directory not found; ${hint}`);
  const list = (dir: string) => {
    try {
      return readdirSync(dir).sort();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(
        code === "ENOTDIR"
          ? `${shownPath(dir)}: not a directory; ${hint}`
          : `${shownPath(dir)}: cannot read the directory (${code ?? (e as Error).message})`,
      );
    }
  };
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const models: Model[] = [];
  const protocols = list(specRoot).filter((d) => isDir(join(specRoot, d)));
  for (const protocol of protocols) {
    const dir = join(specRoot, protocol);
    for (const f of list(dir).filter((f) => f.endsWith(".cfg"))) {
      const name = basename(f, ".cfg");
      const cfgPath = join(dir, f);
      const base = {
        name,
        protocol,
        dir,
        cfgPath,
        module: name,
        tlaPath: join(dir, `${name}.tla`),
        engines: ["tlc", "embedded"] as EngineName[],
        tier: "ci" as Tier,
      };
      try {
        models.push(...readModel(base, models));
      } catch (e) {
        const why =
          e instanceof UserError
            ? e.message
            : `${shownPath(cfgPath)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); fix or remove the file`;
        models.push({ ...base, expect: "?", broken: why });
      }
    }
  }
  return models;
}

type ModelBase = Pick<
  Model,
  "name" | "protocol" | "dir" | "cfgPath" | "module" | "tlaPath" | "engines" | "tier"
>;

/** The model of one cfg and its control. Throws UserError (or a file system error). */
function readModel(base: ModelBase, earlier: Model[]): Model[] {
  const shown = shownPath(base.cfgPath);
  const text = readFileSync(base.cfgPath, "utf8");
  const meta = parseMetadata(text, shown);
  if (meta.expect === undefined)
    throw new UserError(
      `${shown}:1: no "\\* expect:" line, so this cfg is not a model and is not checked; add "\\* expect: pass" (or the invariant it must violate, or deadlock) to its first comment lines`,
    );
  const module = meta.model ?? base.name;
  const tlaPath = join(base.dir, `${module}.tla`);
  if (!existsSync(tlaPath))
    throw new UserError(
      `${shown}:1: module ${module} not found (expected ${module}.tla beside the cfg)`,
    );
  const engines = meta.engines ?? base.engines;
  if (engines.length < 2 && !meta.why)
    throw new UserError(
      `${shown}: "engines: ${engines.join(" ")}" needs a "\\* why:" line saying why`,
    );
  const dup = earlier.find((m) => m.name === base.name);
  if (dup) throw new UserError(`${shown}: model name ${base.name} is also used in ${dup.cfgPath}`);
  const model: Model = {
    ...base,
    module,
    tlaPath,
    expect: meta.expect,
    engines,
    tier: meta.tier ?? "ci",
    ...(meta.why === undefined ? {} : { why: meta.why }),
    ...(meta.about === undefined ? {} : { about: meta.about }),
    ...(meta.states ? { states: { ...meta.states, at: `${shown}:${meta.statesLine}` } } : {}),
  };
  if (!meta.control) return [model];
  const { states: _s, about: _a, ...rest } = model;
  const control: Model = {
    ...rest,
    name: `${base.name}/control`,
    expect: "pass",
    tier: meta.control.tier ?? model.tier,
    controlOf: base.name,
    ...(meta.control.states
      ? { states: { ...meta.control.states, at: `${shown}:${meta.control.statesLine}` } }
      : {}),
  };
  try {
    control.cfgText = controlCfg(text, meta.control, shown);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    control.broken = e.message;
  }
  return [model, control];
}

/** The cfg with the control's constants replaced; every name must be bound and change. */
function controlCfg(text: string, control: ControlSpec, shown: string): string {
  const cfg = parseCfg(text);
  const bindings = constantBindings(cfg);
  for (const { name, value } of control.assignments) {
    const b = bindings.find((x) => x.name === name);
    if (!b)
      throw new UserError(
        `${shown}:${control.line}: control: ${name} is not among the cfg's CONSTANTS (${bindings.map((x) => x.name).join(", ") || "none"})`,
      );
    if (b.value === value)
      throw new UserError(
        `${shown}:${control.line}: control: ${name} is already ${value} (line ${b.line}); a control must change the model`,
      );
  }
  return withConstants(cfg, new Map(control.assignments.map((a) => [a.name, a.value])));
}

/** Which tiers a run includes by default on an engine. */
export const defaultTiers = (engine: EngineName, deep: boolean): Tier[] =>
  deep ? ["ci", "tlc", "deep"] : engine === "tlc" ? ["ci", "tlc"] : ["ci"];

export interface Selection {
  models: Model[];
  /** Checks the filter matched but the embedded engine leaves to TLC (a model's control only
   * when the model itself is checked). */
  leftToTlc: string[];
  /** Models the filter matched that the engine at hand cannot check (`engines:`), with why. */
  otherEngine: { name: string; why: string }[];
}

const engineName = (e: EngineName) => (e === "tlc" ? "TLC" : "the embedded engine");

/** How to check a model on the other engine. */
export function otherEngineHint(engine: EngineName, name?: string): string {
  const run = `npm run tlc -- ${name ?? ""}${name ? " " : ""}--engine ${engine === "tlc" ? "embedded" : "tlc"}`;
  return engine === "tlc"
    ? `run \`${run}\``
    : `set TLA2TOOLS_JAR to a tla2tools.jar or run \`npm run tlc:install\` (Java 11+ needed), then \`${run}\``;
}

/**
 * Models to check for a name filter on an engine: an exact name selects that model and its
 * control (any tier), an exact control name only the control; a protocol's folder name
 * (`spec/<protocol>`) its models; otherwise the filter is a regular expression (or, if
 * invalid as one, a substring) matched against names; all over the
 * engine's default tiers (`defaultTiers`). A control goes with its model. Broken cfgs that
 * match are always selected, so that they are reported. A model the engine cannot check
 * (`engines:`) is left out and listed in `otherEngine`; asked for by its exact name, it is an
 * error saying how to check it.
 */
export function selectModels(
  models: Model[],
  filter: string | undefined,
  deep: boolean,
  engine: EngineName = "tlc",
): Selection {
  const runnable = (m: Model) => m.broken !== undefined || m.engines.includes(engine);
  const exact =
    filter === undefined ? [] : models.filter((m) => m.name === filter || m.controlOf === filter);
  if (exact.length > 0) {
    const ok = exact.filter(runnable);
    const [first] = exact;
    if (ok.length === 0 && first)
      throw new UserError(
        `${first.controlOf ?? first.name} cannot be checked on ${engineName(engine)} (${shownPath(first.cfgPath)}: ${first.why ?? `engines: ${first.engines.join(" ")}`}); to check it, ${otherEngineHint(engine, filter)}`,
      );
    return { models: ok, leftToTlc: [], otherEngine: [] };
  }
  const matches = (m: Model) => {
    if (filter === undefined || m.protocol === filter) return true;
    try {
      return new RegExp(filter).test(m.name);
    } catch {
      return m.name.includes(filter);
    }
  };
  const hit = new Set(models.filter(matches).map((m) => m.name));
  const selected = (m: Model) => hit.has(m.name) || (m.controlOf && hit.has(m.controlOf));
  const hits = models.filter(selected);
  const tiers = defaultTiers(engine, deep);
  const inTier = (m: Model) => m.broken !== undefined || tiers.includes(m.tier);
  const chosen = hits.filter((m) => inTier(m) && runnable(m));
  const otherEngine = hits
    .filter((m) => inTier(m) && !runnable(m) && !m.controlOf)
    .map((m) => ({ name: m.name, why: m.why ?? `engines: ${m.engines.join(" ")}` }));
  // A control goes without saying when its model is left to TLC too.
  const left = hits.filter((m) => !m.broken && m.tier === "tlc" && !tiers.includes("tlc"));
  const leftToTlc = left
    .filter((m) => !m.controlOf || !left.some((x) => x.name === m.controlOf))
    .map((m) => m.name);
  if (chosen.length > 0) return { models: chosen, leftToTlc, otherEngine };
  if (hits.length > 0) {
    const names = hits.filter((m) => !m.controlOf).map((m) => m.name);
    const tlcOnly = hits.every((m) => m.tier === "tlc");
    throw new UserError(
      otherEngine.length > 0
        ? `only models ${engineName(engine)} cannot check match "${filter ?? ""}" (${otherEngine.map((m) => m.name).join(", ")}); to check them, ${otherEngineHint(engine)}`
        : tlcOnly
          ? `only models left to TLC match "${filter ?? ""}" (${names.join(", ")}); run them with --engine tlc, add --deep, or give an exact name`
          : `only deep-tier models match "${filter ?? ""}" (${names.join(", ")}); add --deep or give an exact name`,
    );
  }
  const available =
    models
      .filter((m) => !m.controlOf)
      .map((m) => m.name)
      .join(", ") || "none";
  throw new UserError(
    filter === undefined
      ? `no models found (available: ${available})`
      : `no model matches "${filter}"; available: ${available}`,
  );
}
