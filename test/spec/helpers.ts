/** What the model tests of every protocol share: its models by name and their bug-off controls. */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { checkModel, resolveEngine } from "../../src/tla/engine.js";
import { discoverModels, type Model } from "../../src/tla/models.js";
import type { CheckResult } from "../../src/tla/types.js";
import { root } from "../tla/helpers.js";

export const embedded = resolveEngine("embedded");
export const tlc = () => resolveEngine("tlc");

/**
 * The models of spec/<protocol>: `byName`, and `control`, the bug model with its bug switched
 * off as a model in a scratch copy of spec/<protocol> (removed after the file's tests);
 * `checkCfg` adds the protocol's own assertions on the control's cfg.
 */
export function protocolModels(protocol: string, checkCfg?: (cfg: string) => void) {
  const specDir = join(root, "spec", protocol);
  const models = discoverModels(join(root, "spec")).filter((m) => m.protocol === protocol);
  const byName = (name: string): Model => {
    const m = models.find((x) => x.name === name);
    if (!m) throw new Error(`model ${name} not found`);
    return m;
  };

  const scratch: string[] = [];
  function control(name: string, bug: string): Model {
    const dir = mkdtempSync(join(tmpdir(), "lockstep-control-"));
    scratch.push(dir);
    // discoverModels reads <root>/<protocol>/*.cfg.
    const target = join(dir, protocol);
    mkdirSync(target);
    for (const f of readdirSync(specDir).filter((f) => f.endsWith(".tla")))
      copyFileSync(join(specDir, f), join(target, f));
    const cfg = readFileSync(join(specDir, `${name}.cfg`), "utf8")
      .replace(new RegExp(`(${bug} = )TRUE`), "$1FALSE")
      .replace(/^\\\* expect: .*$/m, "\\* expect: pass");
    expect(cfg).toContain(`${bug} = FALSE`);
    checkCfg?.(cfg);
    expect(cfg).toContain("\\* expect: pass");
    writeFileSync(join(target, `${name}Control.cfg`), cfg);
    const found = discoverModels(dir).find((m) => m.name === `${name}Control`);
    if (!found) throw new Error("control model not discovered");
    return found;
  }

  afterAll(() => {
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  return { models, byName, control };
}

export const expectRefuted = (r: CheckResult, invariant: string) => {
  expect(r.error).toBeUndefined();
  expect(r.outcome).toBe(invariant);
  // A counterexample starts in the initial state and ends in the violating one.
  expect(r.counterexample?.length ?? 0).toBeGreaterThan(2);
};

/** TLC refutes each bug model with its invariant, and passes its bounds with the bug off. */
export function tlcBugTests(
  bugs: ReadonlyArray<readonly [name: string, invariant: string, bug: string]>,
  byName: (name: string) => Model,
  control: (name: string, bug: string) => Model,
  opts: { workers: number },
): void {
  for (const [name, inv, bug] of bugs) {
    it(`refutes ${name} with ${inv}`, async () => {
      expectRefuted(await checkModel(byName(name), tlc(), opts), inv);
    });
    it(`passes ${name}'s bounds with ${bug} off`, async () => {
      const r = await checkModel(control(name, bug), tlc(), opts);
      expect(r.error).toBeUndefined();
      expect(r.outcome).toBe("pass");
    });
  }
}
