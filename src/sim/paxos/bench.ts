/**
 * Paxos figures for `npm run bench`: simulated transitions per second with tracing on (see
 * ../bench.ts), and a simulator trace written to a file for the validation figures.
 */
import { closeSync, openSync, writeSync, writevSync } from "node:fs";
import { faultNames } from "../faults.js";
import { simProtocol } from "../protocol.js";

/** Simulate `events` events of seed `seed` with every fault on and write the trace to `file`. */
export function writePaxosTrace(file: string, events: number, seed = 1): void {
  const parts: Buffer[] = [];
  const run = simProtocol("paxos").prepare({ steps: events, faults: faultNames });
  const r = run(seed, (p) => parts.push(...p));
  const fd = openSync(file, "w");
  try {
    writeSync(fd, `${r.header}\n`);
    for (let k = 0; k < parts.length; k += 1024)
      writevSync(fd, parts.slice(k, k + 1024) as Buffer[]);
  } finally {
    closeSync(fd);
  }
}
