/**
 * `npm run tlc:install`: fetch the pinned official tla2tools.jar into the per-user cache,
 * verified by SHA-256. The download goes to a temporary file beside the target and is renamed
 * into place only after the checksum matched, so a failed or interrupted install leaves nothing.
 * Exit status: 0 when installed (or already there), 1 when the download failed or its checksum
 * differed, 2 for bad usage or a cache path that cannot hold the jar (checked before any
 * download starts).
 *
 * v1.7.4 is the newest stable release; the v1.8.0 assets are a rolling pre-release whose bytes
 * (and hash) change. Its SHA-256 is the one pinned by nixpkgs (pkgs/by-name/tl/tlaplus).
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { Command } from "commander";
import { ensureDirectory, fsUserError, runCommand } from "../core/cli.js";
import { cachedJarPath } from "./tlc.js";
import { UserError } from "./types.js";

/** The install was attempted and failed (network, checksum): exit 1, not a usage error. */
export class InstallFailed extends UserError {
  override name = "InstallFailed";
}

export const TLC_RELEASE = {
  version: "1.7.4",
  url: "https://github.com/tlaplus/tlaplus/releases/download/v1.7.4/tla2tools.jar",
  sha256: "936a262061c914694dfd669a543be24573c45d5aa0ff20a8b96b23d01e050e88",
} as const;

export interface InstallOptions {
  url?: string;
  sha256?: string;
  /** Where the jar goes; default: the per-user cache that `npm run tlc` looks in. */
  dest?: string;
  /** The environment the per-user cache is found from (default: process.env). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Called just before a download starts (not when a verified copy is already there). */
  onDownload?: (url: string, dest: string) => void;
}

export interface Installed {
  path: string;
  /** False when a verified copy was already there. */
  downloaded: boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

const sha256Of = (path: string, where: string) => {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch (e) {
    throw fsUserError(e, where);
  }
};

/** The file's status, undefined when there is none; a path a file blocks is a UserError. */
function statOf(path: string, where: string): ReturnType<typeof statSync> {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw fsUserError(e, where);
  }
}

export async function installTlc(opts: InstallOptions = {}): Promise<Installed> {
  const url = opts.url ?? TLC_RELEASE.url;
  const expected = (opts.sha256 ?? TLC_RELEASE.sha256).toLowerCase();
  const dest = opts.dest ?? cachedJarPath(opts.env);
  const parsed = new URL(url);
  // Plain HTTP only to this machine (tests); anything else must be HTTPS.
  if (
    parsed.protocol !== "https:" &&
    !(parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname))
  )
    throw new UserError(
      `refusing to download over ${parsed.protocol} (${url}); use an https:// URL`,
    );
  const env = opts.env ?? process.env;
  // Where the path came from, for the one-line error: the variable that set it.
  const where =
    opts.dest !== undefined
      ? "dest"
      : env.XDG_CACHE_HOME
        ? `XDG_CACHE_HOME=${env.XDG_CACHE_HOME}`
        : `the per-user cache (~/.cache)`;
  const existing = statOf(dest, where);
  if (existing?.isDirectory())
    throw new UserError(
      `${where}: ${dest} is a directory, where the jar should go; remove it and run again`,
    );
  if (existing !== undefined && sha256Of(dest, where) === expected)
    return { path: dest, downloaded: false };

  ensureDirectory(dirname(dest), where);
  const part = `${dest}.${randomBytes(6).toString("hex")}.part`;
  const manual = `download tla2tools.jar v${TLC_RELEASE.version} yourself and set TLA2TOOLS_JAR=/path/to/tla2tools.jar`;
  try {
    opts.onDownload?.(url, dest);
    const hash = createHash("sha256");
    let res: Response;
    try {
      res = await fetch(url, {
        redirect: "follow",
        signal: AbortSignal.timeout(opts.timeoutMs ?? 300_000),
      });
    } catch (e) {
      throw new InstallFailed(`could not download ${url} (${reason(e)}); ${manual}`);
    }
    if (!res.ok || !res.body)
      throw new InstallFailed(`could not download ${url} (HTTP ${res.status}); ${manual}`);
    const file = await open(part, "wx").catch((e: unknown) => {
      throw fsUserError(e, where);
    });
    try {
      for await (const chunk of res.body) {
        hash.update(chunk);
        await file.write(chunk);
      }
    } catch (e) {
      throw new InstallFailed(`download of ${url} broke off (${reason(e)}); ${manual}`);
    } finally {
      await file.close();
    }
    const actual = hash.digest("hex");
    if (actual !== expected)
      throw new InstallFailed(
        `checksum mismatch for ${url}: expected sha256 ${expected}, got ${actual}; the download was discarded`,
      );
    await rename(part, dest).catch((e: unknown) => {
      throw fsUserError(e, where);
    });
    return { path: dest, downloaded: true };
  } finally {
    await rm(part, { force: true });
  }
}

function reason(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return String(e);
}

/**
 * The install's outcome in one line: exit status 0 (installed or already there), 1 (download or
 * checksum failed) or 2 (a path that cannot hold the jar, a refused URL).
 */
export async function installMain(
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } } = process,
  opts: InstallOptions = {},
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  try {
    const r = await installTlc({
      onDownload: (url) =>
        io.stdout.write(`Downloading TLA+ tools v${TLC_RELEASE.version} from ${url} …\n`),
      ...opts,
    });
    io.stdout.write(
      r.downloaded
        ? `Installed ${r.path} (sha256 verified)\n`
        : `Already installed: ${r.path} (sha256 verified)\n`,
    );
    if (env.TLA2TOOLS_JAR)
      io.stdout.write(
        `Note: TLA2TOOLS_JAR is set, so \`npm run tlc\` uses ${env.TLA2TOOLS_JAR} instead.\n`,
      );
    return 0;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    io.stderr.write(`error: ${e.message}\n`);
    return e instanceof InstallFailed ? 1 : 2;
  }
}

/** `npm run tlc:install [--help]`: the command line around installMain. */
export async function main(
  argv: ReadonlyArray<string>,
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } } = process,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const cmd = new Command("tlc:install")
    .description(
      `Download TLA+ tools v${TLC_RELEASE.version} (tla2tools.jar, the official release) into the per-user cache that \`npm run tlc\` looks in, keeping it only if its SHA-256 is ${TLC_RELEASE.sha256}`,
    )
    .addHelpText(
      "after",
      `
Where: ${cachedJarPath(env)}
  (\${XDG_CACHE_HOME:-~/.cache}/lockstep/tla2tools.jar). Nothing is kept when the download fails
  or the checksum differs. Offline? Download ${TLC_RELEASE.url}
  yourself and set TLA2TOOLS_JAR=/path/to/tla2tools.jar.
Exit status: 0 installed, 1 download or checksum failed, 2 bad usage or cache path.
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return runCommand(cmd, argv, io.stderr, () => installMain(io, { env }, env));
}
