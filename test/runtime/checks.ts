/** What the fault test checks after a run, as functions a known-bad run makes fail. */
import { decodeCommand } from "../../src/runtime/kv.js";

/** Indexes at which two nodes applied different values (each node's values by index - 1). */
export function disagreements(applied: ReadonlyArray<ReadonlyArray<string | null>>): string[] {
  const out: string[] = [];
  const n = Math.max(0, ...applied.map((a) => a.length));
  for (let i = 0; i < n; i++) {
    const values = new Set(applied.map((a) => a[i]).filter((v) => v !== undefined));
    if (values.size > 1) out.push(`index ${i + 1}: ${[...values].join(" / ")}`);
  }
  return out;
}

/** Acknowledged requests ("client:seq") that no entry of the log holds. */
export function missingWrites(
  acked: ReadonlyArray<string>,
  log: ReadonlyArray<string | null>,
): string[] {
  const logged = new Set(
    log
      .filter((v): v is string => v !== null)
      .map((v) => {
        const cmd = decodeCommand(v);
        return cmd === undefined ? `not a command: ${v}` : `${cmd.client}:${cmd.seq}`;
      }),
  );
  return acked.filter((a) => !logged.has(a));
}
