import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { discoverModels, type Model } from "../../src/tla/models.js";
import { writeCounterexampleTrace } from "../../src/tla/trace-file.js";
import type { CheckResult, Step } from "../../src/tla/types.js";
import { readTrace, type Trace } from "../../src/trace/codec.js";
import { printTla, type Value } from "../../src/trace/itf.js";
import { validateFiles } from "../../src/trace/validate.js";
import { root, specRoot } from "./helpers.js";

const out = mkdtempSync(join(tmpdir(), "lockstep-cex-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/**
 * A counterexample as an engine gives it (TLA+ text, named actions), made from the first events
 * of a protocol's committed good trace (a genuine behaviour of its spec), and a model whose cfg
 * gives the trace's constants: writing it must give back the same events, and validate.
 */
function fromGoodTrace(
  protocol: string,
  events: number,
): { model: Model; steps: Step[]; trace: Trace } {
  const dir = join(root, "traces", protocol, "good");
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".ndjson"))
    .sort()[0] as string;
  const trace = readTrace(join(dir, file));
  const p = trace.header.protocol;
  const steps = trace.events.slice(0, events).map(
    (e): Step => ({
      ...(e.i === 0 ? {} : { action: e.action }),
      ...(e.i === 0
        ? {}
        : {
            args: (p.actions[e.action] ?? []).map((s) => ({
              name: s.name,
              value: printTla(e.params[s.name] as Value),
            })),
          }),
      vars: Object.fromEntries(
        p.variables.map((v) => [v.name, printTla(e.state[v.name] as Value)]),
      ),
    }),
  );
  const cfgText = `CONSTANTS\n${Object.entries(trace.header.given)
    .map(([k, v]) => `    ${k} = ${printTla(v)}`)
    .join("\n")}\n`;
  const model: Model = {
    name: `MCGood${protocol}`,
    protocol,
    dir: join(root, "spec", protocol),
    cfgPath: join(out, "none.cfg"),
    cfgText,
    module: p.module,
    tlaPath: join(root, "spec", protocol, `${p.module}.tla`),
    expect: "Inv",
    engines: ["tlc", "embedded"],
    tier: "ci",
  };
  return { model, steps, trace };
}

const result = (m: Model, s: Step[]): CheckResult => ({
  model: m.name,
  protocol: m.protocol,
  engine: "tlc",
  expected: m.expect,
  outcome: m.expect,
  distinctStates: 1,
  generatedStates: null,
  depth: null,
  seconds: 0,
  counterexample: s,
});

describe("writeCounterexampleTrace", () => {
  for (const { name } of protocols())
    it(`writes a ${name} counterexample as a trace that validation accepts`, async () => {
      const { model, steps, trace } = fromGoodTrace(name, 8);
      const written = await writeCounterexampleTrace(model, result(model, steps), out);
      expect(written).toEqual({ file: join(out, `${model.name}.tlc.ndjson`) });
      const back = readTrace((written as { file: string }).file);
      expect(back.header.given).toEqual(trace.header.given);
      expect(back.events.map((e) => [e.action, e.params, e.state])).toEqual(
        trace.events.slice(0, 8).map((e) => [e.action, e.params, e.state]),
      );
      const { results, problems } = await validateFiles([(written as { file: string }).file], {
        engine: "embedded",
      });
      expect(problems).toEqual([]);
      expect(results[0]).toMatchObject({ ok: true, events: 8 });
    });

  it("says why when a step's action or arguments are not known", async () => {
    const [first] = protocols();
    const { model, steps } = fromGoodTrace(first?.name ?? "", 2);
    const unnamed = [steps[0] as Step, { vars: (steps[1] as Step).vars }];
    expect(await writeCounterexampleTrace(model, result(model, unnamed), out)).toEqual({
      error: "step 2: the action is not an action of the trace",
    });
  });

  it("writes nothing for a model of no registered protocol", async () => {
    const relay = discoverModels(specRoot).find((m) => m.name === "MCRelay") as Model;
    const { steps } = fromGoodTrace(protocols()[0]?.name ?? "", 2);
    expect(await writeCounterexampleTrace(relay, result(relay, steps), out)).toBeUndefined();
  });
});
