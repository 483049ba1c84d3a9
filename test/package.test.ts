/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the tarball
 * installed into a scratch project without network (`npm ci --offline`, from the npm cache that
 * installing this repository filled, with a lock file made from this repository's), then every
 * example in examples/ run there: the JavaScript ones with plain `node`, the TypeScript one
 * compiled by tsc against the package's own types and then run. The README's "Use it from
 * code" section quotes the same files, so the examples it shows are the ones tested here.
 */
import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "./tla/helpers.js";

interface Ran {
  code: number | null;
  /** The signal that ended the program, if one did and the time bound did not. */
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Run a program with arguments (no shell), bounded in time. */
function runOnce(file: string, args: string[], cwd: string, timeout: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, timeout, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024, env: cleanEnv() },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : null,
          signal: error?.killed ? null : (error?.signal ?? null),
          stdout,
          stderr: error && typeof error.code !== "number" ? `${stderr}${error.message}` : stderr,
        }),
    );
  });
}

/**
 * runOnce, again once if a signal other than the timeout's ended the program (seen once in a
 * full CI run, with no output to tell why): an exit status, whatever it is, is never retried.
 */
async function run(file: string, args: string[], cwd: string, timeout = 300_000): Promise<Ran> {
  const first = await runOnce(file, args, cwd, timeout);
  if (first.signal === null) return first;
  return runOnce(file, args, cwd, timeout);
}

/** The environment without what `npm test` or vitest set for this repository. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(npm_|VITEST|NODE_OPTIONS$|INIT_CWD$)/i.test(k)) env[k] = v;
  return env;
}

/** npm as this Node's own copy of it, run through `node` so that no shell is needed. */
function npm(args: string[], cwd: string): Promise<Ran> {
  const cli = [
    process.env.npm_execpath,
    join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"),
  ].find((p): p is string => p !== undefined && basename(p) === "npm-cli.js" && existsSync(p));
  return cli === undefined ? run("npm", args, cwd) : run(process.execPath, [cli, ...args], cwd);
}

const examplesDir = join(root, "examples");
const examples = readdirSync(examplesDir).sort();
const scripts = examples.filter((f) => f.endsWith(".mjs"));
const typed = examples.filter((f) => f.endsWith(".ts"));

/** A stack trace or a raw exception in the output. */
const STACK = /^\s+at |\b[A-Z][A-Za-z]*Error\b|node:internal/m;

let project = "";
let packed: { files: { path: string }[]; filename: string } | undefined;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "lockstep-package-"));
  project = join(dir, "project");
  const pack = await npm(["pack", "--json", "--pack-destination", dir], root);
  expect(pack.code, `npm pack failed: ${pack.stderr}`).toBe(0);
  // The JSON array follows whatever the prepare script printed.
  packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[")))[0];
  const tarball = join(dir, packed?.filename ?? "missing.tgz");
  expect(existsSync(tarball)).toBe(true);

  // A project that depends on the tarball; its lock file pins the package's dependencies to
  // the versions (and tarballs, by integrity) of this repository's lock file, so that npm
  // installs them from its cache without asking the registry.
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const spec = `file:../${basename(tarball)}`;
  const packages: Record<string, unknown> = {
    "": { name: "scratch", dependencies: { [own.name]: spec } },
    [`node_modules/${own.name}`]: {
      version: own.version,
      resolved: spec,
      license: own.license,
      dependencies: own.dependencies,
      engines: own.engines,
    },
  };
  for (const [k, v] of Object.entries(lock.packages as Record<string, Record<string, unknown>>))
    if (k.startsWith("node_modules/") && v.dev !== true) {
      const { dev: _d, devOptional: _o, ...entry } = v;
      packages[k] = entry;
    }
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "scratch",
      private: true,
      type: "module",
      dependencies: { [own.name]: spec },
    }),
  );
  writeFileSync(
    join(project, "package-lock.json"),
    JSON.stringify({ name: "scratch", lockfileVersion: 3, requires: true, packages }),
  );
  const ci = await npm(["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);
  expect(
    ci.code,
    `npm ci --offline failed (are the dependencies in the npm cache? run npm ci here first): ${ci.stderr}`,
  ).toBe(0);
  for (const f of examples) copyFileSync(join(examplesDir, f), join(project, f));
}, 600_000);

afterAll(() => {
  if (project !== "") rmSync(dirname(project), { recursive: true, force: true });
});

describe("the package", () => {
  it("holds the compiled code, its types, the worker and the specs, and no sources or tests", () => {
    const files = new Set((packed?.files ?? []).map((f) => f.path));
    for (const f of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/tla/embedded-worker.mjs",
      "spec/TraceValidation.tla",
      "package.json",
    ])
      expect(files.has(f), f).toBe(true);
    const stray = [...files].filter((f) => /^(src|test|scripts|examples)\/|tsbuildinfo/.test(f));
    expect(stray).toEqual([]);
    // Each protocol's entry point (`<package>/<protocol>`), with its types.
    const entries = [...files].filter((f) => /^dist\/[^/]+\/index\.js$/.test(f));
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const e of entries) expect(files.has(e.replace(/\.js$/, ".d.ts")), e).toBe(true);
  });

  it("has examples to run", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    expect(typed.length).toBeGreaterThanOrEqual(1);
  });
});

describe.concurrent("the examples, run with plain node in a project that installed the tarball", () => {
  for (const f of scripts)
    it(f, async () => {
      const r = await run(process.execPath, [f], project);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).not.toBe("");
    });

  for (const f of typed)
    it(`${f}, compiled by tsc against the package's types`, async () => {
      const out = `out-${basename(f, ".ts")}`;
      writeFileSync(
        join(project, `tsconfig-${f}.json`),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            skipLibCheck: true,
            types: [],
            outDir: out,
          },
          files: [f],
        }),
      );
      const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
      const c = await run(process.execPath, [tsc, "-p", `tsconfig-${f}.json`], project);
      expect(c.code, c.stdout).toBe(0);
      const r = await run(process.execPath, [join(out, f.replace(/\.ts$/, ".js"))], project);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.code, r.stderr).toBe(0);
    });
});

const readme = readFileSync(join(root, "README.md"), "utf8");
const sectionAt = readme.indexOf("\n## Use it from code");

describe("the README", () => {
  it.runIf(sectionAt >= 0)("quotes each example as it is in its 'Use it from code' section", () => {
    const end = readme.indexOf("\n## ", sectionAt + 1);
    const section = readme.slice(sectionAt, end < 0 ? undefined : end);
    for (const f of examples)
      expect(section, `README quotes examples/${f}`).toContain(
        readFileSync(join(examplesDir, f), "utf8").trimEnd(),
      );
  });
});
