/**
 * TLC, the reference engine: `java -cp tla2tools.jar tlc2.TLC -tool …` on a temporary copy of
 * the spec directory, so states/, trace files and TLC's extracted standard modules never land
 * in the repository.
 */
import { spawn } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, homedir, tmpdir } from "node:os";
import { basename, delimiter, join, relative } from "node:path";
import { lineOfName, parseCfg } from "./cfg.js";
import { localModule } from "./inline.js";
import type { Model } from "./models.js";
import { parseProgress, ToolOutputParser } from "./tlc-output.js";
import { interpretTlc } from "./tlc-verdict.js";
import { type CheckResult, type EngineGraph, type Progress, UserError } from "./types.js";

export interface TlcSetup {
  java: string;
  jar: string;
}

type Env = Record<string, string | undefined>;

/** Per-user cache where `npm run tlc:install` puts the jar. */
export function cachedJarPath(env: Env = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(cache, "lockstep", "tla2tools.jar");
}

/** The jar from TLA2TOOLS_JAR (which must exist) or the per-user cache; null if neither. */
export function findJar(env: Env = process.env): string | null {
  const fromEnv = env.TLA2TOOLS_JAR;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new UserError(
        `TLA2TOOLS_JAR points to ${fromEnv}, which does not exist; fix the variable or unset it`,
      );
    return fromEnv;
  }
  const cached = cachedJarPath(env);
  return existsSync(cached) ? cached : null;
}

/** JAVA_HOME/bin/java, else `java` on PATH; null if neither is there. */
export function findJava(env: Env = process.env): string | null {
  const exe = process.platform === "win32" ? "java.exe" : "java";
  const candidates = [
    ...(env.JAVA_HOME ? [join(env.JAVA_HOME, "bin", exe)] : []),
    ...(env.PATH ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, exe)),
  ];
  return candidates.find(isExecutable) ?? null;
}

const isExecutable = (p: string) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export const NO_JAR =
  "TLC not found: set TLA2TOOLS_JAR to a tla2tools.jar or run `npm run tlc:install`";
export const NO_JAVA =
  "Java not found: install Java 11+ (e.g. your OS package openjdk-17-jre, or adoptium.net) or set JAVA_HOME";

/** Both jar and Java, or a UserError saying which is missing. */
export function locateTlc(env: Env = process.env): TlcSetup {
  const jar = findJar(env);
  if (!jar) throw new UserError(NO_JAR);
  const java = findJava(env);
  if (!java) throw new UserError(NO_JAVA);
  return { java, jar };
}

export interface TlcOptions {
  workers?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Extra JVM arguments (e.g. -Xmx); JAVA_TOOL_OPTIONS works as well. */
  jvmArgs?: string[];
  /** Extra TLC arguments placed before the spec (e.g. `-simulate num=1 -depth 100`). */
  tlcArgs?: string[];
  /** Return TLC's unframed output lines (Print/PrintT output, SANY text) as `output`. */
  keepOutput?: boolean;
  /**
   * Dump the reachable graph too (`-dump dot,actionlabels`) and hand it over when the model
   * passes: one run gives verdict, count and graph.
   */
  onGraph?: (g: EngineGraph) => void;
}

/** TLC prints progress once a minute by default; every few seconds is enough for a live line. */
const PROGRESS_SECONDS = 3;

/**
 * The JVM's optimizing compiler (C2) pays for itself only on long checks: on a check of up to
 * some 20,000 distinct states its compile threads take as much CPU as the search (measured:
 * 19,340 states, 12.6 CPU-s with C2 against 5.6 with the quick compiler alone), while on
 * 69,017 states of a larger model C2 halves the time. So a model whose header expects few
 * states runs on the quick compiler; one with no expected count, or a larger one, gets both.
 */
const QUICK_JIT_UP_TO_STATES = 20_000;
export const jitArgs = (expectedStates: number | undefined): string[] =>
  expectedStates !== undefined && expectedStates <= QUICK_JIT_UP_TO_STATES
    ? ["-XX:TieredStopAtLevel=1"]
    : [];

export async function runTlc(
  model: Model,
  setup: TlcSetup,
  opts: TlcOptions = {},
): Promise<CheckResult> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), "lockstep-tlc-"));
  try {
    // The modules and this model's cfg: another cfg of the folder, or a module no model
    // uses, that cannot be read must not stop this check (TLC names a module it misses).
    // The modules every protocol shares (the parent directory's) first, so that a module of
    // the model's own directory with the same name wins (src/tla/inline.ts looks them up so too).
    for (const from of [join(model.dir, ".."), model.dir]) {
      for (const f of readdirSync(from).filter((f) => f.endsWith(".tla"))) {
        try {
          copyFileSync(join(from, f), join(work, f));
        } catch {
          // Left out: if the model extends it, SANY reports it as missing.
        }
      }
    }
    const cfgName = basename(model.cfgPath);
    const cfgText = model.cfgText ?? readFileSync(model.cfgPath, "utf8");
    writeFileSync(join(work, cfgName), cfgText);
    const traceFile = join(work, "trace.json");
    // TLC adds ".dot" to the name it is given.
    const graphFile = join(work, "graph");
    const args = [
      "-XX:+UseParallelGC",
      // A crash report outside the work directory, which is removed afterwards.
      `-XX:ErrorFile=${join(tmpdir(), "lockstep-tlc-hs_err_pid%p.log")}`,
      `-Djava.io.tmpdir=${work}`,
      `-Dtlc2.TLC.progressInterval=${PROGRESS_SECONDS}`,
      // One value per line: no wrapping of long values in printed states.
      "-Dtlc2.value.Values.width=1000000",
      ...jitArgs(model.states?.tlc),
      ...(opts.jvmArgs ?? []),
      "-cp",
      setup.jar,
      "tlc2.TLC",
      "-tool",
      "-workers",
      String(opts.workers ?? availableParallelism()),
      "-metadir",
      join(work, "states"),
      "-noGenerateSpecTE",
      "-dumpTrace",
      "json",
      traceFile,
      ...(opts.onGraph ? ["-dump", "dot,actionlabels", graphFile] : []),
      ...(opts.tlcArgs ?? []),
      "-config",
      cfgName,
      `${model.module}.tla`,
    ];
    const run = await spawnTlc(setup, args, work, opts);
    const environment = environmentProblem(run.stderr, setup);
    if (environment) throw new UserError(environment);
    const cfg = parseCfg(cfgText);
    const shown = (p: string) => relative(process.cwd(), p) || p;
    const verdict = interpretTlc(run.parser.messages, run.parser.loose, {
      exitCode: run.code,
      signal: opts.signal?.aborted ? null : run.signal,
      stderr: run.stderr,
      moduleFile: (m) => shown(localModule(model.dir, m) ?? join(model.dir, `${m}.tla`)),
      sourceOf: (m) => {
        const f = join(work, `${m}.tla`);
        return existsSync(f) ? readFileSync(f, "utf8") : undefined;
      },
      cfgFile: shown(model.cfgPath),
      cfgLine: (name) => lineOfName(cfg, "INVARIANT", name) ?? lineOfName(cfg, "PROPERTY", name),
      ...(existsSync(traceFile) ? { jsonTrace: readFileSync(traceFile, "utf8") } : {}),
    });
    const aborted = opts.signal?.aborted ? { outcome: "error", error: "interrupted" } : {};
    if (opts.onGraph && verdict.outcome === "pass" && !opts.signal?.aborted) {
      // No file (no callback): the caller reports the missing graph.
      const dot = `${graphFile}.dot`;
      if (existsSync(dot)) opts.onGraph({ lines: () => fileLines(dot) });
    }
    return {
      model: model.name,
      protocol: model.protocol,
      engine: "tlc",
      expected: model.expect,
      seconds: (performance.now() - started) / 1000,
      ...verdict,
      ...aborted,
      ...(opts.keepOutput ? { output: run.parser.loose } : {}),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface TlcRun {
  code: number | null;
  signal: string | null;
  stderr: string;
  parser: ToolOutputParser;
}

function spawnTlc(setup: TlcSetup, args: string[], cwd: string, opts: TlcOptions): Promise<TlcRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(setup.java, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const parser = new ToolOutputParser();
    let stderr = "";
    let last: { at: number; generated: number } | undefined;
    const onMessages = (msgs: ReturnType<ToolOutputParser["push"]>) => {
      for (const m of msgs) {
        const p = m.code === 2200 ? parseProgress(m.text) : null;
        if (!p || !opts.onProgress) continue;
        const now = performance.now();
        const rate =
          last && p.generated !== null && now > last.at
            ? ((p.generated - last.generated) * 1000) / (now - last.at)
            : p.perMinute !== null
              ? p.perMinute / 60
              : null;
        if (p.generated !== null) last = { at: now, generated: p.generated };
        opts.onProgress({
          distinctStates: p.distinct,
          generatedStates: p.generated,
          statesPerSecond: rate,
          depth: p.depth,
          queue: p.queue,
        });
      }
    };
    child.stdout.setEncoding("utf8").on("data", (d: string) => onMessages(parser.push(d)));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      // Keep the tail only: a crashing JVM can print a lot.
      stderr = (stderr + d).slice(-20_000);
    });
    const onAbort = () => child.kill("SIGTERM");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener("abort", onAbort);
      reject(e.code === "ENOENT" ? new UserError(`${NO_JAVA} (tried ${setup.java})`) : e);
    });
    child.on("close", (code, signal) => {
      opts.signal?.removeEventListener("abort", onAbort);
      onMessages(parser.end());
      resolve({ code, signal, stderr, parser });
    });
  });
}

/** Problems with Java or the jar rather than with the model: reported once, not per model. */
function environmentProblem(stderr: string, setup: TlcSetup): string | null {
  if (/Could not find or load main class tlc2\.TLC|ClassNotFoundException: tlc2\.TLC/.test(stderr))
    return `${setup.jar} is not a TLC jar (no tlc2.TLC class); point TLA2TOOLS_JAR at tla2tools.jar or run \`npm run tlc:install\``;
  if (/Invalid or corrupt jarfile|error opening zip|ZipException/.test(stderr))
    return `${setup.jar} is not a valid jar; download it again (\`npm run tlc:install\`)`;
  if (/UnsupportedClassVersionError/.test(stderr))
    return `${setup.java} is too old for this TLC: install Java 11+ or set JAVA_HOME to one`;
  return null;
}

/** The lines of a file, read a chunk at a time (TLC's graph of a large model is hundreds of MB). */
export function* fileLines(path: string): Generator<string> {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    // The bytes after the last newline so far: split only at newlines, so that no UTF-8
    // sequence is cut in two.
    let carry = Buffer.alloc(0);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const chunk = Buffer.concat([carry, buf.subarray(0, n)]);
      const end = chunk.lastIndexOf(10);
      if (end < 0) {
        carry = chunk;
        continue;
      }
      yield* chunk.toString("utf8", 0, end).split("\n");
      carry = Buffer.from(chunk.subarray(end + 1));
    }
    if (carry.length > 0) yield carry.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
