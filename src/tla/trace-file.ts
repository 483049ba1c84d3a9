/**
 * A counterexample as a trace file (traces/FORMAT.md, version 2), so that `npm run validate`
 * replays it: the header's constants from the model's cfg, one event per step with the spec
 * action and its parameters (as the protocol's trace descriptor names them), and the state of
 * every spec variable. Validation is always against the correct spec (Bug* switches off), so a
 * bug model's trace is rejected at the step where the bug acts, and a witness's trace passes.
 *
 * Only models of a registered protocol (spec/<protocol>/) have a trace descriptor; the others
 * get no file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDirectory } from "../core/cli.js";
import type { ProtocolModule } from "../protocol.js";
import { encodeTrace, type TraceEvent } from "../trace/codec.js";
import type { Value } from "../trace/itf.js";
import { type Protocol, traceProtocol } from "../trace/protocol.js";
import { checkSchema, coerce, type Schema } from "../trace/schema.js";
import { parseTlaValue } from "../trace/tla-text.js";
import { constantBindings, parseCfg } from "./cfg.js";
import type { Model } from "./models.js";
import type { CheckResult, Step } from "./types.js";

/** The registered protocol whose spec folder holds the model, if any. */
export async function protocolModuleOf(protocol: string): Promise<ProtocolModule | undefined> {
  // Read when asked for: the registry imports every protocol, which import the trace tools.
  const { protocols } = await import("../registry.js");
  return protocols().find((m) => m.name === protocol);
}

const value = (text: string, schema: Schema, what: string): Value => {
  let v: Value;
  try {
    v = coerce(parseTlaValue(text), schema);
  } catch (e) {
    throw new Error(`${what}: cannot read ${text.slice(0, 60)} (${(e as Error).message})`);
  }
  const bad = checkSchema(v, schema, what);
  if (bad) throw new Error(bad);
  return v;
};

/** The trace's events; throws (one line) when a step cannot be written as an event. */
export function stepsToTraceEvents(steps: Step[], protocol: Protocol): TraceEvent[] {
  return steps.map((s, i) => {
    const action = i === 0 ? "Init" : s.action;
    const specs = i === 0 ? [] : action ? protocol.actions[action] : undefined;
    if (!action || !specs)
      throw new Error(`step ${i + 1}: ${action ?? "the action"} is not an action of the trace`);
    const args = i === 0 ? [] : s.args;
    if (!args || args.length !== specs.length)
      throw new Error(`step ${i + 1}: ${action}'s arguments are not known`);
    const params: Record<string, Value> = {};
    specs.forEach((p, k) => {
      params[p.name] = value((args[k] as { value: string }).value, p.schema, `${action}.${p.name}`);
    });
    const state: Record<string, Value> = {};
    for (const { name, schema } of protocol.variables) {
      const text = s.vars[name];
      if (text === undefined) throw new Error(`step ${i + 1} has no variable ${name}`);
      state[name] = value(text, schema, name);
    }
    return { i, line: i + 2, action, params, state };
  });
}

/**
 * Write `r`'s counterexample under `dir` as `<model>.<engine>.ndjson` and return the path, or
 * return why no file was written (a model of no registered protocol: undefined).
 */
export async function writeCounterexampleTrace(
  model: Model,
  r: CheckResult,
  dir: string,
): Promise<{ file: string } | { error: string } | undefined> {
  const steps = r.counterexample?.filter((s) => s.action !== "Stuttering");
  if (!steps || steps.length === 0) return undefined;
  const module = await protocolModuleOf(model.protocol);
  if (!module) return undefined;
  try {
    const protocol = traceProtocol(module);
    const cfg = parseCfg(model.cfgText ?? readFileSync(model.cfgPath, "utf8"));
    const given: Record<string, Value> = {};
    for (const b of constantBindings(cfg)) {
      const c = protocol.constants.find((x) => x.name === b.name);
      if (c && b.op === "=") given[c.name] = value(b.value, c.schema, `constant ${c.name}`);
    }
    const constants: Record<string, Value> = {};
    for (const c of protocol.constants) {
      const v = c.fixed ?? given[c.name] ?? c.default;
      if (v) constants[c.name] = v;
    }
    const events = stepsToTraceEvents(steps, protocol);
    const lines = encodeTrace(
      {
        header: { version: 2, protocol, seed: `${model.name} (${r.engine})`, constants, given },
        events,
      },
      2,
    );
    ensureDirectory(dir, "--trace-dir");
    const file = join(dir, `${model.name.replace(/\//g, "-")}.${r.engine}.ndjson`);
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    return { file };
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0] ?? "failed" };
  }
}
