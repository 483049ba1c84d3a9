/** Output files of the command-line tools: checked targets, files written whole or not at all. */
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { ensureDirectory } from "../core/cli.js";
import { UserError } from "../core/errors.js";

/** The errno code of a failed file operation (e.g. ENOENT), else its message. */
export const errnoOf = (e: unknown): string =>
  (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Make sure `dir` (the value of `flag`) is a directory this process can write into, creating
 * it if need be; a UserError naming the flag otherwise. Checked before any work starts, so
 * that a bad target leaves nothing behind.
 */
export function writableDir(dir: string, flag: string): void {
  try {
    if (!statSync(dir).isDirectory())
      throw new UserError(`${flag} ${dir}: is not a directory; give a directory to write into`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (errnoOf(e) !== "ENOENT")
      throw new UserError(`${flag} ${dir}: cannot use it (${errnoOf(e)}); give a directory`);
    // Not mkdir's recursive mode: under /proc it never returns in Node 20.
    ensureDirectory(dir, flag);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UserError(
      `${flag} ${dir}: cannot write into it (${errnoOf(e)}); give a directory you can write to`,
    );
  }
}

/** Write a file whole or not at all: into a temporary name, then renamed. */
export function writeWhole(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
