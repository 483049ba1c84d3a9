/**
 * Export a trace as an ITF file (the Informal Trace Format of Apalache and Quint,
 * https://apalache-mc.org/docs/adr/015adr-trace.html): one JSON document with the variable
 * names and one state object per event, integers written as {"#bigint": "n"}. Each state's
 * "#meta" carries the event's index, action and parameters; the trace's constants go in the
 * top-level "#meta".
 */
import { writeFileSync } from "node:fs";
import type { Trace } from "./codec.js";
import { type ItfJson, toItf } from "./itf.js";

export interface ItfTrace {
  "#meta": Record<string, unknown>;
  vars: string[];
  states: Record<string, ItfJson | Record<string, unknown>>[];
}

export function toItfTrace(trace: Trace): ItfTrace {
  const protocol = trace.header.protocol;
  const vars = protocol.variables.map((v) => v.name);
  const big = { bigint: true };
  return {
    "#meta": {
      format: "ITF",
      "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
      source: trace.file,
      description: `lockstep ${protocol.name} trace (${protocol.module}.tla), ${trace.events.length} events`,
      protocol: protocol.name,
      ...(trace.header.seed === undefined ? {} : { seed: trace.header.seed }),
      constants: Object.fromEntries(
        Object.entries(trace.header.constants).map(([k, v]) => [k, toItf(v, big)]),
      ),
    },
    vars,
    states: trace.events.map((e) => {
      const state: Record<string, ItfJson | Record<string, unknown>> = {
        "#meta": {
          index: e.i,
          action: e.action,
          params: Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, toItf(v, big)])),
        },
      };
      for (const name of vars) {
        const v = e.state[name];
        if (v) state[name] = toItf(v, big);
      }
      return state;
    }),
  };
}

export function writeItf(trace: Trace, path: string): void {
  writeFileSync(path, `${JSON.stringify(toItfTrace(trace))}\n`);
}
