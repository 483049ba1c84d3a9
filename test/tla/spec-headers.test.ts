/**
 * The protocol models' cfg headers, read without running a model: `npm run tlc` checks what they
 * promise (outcomes, distinct states per engine, bug-off controls), so they must all parse and
 * promise enough.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverModels } from "../../src/tla/models.js";
import { root } from "./helpers.js";

const models = discoverModels(join(root, "spec"));
const main = models.filter((m) => !m.controlOf);

describe("spec/*/*.cfg headers", () => {
  it("all parse", () => {
    expect(models.filter((m) => m.broken).map((m) => m.broken)).toEqual([]);
    expect(main.length).toBeGreaterThan(10);
  });

  it("give each bug model a control that switches every bug off", () => {
    for (const m of main.filter((x) => /Bug/.test(x.name))) {
      const control = models.find((c) => c.controlOf === m.name);
      expect(control?.cfgText, m.name).toBeDefined();
      expect(control?.cfgText, m.name).not.toMatch(/\bBug\w+ = TRUE/);
      expect(readFileSync(m.cfgPath, "utf8"), m.name).toMatch(/\bBug\w+ = TRUE/);
    }
  });

  it("give the distinct states of every check in an engine's default tier", () => {
    for (const m of models) {
      const engines = m.tier === "ci" ? m.engines : m.tier === "tlc" ? ["tlc" as const] : [];
      for (const engine of engines)
        expect(m.states?.[engine], `${m.name} on ${engine}`).toBeDefined();
    }
  });

  it("give both engines the same count where both exhaust a model without symmetry", () => {
    for (const m of models.filter((x) => x.expect === "pass" && x.states)) {
      const cfg = m.cfgText ?? readFileSync(m.cfgPath, "utf8");
      if (/^SYMMETRY/m.test(cfg) || m.states?.embedded === undefined) continue;
      if (m.states.tlc !== undefined) expect(m.states.embedded, m.name).toBe(m.states.tlc);
    }
  });
});
