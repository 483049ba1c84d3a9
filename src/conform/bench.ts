/**
 * The explorer's figures for `npm run bench`: on each explorer case a protocol gives
 * (`model.explore`), the implementation's distinct states per second with its invariants
 * checked on every state, fingerprint bytes per state, and TLC's distinct states per second
 * with one worker on the same model (when a jar and Java are found), side by side.
 */
import type { ProtocolModule } from "../protocol.js";
import { resolveEngine } from "../tla/engine.js";
import { runTlc } from "../tla/tlc.js";
import { explore } from "./explore.js";
import { conformTarget, implModel } from "./run.js";

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export async function benchExplorer(p: ProtocolModule, line: (s?: string) => void): Promise<void> {
  const cases = p.model?.explore ?? [];
  if (cases.length === 0) return;
  const tlc = resolveEngine("auto").tlc;
  line(
    `implementation explorer (${p.name}): distinct states/s with the TS invariants on every state, against TLC with one worker${tlc ? "" : " (no TLC found)"}; wall-clock rates compare only on a quiet machine`,
  );
  for (const c of cases) {
    const t = conformTarget(c.model, c.constants ? { constants: c.constants } : {});
    const model = implModel(t);
    const heap0 = process.memoryUsage().heapUsed;
    const x = explore(model, p.trace.variables, { invariants: true });
    const heap = process.memoryUsage().heapUsed - heap0;
    const mine = x.distinct / x.seconds;
    let theirs = "";
    if (tlc !== undefined) {
      const r = await runTlc({ ...t.model, cfgText: t.cfgText }, tlc, { workers: 1 });
      const rate = (r.distinctStates ?? 0) / r.seconds;
      theirs = `; TLC ${fmt(r.distinctStates ?? 0)} states in ${r.seconds.toFixed(1)} s, ${fmt(rate)}/s (explorer ${(mine / rate).toFixed(2)}×)${r.distinctStates === x.distinct ? "" : " — COUNTS DIFFER"}`;
    }
    line(
      `  ${c.label}: explorer ${fmt(x.distinct)} states, depth ${x.depth}, ${x.seconds.toFixed(1)} s, ${fmt(mine)}/s (${fmt(x.distinct / x.cpuSeconds)} per CPU-second), ${(x.states.bytes / x.distinct).toFixed(1)} fingerprint bytes/state (heap +${(Math.max(0, heap) / 2 ** 20).toFixed(0)} MiB)${x.violation ? `, breaks ${x.violation.invariants.join(", ")}` : ""}${theirs}`,
    );
  }
  line();
}
