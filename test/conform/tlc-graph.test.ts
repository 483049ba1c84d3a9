/**
 * Graph equality on TLC's graph (`-dump dot,actionlabels`), with a jar: on the cheapest model
 * of the protocol modules and on the cheapest model of a history module (projected onto the
 * protocol's variables), the implementation's graph equals TLC's, and a bug switch makes
 * them differ. The models are found in the registry's specs, not named here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { conformable } from "../../src/conform/from-check.js";
import { bugsOn, cfgConstants } from "../../src/conform/model.js";
import { compareWith, conformTarget, defaultSpecDir, specRun } from "../../src/conform/run.js";
import { protocols } from "../../src/registry.js";
import { parseCfg } from "../../src/tla/cfg.js";
import { main as tlcMain } from "../../src/tla/cli.js";
import { discoverModels, type Model } from "../../src/tla/models.js";
import { tlcAvailable } from "../tla/helpers.js";

const models = discoverModels(defaultSpecDir);
const moduleOf = (m: Model) => protocols().find((p) => p.name === m.protocol)?.spec.model;
/** The bug switches the model a control controls turns on. */
const controlled = (m: Model) => {
  const bugModel = models.find((x) => x.name === m.controlOf);
  if (bugModel === undefined) return [];
  return bugsOn(cfgConstants(parseCfg(readFileSync(bugModel.cfgPath, "utf8")), bugModel.cfgPath));
};
/** The passing model with the fewest TLC states among those `which` keeps. */
const cheapest = (which: (m: Model) => boolean) =>
  models
    .filter((m) => m.tier !== "deep" && m.states?.tlc !== undefined && which(m))
    .filter((m) => conformable(m) === true)
    .sort((a, b) => (a.states?.tlc ?? 0) - (b.states?.tlc ?? 0))[0];

const plain = cheapest((m) => m.module === moduleOf(m) && controlled(m).length > 0);
const projected = cheapest((m) => m.module !== moduleOf(m));

describe.skipIf(!tlcAvailable)("graph equality on TLC's graph", () => {
  it("a model of a protocol module: equal, and its bug model's switch makes them differ", async () => {
    const t = conformTarget(plain?.name as string);
    const spec = await specRun(t, false, "tlc");
    const r = await compareWith(t, spec);
    expect(r.engine).toBe("tlc");
    expect({ equal: r.equal, states: r.specStates > 1 }).toEqual({ equal: true, states: true });
    expect(r.implEdges).toBe(r.specEdges);
    const [bug] = controlled(plain as Model);
    const bad = await compareWith(t, spec, [bug as string]);
    expect(bad.equal).toBe(false);
    expect(bad.firstDifference?.trace.length).toBe((bad.firstDifference?.depth ?? 0) + 2);
  }, 120_000);

  it("a model of a history module, projected: equal, and a bug switch makes them differ", async () => {
    const t = conformTarget(projected?.name as string);
    expect(t.projection?.history.length).toBeGreaterThan(0);
    const spec = await specRun(t, false, "tlc");
    const r = await compareWith(t, spec);
    expect({ equal: r.equal, states: r.specStates > 1 }).toEqual({ equal: true, states: true });
    // The projection merges states that differ only in their history: never more than TLC's.
    expect(r.specStates).toBeLessThanOrEqual(projected?.states?.tlc ?? 0);
    const differing: string[] = [];
    for (const bug of t.protocol.sim.bugNames)
      if (!(await compareWith(t, spec, [bug])).equal) differing.push(bug);
    expect(differing.length).toBeGreaterThan(0);
  }, 180_000);

  it("npm run tlc -- --engine tlc compares the graph its check dumped", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stream = (xs: string[]) =>
      ({ write: (x: string) => xs.push(x), isTTY: false }) as unknown as NodeJS.WriteStream;
    const code = await tlcMain([plain?.name as string, "--engine", "tlc", "--json"], {
      stdout: stream(out),
      stderr: stream(err),
      env: process.env,
    });
    expect(code).toBe(0);
    const rows = JSON.parse(out.join("")) as { model: string; conform?: { equal: boolean } }[];
    expect(rows.find((r) => r.model === plain?.name)?.conform?.equal).toBe(true);
    expect(err.join("")).toMatch(/graph ok {4}\S+ \(tlc\): equal/);
  }, 120_000);
});
