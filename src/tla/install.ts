/**
 * `npm run tlc:install`: fetch the pinned official tla2tools.jar into the per-user cache,
 * verified by SHA-256. The download goes to a temporary file beside the target and is renamed
 * into place only after the checksum matched, so a failed or interrupted install leaves nothing.
 *
 * v1.7.4 is the newest stable release; the v1.8.0 assets are a rolling pre-release whose bytes
 * (and hash) change. Its SHA-256 is the one pinned by nixpkgs (pkgs/by-name/tl/tlaplus).
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { cachedJarPath } from "./tlc.js";
import { UserError } from "./types.js";

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

const sha256Of = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

export async function installTlc(opts: InstallOptions = {}): Promise<Installed> {
  const url = opts.url ?? TLC_RELEASE.url;
  const expected = (opts.sha256 ?? TLC_RELEASE.sha256).toLowerCase();
  const dest = opts.dest ?? cachedJarPath();
  const parsed = new URL(url);
  // Plain HTTP only to this machine (tests); anything else must be HTTPS.
  if (
    parsed.protocol !== "https:" &&
    !(parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname))
  )
    throw new UserError(
      `refusing to download over ${parsed.protocol} (${url}); use an https:// URL`,
    );
  if (existsSync(dest) && sha256Of(dest) === expected) return { path: dest, downloaded: false };

  mkdirSync(dirname(dest), { recursive: true });
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
      throw new UserError(`could not download ${url} (${reason(e)}); ${manual}`);
    }
    if (!res.ok || !res.body)
      throw new UserError(`could not download ${url} (HTTP ${res.status}); ${manual}`);
    const file = await open(part, "wx");
    try {
      for await (const chunk of res.body) {
        hash.update(chunk);
        await file.write(chunk);
      }
    } catch (e) {
      throw new UserError(`download of ${url} broke off (${reason(e)}); ${manual}`);
    } finally {
      await file.close();
    }
    const actual = hash.digest("hex");
    if (actual !== expected)
      throw new UserError(
        `checksum mismatch for ${url}: expected sha256 ${expected}, got ${actual}; the download was discarded`,
      );
    await rename(part, dest);
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

/** The script's body: one line of outcome, exit status 0 or 1. */
export async function installMain(
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
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
    return 1;
  }
}
