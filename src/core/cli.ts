/**
 * The frame the command-line entry points share: commander parses argv (help and version exit
 * 0, a usage error exits 2 after commander printed it), the command runs with a signal that
 * Ctrl-C or SIGTERM aborts (so it can clean up and report), and a UserError ends as one
 * "error: …" line with exit 2.
 */
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
    throw e;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}
