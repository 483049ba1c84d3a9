/**
 * The frame the command-line entry points share: commander parses argv (help and version exit
 * 0, a usage error exits 2 after commander printed it), the command runs with a signal that
 * Ctrl-C or SIGTERM aborts (so it can clean up and report), and a UserError ends as one
 * "error: …" line with exit 2. So does a file-system error (a path the user gave that is a file,
 * missing, or not writable): the line names the flag or argument whose value the path is.
 */
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { type Command, CommanderError } from "commander";
import { UserError } from "./errors.js";

export async function runCommand(
  cmd: Command,
  argv: ReadonlyArray<string>,
  stderr: { write(s: string): unknown },
  body: (cmd: Command, signal: AbortSignal) => Promise<number>,
): Promise<number> {
  try {
    cmd.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError)
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : 2;
    throw e;
  }
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    return await body(cmd, ac.signal);
  } catch (e) {
    if (e instanceof UserError) {
      stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (isFsError(e)) {
      stderr.write(`error: ${describeFsError(e, pathSource(cmd, e.path))}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

/** A Node file-system error: it carries the errno code, the system call and the path. */
export interface FsError extends Error {
  code: string;
  syscall: string;
  path?: string;
  dest?: string;
}

export const isFsError = (e: unknown): e is FsError =>
  e instanceof Error &&
  typeof (e as Partial<FsError>).code === "string" &&
  typeof (e as Partial<FsError>).syscall === "string";

/** What an errno code means to someone who gave the path, and what to do about it. */
const FS_REASONS: Readonly<Record<string, readonly [string, string]>> = {
  EEXIST: ["a file is in the way", "give a directory, or a path where one can be made"],
  ENOTDIR: [
    "a part of the path is a file, not a directory",
    "give a path whose parents are directories",
  ],
  EISDIR: ["it is a directory", "give a file, or remove the directory"],
  ENOENT: ["no such file or directory", "check the path"],
  EACCES: ["permission denied", "choose a place you can write to"],
  EPERM: ["operation not permitted", "choose a place you can write to"],
  EROFS: ["the file system is read-only", "choose a place you can write to"],
  ENOSPC: ["no space left on the device", "free some space or choose another place"],
  EDQUOT: ["disk quota exceeded", "free some space or choose another place"],
  ENAMETOOLONG: ["the name is too long", "choose a shorter path"],
  ELOOP: ["too many symbolic links", "check the path"],
  EMFILE: ["too many open files", "raise the open-file limit (ulimit -n)"],
};

const FS_VERBS: Readonly<Record<string, string>> = {
  mkdir: "create the directory",
  open: "open",
  scandir: "list the directory",
  opendir: "list the directory",
  read: "read",
  write: "write",
  rename: "move a file to",
  copyfile: "copy to",
  cp: "copy to",
  rm: "remove",
  unlink: "remove",
  stat: "look at",
  lstat: "look at",
  access: "use",
};

/** A path as the user would recognise it: relative to the working directory when inside it. */
const shown = (p: string) => {
  const r = relative(process.cwd(), p);
  return r !== "" && !r.startsWith("..") && !isAbsolute(r) ? r : p;
};

/**
 * One line for a file-system error: `<source>: cannot <verb> <path>: <reason>; <what to do>`,
 * e.g. `--itf out.txt: cannot create the directory out.txt: a file is in the way; give a
 * directory, or a path where one can be made`.
 */
export function describeFsError(e: FsError, source?: string): string {
  const listing = e.syscall === "scandir" || e.syscall === "opendir";
  const [reason, todo] = (listing && e.code === "ENOTDIR"
    ? ["it is a file, not a directory", "give a directory"]
    : FS_REASONS[e.code]) ?? [
    e.message.split("\n")[0]?.replace(/^[A-Z]+: /, "") ?? e.code,
    "check the path",
  ];
  const verb = FS_VERBS[e.syscall] ?? e.syscall;
  const path = e.path === undefined ? "" : ` ${shown(e.dest ?? e.path)}`;
  return `${source === undefined ? "" : `${source}: `}cannot ${verb}${path}: ${reason}; ${todo}`;
}

/** Whether `path` is `given` or lies under it (both as typed and resolved). */
const within = (path: string, given: string): boolean => {
  const [p, g] = [resolve(path), resolve(given)];
  return p === g || p.startsWith(g.endsWith(sep) ? g : `${g}${sep}`);
};

/**
 * The flag (with its value) or argument whose value `path` is or lies under, e.g. `--out x`;
 * undefined when none is (the path came from elsewhere, e.g. an environment variable).
 */
export function pathSource(cmd: Command, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let best: [string, string] | undefined;
  const consider = (label: string, value: unknown) => {
    if (typeof value !== "string" || value === "" || !within(path, value)) return;
    if (best === undefined || resolve(value).length > resolve(best[1]).length)
      best = [label, value];
  };
  for (const o of cmd.options) {
    const v = cmd.getOptionValue(o.attributeName());
    const label = o.long ?? o.short ?? o.name();
    for (const x of Array.isArray(v) ? v : [v]) consider(`${label} ${String(x)}`, x);
  }
  for (const a of cmd.args) consider(a, a);
  return best?.[0];
}

/**
 * Make `dir` a directory one can write into, creating it and its missing parents, or throw a
 * UserError naming `label` (e.g. `--out`) with what is wrong and what to do.
 *
 * Parents are made one at a time: `mkdirSync(…, { recursive: true })` in Node 20 never returns
 * where mkdir answers ENOENT for a parent that exists (e.g. anywhere under /proc on Linux).
 */
export function ensureDirectory(dir: string, label: string): string {
  const abs = resolve(dir);
  const where = `${label} ${dir}`;
  const missing: string[] = [];
  for (let p = abs; ; ) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p, { throwIfNoEntry: false });
    } catch (e) {
      // ENOTDIR: a parent further up is a file; keep climbing to name it.
      if (!isFsError(e) || e.code !== "ENOTDIR") throw fsUserError(e, where);
      st = undefined;
    }
    if (st !== undefined) {
      if (!st.isDirectory())
        throw new UserError(
          p === abs
            ? `${where}: it is a file, not a directory; give a directory, or a path where one can be made`
            : `${where}: ${shown(p)} is a file, not a directory; give a path whose parents are directories`,
        );
      break;
    }
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      if (isFsError(e) && e.code === "EEXIST" && statSync(m).isDirectory()) continue;
      // ENOENT for a parent that exists: this file system makes no directories (e.g. /proc).
      if (isFsError(e) && e.code === "ENOENT")
        throw new UserError(
          `${where}: cannot create the directory ${shown(m)}: this file system does not allow it; choose a place you can write to`,
        );
      throw fsUserError(e, where);
    }
  }
  try {
    accessSync(abs, constants.W_OK);
  } catch {
    throw new UserError(`${where}: the directory is not writable; choose a place you can write to`);
  }
  return abs;
}

/** A file-system error as a UserError naming `source`; anything else unchanged. */
export function fsUserError(e: unknown, source: string): unknown {
  return isFsError(e) ? new UserError(describeFsError(e, source)) : e;
}
